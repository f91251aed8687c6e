// DesignEnv: formulas and tasks, MolGym's reward and validity rules on GFN2-xTB, episodes, seeding,
// observations and state, and a small random campaign with its outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "chem/errors.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xtb_calculator.h"
#include "envs/design_agents.h"
#include "envs/design_campaign.h"
#include "envs/design_env.h"
#include "envs/design_export.h"
#include "envs/design_store.h"
#include "envs/formula.h"
#include "test_support.h"

namespace equimol::envs {
namespace {

constexpr double kEnergyTolEv = 1e-5;  // xtb SCF energies repeat to ~1e-7 Eh; well inside this

std::string error_of(const std::string& formula) {
  try {
    parse_formula(formula);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Formula, ParsesCountsAndRepeats) {
  EXPECT_EQ(parse_formula("CH3NO"), (Bag{{1, 3}, {6, 1}, {7, 1}, {8, 1}}));
  EXPECT_EQ(parse_formula("C2H2O2"), (Bag{{1, 2}, {6, 2}, {8, 2}}));
  EXPECT_EQ(parse_formula("CH3CH2OH"), (Bag{{1, 6}, {6, 2}, {8, 1}}));
  EXPECT_EQ(parse_formula("SOF4"), (Bag{{8, 1}, {9, 4}, {16, 1}}));
  EXPECT_EQ(parse_formula("Cl2"), (Bag{{17, 2}}));
  EXPECT_EQ(parse_formula("Co"), (Bag{{27, 1}}));            // cobalt, not CO
  EXPECT_EQ(parse_formula("CO"), (Bag{{6, 1}, {8, 1}}));     // case-sensitive
  EXPECT_EQ(bag_size(parse_formula("C7H10O2")), 19);
  EXPECT_EQ(formula_of(parse_formula("ONH3C")), "CH3NO");
  EXPECT_EQ(electron_count(parse_formula("H2O")), 10);
}

TEST(Formula, ErrorsNameTheFormulaAndTheProblem) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("   ").find("empty"), std::string::npos);
  EXPECT_NE(error_of("Xx2").find("unknown element 'Xx'"), std::string::npos);
  EXPECT_NE(error_of("CL").find("unknown element 'L'"), std::string::npos);
  EXPECT_NE(error_of("C0").find("malformed count '0'"), std::string::npos);
  EXPECT_NE(error_of("C02").find("malformed count"), std::string::npos);
  EXPECT_NE(error_of("2H").find("follows no element"), std::string::npos);
  EXPECT_NE(error_of("h2o").find("unexpected character 'h'"), std::string::npos);
  EXPECT_NE(error_of("H2O-").find("unexpected character '-'"), std::string::npos);
  EXPECT_NE(error_of("C(H3)").find("unexpected character '('"), std::string::npos);
  EXPECT_NE(error_of("C1001").find("exceeds"), std::string::npos);
  EXPECT_NE(error_of("Xx2").find("formula 'Xx2'"), std::string::npos);
  EXPECT_EQ(error_of("H2O"), "");
}

TEST(Formula, ListsAndValenceParity) {
  const auto bags = parse_formula_list("H2O, CHN ,C2N2");
  ASSERT_EQ(bags.size(), 3u);
  EXPECT_EQ(formula_of(bags[1]), "CHN");
  EXPECT_THROW(parse_formula_list("H2O,,CHN"), InputError);
  EXPECT_THROW(parse_formula_list(""), InputError);
  EXPECT_THROW(parse_formula_list("H2O,Qq"), InputError);
  EXPECT_EQ(parse_formula_list(kMultiBag).size(), 11u);
  EXPECT_EQ(total_valence(parse_formula("CH3NO")), 4 + 3 + 3 + 2);
  EXPECT_TRUE(has_even_valence(parse_formula("CH4O")));
  EXPECT_FALSE(has_even_valence(parse_formula("CH3")));
  EXPECT_FALSE(has_even_valence(parse_formula("NO")));
  EXPECT_THROW(total_valence(parse_formula("Fe")), InputError);
}

TEST(DesignTask, DrawsAreSeededAndStochasticBagsHaveEvenValence) {
  const DesignTask multi = DesignTask::from_formulas(kMultiBag);
  EXPECT_EQ(multi.kind, DesignTaskKind::kMulti);
  Rng a(5), b(5);
  std::set<std::string> drawn;
  for (int k = 0; k < 50; ++k) {
    const Bag bag = multi.draw(a);
    EXPECT_EQ(bag, multi.draw(b));
    drawn.insert(formula_of(bag));
  }
  EXPECT_GE(drawn.size(), 8u);  // 11 bags, 50 uniform draws
  const DesignTask stochastic = DesignTask::stochastic(parse_formula("C7H8N2O2"), 10, 19);
  stochastic.check();
  EXPECT_EQ(stochastic.max_bag_size(), 19);
  std::set<int> sizes;
  for (int k = 0; k < 200; ++k) {
    const Bag bag = stochastic.draw(a);
    EXPECT_TRUE(has_even_valence(bag)) << formula_of(bag);
    EXPECT_GE(bag_size(bag), 10);
    EXPECT_LE(bag_size(bag), 19);
    sizes.insert(bag_size(bag));
    for (const auto& [z, count] : bag) EXPECT_TRUE(z == 1 || z == 6 || z == 7 || z == 8);
  }
  EXPECT_GE(sizes.size(), 8u);
  EXPECT_THROW(DesignTask::stochastic(parse_formula("CH4"), 5, 3).check(), InputError);
  EXPECT_THROW(DesignTask::stochastic(parse_formula("FeH2"), 3, 5).check(), InputError);
}

// H, F, Cl and Br must each land near another kind of atom (MolGym's rule): a bag of them alone can
// never be completed and is refused up front; a lone atom of them is a complete (if dull) molecule.
TEST(DesignTask, BagsOfOnlyHydrogenAndHalogensAreRefused) {
  for (const char* formula : {"HF", "H2", "HCl,H2O", "Cl2"}) {
    EXPECT_THROW(DesignTask::from_formulas(formula).check(), InputError) << formula;
  }
  EXPECT_THROW(DesignTask::stochastic(parse_formula("HF"), 2, 4).check(), InputError);
  // Proportions with a heavy atom can still draw H2 (even valence): such draws are redrawn.
  const DesignTask small = DesignTask::stochastic(parse_formula("CH4"), 2, 2);
  Rng rng(3);
  for (int k = 0; k < 50; ++k) EXPECT_NE(formula_of(small.draw(rng)), "H2");
  EXPECT_NO_THROW(DesignTask::from_formulas("F").check());
  EXPECT_NO_THROW(DesignTask::from_formulas("CH3F,H2O").check());
}

DesignEnvOptions options_for(const std::string& formula) {
  DesignEnvOptions o;
  o.task = DesignTask::from_formulas(formula);
  return o;
}

TEST(DesignEnv, OptionsAreChecked) {
  DesignEnvOptions o = options_for("C7H10O2");
  o.canvas_size = 10;
  try {
    DesignEnv env(o);
    FAIL() << "a 19-atom bag fits no 10-atom canvas";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("19"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("10"), std::string::npos) << e.what();
  }
  o = options_for("H2O");
  o.method = "gfnff";
  EXPECT_THROW(DesignEnv{o}, InputError);
  o = options_for("H2O");
  o.min_reward_hartree = 0.1;
  EXPECT_THROW(DesignEnv{o}, InputError);
}

double energy(XtbCalculator& calculator, Atoms atoms) {
  atoms.uhf = lowest_uhf(atoms.numbers);
  const Results& r = calculator.calculate(atoms, Property::kEnergy);
  EXPECT_TRUE(r.ok) << r.error;
  return r.energy;
}

// Median of three fresh calculators: xtb now and then returns a lone H atom 1 Eh too high (design_env.cpp).
double atom_energy(XtbCalculator& /*calculator*/, int z) {
  std::vector<double> energies;
  for (int k = 0; k < 3; ++k) {
    XtbCalculator fresh;
    energies.push_back(energy(fresh, Atoms({z}, Positions::Zero(1, 3))));
  }
  std::sort(energies.begin(), energies.end());
  return energies[1];
}

// Formaldehyde placed atom by atom: each reward is E(canvas) + E(atom) - E(canvas + atom), every energy
// recomputed here with a fresh XtbCalculator (charge 0, lowest spin), and the first atom is free.
TEST(DesignEnv, RewardIsTheEnergyReleasedByEachPlacement) {
  DesignEnv env(options_for("CH2O"));
  XtbCalculator xtb;
  EXPECT_NEAR(env.atom_energy_ev(6), atom_energy(xtb, 6), kEnergyTolEv);
  const ResetResult start = env.reset(0);
  const auto& first_obs = std::get<GraphObservation>(start.obs);
  EXPECT_TRUE(first_obs.atomic_numbers.empty());
  EXPECT_EQ(first_obs.globals, (std::vector<double>{2, 1, 1}));  // H, C, O

  const std::vector<std::pair<int, Eigen::RowVector3d>> placements = {
      {6, {4.0, -2.0, 1.0}},  // the first atom lands at the origin whatever the action says
      {8, {0.0, 0.0, 1.21}},
      {1, {0.94, 0.0, -0.55}},
      {1, {-0.94, 0.0, -0.55}}};
  Atoms canvas;
  canvas.positions.resize(0, 3);
  for (size_t k = 0; k < placements.size(); ++k) {
    const auto& [z, position] = placements[k];
    const StepResult step = env.step(place_action(z, position));
    Atoms next = canvas;
    next.numbers.push_back(z);
    next.positions.conservativeResize(next.size(), 3);
    next.positions.row(next.size() - 1) = k == 0 ? Eigen::RowVector3d::Zero() : position;
    const double e_canvas = canvas.size() == 0 ? 0.0 : energy(xtb, canvas);
    const double expected = e_canvas + atom_energy(xtb, z) - energy(xtb, next);
    EXPECT_NEAR(step.reward, expected, kEnergyTolEv) << "placement " << k;
    if (k == 0) {
      EXPECT_EQ(step.reward, 0.0);
    }
    EXPECT_NEAR(step.info.values.at("reward_hartree"), step.reward * units::kEvToHartree, 1e-12);
    EXPECT_EQ(step.terminated, k + 1 == placements.size());
    EXPECT_EQ(env.last_outcome(), DesignOutcome::kPlaced);
    canvas = next;
  }
  EXPECT_TRUE(env.canvas().positions.isApprox(canvas.positions));
  EXPECT_GT(env.counters().calculations, 0);
}

// A relaxed molecule placed atom by atom earns exactly its atomisation energy.
class KnownMolecule : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(KnownMolecule, EpisodeReturnIsTheAtomisationEnergy) {
  const auto& [smiles, formula] = GetParam();
  XtbCalculator xtb;
  Atoms molecule = atoms_from_smiles(smiles);
  molecule.uhf = lowest_uhf(molecule.numbers);
  const OptimizeResult relaxed = Lbfgs(OptimizerOptions{0.01, 500, 0.2}).run(xtb, molecule);
  ASSERT_TRUE(relaxed.ok && relaxed.converged);
  double atomisation = -relaxed.energy;
  for (int z : relaxed.atoms.numbers) atomisation += atom_energy(xtb, z);

  DesignEnv env(options_for(formula));
  env.reset(1);
  // Heavy atoms first (hydrogens need a heavy neighbour within 2 Å), frame anchored on the first atom.
  std::vector<int> order;
  for (int i = 0; i < relaxed.atoms.size(); ++i) if (relaxed.atoms.numbers[i] != 1) order.push_back(i);
  for (int i = 0; i < relaxed.atoms.size(); ++i) if (relaxed.atoms.numbers[i] == 1) order.push_back(i);
  const Eigen::RowVector3d origin = relaxed.atoms.positions.row(order.front());
  double episode_return = 0.0;
  StepResult step;
  for (int i : order) {
    step = env.step(place_action(relaxed.atoms.numbers[i], relaxed.atoms.positions.row(i) - origin));
    episode_return += step.reward;
    ASSERT_EQ(env.last_outcome(), DesignOutcome::kPlaced) << "atom " << i;
  }
  EXPECT_TRUE(step.terminated);
  EXPECT_TRUE(env.bag().empty());
  ASSERT_TRUE(step.info.episode.has_value());
  EXPECT_NEAR(step.info.episode->episode_return, episode_return, 1e-9);
  EXPECT_NEAR(episode_return, atomisation, 1e-4);
  EXPECT_GT(episode_return, 5.0);  // eV: every one of these is a bound molecule

  const DesignedMolecule m = assess_canvas(env, 0, episode_return, static_cast<int>(order.size()), env.last_outcome());
  EXPECT_TRUE(m.valid);
  EXPECT_EQ(m.smiles, canonicalize_smiles(smiles));
  EXPECT_EQ(m.formula, formula);
}

INSTANTIATE_TEST_SUITE_P(Gfn2, KnownMolecule,
                         ::testing::Values(std::make_pair("O", "H2O"), std::make_pair("C=O", "CH2O"),
                                           std::make_pair("NC=O", "CH3NO")));

TEST(DesignEnv, TooCloseIsInvalidNotPlacedAndEnds) {
  DesignEnv env(options_for("CH4O"));
  env.reset(0);
  env.step(place_action(6, Eigen::RowVector3d::Zero()));
  const StepResult step = env.step(place_action(8, Eigen::RowVector3d(0.0, 0.59, 0.0)));
  EXPECT_NEAR(step.reward, -0.6 * units::kHartreeToEv, 1e-12);
  EXPECT_NEAR(step.info.values.at("reward_hartree"), -0.6, 1e-12);
  EXPECT_TRUE(step.terminated);
  EXPECT_EQ(env.canvas().size(), 1);
  EXPECT_EQ(env.bag().at(8), 1);
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kTooClose);
  EXPECT_EQ(step.info.values.at("invalid"), 1.0);
  EXPECT_EQ(step.info.values.at("too_close"), 1.0);
}

TEST(DesignEnv, LoneHydrogenFarAwayIsInvalid) {
  DesignEnv env(options_for("H2O"));
  env.reset(0);
  env.step(place_action(8, Eigen::RowVector3d::Zero()));
  const StepResult far = env.step(place_action(1, Eigen::RowVector3d(2.01, 0.0, 0.0)));
  EXPECT_NEAR(far.reward, -0.6 * units::kHartreeToEv, 1e-12);
  EXPECT_TRUE(far.terminated);
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kIsolated);
  EXPECT_EQ(env.canvas().size(), 1);
  EXPECT_EQ(env.counters().isolated, 1);

  // MolGym's rule: another H does not cover an H; only an atom of another kind does.
  env.reset();
  EXPECT_EQ(env.step(place_action(1, Eigen::RowVector3d::Zero())).reward, 0.0);  // the first atom may be H
  const StepResult h2 = env.step(place_action(1, Eigen::RowVector3d(0.74, 0.0, 0.0)));
  EXPECT_TRUE(h2.terminated);
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kIsolated);

  env.reset();
  env.step(place_action(8, Eigen::RowVector3d::Zero()));
  const StepResult near = env.step(place_action(1, Eigen::RowVector3d(1.99, 0.0, 0.0)));
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kPlaced);  // bound weakly, but placed
  EXPECT_FALSE(near.terminated);
}

TEST(DesignEnv, ElementNotInTheBagIsInvalid) {
  DesignEnv env(options_for("H2O"));
  env.reset(0);
  env.step(place_action(8, Eigen::RowVector3d::Zero()));
  const StepResult step = env.step(place_action(8, Eigen::RowVector3d(1.5, 0.0, 0.0)));  // the only O is placed
  EXPECT_TRUE(step.terminated);
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kNotInBag);
  EXPECT_EQ(env.counters().not_in_bag, 1);
}

// Two oxygens 0.62 Å apart: the repulsion costs more than 0.6 Eh; the reward is clipped, the atom stays.
TEST(DesignEnv, RewardBelowTheFloorIsClippedAndEnds) {
  DesignEnv env(options_for("O2H2"));
  env.reset(0);
  env.step(place_action(8, Eigen::RowVector3d::Zero()));
  const StepResult step = env.step(place_action(8, Eigen::RowVector3d(0.62, 0.0, 0.0)));
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kClipped);
  EXPECT_NEAR(step.reward, -0.6 * units::kHartreeToEv, 1e-12);
  EXPECT_TRUE(step.terminated);
  EXPECT_EQ(env.canvas().size(), 2);
  EXPECT_EQ(step.info.values.at("clipped"), 1.0);
  EXPECT_EQ(step.info.values.at("invalid"), 0.0);
}

// The bag's last atom clipped: the bag is empty and the placement was not invalid, but the molecule is
// not complete (its return is the floor, not its atomisation energy) and so not valid.
TEST(DesignCampaign, AClippedLastAtomIsNoCompleteMolecule) {
  DesignEnv env(options_for("O2"));
  env.reset(0);
  env.step(place_action(8, Eigen::RowVector3d::Zero()));
  const StepResult step = env.step(place_action(8, Eigen::RowVector3d(0.62, 0.0, 0.0)));
  ASSERT_EQ(env.last_outcome(), DesignOutcome::kClipped);
  ASSERT_TRUE(env.bag().empty());
  const DesignedMolecule m = assess_canvas(env, 0, step.reward, 2, env.last_outcome());
  EXPECT_FALSE(m.complete);
  EXPECT_EQ(m.ending, "clipped");
  EXPECT_FALSE(m.valid);
}

TEST(DesignEnv, FocusActionPlacesAlongTheDirection) {
  Atoms canvas({6, 8}, (Positions(2, 3) << 0, 0, 0, 0, 0, 1.2).finished());
  const auto values = std::get<std::vector<double>>(focus_action(canvas, 1, 1, 1.0, Eigen::RowVector3d(0, 3, 0)));
  EXPECT_EQ(values, (std::vector<double>{1, 0, 1, 1.2}));
  const auto first = std::get<std::vector<double>>(focus_action(Atoms(), 7, 6, 1.5, Eigen::RowVector3d(1, 0, 0)));
  EXPECT_EQ(first, (std::vector<double>{6, 0, 0, 0}));
  EXPECT_THROW(focus_action(canvas, 2, 1, 1.0, Eigen::RowVector3d(1, 0, 0)), std::invalid_argument);
  EXPECT_THROW(focus_action(canvas, 0, 1, 1.0, Eigen::RowVector3d::Zero()), std::invalid_argument);
}

std::vector<double> random_episode_rewards(DesignEnv& env, RandomDesigner& agent) {
  std::vector<double> rewards;
  for (bool done = false; !done;) {
    const StepResult step = env.step(agent.act(env));
    rewards.push_back(step.reward);
    done = step.terminated || step.truncated;
  }
  return rewards;
}

TEST(DesignEnv, OneSeedReproducesBagsAndEpisodes) {
  auto run = [](std::uint64_t seed) {
    DesignEnv env(options_for("H2O,CHN,CH2O,CH4"));
    RandomDesigner agent(seed + 1);
    std::vector<std::string> trace;
    env.reset(seed);
    for (int episode = 0; episode < 6; ++episode) {
      if (episode > 0) env.reset();
      std::ostringstream line;
      line << formula_of(env.episode_bag());
      for (double r : random_episode_rewards(env, agent)) line << " " << r;
      trace.push_back(line.str());
    }
    return trace;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(DesignEnv, StateRoundTripsAndObservationShowsTheBag) {
  DesignEnv env(options_for("CH4O"));
  env.reset(3);
  env.step(place_action(6, Eigen::RowVector3d::Zero()));
  env.step(place_action(8, Eigen::RowVector3d(1.43, 0.0, 0.0)));
  const Observation obs = env.observe();
  const auto& graph = std::get<GraphObservation>(obs);
  EXPECT_EQ(graph.atomic_numbers, (std::vector<int>{6, 8}));
  EXPECT_EQ(graph.globals, (std::vector<double>{4, 0, 0}));  // H, C, O left
  EXPECT_EQ(graph.positions_angstrom.size(), 6u);
  const auto& space = std::get<GraphSpace>(env.observation_space());
  EXPECT_EQ(space.max_atoms, 25);
  EXPECT_EQ(space.elements, (std::vector<int>{1, 6, 8}));

  DesignEnv other(options_for("CH4O"));
  other.reset(0);
  other.set_state(env.state());
  EXPECT_EQ(other.canvas().numbers, env.canvas().numbers);
  EXPECT_EQ(other.bag(), env.bag());
  EXPECT_NEAR(other.canvas_energy_ev(), env.canvas_energy_ev(), kEnergyTolEv);
  const StepResult a = env.step(place_action(1, Eigen::RowVector3d(-0.5, 0.9, 0.0)));
  const StepResult b = other.step(place_action(1, Eigen::RowVector3d(-0.5, 0.9, 0.0)));
  EXPECT_NEAR(a.reward, b.reward, kEnergyTolEv);
}

// A molecule as the store reads it back: every field, positions to the 1e-10 Å of the XYZ text.
void expect_same_molecule(const DesignedMolecule& stored, const DesignedMolecule& found) {
  SCOPED_TRACE("episode " + std::to_string(found.episode));
  EXPECT_EQ(stored.episode, found.episode);
  EXPECT_EQ(stored.formula, found.formula);
  EXPECT_EQ(stored.smiles, found.smiles);
  EXPECT_EQ(stored.ending, found.ending);
  EXPECT_EQ(std::make_tuple(stored.valid, stored.complete, stored.sanitized, stored.fragments, stored.steps, stored.radical_electrons),
            std::make_tuple(found.valid, found.complete, found.sanitized, found.fragments, found.steps, found.radical_electrons));
  EXPECT_EQ(stored.return_ev, found.return_ev);
  EXPECT_EQ(stored.energy_ev, found.energy_ev);
  EXPECT_EQ(stored.graph, found.graph);
  EXPECT_EQ(stored.atoms.numbers, found.atoms.numbers);
  EXPECT_EQ(stored.atoms.charge, found.atoms.charge);
  if (found.atoms.size() > 0) {
    EXPECT_LT((stored.atoms.positions - found.atoms.positions).cwiseAbs().maxCoeff(), 1e-9);
  }
  ASSERT_EQ(stored.relaxed.has_value(), found.relaxed.has_value());
  if (!found.relaxed) return;
  const RelaxedMolecule &a = *stored.relaxed, &b = *found.relaxed;
  EXPECT_EQ(std::make_tuple(a.energy_ev, a.atomization_ev, a.smiles, a.valid, a.converged, a.radical_electrons),
            std::make_tuple(b.energy_ev, b.atomization_ev, b.smiles, b.valid, b.converged, b.radical_electrons));
  EXPECT_EQ(a.graph, b.graph);
  EXPECT_LT((a.atoms.positions - b.atoms.positions).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(DesignCampaign, RandomCampaignStoresAndExportsWhatItFinds) {
  testing::TempDir dir;
  DesignEnv env(options_for("CH4O"));
  RandomDesigner agent(2);
  DesignStore store(dir.file("design.sqlite"));
  DesignCampaignOptions options;
  options.episodes = 30;
  options.seed = 1;
  long reported = 0;
  const auto molecules = run_design_campaign(env, agent, options, &store, [&](long done, const DesignedMolecule&) {
    EXPECT_EQ(done, ++reported);
    EXPECT_EQ(store.count(), done);  // written as found
  });
  ASSERT_EQ(molecules.size(), 30u);
  const DesignSummary summary = summarize(molecules);
  EXPECT_EQ(summary.episodes, 30);
  long valid = 0;
  for (const auto& m : molecules) {
    valid += m.valid;
    if (m.valid) {
      EXPECT_TRUE(m.complete);
      EXPECT_EQ(m.fragments, 1);
      EXPECT_EQ(m.radical_electrons, 0);  // CH4O has an even electron count
      EXPECT_EQ(m.atoms.size(), 6);
    }
    if (!m.complete) {
      EXPECT_NE(m.ending, "complete");
    }
  }
  EXPECT_EQ(summary.valid, valid);
  // The store reads back what was found: a resumed campaign ranks and exports it with its new molecules.
  const std::vector<DesignedMolecule> stored = store.load();
  ASSERT_EQ(stored.size(), molecules.size());
  for (size_t k = 0; k < stored.size(); ++k) expect_same_molecule(stored[k], molecules[k]);
  for (size_t k = 1; k < summary.best_distinct.size(); ++k) {
    EXPECT_GE(summary.best_distinct[k - 1]->score_ev(), summary.best_distinct[k]->score_ev());
    EXPECT_NE(summary.best_distinct[k - 1]->smiles, summary.best_distinct[k]->smiles);
  }
  export_design(summary, dir.path().string());
  for (const char* file : {"molecules.sdf", "molecules.extxyz", "top.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.file(file))) << file;
  }
  std::ifstream svg(dir.file("top.svg"));
  const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
}

// An episode whose first placement was invalid leaves an empty canvas: stored and read back as such.
TEST(DesignStore, EmptyCanvasRoundTrips) {
  testing::TempDir dir;
  DesignStore store(dir.file("design.sqlite"));
  DesignedMolecule empty;
  empty.episode = 3;
  empty.formula = "CH4O";
  empty.ending = "not-in-bag";
  empty.steps = 1;
  empty.return_ev = -16.3;
  store.molecule_designed(empty);
  const auto stored = store.load();
  ASSERT_EQ(stored.size(), 1u);
  expect_same_molecule(stored.front(), empty);
  EXPECT_EQ(stored.front().atoms.size(), 0);
}

// A campaign resumed at episode k runs episodes k .. N - 1 into the same store, seeded as documented
// (stream_seed(seed, k)); relaxed molecules round-trip through the store too.
TEST(DesignCampaign, ResumedCampaignAddsItsEpisodesAndRelaxedMoleculesRoundTrip) {
  testing::TempDir dir;
  DesignEnv env(options_for("CH4O"));
  DesignStore store(dir.file("design.sqlite"));
  DesignCampaignOptions options;
  options.episodes = 6;
  options.seed = 4;
  options.relax = true;
  RandomDesigner agent(5);
  std::vector<DesignedMolecule> molecules = run_design_campaign(env, agent, options, &store);
  options.first_episode = 6;
  options.episodes = 9;
  EXPECT_EQ(stream_seed(4, 0), 4u);  // a campaign that is not resumed keeps the streams it always had
  RandomDesigner resumed_agent(stream_seed(4, 6) + 1);
  std::vector<long> reported;
  const auto added = run_design_campaign(env, resumed_agent, options, &store,
                                         [&](long done, const DesignedMolecule&) { reported.push_back(done); });
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(reported, (std::vector<long>{7, 8, 9}));
  EXPECT_EQ(added.front().episode, 6);
  molecules.insert(molecules.end(), added.begin(), added.end());
  const std::vector<DesignedMolecule> stored = store.load();
  ASSERT_EQ(stored.size(), 9u);
  long relaxed = 0;
  for (size_t k = 0; k < stored.size(); ++k) {
    expect_same_molecule(stored[k], molecules[k]);
    relaxed += molecules[k].relaxed.has_value();
  }
  EXPECT_GT(relaxed, 0);  // complete molecules were relaxed, so the relaxed columns were exercised

  // The resumed episodes are those of a fresh campaign seeded so (the env's stream restarts there).
  DesignEnv fresh_env(options_for("CH4O"));
  RandomDesigner fresh_agent(stream_seed(4, 6) + 1);
  DesignCampaignOptions fresh;
  fresh.episodes = 3;
  fresh.seed = stream_seed(4, 6);
  fresh.relax = true;
  const auto again = run_design_campaign(fresh_env, fresh_agent, fresh);
  for (size_t k = 0; k < again.size(); ++k) {
    EXPECT_EQ(again[k].smiles, added[k].smiles);
    EXPECT_EQ(again[k].return_ev, added[k].return_ev);
  }
}

// CH3 and OH 3 Å apart, two radicals coupled to a singlet: GFN2's SCF does not converge in 250 cycles.
// That is an invalid placement (MolGym did not handle it): not placed, min reward, counted, episode over.
TEST(DesignEnv, ScfFailureIsInvalidAndCounted) {
  DesignEnv env(options_for("CH4O"));
  env.reset(0);
  env.step(place_action(6, Eigen::RowVector3d::Zero()));
  env.step(place_action(1, Eigen::RowVector3d(1.09, 0, 0)));
  env.step(place_action(1, Eigen::RowVector3d(-0.36, 1.03, 0)));
  env.step(place_action(1, Eigen::RowVector3d(-0.36, -0.51, 0.89)));
  env.step(place_action(8, Eigen::RowVector3d(0, 0, -3.0)));
  const StepResult last = env.step(place_action(1, Eigen::RowVector3d(0, 0, -3.97)));
  EXPECT_EQ(env.last_outcome(), DesignOutcome::kScfFailure);
  EXPECT_TRUE(last.terminated);
  EXPECT_NEAR(last.reward, env.min_reward_ev(), 1e-12);
  EXPECT_EQ(last.info.values.at("scf_failures"), 1.0);
  EXPECT_EQ(env.canvas().size(), 5);
  const DesignedMolecule m = assess_canvas(env, 0, 0.0, 6, env.last_outcome());
  EXPECT_FALSE(m.complete);
  EXPECT_EQ(m.ending, "scf-failure");
  EXPECT_FALSE(m.valid);
}

// Bond perception must pair every electron it can: singlet methylene (CH2, 8 electrons) keeps two
// radical electrons on C and is no valid design; the methyl radical (9 electrons) has the one it must.
TEST(DesignCampaign, LeftoverRadicalsAreInvalid) {
  const Atoms ch2({6, 1, 1}, (Positions(3, 3) << 0, 0, 0, 1.1, 0, 0, -0.3, 1.05, 0).finished());
  const BondGraph two_bonds{3, {{0, 1}, {0, 2}}};
  EXPECT_TRUE(passes_sanitization(ch2, two_bonds));  // RDKit alone accepts the carbene
  EXPECT_FALSE(is_valid_molecule(ch2, two_bonds));
  const Atoms ch3({6, 1, 1, 1}, (Positions(4, 3) << 0, 0, 0, 1.08, 0, 0, -0.54, 0.94, 0, -0.54, -0.94, 0).finished(), 0, 1);
  EXPECT_TRUE(is_valid_molecule(ch3, BondGraph{4, {{0, 1}, {0, 2}, {0, 3}}}));
  const Atoms water({8, 1, 1}, (Positions(3, 3) << 0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0).finished());
  EXPECT_TRUE(is_valid_molecule(water, BondGraph{3, {{0, 1}, {0, 2}}}));
  EXPECT_FALSE(is_valid_molecule(water, BondGraph{3, {{0, 1}}}));  // two fragments
}

// Four bonds make N an ammonium (+1). Neutral NH4 (9 electrons, a radical) read so would be a valid,
// closed-shell [NH4+]; the perceived charges must add up to the molecule's charge.
TEST(DesignCampaign, PerceivedChargesMustAddUpToTheMoleculesCharge) {
  const Positions tetrahedron = (Positions(5, 3) << 0, 0, 0, 0.6, 0.6, 0.6, -0.6, -0.6, 0.6, -0.6, 0.6, -0.6, 0.6,
                                 -0.6, -0.6).finished();
  const BondGraph four_bonds{5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}};
  EXPECT_FALSE(is_valid_molecule(Atoms({7, 1, 1, 1, 1}, tetrahedron), four_bonds));
  EXPECT_TRUE(is_valid_molecule(Atoms({7, 1, 1, 1, 1}, tetrahedron, 1, 0), four_bonds));  // the cation
}

// Water and ammonia 3 Å apart: the bag is empty and no placement was invalid, but two fragments are no
// molecule. (N goes second: a lone N beside water is a doublet whose SCF converges; a lone O is not.)
TEST(DesignCampaign, AssessmentOfAFragmentedCanvasIsInvalid) {
  DesignEnv env(options_for("H5NO"));
  env.reset(0);
  const std::vector<std::pair<int, Eigen::RowVector3d>> atoms = {
      {8, {0, 0, 0}},       {1, {0.96, 0, 0}},       {1, {-0.24, 0.93, 0}},
      {7, {0, 0, -3.0}},    {1, {0.94, 0, -3.35}},   {1, {-0.47, 0.82, -3.35}}, {1, {-0.47, -0.82, -3.35}}};
  StepResult last;
  for (const auto& [z, position] : atoms) {
    last = env.step(place_action(z, position));
    ASSERT_EQ(env.last_outcome(), DesignOutcome::kPlaced) << to_string(env.last_outcome());
  }
  ASSERT_TRUE(last.terminated);
  const DesignedMolecule m = assess_canvas(env, 0, 0.0, 7, env.last_outcome());
  EXPECT_TRUE(m.complete) << m.ending;
  EXPECT_EQ(m.fragments, 2);
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.smiles, "N.O");
}

}  // namespace
}  // namespace equimol::envs
