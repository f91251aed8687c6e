// The minima an exploration has found and the transitions between them: the reaction network.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "chem/geometry.h"

namespace equimol::envs {

struct MinimumRecord {
  int id = -1;
  Minimum minimum;         ///< relaxed structure, energy (eV, or ε for LJ), bond graph
  std::string smiles;      ///< canonical SMILES for molecules; empty for atomic clusters
  std::string graph_hash;  ///< Weisfeiler-Lehman hash of the bond graph
  long first_step = 0;     ///< exploration step that found it (0: the start structure)
  long visits = 1;
};

/// One exploration step: from minimum `from` the action led to minimum `to` (-1 when it failed).
struct Transition {
  long step = 0;
  int from = -1;
  int to = -1;
  std::string action;   ///< "kick", "drive 3-7 1.45", "restart"
  std::string outcome;  ///< "new", "revisit", "scf-failure", "unconverged", "dissociated"
  double reward = 0.0;
  long gradient_calls = 0;  ///< spent by this step
  long relaxations = 0;     ///< run by this step (drives and verification nudges add some)
  bool bond_change = false;  ///< the minimum reached has another bond graph than `from` (new or revisit)
  long saddles = 0;             ///< saddle points this step escaped from
  long saddle_checks = 0;       ///< softest-mode evaluations of this step
  long saddle_check_calls = 0;  ///< their gradient calls (part of gradient_calls)
  /// Failures counted by this step: its outcome's, and failed relaxations within a step that still
  /// reached a minimum (a saddle escape that did not converge).
  long scf_failures = 0;
  long unconverged = 0;
  long dissociations = 0;
};

class MinimaRegistry {
 public:
  explicit MinimaRegistry(SameMinimumOptions options = {}) : options_(options) {}

  /// The id of a stored minimum that same_minimum() matches with `m`, or -1. Only minima within the
  /// energy tolerance are compared geometrically.
  int find(const Minimum& m) const;
  /// Stores the record under the next id (its id field is overwritten) and returns that id.
  int add(MinimumRecord record);

  const std::vector<MinimumRecord>& records() const { return records_; }
  MinimumRecord& at(int id) { return records_.at(static_cast<size_t>(id)); }
  const MinimumRecord& at(int id) const { return records_.at(static_cast<size_t>(id)); }
  int size() const { return static_cast<int>(records_.size()); }
  double lowest_energy() const;
  /// Ids from the lowest energy up (equal energies in the order found).
  std::vector<int> ids_by_energy() const;
  const SameMinimumOptions& options() const { return options_; }
  void clear();

 private:
  SameMinimumOptions options_;
  std::vector<MinimumRecord> records_;
  std::multimap<double, int> by_energy_;
};

}  // namespace equimol::envs
