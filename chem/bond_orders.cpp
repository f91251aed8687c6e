#include "bond_orders.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace equimol {
namespace {

// Usual neutral valences of main-group elements, smallest first.
const std::vector<int>& valences(int z) {
  static const std::map<int, std::vector<int>> table = {
      {1, {1}},  {5, {3}},  {6, {4}},  {7, {3}},     {8, {2}},  {9, {1}},  {14, {4}},
      {15, {3, 5}}, {16, {2, 4, 6}}, {17, {1}}, {33, {3, 5}}, {34, {2, 4, 6}}, {35, {1}},
      {53, {1, 3, 5}}, {3, {1}}, {11, {1}}, {12, {2}}, {13, {3}}, {32, {4}}, {52, {2, 4, 6}}};
  static const std::vector<int> none;
  const auto it = table.find(z);
  return it == table.end() ? none : it->second;
}

int target_valence(int z, int degree) {
  for (int v : valences(z)) {
    if (v >= degree) return v;
  }
  return degree;  // hypervalent or unknown element: no unsaturation
}

class Assigner {
 public:
  Assigner(const std::vector<int>& numbers, const BondGraph& graph, int total_charge)
      : numbers_(numbers), graph_(graph), total_charge_(total_charge), n_(graph.n_atoms) {
    degree_.assign(n_, 0);
    for (const auto& [i, j] : graph_.bonds) {
      ++degree_[i];
      ++degree_[j];
    }
    out_.orders.assign(graph_.bonds.size(), 1);
    out_.formal_charges.assign(n_, 0);
    out_.radicals.assign(n_, 0);
    unsaturation_.resize(n_);
    for (int i = 0; i < n_; ++i) {
      const int z = numbers_[i];
      // Onium and borate centres: more bonds than any neutral valence allows.
      if ((z == 7 || z == 15) && degree_[i] == 4) out_.formal_charges[i] = +1;
      if (z == 8 && degree_[i] == 3) out_.formal_charges[i] = +1;
      if (z == 5 && degree_[i] == 4) out_.formal_charges[i] = -1;
      const bool charged_centre = out_.formal_charges[i] != 0;
      unsaturation_[i] = charged_centre ? 0 : target_valence(z, degree_[i]) - degree_[i];
    }
  }

  BondOrderAssignment run() {
    match_unsaturation();
    match_unsaturation();  // a second pass turns double bonds into triple bonds where valence asks
    expand_valences();     // S(VI), P(V): sulfates, sulfones, phosphates
    charge_separate();
    balance_charge();
    for (int i = 0; i < n_; ++i) out_.radicals[i] = std::max(0, unsaturation_[i]);
    return out_;
  }

 private:
  bool open(int i) const { return unsaturation_[i] > 0; }

  int bond_order_sum(int atom) const {
    int sum = 0;
    for (size_t b = 0; b < graph_.bonds.size(); ++b) {
      if (graph_.bonds[b].first == atom || graph_.bonds[b].second == atom) sum += out_.orders[b];
    }
    return sum;
  }

  // Raises bond orders along a maximal matching of unsaturated atoms: greedy on the most constrained
  // atom first, then augmenting paths (enough for Kekulé structures of rings and chains).
  void match_unsaturation() {
    std::vector<int> partner_bond(n_, -1);  // bond index used by each atom in this pass
    auto open_neighbours = [&](int i) {
      int count = 0;
      for (size_t b = 0; b < graph_.bonds.size(); ++b) {
        const auto& [u, v] = graph_.bonds[b];
        if ((u == i && open(v) && partner_bond[v] < 0) || (v == i && open(u) && partner_bond[u] < 0)) ++count;
      }
      return count;
    };
    for (;;) {
      int pick = -1, fewest = 1 << 30;
      for (int i = 0; i < n_; ++i) {
        if (!open(i) || partner_bond[i] >= 0) continue;
        const int k = open_neighbours(i);
        if (k > 0 && k < fewest) {
          fewest = k;
          pick = i;
        }
      }
      if (pick < 0) break;
      int best_bond = -1, best_other = -1, other_fewest = 1 << 30;
      for (size_t b = 0; b < graph_.bonds.size(); ++b) {
        const auto& [u, v] = graph_.bonds[b];
        const int other = u == pick ? v : (v == pick ? u : -1);
        if (other < 0 || !open(other) || partner_bond[other] >= 0) continue;
        const int k = open_neighbours(other);
        if (k < other_fewest) {
          other_fewest = k;
          best_bond = static_cast<int>(b);
          best_other = other;
        }
      }
      partner_bond[pick] = partner_bond[best_other] = best_bond;
    }
    // Augment: an unmatched open atom may reach another through an alternating path.
    for (int start = 0; start < n_; ++start) {
      if (!open(start) || partner_bond[start] >= 0) continue;
      std::vector<bool> visited(n_, false);
      augment(start, partner_bond, visited);
    }
    for (int i = 0; i < n_; ++i) {
      const int b = partner_bond[i];
      if (b < 0) continue;
      const auto& [u, v] = graph_.bonds[b];
      if (u == i) {
        ++out_.orders[b];
        --unsaturation_[u];
        --unsaturation_[v];
      }
    }
  }

  bool augment(int atom, std::vector<int>& partner_bond, std::vector<bool>& visited) {
    visited[atom] = true;
    for (size_t b = 0; b < graph_.bonds.size(); ++b) {
      const auto& [u, v] = graph_.bonds[b];
      const int other = u == atom ? v : (v == atom ? u : -1);
      if (other < 0 || visited[other] || !open(other)) continue;
      visited[other] = true;
      const int other_bond = partner_bond[other];
      if (other_bond < 0) {
        partner_bond[atom] = partner_bond[other] = static_cast<int>(b);
        return true;
      }
      const auto& [x, y] = graph_.bonds[other_bond];
      const int next = x == other ? y : x;
      partner_bond[next] = -1;
      partner_bond[other] = static_cast<int>(b);
      partner_bond[atom] = static_cast<int>(b);
      if (augment(next, partner_bond, visited)) return true;
      partner_bond[next] = partner_bond[other] = other_bond;  // undo
      partner_bond[atom] = -1;
    }
    return false;
  }

  // An atom with a higher usual valence (S 2/4/6, P 3/5) next to atoms still missing bonds takes the
  // next valence and the matching runs again, until nothing changes.
  void expand_valences() {
    for (bool changed = true; changed;) {
      changed = false;
      for (int i = 0; i < n_; ++i) {
        if (out_.formal_charges[i] != 0 || open(i) || !has_open_neighbour(i)) continue;
        const int current = bond_order_sum(i);
        const auto& allowed = valences(numbers_[i]);
        const auto next = std::find_if(allowed.begin(), allowed.end(), [&](int v) { return v > current; });
        if (next == allowed.end()) continue;
        unsaturation_[i] = *next - current;
        match_unsaturation();
        changed |= bond_order_sum(i) > current;
        unsaturation_[i] = 0;  // an expansion the neighbours could not use is dropped, not a radical
      }
    }
  }

  bool has_open_neighbour(int atom) const {
    for (const auto& [u, v] : graph_.bonds) {
      if ((u == atom && open(v)) || (v == atom && open(u))) return true;
    }
    return false;
  }

  // Nitro groups and N-oxides: N with three bonds next to an O (or S) still missing a bond becomes
  // N+=O, and a second such O becomes O-.
  void charge_separate() {
    for (size_t b = 0; b < graph_.bonds.size(); ++b) {
      for (int side = 0; side < 2; ++side) {
        const int n_atom = side == 0 ? graph_.bonds[b].first : graph_.bonds[b].second;
        const int o_atom = side == 0 ? graph_.bonds[b].second : graph_.bonds[b].first;
        if (numbers_[n_atom] != 7 || out_.formal_charges[n_atom] != 0 || unsaturation_[n_atom] != 0) continue;
        if ((numbers_[o_atom] != 8 && numbers_[o_atom] != 16) || unsaturation_[o_atom] != 1) continue;
        const int n_bonds = bond_order_sum(n_atom);
        if (n_bonds != 3) continue;
        out_.formal_charges[n_atom] = +1;
        ++out_.orders[b];
        unsaturation_[o_atom] = 0;
        for (const auto& [u, v] : graph_.bonds) {  // a second open O on this N takes the negative charge
          const int other = u == n_atom ? v : (v == n_atom ? u : -1);
          if (other >= 0 && other != o_atom && (numbers_[other] == 8 || numbers_[other] == 16) &&
              unsaturation_[other] == 1) {
            out_.formal_charges[other] = -1;
            unsaturation_[other] = 0;
            break;
          }
        }
      }
    }
  }

  // Leftover open atoms absorb the difference between the requested and the assigned charge:
  // an anion where the molecule is more negative (carbanion, alkoxide), a cation where more positive.
  void balance_charge() {
    int assigned = std::accumulate(out_.formal_charges.begin(), out_.formal_charges.end(), 0);
    for (int i = 0; i < n_ && assigned != total_charge_; ++i) {
      if (!open(i)) continue;
      const int step = total_charge_ < assigned ? -1 : +1;
      out_.formal_charges[i] += step;
      --unsaturation_[i];
      assigned += step;
    }
  }

  const std::vector<int>& numbers_;
  const BondGraph& graph_;
  int total_charge_;
  int n_;
  std::vector<int> degree_;
  std::vector<int> unsaturation_;
  BondOrderAssignment out_;
};

}  // namespace

BondOrderAssignment assign_bond_orders(const std::vector<int>& numbers, const BondGraph& graph, int total_charge) {
  return Assigner(numbers, graph, total_charge).run();
}

}  // namespace equimol
