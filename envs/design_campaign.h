// Design campaigns: run a DesignPolicy for N episodes of a DesignEnv, judge each final canvas as a
// molecule, optionally relax it, and report it as it is found (the store writes it to SQLite).
//
// A final molecule is valid when the episode emptied the bag without an invalid placement, its bonds
// (Wiberg bond orders >= 0.5 from the last GFN2 call) join every atom into one fragment, bond orders
// are perceived for them (chem/bond_orders leaves no radical electron beyond the one an odd electron
// count forces: otherwise "N[C]O" or "[CH]ON" would count as designs of CH3NO), and RDKit sanitises it. Its identity is the canonical
// isomeric SMILES. With relaxation, the canvas is relaxed with L-BFGS (GFN2, same charge and spin) and
// judged again; the ranking then uses the relaxed atomisation energy.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "chem/bond_graph.h"
#include "chem/optimizer.h"
#include "envs/design_agents.h"
#include "envs/design_env.h"

namespace equimol::envs {

struct RelaxedMolecule {
  Atoms atoms;
  BondGraph graph;
  double energy_ev = 0.0;
  double atomization_ev = 0.0;  ///< sum of isolated-atom energies minus energy_ev
  bool converged = false;
  int radical_electrons = 0;
  bool valid = false;
  std::string smiles;
};

struct DesignedMolecule {
  long episode = 0;           ///< 0-based
  std::string formula;        ///< of the bag the episode started with
  Atoms atoms;                ///< final canvas (Atoms::info: smiles, return_ev, episode)
  BondGraph graph;
  double return_ev = 0.0;     ///< episode return (the atomisation energy when complete)
  double energy_ev = 0.0;     ///< E(final canvas)
  int steps = 0;
  std::string ending;         ///< "complete", or the DesignOutcome that ended it ("too-close", "clipped", ...)
  bool complete = false;      ///< the bag was emptied with no invalid placement and no clipped reward
  int fragments = 0;
  int radical_electrons = 0;  ///< left over by bond-order perception
  bool sanitized = false;
  bool valid = false;
  std::string smiles;         ///< canonical SMILES ("" for an empty canvas)
  std::optional<RelaxedMolecule> relaxed;

  /// The figure a campaign ranks by: the relaxed atomisation energy when relaxed, else the return.
  double score_ev() const { return relaxed ? relaxed->atomization_ev : return_ev; }
  bool ranked_valid() const { return relaxed ? relaxed->valid && valid : valid; }
  const std::string& identity() const { return relaxed ? relaxed->smiles : smiles; }
};

/// Receives each molecule as its episode ends (the design store writes it to SQLite).
class DesignObserver {
 public:
  virtual ~DesignObserver() = default;
  virtual void molecule_designed(const DesignedMolecule& molecule) = 0;
};

struct DesignCampaignOptions {
  long episodes = 100;         ///< the campaign's episodes in all; episode numbers run 0 .. episodes - 1
  long first_episode = 0;      ///< > 0 resumes a campaign that has episodes 0 .. first_episode - 1 stored
  std::uint64_t seed = 0;      ///< the env's first reset takes stream_seed(seed, first_episode) (envs/rng.h); the policy has its own seed
  bool relax = false;          ///< relax every complete molecule with GFN2 (L-BFGS)
  OptimizerOptions relaxation{0.02, 500, 0.2};  ///< fmax eV/Å, max steps, max step Å
  void check() const;          ///< throws std::invalid_argument naming a bad value
};

/// One fragment; perceived bond orders whose formal charges add up to atoms.charge and that leave
/// radicals only as the electron count forces them; RDKit sanitisation passes.
bool is_valid_molecule(const Atoms& atoms, const BondGraph& graph);

/// Judges the env's current canvas as the final molecule of episode `episode`.
DesignedMolecule assess_canvas(const DesignEnv& env, long episode, double return_ev, int steps, DesignOutcome last);

/// Runs episodes first_episode .. episodes - 1; `progress(done, molecule)` after each (done counts the
/// stored episodes too). Returns the molecules of the episodes it ran.
std::vector<DesignedMolecule> run_design_campaign(DesignEnv& env, DesignPolicy& policy, const DesignCampaignOptions& options,
                                                  DesignObserver* observer = nullptr,
                                                  const std::function<void(long, const DesignedMolecule&)>& progress = {});

/// What a campaign found: counts, mean return, and the valid molecules best first, one per identity().
struct DesignSummary {
  long episodes = 0;
  long valid = 0;  ///< ranked_valid()
  double valid_fraction = 0.0;
  double mean_return_ev = 0.0;
  std::vector<const DesignedMolecule*> best_distinct;  ///< valid, by score_ev descending, distinct SMILES
};
DesignSummary summarize(const std::vector<DesignedMolecule>& molecules);

}  // namespace equimol::envs
