#include "bond_orders.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>
#include <tuple>

namespace equimol {
namespace {

// A Lewis valence an atom can take and the formal charge that goes with it (N with four bonds is N+).
struct ValenceOption {
  int valence;
  int charge;
  bool operator==(const ValenceOption& o) const { return valence == o.valence && charge == o.charge; }
};

// Neutral valences first (smallest first), then the charged forms of onium centres (N+, O+, S+, P+),
// anions (C-, N-, O-, S-, halides), borates, carbocations and alkali and magnesium ions.
const std::vector<ValenceOption>& valence_options(int z) {
  static const std::map<int, std::vector<ValenceOption>> table = {
      {1, {{1, 0}}},
      {3, {{1, 0}, {0, +1}}},
      {5, {{3, 0}, {4, -1}}},
      {6, {{4, 0}, {3, -1}, {3, +1}}},
      {7, {{3, 0}, {4, +1}, {2, -1}}},
      {8, {{2, 0}, {3, +1}, {1, -1}}},
      {9, {{1, 0}, {0, -1}}},
      {11, {{1, 0}, {0, +1}}},
      {12, {{2, 0}, {0, +2}}},
      {13, {{3, 0}}},
      {14, {{4, 0}}},
      {19, {{1, 0}, {0, +1}}},
      {15, {{3, 0}, {5, 0}, {4, +1}}},
      {16, {{2, 0}, {4, 0}, {6, 0}, {3, +1}, {1, -1}}},
      {17, {{1, 0}, {0, -1}}},
      {32, {{4, 0}}},
      {33, {{3, 0}, {5, 0}, {4, +1}}},
      {34, {{2, 0}, {4, 0}, {6, 0}, {3, +1}, {1, -1}}},
      {35, {{1, 0}, {0, -1}}},
      {52, {{2, 0}, {4, 0}, {6, 0}}},
      {53, {{1, 0}, {3, 0}, {5, 0}, {0, -1}}}};
  static const std::vector<ValenceOption> none;
  const auto it = table.find(z);
  return it == table.end() ? none : it->second;
}

// Pauling electronegativity of the elements that take charges above: a negative charge goes to the
// more electronegative atom ([O-][N+]#N rather than [N-]=[N+]=O).
double electronegativity(int z) {
  static const std::map<int, double> table = {{5, 2.04},  {6, 2.55},  {7, 3.04},  {8, 3.44},  {9, 3.98},  {15, 2.19},
                                              {16, 2.58}, {17, 3.16}, {33, 2.18}, {34, 2.55}, {35, 2.96}, {53, 2.66}};
  const auto it = table.find(z);
  return it == table.end() ? 2.5 : it->second;
}

// One choice of valences, its bond orders by matching, and how good a Lewis structure it gives.
struct Candidate {
  std::vector<ValenceOption> choice;
  BondOrderAssignment result;
  // Lexicographic, smaller is better: charge missing from the requested total, radical electrons,
  // fewer bonds (negated bond-order sum), charged atoms, charge placed against electronegativity, then
  // triple bonds (of two resonance forms, the one textbooks draw: CN=[N+]=[N-], not C[N-][N+]#N).
  std::tuple<int, int, int, int, double, int> score;
};

class Assigner {
 public:
  Assigner(const std::vector<int>& numbers, const BondGraph& graph, int total_charge)
      : numbers_(numbers), graph_(graph), total_charge_(total_charge), n_(graph.n_atoms), incident_(n_) {
    for (size_t b = 0; b < graph_.bonds.size(); ++b) {
      incident_[graph_.bonds[b].first].push_back(static_cast<int>(b));
      incident_[graph_.bonds[b].second].push_back(static_cast<int>(b));
    }
    fitting_.resize(n_);
    for (int i = 0; i < n_; ++i) {
      const int degree = static_cast<int>(incident_[i].size());
      for (const ValenceOption& o : valence_options(numbers_[i])) {
        if (o.valence >= degree) fitting_[i].push_back(o);
      }
      // Hypervalent or unknown element: its bonds as they are, no unsaturation.
      if (fitting_[i].empty()) fitting_[i].push_back({degree, 0});
    }
  }

  // Starts from each atom's first neutral valence that fits (the usual molecule), or a charged one
  // where none does (ammonium, oxonium, borate), and improves it by changing one atom's valence, or
  // two bonded atoms' (a charge separation: nitro, isocyanide, CO, azide, ozone), while that gives a
  // better Lewis structure.
  BondOrderAssignment run() {
    std::vector<ValenceOption> start(n_);
    for (int i = 0; i < n_; ++i) {
      const auto neutral = std::find_if(fitting_[i].begin(), fitting_[i].end(), [](const ValenceOption& o) { return o.charge == 0; });
      start[i] = neutral != fitting_[i].end() ? *neutral : fitting_[i].front();
    }
    Candidate best = evaluate(start);
    const int lowest_radicals = electron_parity();
    for (int round = 0; round < n_; ++round) {
      if (std::get<0>(best.score) == 0 && std::get<1>(best.score) <= lowest_radicals) break;
      Candidate improved = best;
      for (int i = 0; i < n_; ++i) {
        for (const ValenceOption& o : fitting_[i]) {
          if (o == best.choice[i]) continue;
          std::vector<ValenceOption> choice = best.choice;
          choice[i] = o;
          keep_better(improved, evaluate(choice), best);
        }
      }
      for (const auto& [i, j] : graph_.bonds) {
        for (const ValenceOption& oi : fitting_[i]) {
          for (const ValenceOption& oj : fitting_[j]) {
            if (oi == best.choice[i] || oj == best.choice[j] || !pairable(i, oi, j, oj)) continue;
            std::vector<ValenceOption> choice = best.choice;
            choice[i] = oi;
            choice[j] = oj;
            keep_better(improved, evaluate(choice), best);
          }
        }
      }
      if (!(improved.score < best.score)) break;
      best = std::move(improved);
    }
    return best.result;
  }

 private:
  // The charges a change of two bonded atoms may set together: an onium centre (N+, O+, S+, P+) beside
  // an anion (O-, N-, S-, a halide, or a terminal C-: isocyanides, CO). A carbene's carbon between N or
  // O stays a carbene (N[C]O), not an ylide ([NH2+]=[C-]O); a carbocation is never half of a pair.
  bool pairable(int i, const ValenceOption& oi, int j, const ValenceOption& oj) const {
    if (oi.charge != 0 && oj.charge != 0 && oi.charge * oj.charge > 0) return false;
    return may_take_in_pair(i, oi) && may_take_in_pair(j, oj);
  }
  bool may_take_in_pair(int atom, const ValenceOption& o) const {
    const int z = numbers_[atom];
    if (o.charge > 0) return z != 6 && z != 5;
    if (o.charge < 0 && z == 6) return incident_[atom].size() == 1;
    return true;
  }

  // A change never buys the requested charge with bonds: charges go on unpaired electrons (a C#C is
  // not given up for two C- that balance two oxonium centres), so it may not lower the bond count.
  static void keep_better(Candidate& best, Candidate&& candidate, const Candidate& current) {
    const auto bonds = [](const Candidate& c) { return -std::get<2>(c.score); };
    if (bonds(candidate) < bonds(current)) return;
    if (candidate.score < best.score) best = std::move(candidate);
  }

  // 1 when the molecule has an odd number of electrons (one unpaired electron is unavoidable).
  int electron_parity() const {
    const int electrons = std::accumulate(numbers_.begin(), numbers_.end(), 0) - total_charge_;
    return std::abs(electrons) % 2;
  }

  Candidate evaluate(const std::vector<ValenceOption>& choice) {
    Candidate c;
    c.choice = choice;
    unsaturation_.resize(n_);
    for (int i = 0; i < n_; ++i) unsaturation_[i] = choice[i].valence - static_cast<int>(incident_[i].size());
    orders_.assign(graph_.bonds.size(), 1);
    match_unsaturation();
    match_unsaturation();  // a second pass turns double bonds into triple bonds where valence asks
    c.result.orders = orders_;
    c.result.formal_charges.resize(n_);
    c.result.radicals.resize(n_);
    int charge = 0, radicals = 0, charged = 0;
    double misplaced = 0.0;
    for (int i = 0; i < n_; ++i) {
      c.result.formal_charges[i] = choice[i].charge;
      c.result.radicals[i] = unsaturation_[i];
      charge += choice[i].charge;
      radicals += unsaturation_[i];
      charged += choice[i].charge != 0;
      misplaced += choice[i].charge * electronegativity(numbers_[i]);
    }
    const int bond_sum = std::accumulate(orders_.begin(), orders_.end(), 0);
    const int triples = static_cast<int>(std::count(orders_.begin(), orders_.end(), 3));
    c.score = {std::abs(charge - total_charge_), radicals, -bond_sum, charged, misplaced, triples};
    return c;
  }

  bool open(int i) const { return unsaturation_[i] > 0; }
  int other_end(int bond, int atom) const {
    const auto& [u, v] = graph_.bonds[bond];
    return u == atom ? v : u;
  }

  // Raises bond orders along a maximal matching of unsaturated atoms: greedy on the most constrained
  // atom first, then augmenting paths (enough for Kekulé structures of rings and chains).
  void match_unsaturation() {
    std::vector<int> partner_bond(n_, -1);  // bond index used by each atom in this pass
    auto free_open = [&](int i) { return open(i) && partner_bond[i] < 0; };
    auto open_neighbours = [&](int i) {
      int count = 0;
      for (int b : incident_[i]) count += free_open(other_end(b, i));
      return count;
    };
    for (;;) {
      int pick = -1, fewest = 1 << 30;
      for (int i = 0; i < n_; ++i) {
        if (!free_open(i)) continue;
        const int k = open_neighbours(i);
        if (k > 0 && k < fewest) {
          fewest = k;
          pick = i;
        }
      }
      if (pick < 0) break;
      int best_bond = -1, best_other = -1, other_fewest = 1 << 30;
      for (int b : incident_[pick]) {
        const int other = other_end(b, pick);
        if (!free_open(other)) continue;
        const int k = open_neighbours(other);
        if (k < other_fewest) {
          other_fewest = k;
          best_bond = b;
          best_other = other;
        }
      }
      partner_bond[pick] = partner_bond[best_other] = best_bond;
    }
    // Augment: an unmatched open atom may reach another through an alternating path.
    for (int start = 0; start < n_; ++start) {
      if (!free_open(start)) continue;
      std::vector<bool> visited(n_, false);
      augment(start, partner_bond, visited);
    }
    for (int i = 0; i < n_; ++i) {
      const int b = partner_bond[i];
      if (b < 0 || graph_.bonds[b].first != i) continue;
      ++orders_[b];
      --unsaturation_[graph_.bonds[b].first];
      --unsaturation_[graph_.bonds[b].second];
    }
  }

  bool augment(int atom, std::vector<int>& partner_bond, std::vector<bool>& visited) {
    visited[atom] = true;
    for (int b : incident_[atom]) {
      const int other = other_end(b, atom);
      if (visited[other] || !open(other)) continue;
      visited[other] = true;
      const int other_bond = partner_bond[other];
      if (other_bond < 0) {
        partner_bond[atom] = partner_bond[other] = b;
        return true;
      }
      const int next = other_end(other_bond, other);
      partner_bond[next] = -1;
      partner_bond[other] = b;
      partner_bond[atom] = b;
      if (augment(next, partner_bond, visited)) return true;
      partner_bond[next] = partner_bond[other] = other_bond;  // undo
      partner_bond[atom] = -1;
    }
    return false;
  }

  const std::vector<int>& numbers_;
  const BondGraph& graph_;
  int total_charge_;
  int n_;
  std::vector<std::vector<int>> incident_;            // bond indices of each atom
  std::vector<std::vector<ValenceOption>> fitting_;   // valence options with room for the atom's bonds
  std::vector<int> unsaturation_;                     // of the candidate being matched
  std::vector<int> orders_;
};

}  // namespace

BondOrderAssignment assign_bond_orders(const std::vector<int>& numbers, const BondGraph& graph, int total_charge) {
  return Assigner(numbers, graph, total_charge).run();
}

}  // namespace equimol
