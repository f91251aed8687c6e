// CampaignStore: an exploration's minima and transitions in SQLite, written as they are found.
//
// Each step commits as it ends (WAL journal): its new minimum, if any, with its transition row in one
// transaction, so a run killed at any moment keeps every step it finished and never a minimum without
// the step that reached it; `--resume` continues from the stored state. Tables:
//   meta(key, value)                  run settings: method, agent, seed, start structure, budget;
//                                     position "STEP ID" after a move without a step (basin hopping)
//   minima(id, energy, smiles, graph_hash, first_step, visits, bonds, xyz)   xyz: extended XYZ frame
//   transitions(step, from_id, to_id, action, outcome, reward, gradient_calls, relaxations, bond_change,
//               saddles, saddle_checks, saddle_check_calls, scf_failures, unconverged, dissociations)
// Energies in the unit of the method (eV, or ε for Lennard-Jones), as meta.energy_unit says.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "envs/pes_env.h"
#include "envs/sqlite_database.h"

namespace equimol::envs {

class CampaignStore final : public PesObserver {
 public:
  /// Opens (creating when absent) the database at `path`.
  explicit CampaignStore(const std::string& path);
  ~CampaignStore() override;
  CampaignStore(const CampaignStore&) = delete;
  CampaignStore& operator=(const CampaignStore&) = delete;

  void set_meta(const std::string& key, const std::string& value);
  std::map<std::string, std::string> meta() const;

  /// The counters of the start structure's relaxation and check, spent before the first step
  /// (PesEnv::reset): load() adds them to the steps' own. Commits the start's minimum.
  void start_done(const PesCounters& counters);

  void minimum_found(const MinimumRecord& record) override;
  void transition(const Transition& transition, const MinimaRegistry& registry) override;
  /// Stored as meta.position "STEP ID", so that a resume starts where basin hopping went back to.
  void moved_to(int minimum_id, long step) override;

  /// Everything stored, to resume: the registry (with the given same-minimum options), the transitions,
  /// the current minimum (the one the last successful step reached, or a later moved_to), and the
  /// counters.
  struct Loaded {
    MinimaRegistry registry;
    std::vector<Transition> transitions;
    int current_id = 0;
    PesCounters counters;
  };
  Loaded load(const SameMinimumOptions& options) const;

  const std::string& path() const { return db_.path(); }

 private:
  void begin_step();   // opens the transaction of the current step (or the start) unless open
  void commit_step();
  SqliteDatabase db_;
  bool step_open_ = false;
};

}  // namespace equimol::envs
