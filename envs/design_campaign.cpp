#include "envs/design_campaign.h"

#include <algorithm>
#include <numeric>
#include <cmath>
#include <set>
#include <stdexcept>

#include "chem/bond_orders.h"
#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xtb_calculator.h"
#include "chem/xyz_io.h"

namespace equimol::envs {
namespace {

int radical_electrons(const Atoms& atoms, const BondGraph& graph) {
  const auto radicals = assign_bond_orders(atoms.numbers, graph, atoms.charge).radicals;
  return std::accumulate(radicals.begin(), radicals.end(), 0);
}

double atomization_ev(const DesignEnv& env, const Atoms& atoms, double energy_ev) {
  double atoms_alone = 0.0;
  for (int z : atoms.numbers) atoms_alone += env.atom_energy_ev(z);
  return atoms_alone - energy_ev;
}

RelaxedMolecule relax(const DesignEnv& env, Calculator& calculator, const Atoms& start, const OptimizerOptions& options) {
  RelaxedMolecule out;
  const OptimizeResult result = Lbfgs(options).run(calculator, start);
  out.atoms = result.ok ? result.atoms : start;
  out.converged = result.ok && result.converged;
  if (!result.ok) return out;  // SCF failure on the way: not valid
  const Results& r = calculator.calculate(out.atoms, Property::kEnergy | Property::kBondOrders);
  if (!r.ok) return out;
  out.energy_ev = r.energy;
  out.atomization_ev = atomization_ev(env, out.atoms, r.energy);
  out.graph = bonds_from_wiberg(r.bond_orders);
  out.smiles = canonical_smiles(out.atoms, out.graph);
  out.radical_electrons = radical_electrons(out.atoms, out.graph);
  out.valid = is_valid_molecule(out.atoms, out.graph);
  return out;
}

}  // namespace

bool is_valid_molecule(const Atoms& atoms, const BondGraph& graph) {
  const BondOrderAssignment perceived = assign_bond_orders(atoms.numbers, graph, atoms.charge);
  const int radicals = std::accumulate(perceived.radicals.begin(), perceived.radicals.end(), 0);
  // Perception gives 4-bonded N and 3-bonded O a + charge; when nothing balances it (a neutral NH4 or
  // H3O radical read as [NH4+] / [OH3+]) the structure is not the molecule whose electrons were counted.
  const int charge = std::accumulate(perceived.formal_charges.begin(), perceived.formal_charges.end(), 0);
  const int forced = lowest_uhf(atoms.numbers);  // an odd electron count leaves one unpaired electron
  return fragment_count(graph) == 1 && charge == atoms.charge && radicals <= forced &&
         passes_sanitization(atoms, graph);
}

void DesignCampaignOptions::check() const {
  if (episodes < 1) throw std::invalid_argument("design campaign: episodes must be >= 1, got " + std::to_string(episodes));
  if (first_episode < 0) {
    throw std::invalid_argument("design campaign: first_episode must be >= 0, got " + std::to_string(first_episode));
  }
  relaxation.check();
}

DesignedMolecule assess_canvas(const DesignEnv& env, long episode, double return_ev, int steps, DesignOutcome last) {
  DesignedMolecule m;
  m.episode = episode;
  m.formula = formula_of(env.episode_bag());
  m.atoms = env.canvas();
  m.return_ev = return_ev;
  m.energy_ev = env.canvas_energy_ev();
  m.steps = steps;
  // A clipped last atom sits where its reward fell below the floor: no molecule, and the return is not
  // its atomisation energy.
  m.complete = env.bag().empty() && !is_invalid(last) && last != DesignOutcome::kClipped;
  m.ending = m.complete ? "complete" : (last == DesignOutcome::kPlaced ? "canvas-full" : to_string(last));
  if (m.atoms.size() == 0) return m;
  m.graph = m.atoms.size() == 1 ? BondGraph{1, {}} : bonds_from_wiberg(env.canvas_bond_orders());
  m.fragments = fragment_count(m.graph);
  m.sanitized = passes_sanitization(m.atoms, m.graph);
  m.smiles = canonical_smiles(m.atoms, m.graph);
  m.radical_electrons = radical_electrons(m.atoms, m.graph);
  m.valid = m.complete && m.sanitized && is_valid_molecule(m.atoms, m.graph);
  m.atoms.info["smiles"] = m.smiles;
  m.atoms.info["episode"] = std::to_string(episode);
  m.atoms.info["return_ev"] = std::to_string(return_ev);
  m.atoms.info["energy"] = fixed_decimals(m.energy_ev, 8);  // eV, as ASE reads extended XYZ
  return m;
}

std::vector<DesignedMolecule> run_design_campaign(DesignEnv& env, DesignPolicy& policy, const DesignCampaignOptions& options,
                                                  DesignObserver* observer,
                                                  const std::function<void(long, const DesignedMolecule&)>& progress) {
  options.check();
  std::unique_ptr<XtbCalculator> relaxer;
  if (options.relax) {
    XtbOptions xtb;
    xtb.method = parse_xtb_method(env.options().method);
    xtb.threads = env.options().xtb_threads;
    relaxer = std::make_unique<XtbCalculator>(xtb);
  }
  std::vector<DesignedMolecule> molecules;
  for (long episode = options.first_episode; episode < options.episodes; ++episode) {
    // One seed at the first reset reproduces every later episode (Gymnasium semantics).
    if (episode == options.first_episode) {
      env.reset(stream_seed(options.seed, options.first_episode));
    } else {
      env.reset();
    }
    double return_ev = 0.0;
    int steps = 0;
    for (bool done = false; !done; ++steps) {
      const StepResult result = env.step(policy.act(env));
      return_ev += result.reward;
      done = result.terminated || result.truncated;
    }
    DesignedMolecule m = assess_canvas(env, episode, return_ev, steps, env.last_outcome());
    if (relaxer && m.complete && m.atoms.size() > 1) m.relaxed = relax(env, *relaxer, m.atoms, options.relaxation);
    if (observer) observer->molecule_designed(m);
    if (progress) progress(episode + 1, m);
    molecules.push_back(std::move(m));
  }
  return molecules;
}

DesignSummary summarize(const std::vector<DesignedMolecule>& molecules) {
  DesignSummary s;
  s.episodes = static_cast<long>(molecules.size());
  std::vector<const DesignedMolecule*> valid;
  double total = 0.0;
  for (const auto& m : molecules) {
    total += m.return_ev;
    if (m.ranked_valid()) valid.push_back(&m);
  }
  s.valid = static_cast<long>(valid.size());
  s.valid_fraction = s.episodes > 0 ? static_cast<double>(s.valid) / s.episodes : 0.0;
  s.mean_return_ev = s.episodes > 0 ? total / s.episodes : 0.0;
  std::stable_sort(valid.begin(), valid.end(),
                   [](const DesignedMolecule* a, const DesignedMolecule* b) { return a->score_ev() > b->score_ev(); });
  std::set<std::string> seen;
  for (const DesignedMolecule* m : valid) {
    if (seen.insert(m->identity()).second) s.best_distinct.push_back(m);
  }
  return s;
}

}  // namespace equimol::envs
