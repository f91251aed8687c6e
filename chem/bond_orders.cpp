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
  // fewer bonds (negated bond-order sum), charged atoms, like charges on bonded atoms ([CH2-]C=C[CH2-],
  // not C=C[CH-][CH2-]), charge placed against electronegativity, then triple bonds (of two resonance
  // forms, the one textbooks draw: CN=[N+]=[N-], not C[N-][N+]#N).
  std::tuple<int, int, int, int, int, double, int> score;
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
  // where none does (ammonium, oxonium, borate), and improves it by changing one atom's valence, two
  // bonded atoms' (a charge separation: nitro, isocyanide, CO, azide, ozone), or two ions' (salts,
  // betaines), while that gives a better Lewis structure. Each round scores every change, then applies
  // the best and, one by one, the next best on other atoms that still improve (ten nitro groups take
  // one round, not ten).
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
      std::vector<std::pair<Candidate, Change>> better, charging;  // charging: bonds given for charge
      for (const Change& change : changes(best)) {
        Candidate c = evaluate(applied(best.choice, change));
        if (improves(c, best)) better.emplace_back(std::move(c), change);
        else if (charges_for_bonds(c, best)) charging.emplace_back(std::move(c), change);
      }
      const auto by_score = [](const auto& a, const auto& b) { return a.first.score < b.first.score; };
      if (better.empty()) {  // only then, and one at a time
        if (charging.empty()) break;
        best = std::move(std::min_element(charging.begin(), charging.end(), by_score)->first);
        continue;
      }
      std::sort(better.begin(), better.end(), by_score);
      best = std::move(better.front().first);
      std::vector<bool> touched(n_, false);
      for (const auto& [atom, option] : better.front().second) touched[atom] = true;
      for (size_t k = 1; k < better.size(); ++k) {
        const Change& change = better[k].second;
        if (std::any_of(change.begin(), change.end(), [&](const auto& c) { return touched[c.first]; })) continue;
        Candidate merged = evaluate(applied(best.choice, change));
        if (!improves(merged, best)) continue;
        best = std::move(merged);
        for (const auto& [atom, option] : change) touched[atom] = true;
      }
    }
    return best.result;
  }

 private:
  // The charges a change of two bonded atoms may set together: an onium centre (N+, O+, S+, P+) beside
  // an anion (O-, N-, S-, or a terminal C-: isocyanides, CO). A carbene's carbon between N or
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

  // One atom's new valence, or two atoms' together.
  using Change = std::vector<std::pair<int, ValenceOption>>;

  std::vector<ValenceOption> applied(std::vector<ValenceOption> choice, const Change& change) const {
    for (const auto& [atom, option] : change) choice[atom] = option;
    return choice;
  }

  // Every change worth scoring from `current`: each atom's other valences, bonded pairs that may be
  // charge-separated together, and two ions: atoms left with an unpaired electron that each give a
  // bond up for a charge (R4P+ ... Br-, Na+ ... Cl-, a phosphonium betaine's P+ and O-), never carbon.
  std::vector<Change> changes(const Candidate& current) const {
    std::vector<Change> out;
    for (int i = 0; i < n_; ++i) {
      for (const ValenceOption& o : fitting_[i]) {
        if (!(o == current.choice[i])) out.push_back({{i, o}});
      }
    }
    for (const auto& [i, j] : graph_.bonds) {
      for (const ValenceOption& oi : fitting_[i]) {
        for (const ValenceOption& oj : fitting_[j]) {
          if (!(oi == current.choice[i]) && !(oj == current.choice[j]) && pairable(i, oi, j, oj)) out.push_back({{i, oi}, {j, oj}});
        }
      }
    }
    std::vector<int> open_atoms;
    for (int i = 0; i < n_; ++i) {
      if (current.result.radicals[i] > 0 && numbers_[i] != 6) open_atoms.push_back(i);
    }
    for (size_t a = 0; a < open_atoms.size(); ++a) {
      for (size_t b = a + 1; b < open_atoms.size(); ++b) {
        const int i = open_atoms[a], j = open_atoms[b];
        for (const ValenceOption& oi : fitting_[i]) {
          for (const ValenceOption& oj : fitting_[j]) {
            if (oi.valence < current.choice[i].valence && oj.valence < current.choice[j].valence && oi.charge * oj.charge < 0) {
              out.push_back({{i, oi}, {j, oj}});
            }
          }
        }
      }
    }
    return out;
  }

  static int bond_count(const Candidate& c) { return -std::get<2>(c.score); }

  // Better without giving up a bond: charges go on unpaired electrons, so a neutral molecule's C#C is
  // not given up for two C- that balance two oxonium centres.
  static bool improves(const Candidate& candidate, const Candidate& current) {
    return candidate.score < current.score && bond_count(candidate) >= bond_count(current);
  }

  // Closer to a requested non-zero charge by giving up bonds: hydroquinone's dianion from the bonds a
  // quinone would have. Taken only when nothing improves without.
  bool charges_for_bonds(const Candidate& candidate, const Candidate& current) const {
    return total_charge_ != 0 && bond_count(candidate) < bond_count(current) &&
           std::get<0>(candidate.score) < std::get<0>(current.score);
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
    augment_orders();
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
    int like_neighbours = 0;
    for (const auto& [i, j] : graph_.bonds) like_neighbours += choice[i].charge * choice[j].charge > 0;
    c.score = {std::abs(charge - total_charge_), radicals, -bond_sum, charged, like_neighbours, misplaced, triples};
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

  // Raises bond orders along alternating paths between two open atoms (raise, lower, raise, ...):
  // what the greedy passes leave when a cumulated or exocyclic double bond took the wrong partner
  // (O=C=N-Ph) or an atom needs a third multiple bond (SO3).
  void augment_orders() {
    for (bool raised = true; raised;) {
      raised = false;
      for (int start = 0; start < n_; ++start) {
        while (open(start)) {
          std::vector<char> seen(2 * static_cast<size_t>(n_), 0);  // (atom, whether its next step raises)
          if (!alternate(start, start, true, seen)) break;
          raised = true;
        }
      }
    }
  }

  // One step from `atom`: raising a bond (below triple) when `raise`, else lowering one (above single).
  // A raise into another open atom ends the path; the orders along it are changed as it is walked and
  // changed back when it leads nowhere.
  bool alternate(int start, int atom, bool raise, std::vector<char>& seen) {
    seen[2 * static_cast<size_t>(atom) + raise] = 1;
    for (int b : incident_[atom]) {
      const int other = other_end(b, atom);
      if (raise ? orders_[b] >= 3 : orders_[b] <= 1) continue;
      if (raise && other != start && open(other)) {
        ++orders_[b];
        --unsaturation_[start];
        --unsaturation_[other];
        return true;
      }
      if (seen[2 * static_cast<size_t>(other) + !raise]) continue;
      orders_[b] += raise ? 1 : -1;
      if (alternate(start, other, !raise, seen)) return true;
      orders_[b] -= raise ? 1 : -1;
    }
    return false;
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
