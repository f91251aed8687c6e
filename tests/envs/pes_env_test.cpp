// PesEnv: the Lennard-Jones minima it must find, saddle handling, bond-changing moves, rewards,
// observations, persistence and exports.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "chem/calculator_factory.h"
#include "chem/elements.h"
#include "chem/hessian.h"
#include "chem/lennard_jones.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xyz_io.h"
#include "envs/campaign_store.h"
#include "envs/sqlite_database.h"
#include "envs/env_factory.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"
#include "envs/pes_export.h"
#include "test_support.h"
#include "test_util.h"

namespace equimol::envs {
namespace {

std::vector<double> sorted_energies(const MinimaRegistry& registry) {
  std::vector<double> energies;
  for (const auto& r : registry.records()) energies.push_back(r.minimum.energy);
  std::sort(energies.begin(), energies.end());
  return energies;
}

using testing::lj_options;

class Lj7 : public ::testing::TestWithParam<std::string> {};

TEST_P(Lj7, FindsAllFourMinima) {
  PesEnv env(lj_options(7, 1, 300));
  env.reset(1);
  std::unique_ptr<PesPolicy> policy;
  if (GetParam() == "random") policy = std::make_unique<RandomPerturbation>(2, 0.3);
  if (GetParam() == "basin_hopping") policy = std::make_unique<BasinHopping>(2, 0.8, 0.36);
  run_exploration(env, *policy, 300);
  const std::vector<double> expected = {-16.505384, -15.935043, -15.593211, -15.533060};
  const std::vector<double> found = sorted_energies(env.registry());
  ASSERT_EQ(found.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(found[k], expected[k], 2e-6);
}

INSTANTIATE_TEST_SUITE_P(Baselines, Lj7, ::testing::Values("random", "basin_hopping"));

class Lj8 : public ::testing::TestWithParam<std::string> {};

// Basin hopping at kT = 0.8 ε rarely climbs to LJ8's highest minimum (-18.778 ε) in this budget; the
// random kicks and restarts do, which is the point of the comparison in benchmarks/RESULTS.md.
TEST_P(Lj8, FindsAllEightMinima) {
  PesEnv env(lj_options(8, 5, 1500));
  env.reset(5);
  std::unique_ptr<PesPolicy> policy;
  if (GetParam() == "random") policy = std::make_unique<RandomPerturbation>(6, 0.3);
  if (GetParam() == "random_restart") policy = std::make_unique<RandomRestart>();
  run_exploration(env, *policy, 1500);
  const std::vector<double> found = sorted_energies(env.registry());
  ASSERT_EQ(found.size(), 8u) << GetParam();
  EXPECT_NEAR(found.front(), -19.821489, 2e-6);
  for (size_t k = 1; k < found.size(); ++k) EXPECT_GT(found[k] - found[k - 1], 1e-3);  // all distinct
}

INSTANTIATE_TEST_SUITE_P(Baselines, Lj8, ::testing::Values("random", "random_restart"));

TEST(PesEnv, RewardsNewMinimaOnlyAndCountsWork) {
  PesEnv env(lj_options(7, 1, 50));
  const ResetResult reset = env.reset(3);
  EXPECT_EQ(env.registry().size(), 1);
  EXPECT_EQ(reset.info.values.at("minima"), 1.0);
  RandomPerturbation policy(4, 0.0);
  double total = 0.0;
  for (int k = 0; k < 50; ++k) {
    const int before = env.registry().size();
    const StepResult r = env.step(policy.act(env));
    const bool found_new = env.registry().size() > before;
    EXPECT_DOUBLE_EQ(r.reward, found_new ? env.options().reward.new_minimum : 0.0);
    EXPECT_EQ(r.terminated, k == 49);
    EXPECT_FALSE(r.truncated);
    total += r.reward;
  }
  EXPECT_DOUBLE_EQ(total, env.registry().size() - 1.0);
  EXPECT_GE(env.counters().relaxations, 51);
  EXPECT_EQ(env.counters().gradient_calls, env.calculator().calls());
}

// A calculator of one's own (benchmarks wrap it to record the calls) is the one the env uses: the same
// steps give the same minima and calls as the env's own, and the calls are counted on it.
TEST(PesEnv, UsesACalculatorOfOnesOwnWhenItIsTheMethods) {
  const PesEnvOptions options = lj_options(7, 1, 10);
  PesEnv own(options), given(options, make_calculator("lj"));
  own.reset(3);
  given.reset(3);
  RandomPerturbation a(4, 0.3), b(4, 0.3);
  for (int k = 0; k < 10; ++k) {
    own.step(a.act(own));
    given.step(b.act(given));
  }
  EXPECT_EQ(sorted_energies(given.registry()), sorted_energies(own.registry()));
  EXPECT_EQ(given.counters().gradient_calls, own.counters().gradient_calls);
  EXPECT_EQ(given.calculator().calls(), given.counters().gradient_calls);
  PesEnvOptions xtb = options;
  xtb.method = "gfn2";  // Lennard-Jones is not GFN2: its defaults and units would not match
  EXPECT_THROW(PesEnv(xtb, make_calculator("lj")), std::invalid_argument);
  EXPECT_THROW(PesEnv(options, nullptr), std::invalid_argument);
}

// perturbation() says what a step relaxes: the observed per-atom displacements of the step that
// follows are its `moved`, for kicks, drives and hops alike.
TEST(PesEnv, PerturbationIsWhatTheStepMoves) {
  PesEnv env(lj_options(7, 1, 10));
  env.reset(3);
  Positions push = Positions::Zero(7, 3);
  push(0, 0) = 0.3, push(2, 1) = -0.2;
  for (const Action& action : {kick_action(push), drive_action(7, 1, 4, 2.0), hop_action(7, 5, Eigen::RowVector3d(0, 0, 1))}) {
    const PesEnv::Perturbation p = env.perturbation(action);
    const StepResult r = env.step(action);
    const auto& graph = std::get<GraphObservation>(r.obs);
    for (int k = 0; k < 7; ++k) EXPECT_DOUBLE_EQ(graph.node_features[2 * k + 1], p.moved[k]) << p.label << " atom " << k;
  }
  EXPECT_THROW(env.perturbation(Action(std::vector<double>{0.0})), std::invalid_argument);
}

// A step hint: the note is stored with the transition, and a Hessian guess of the minimum the kick
// leads to makes its relaxation and saddle check cheaper, to the same minimum. Used by one step only.
struct LastAction : PesObserver {
  std::string action;
  void minimum_found(const MinimumRecord&) override {}
  void transition(const Transition& t, const MinimaRegistry&) override { action = t.action; }
};

TEST(PesEnv, AHessianGuessInTheStepHintMakesTheStepCheaper) {
  PesEnvOptions options = lj_options(7, 1, 10);
  options.kick_cap = 4.0;  // σ: the kick moves an atom across the cluster
  PesEnv plain(options), hinted(options);
  LastAction plain_action, hinted_action;
  plain.set_observer(&plain_action);
  hinted.set_observer(&hinted_action);
  plain.reset(3);
  hinted.reset(3);
  const Atoms here = plain.current().minimum.atoms;
  LennardJones lj;
  OptimizerOptions tight;
  tight.fmax = 1e-6;
  // Another minimum, in the env's atom order: an atom hopped across the cluster, relaxed.
  const auto another = [&](const OptimizeResult& r) { return std::abs(r.energy - plain.current().minimum.energy) > 0.01; };
  OptimizeResult target;
  for (int atom = 0; atom < 7 && !(target.converged && another(target)); ++atom) {
    Atoms hopped = here;
    hopped.positions.row(atom) = plain.hop_site(here, atom, here.positions.colwise().mean() - here.positions.row(atom));
    target = Lbfgs(tight).run(lj, hopped);
  }
  ASSERT_TRUE(target.converged && another(target));
  Atoms near = target.atoms;
  for (int i = 0; i < near.positions.size(); ++i) near.positions.data()[i] += 0.003 * std::sin(1.3 * i);
  const Action kick = kick_action(near.positions - here.positions);
  const PesCounters before = plain.counters();
  plain.step(kick);
  hinted.hint_next_step({"near a minimum", numerical_hessian(lj, target.atoms, 1e-3)});
  hinted.step(kick);
  const long plain_calls = plain.counters().gradient_calls - before.gradient_calls;
  const long hinted_calls = hinted.counters().gradient_calls - before.gradient_calls;
  ASSERT_EQ(plain.registry().size(), 2);
  ASSERT_EQ(hinted.registry().size(), 2);
  EXPECT_NEAR(hinted.current().minimum.energy, target.energy, 1e-6);
  EXPECT_NEAR(plain.current().minimum.energy, target.energy, 1e-6);
  EXPECT_LT(2 * hinted_calls, plain_calls) << hinted_calls << " against " << plain_calls;
  EXPECT_LT(hinted.counters().saddle_check_calls, plain.counters().saddle_check_calls);
  EXPECT_EQ(hinted.counters().saddle_checks, plain.counters().saddle_checks);
  EXPECT_EQ(hinted_action.action, "kick (near a minimum)");
  EXPECT_EQ(plain_action.action, "kick");
  // The next step has no hint (the whole hint is used once): no note.
  const Action hop = hop_action(7, 2, Eigen::RowVector3d(0, 1, 0));
  hinted.step(hop);
  EXPECT_EQ(hinted_action.action.find('('), std::string::npos);
  // A guess of the wrong size, or not finite, is refused when hinted, and the env steps on.
  EXPECT_THROW(hinted.hint_next_step({"bad", Eigen::MatrixXd::Identity(3, 3)}), std::invalid_argument);
  EXPECT_THROW(hinted.hint_next_step({"bad", Eigen::MatrixXd::Constant(21, 21, std::nan(""))}), std::invalid_argument);
  hinted.step(hop);
  EXPECT_EQ(hinted_action.action.find('('), std::string::npos);
  // reset() drops a hint meant for the previous episode.
  hinted.hint_next_step({"stale", numerical_hessian(lj, target.atoms, 1e-3)});
  hinted.reset(5);
  hinted.step(hop);
  EXPECT_EQ(hinted_action.action.find("stale"), std::string::npos);
}

// A kick's displacements are cut at max_kick (1 σ), or at kick_cap when it is set.
TEST(PesEnv, KickCapRaisesTheCutOfKicks) {
  PesEnvOptions options = lj_options(7, 1, 10);
  Positions push = Positions::Zero(7, 3);
  push(0, 0) = 3.0;  // σ
  for (const double cap : {0.0, 4.0}) {
    options.kick_cap = cap;
    PesEnv env(options);
    env.reset(3);
    const PesEnv::Perturbation p = env.perturbation(kick_action(push));
    const double kept = cap > 0.0 ? 3.0 : 1.0;  // then 1/7 of it is the centre of mass's (equal masses)
    EXPECT_NEAR(p.moved[0], kept * 6.0 / 7.0, 1e-12) << "kick_cap " << cap;
  }
}

// gradient_call_cost charges every step its gradient calls: a twin env without the cost takes the
// same steps (same calls, same minima) and its rewards differ by exactly cost x calls.
TEST(PesEnv, GradientCallCostChargesEachStepItsCalls) {
  PesEnvOptions options = lj_options(7, 1, 10);
  PesEnv free_env(options);
  options.reward.gradient_call_cost = 0.01;
  PesEnv paying(options);
  free_env.reset(3);
  paying.reset(3);
  Positions push = Positions::Zero(7, 3);
  push(0, 0) = 0.1, push(1, 1) = -0.1;  // a small kick: relaxes back, a revisit that still costs calls
  const std::vector<Action> actions = {kick_action(push), drive_action(7, 0, 3, 2.4), drive_action(7, 1, 5, 0.9)};
  int new_minima = 0;
  for (const Action& action : actions) {
    const long calls_before = paying.counters().gradient_calls;
    const int minima_before = paying.registry().size();
    const StepResult paid = paying.step(action);
    const StepResult free = free_env.step(action);
    const long calls = paying.counters().gradient_calls - calls_before;
    const bool found_new = paying.registry().size() > minima_before;
    new_minima += found_new ? 1 : 0;
    ASSERT_GT(calls, 0);
    EXPECT_EQ(paying.counters().gradient_calls, free_env.counters().gradient_calls);
    EXPECT_DOUBLE_EQ(free.reward, found_new ? 1.0 : 0.0);
    EXPECT_NEAR(paid.reward, (found_new ? 1.0 : 0.0) - 0.01 * static_cast<double>(calls), 1e-12);
  }
  EXPECT_EQ(paying.registry().size(), free_env.registry().size());
  EXPECT_GE(new_minima, 1);  // the drives find at least one new minimum: a reward of 1 - 0.01 x calls
  options.reward.gradient_call_cost = -0.01;
  EXPECT_THROW(PesEnv{options}, std::invalid_argument);
}

TEST(PesEnv, ObservationDescribesTheCurrentMinimum) {
  PesEnv env(lj_options(7, 1, 10));
  const ResetResult reset = env.reset(3);
  const auto& graph = std::get<GraphObservation>(reset.obs);
  ASSERT_EQ(graph.atomic_numbers.size(), 7u);
  ASSERT_EQ(graph.positions_angstrom.size(), 21u);
  ASSERT_EQ(graph.node_features.size(), 14u);
  ASSERT_EQ(graph.globals.size(), 4u);
  EXPECT_DOUBLE_EQ(graph.globals[0], 0.0);  // at the lowest minimum found so far
  EXPECT_DOUBLE_EQ(graph.globals[2], 1.0);  // whole budget left
  const Positions& p = env.current().minimum.atoms.positions;
  EXPECT_EQ(graph.positions_angstrom[4], p(1, 1));
  const StepResult step = env.step(drive_action(7, 0, 3, 2.0));
  const auto& after = std::get<GraphObservation>(step.obs);
  EXPECT_DOUBLE_EQ(after.node_features[2 * 0 + 1], 1.0);  // atom 0 was driven
  EXPECT_DOUBLE_EQ(after.node_features[2 * 1 + 1], 0.0);
  EXPECT_DOUBLE_EQ(after.globals[2], 0.9);
}

TEST(PesEnv, KicksRemoveCentreOfMassMotionAndAreCapped) {
  PesEnvOptions options = lj_options(7, 1, 10);
  options.verify_minima = false;
  PesEnv env(options);
  env.reset(1);
  Positions push = Positions::Zero(7, 3);
  push.col(0).setConstant(5.0);  // a pure translation: removed entirely, so the minimum is revisited
  const StepResult r = env.step(kick_action(push));
  EXPECT_EQ(env.current_id(), 0);
  EXPECT_DOUBLE_EQ(r.reward, 0.0);
}

// Acetaldehyde's methyl group turned 60° from the minimum: the rotational saddle point.
Atoms acetaldehyde_methyl_saddle(const Atoms& relaxed) {
  // Rotate the three methyl hydrogens about the C-C axis by 60°.
  Atoms saddle = relaxed;
  const Eigen::Vector3d c0 = relaxed.positions.row(0).transpose(), c1 = relaxed.positions.row(1).transpose();
  const Eigen::Matrix3d turn = Eigen::AngleAxisd(M_PI / 3.0, (c1 - c0).normalized()).toRotationMatrix();
  const BondGraph graph = bonds_from_covalent_radii(relaxed);
  for (const auto& [i, j] : graph.bonds) {
    const int h = i == 0 && relaxed.numbers[j] == 1 ? j : (j == 0 && relaxed.numbers[i] == 1 ? i : -1);
    if (h >= 0) saddle.positions.row(h) = (turn * (relaxed.positions.row(h).transpose() - c0) + c0).transpose();
  }
  return saddle;
}

TEST(PesEnv, StartOnASaddleIsSentDownhill) {
  // Acetaldehyde with its methyl group turned 60° from the minimum: the rotational saddle point.
  const Atoms minimum_guess = atoms_from_smiles("CC=O", 1);
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = minimum_guess;
  options.verify_minima = false;
  PesEnv plain(options);
  plain.reset(1);
  const Atoms relaxed = plain.current().minimum.atoms;
  const Atoms saddle = acetaldehyde_methyl_saddle(relaxed);
  options.start = saddle;
  options.verify_minima = false;
  PesEnv unverified(options);
  unverified.reset(1);
  EXPECT_GT(unverified.current().minimum.energy - plain.current().minimum.energy, 0.02);  // stuck on the saddle
  options.verify_minima = true;
  PesEnv verified(options);
  verified.reset(1);
  EXPECT_NEAR(verified.current().minimum.energy, plain.current().minimum.energy, 1e-3);
  EXPECT_GE(verified.counters().saddles, 1);
}

// The full-Hessian check (the behaviour before Lanczos) stays available and sends the saddle down as
// well; the default Lanczos check reaches the same minimum for fewer gradient calls per check.
TEST(PesEnv, BothSaddleChecksSendTheSaddleDownhillAndLanczosIsCheaper) {
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = atoms_from_smiles("CC=O", 1);
  options.verify_minima = false;
  PesEnv plain(options);
  plain.reset(1);
  options.start = acetaldehyde_methyl_saddle(plain.current().minimum.atoms);
  options.verify_minima = true;
  std::vector<PesCounters> counters;
  for (SaddleCheck check : {SaddleCheck::kHessian, SaddleCheck::kLanczos}) {
    options.saddle_check = check;
    PesEnv env(options);
    env.reset(1);
    EXPECT_NEAR(env.current().minimum.energy, plain.current().minimum.energy, 1e-3);
    EXPECT_GE(env.counters().saddles, 1);
    EXPECT_EQ(env.counters().gradient_calls, env.calculator().calls());
    counters.push_back(env.counters());
  }
  const int n = options.start.size();
  EXPECT_EQ(counters[0].saddle_check_calls, 6L * n * counters[0].saddle_checks);
  EXPECT_LT(counters[1].saddle_check_calls, 6L * n * counters[1].saddle_checks);
}

TEST(PesEnv, HessianCheckFindsTheSameLj7MinimaAsLanczos) {
  for (SaddleCheck check : {SaddleCheck::kHessian, SaddleCheck::kLanczos}) {
    PesEnvOptions options = lj_options(7, 1, 300);
    options.saddle_check = check;
    PesEnv env(options);
    env.reset(1);
    BasinHopping policy(2, 0.8, 0.36);
    run_exploration(env, policy, 300);
    const std::vector<double> expected = {-16.505384, -15.935043, -15.593211, -15.533060};
    const std::vector<double> found = sorted_energies(env.registry());
    ASSERT_EQ(found.size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(found[k], expected[k], 2e-6);
    ASSERT_GT(env.counters().saddle_checks, 0);
    EXPECT_EQ(env.counters().gradient_calls, env.calculator().calls());
    const long hessian_calls = 6L * 7 * env.counters().saddle_checks;
    if (check == SaddleCheck::kHessian) {
      EXPECT_EQ(env.counters().saddle_check_calls, hessian_calls);
    } else {
      EXPECT_LT(env.counters().saddle_check_calls, hessian_calls);
    }
  }
}

TEST(PesEnv, SaddleCheckIsAnEnvOption) {
  const auto env = make_configured_env("pes", {{"cluster", "lj:7"}, {"saddle_check", "hessian"}}, {}, 1);
  EXPECT_EQ(dynamic_cast<const PesEnv&>(*env).options().saddle_check, SaddleCheck::kHessian);
  const auto lanczos = make_configured_env("pes", {{"cluster", "lj:7"}}, {}, 1);
  EXPECT_EQ(dynamic_cast<const PesEnv&>(*lanczos).options().saddle_check, SaddleCheck::kLanczos);
  EXPECT_THROW(make_configured_env("pes", {{"cluster", "lj:7"}, {"saddle_check", "exact"}}, {}, 1),
               std::invalid_argument);
}

TEST(PesEnv, PolishFmaxIsAnEnvOption) {
  const auto molecule = make_configured_env("pes", {{"smiles", "CC=O"}, {"budget", 2}}, {}, 1);
  EXPECT_EQ(dynamic_cast<const PesEnv&>(*molecule).options().polish_fmax, 0.003);  // eV/Å, the default
  const auto loose = make_configured_env("pes", {{"smiles", "CC=O"}, {"budget", 2}, {"polish_fmax", 0.0}}, {}, 1);
  EXPECT_EQ(dynamic_cast<const PesEnv&>(*loose).options().polish_fmax, 0.0);
  EXPECT_THROW(make_configured_env("pes", {{"smiles", "CC=O"}, {"polish_fmax", 0.5}}, {}, 1),
               std::invalid_argument);  // looser than the relaxation itself
}

// The methyl hydrogens of `atoms` (its only carbon with three H) turned by `degrees` about the C-C axis.
Atoms turn_methyl(const Atoms& atoms, double degrees) {
  const BondGraph graph = bonds_from_covalent_radii(atoms);
  for (int c = 0; c < atoms.size(); ++c) {
    if (atoms.numbers[c] != 6) continue;
    std::vector<int> hydrogens;
    int heavy = -1;
    for (const auto& [i, j] : graph.bonds) {
      const int other = i == c ? j : (j == c ? i : -1);
      if (other < 0) continue;
      if (atoms.numbers[other] == 1) hydrogens.push_back(other);
      else heavy = other;
    }
    if (hydrogens.size() != 3 || heavy < 0) continue;
    const Eigen::Vector3d origin = atoms.positions.row(c).transpose();
    const Eigen::Vector3d axis = (atoms.positions.row(heavy).transpose() - origin).normalized();
    const Eigen::Matrix3d turn = Eigen::AngleAxisd(degrees * M_PI / 180.0, axis).toRotationMatrix();
    Atoms turned = atoms;
    for (int h : hydrogens) turned.positions.row(h) = (turn * (atoms.positions.row(h).transpose() - origin) + origin).transpose();
    return turned;
  }
  return atoms;
}

// Singlet O2 has several SCF solutions, and xtb starts each SCF from the previous structure's: the
// same bond length relaxed from different kicks used to give -215.1596 and -215.1537 eV, two
// "minima" of a diatomic. Registered energies now come from a fresh SCF (calculate_fresh).
TEST(PesEnv, RegisteredEnergiesDoNotDependOnTheScfHistory) {
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = atoms_from_smiles("O=O", 42);
  options.budget = 3;
  PesEnv env(options);
  env.reset(1);
  RandomPerturbation policy(2, 0.3);  // `explore --smiles O=O --agent random --budget 3 --seed 1`
  run_exploration(env, policy, 3, nullptr);
  ASSERT_EQ(env.registry().size(), 1);
  const auto fresh = make_calculator("gfn2");
  const Results& r = fresh->calculate(env.registry().at(0).minimum.atoms);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NEAR(env.registry().at(0).minimum.energy, r.energy, 1e-6);  // eV
}

// Flat modes: the methyl group of (Z)-4-hydroxybut-3-en-2-one turned 35° from its minimum. Its per-H
// forces stay below the loose fmax (0.02 eV/Å) over most of the turn, so the loose relaxation stops on
// the shoulder, 0.35 kcal/mol up, and without polishing registers a second "conformer" (a duplicate
// under CREST's 0.05 kcal/mol test; its softest curvature passes the saddle check). Polished, it is the
// start minimum again, and every registered minimum has max force <= polish_fmax. (Where the loose
// relaxation stops depends on the angle: 15° and 50° leave duplicates too, 30° and 40° do not.)
TEST(PesEnv, PolishingMergesLooseStopsOnAFlatTorsion) {
  constexpr double kTurnDegrees = -35.0;
  std::vector<int> minima;
  for (bool polished : {false, true}) {
    PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");  // polished: the defaults as they are
    options.start = atoms_from_smiles("OC=CC(C)=O", 2);
    if (!polished) options.polish_fmax = 0.0;
    PesEnv env(options);
    env.reset(1);
    ASSERT_EQ(env.current().smiles, "CC(=O)/C=C\\O");
    const Atoms minimum = env.current().minimum.atoms;  // a copy: the registry may grow
    const StepResult r = env.step(kick_action(turn_methyl(minimum, kTurnDegrees).positions - minimum.positions));
    EXPECT_EQ(env.current().smiles, "CC(=O)/C=C\\O");
    EXPECT_EQ(env.counters().gradient_calls, env.calculator().calls());
    minima.push_back(env.registry().size());
    if (!polished) continue;
    EXPECT_EQ(env.registry().size(), 1) << "a duplicate of the start minimum was registered";
    EXPECT_EQ(r.reward, 0.0);
    auto calculator = make_calculator("gfn2");
    for (const auto& record : env.registry().records()) {
      EXPECT_LE(max_atom_force(calculator->calculate(record.minimum.atoms).forces), options.polish_fmax) << record.id;
    }
  }
  EXPECT_EQ(minima[0], 2) << "premise: the loose relaxation alone stops on the torsion's shoulder";
}

// The enol H of 4-hydroxybut-3-en-2-one (H-bonded to the carbonyl O) is driven onto that O:
// proton transfer to the other enol tautomer, a new bond graph and SMILES.
int enol_hydrogen(const MinimumRecord& record) {
  const Atoms& a = record.minimum.atoms;
  for (const auto& [i, j] : record.minimum.graph.bonds) {
    if (i == 0 && a.numbers[j] == 1) return j;  // atom 0 is the hydroxyl O of the SMILES below
  }
  return -1;
}

TEST(PesEnv, DrivingAProtonMakesTheOtherTautomer) {
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = atoms_from_smiles("OC=CC(C)=O", 2);
  PesEnv env(options);
  env.reset(1);
  ASSERT_EQ(env.current().smiles, "CC(=O)/C=C\\O");
  const int h = enol_hydrogen(env.current());
  ASSERT_GE(h, 0);
  const StepResult r = env.step(drive_action(env.n_atoms(), h, 5, 1.0));  // atom 5: the carbonyl O
  EXPECT_EQ(env.current().smiles, "C/C(O)=C/C=O");
  EXPECT_DOUBLE_EQ(r.reward, options.reward.new_minimum + options.reward.bond_change_bonus);
  EXPECT_EQ(r.info.values.at("minima"), 2.0);
}

// Records what the env reports, like the campaign store does.
TEST(CampaignStore, StoresAndReloadsMinimaAndTransitions) {
  equimol::testing::TempDir dir;
  const std::string path = dir.file("campaign.sqlite");
  PesEnvOptions options = lj_options(7, 1, 40);
  std::vector<double> energies;
  int current = -1;
  PesCounters counters;
  {
    CampaignStore store(path);
    store.set_meta("method", "lj");
    PesEnv env(options);
    env.set_observer(&store);
    env.reset(9);
    store.start_done(env.counters());
    RandomPerturbation policy(10, 0.3);
    run_exploration(env, policy, 40);
    energies = sorted_energies(env.registry());
    current = env.current_id();
    counters = env.counters();
  }
  CampaignStore reopened(path);
  EXPECT_EQ(reopened.meta().at("method"), "lj");
  CampaignStore::Loaded loaded = reopened.load(options.same);
  EXPECT_EQ(sorted_energies(loaded.registry), energies);
  EXPECT_EQ(loaded.transitions.size(), 40u);
  EXPECT_EQ(loaded.counters.steps, 40);
  EXPECT_EQ(loaded.current_id, current);
  // Every counter comes back, the start's relaxation and check included (a resumed --json adds up).
  EXPECT_EQ(loaded.counters.relaxations, counters.relaxations);
  EXPECT_EQ(loaded.counters.gradient_calls, counters.gradient_calls);
  EXPECT_EQ(loaded.counters.new_minima, counters.new_minima);
  EXPECT_EQ(loaded.counters.saddles, counters.saddles);
  EXPECT_GT(counters.saddle_checks, counters.new_minima);  // every new minimum and the start are checked
  EXPECT_EQ(loaded.counters.saddle_checks, counters.saddle_checks);
  EXPECT_EQ(loaded.counters.saddle_check_calls, counters.saddle_check_calls);
  // A resumed env continues from there, within the campaign's whole budget (now 60 steps): the agent
  // observes the remaining budget of the uninterrupted run, and the episode ends at step 60.
  PesEnvOptions longer = options;
  longer.budget = 60;
  PesEnv env(longer);
  env.resume(std::move(loaded.registry), loaded.current_id, loaded.counters, 11);
  EXPECT_EQ(env.current_id(), current);
  EXPECT_EQ(sorted_energies(env.registry()), energies);
  EXPECT_DOUBLE_EQ(std::get<GraphObservation>(env.observe()).globals[2], 1.0 - 40.0 / 60.0);
  bool ended = false;
  for (int k = 41; k <= 60; ++k) {
    ASSERT_FALSE(ended) << "ended before step " << k;
    ended = env.step(kick_action(Positions::Zero(7, 3))).terminated;
  }
  EXPECT_TRUE(ended);
  EXPECT_EQ(env.counters().steps, 60);
}

// Basin hopping's rejection goes back to a minimum without a step (jump_to): a resume must start
// there, not at the minimum the last step reached; a later step that reaches a minimum wins again.
TEST(CampaignStore, ResumesWhereTheExplorationWentBack) {
  equimol::testing::TempDir dir;
  CampaignStore store(dir.file("campaign.sqlite"));
  const PesEnvOptions options = lj_options(7, 1, 100);
  PesEnv env(options);
  env.set_observer(&store);
  env.reset(1);
  RandomPerturbation hops(2, 0.0, 1.0);
  for (int k = 0; k < 50 && env.current_id() == 0; ++k) env.step(hops.act(env));
  ASSERT_NE(env.current_id(), 0);
  EXPECT_EQ(store.load(options.same).current_id, env.current_id());
  env.jump_to(0);
  EXPECT_EQ(store.load(options.same).current_id, 0);
  for (int k = 0; k < 50 && env.current_id() == 0; ++k) env.step(hops.act(env));
  ASSERT_NE(env.current_id(), 0);
  EXPECT_EQ(store.load(options.same).current_id, env.current_id());
}

// A transition is marked as changing bonds (for LJ: contacts) whether its minimum is new or a revisit,
// so the network shows A -> B and B -> A alike; distinct LJ7 minima differ in their contacts.
TEST(PesEnv, RevisitsBetweenDifferentMinimaAreMarkedAsBondChanges) {
  class Collect : public PesObserver {
   public:
    void minimum_found(const MinimumRecord&) override {}
    void transition(const Transition& t, const MinimaRegistry&) override { transitions.push_back(t); }
    std::vector<Transition> transitions;
  } collect;
  PesEnv env(lj_options(7, 1, 120));
  env.set_observer(&collect);
  env.reset(1);
  RandomPerturbation hops(3, 0.0, 1.0);
  run_exploration(env, hops, 120);
  int revisits_elsewhere = 0;
  for (const Transition& t : collect.transitions) {
    if (t.to < 0 || t.to == t.from) continue;
    revisits_elsewhere += t.outcome == "revisit";
    EXPECT_TRUE(t.bond_change) << "step " << t.step << ": " << t.from << " -> " << t.to << " " << t.outcome;
  }
  EXPECT_GT(revisits_elsewhere, 5);
}

// A step's new minimum and its transition commit together: another connection (a resume after a
// kill) never sees a minimum without the step that reached it.
TEST(CampaignStore, AStepsMinimumCommitsWithItsTransition) {
  equimol::testing::TempDir dir;
  const std::string path = dir.file("campaign.sqlite");
  const PesEnvOptions options = lj_options(7, 1, 40);
  class Probe : public PesObserver {
   public:
    Probe(const std::string& path, const SameMinimumOptions& same) : store(path), reader(path), same_(same) {}
    void minimum_found(const MinimumRecord& r) override {
      store.minimum_found(r);
      if (r.id > 0) seen_before_step.push_back(reader.load(same_).registry.size() == r.id);
    }
    void transition(const Transition& t, const MinimaRegistry& registry) override {
      store.transition(t, registry);
      seen_after_step.push_back(reader.load(same_).registry.size() == registry.size());
    }
    CampaignStore store, reader;
    std::vector<bool> seen_before_step, seen_after_step;
   private:
    SameMinimumOptions same_;
  } probe(path, options.same);
  PesEnv env(options);
  env.set_observer(&probe);
  env.reset(1);
  probe.store.start_done(env.counters());
  EXPECT_EQ(probe.reader.load(options.same).registry.size(), 1);  // the start, committed
  RandomPerturbation hops(2, 0.0, 1.0);
  run_exploration(env, hops, 40);
  ASSERT_GE(probe.seen_before_step.size(), 2u);
  for (bool hidden : probe.seen_before_step) EXPECT_TRUE(hidden) << "a new minimum was visible before its step";
  for (bool shown : probe.seen_after_step) EXPECT_TRUE(shown) << "a finished step's minimum was not visible";
}

// A step can reach a minimum after a failed relaxation (a saddle escape that did not converge): its
// failures are stored with it, so a resumed campaign reports the counts of the uninterrupted one.
TEST(CampaignStore, KeepsTheFailuresOfStepsThatReachedAMinimum) {
  equimol::testing::TempDir dir;
  const PesEnvOptions options = lj_options(7, 1, 10);
  PesEnv env(options);
  env.reset(1);
  CampaignStore store(dir.file("campaign.sqlite"));
  store.minimum_found(env.current());
  Transition t;
  t.step = 1, t.from = 0, t.to = 0, t.action = "kick", t.outcome = "revisit";
  t.scf_failures = 2, t.unconverged = 1;
  store.transition(t, env.registry());
  const CampaignStore::Loaded loaded = store.load(options.same);
  EXPECT_EQ(loaded.counters.scf_failures, 2);
  EXPECT_EQ(loaded.counters.unconverged, 1);
  EXPECT_EQ(loaded.counters.dissociations, 0);
}

TEST(CampaignStore, OpensACampaignStoredBeforeTheSaddleColumns) {
  equimol::testing::TempDir dir;
  const std::string path = dir.file("old.sqlite");
  {
    SqliteDatabase old(path, "campaign database");
    old.execute(
        "CREATE TABLE transitions (step INTEGER PRIMARY KEY, from_id INTEGER, to_id INTEGER, action TEXT, "
        "outcome TEXT, reward REAL, gradient_calls INTEGER, relaxations INTEGER, bond_change INTEGER)");
    old.execute("INSERT INTO transitions VALUES (1, 0, NULL, 'kick', 'unconverged', -0.5, 80, 1, 0)");
  }
  CampaignStore store(path);
  const CampaignStore::Loaded loaded = store.load(SameMinimumOptions{});
  ASSERT_EQ(loaded.transitions.size(), 1u);
  EXPECT_EQ(loaded.counters.gradient_calls, 80);
  EXPECT_EQ(loaded.counters.unconverged, 1);
  EXPECT_EQ(loaded.counters.saddle_checks, 0);
}

TEST(PesExport, JsonDotAndSvgDescribeTheNetwork) {
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = atoms_from_smiles("OC=CC(C)=O", 2);
  PesEnv env(options);
  std::vector<Transition> transitions;
  class Collect : public PesObserver {
   public:
    explicit Collect(std::vector<Transition>& out) : out_(out) {}
    void minimum_found(const MinimumRecord&) override {}
    void transition(const Transition& t, const MinimaRegistry&) override { out_.push_back(t); }
   private:
    std::vector<Transition>& out_;
  } collect(transitions);
  env.set_observer(&collect);
  env.reset(1);
  env.step(drive_action(env.n_atoms(), enol_hydrogen(env.current()), 5, 1.0));
  equimol::testing::TempDir dir;
  export_network(env.registry(), transitions, dir.path().string(), NetworkExport{"eV", {}});
  std::ifstream json_file(dir.file("network.json"));
  const auto j = nlohmann::json::parse(json_file);
  ASSERT_EQ(j["minima"].size(), 2u);
  EXPECT_EQ(j["minima"][0]["smiles"], "CC(=O)/C=C\\O");  // sorted by energy: the start is the lower tautomer
  EXPECT_EQ(j["minima"][0]["relative_energy"], 0.0);
  const double gap_ev = env.registry().at(1).minimum.energy - env.registry().at(0).minimum.energy;
  EXPECT_GT(gap_ev, 0.0);
  EXPECT_NEAR(j["minima"][1]["relative_energy"].get<double>(), gap_ev * units::kEvToKcalPerMol, 1e-9);  // kcal/mol
  ASSERT_EQ(j["transitions"].size(), 1u);
  EXPECT_TRUE(j["transitions"][0]["bond_change"].get<bool>());
  // GraphViz itself opens the DOT file.
  const auto dot = equimol::testing::run_command("dot -Tsvg " + dir.file("network.dot") + " -o " + dir.file("dot.svg") + " 2>&1");
  EXPECT_EQ(dot.exit_code, 0) << dot.output;
  std::ifstream svg(dir.file("network.svg"));
  const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("C/C(O)=C/C=O"), std::string::npos);
  const auto frames = read_xyz(dir.file("minima.extxyz"));
  ASSERT_EQ(frames.size(), 2u);
  // The same minima as SDF, readable (and sanitised) by RDKit, with their SMILES as a property.
  const auto records = read_sdf(dir.file("minima.sdf"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_LT((records[1].positions - frames[1].positions).cwiseAbs().maxCoeff(), 1e-4);  // SDF keeps 4 decimals
  std::ifstream sdf(dir.file("minima.sdf"));
  const std::string sdf_text((std::istreambuf_iterator<char>(sdf)), std::istreambuf_iterator<char>());
  const size_t smiles_tag = sdf_text.find("<smiles>");
  ASSERT_NE(smiles_tag, std::string::npos);
  EXPECT_EQ(sdf_text.find("\nCC(=O)/C=C\\O\n", smiles_tag), sdf_text.find('\n', smiles_tag));  // first record, lowest
}

}  // namespace
}  // namespace equimol::envs
