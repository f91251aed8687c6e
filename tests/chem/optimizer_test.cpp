// L-BFGS and FIRE: convergence by the fmax criterion, step caps, counters, failure reporting.
#include <gtest/gtest.h>

#include <cmath>

#include "chem/hessian.h"
#include "chem/lennard_jones.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/xtb_calculator.h"
#include "lj_clusters.h"

namespace equimol {
namespace {

// A calculator that records every structure it sees, to check how far atoms move per evaluation.
class RecordingLj : public Calculator {
 public:
  std::string name() const override { return "recording-lj"; }
  Properties implemented() const override { return kEnergyAndForces; }
  std::vector<Positions> seen;

 protected:
  Results compute(const Atoms& atoms, Properties properties) override {
    seen.push_back(atoms.positions);
    return inner_.calculate(atoms, properties);
  }

 private:
  LennardJones inner_;
};

// Lennard-Jones that fails its `fail_at`-th calculation (an SCF failure, say) or throws on it.
class FailingLj : public Calculator {
 public:
  FailingLj(int fail_at, bool throws) : fail_at_(fail_at), throws_(throws) {}
  std::string name() const override { return "failing-lj"; }
  Properties implemented() const override { return kEnergyAndForces; }

 protected:
  Results compute(const Atoms& atoms, Properties properties) override {
    if (++count_ < fail_at_) return inner_.calculate(atoms, properties);
    if (throws_) throw std::invalid_argument("failing-lj: a programming error");
    Results failed;
    failed.ok = false;
    failed.error = "failing-lj: no result";
    return failed;
  }

 private:
  int fail_at_, count_ = 0;
  bool throws_;
  LennardJones inner_;
};

class BothOptimizers : public ::testing::TestWithParam<OptimizerKind> {};

// Failed calculations from the 4th on: FIRE stops there, L-BFGS backs off from them and stops at its
// best point, unconverged. Either way the structure, energy and fmax returned belong together.
TEST_P(BothOptimizers, AFailedCalculationReturnsTheLastGoodStructure) {
  FailingLj failing(4, false);
  OptimizerOptions options;
  options.fmax = 1e-6;
  const OptimizeResult result = make_optimizer(GetParam(), options)->run(failing, testing::lj13_icosahedron());
  EXPECT_FALSE(result.converged);
  if (GetParam() == OptimizerKind::kFire) {
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error, "failing-lj: no result");
  }
  LennardJones check;
  const Results& r = check.calculate(result.atoms);
  EXPECT_NEAR(r.energy, result.energy, 1e-12);
  EXPECT_NEAR(max_atom_force(r.forces), result.fmax, 1e-12);
}

// max_steps 0 evaluates the start and reports it (converged when it already is).
TEST_P(BothOptimizers, NoStepsStillReportTheStart) {
  LennardJones lj;
  OptimizerOptions options;
  options.max_steps = 0;
  options.fmax = 1e-3;
  const Atoms start = testing::lj13_icosahedron();
  const OptimizeResult result = make_optimizer(GetParam(), options)->run(lj, start);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.gradient_calls, 1);
  EXPECT_EQ(result.steps, 0);
  EXPECT_NEAR(result.energy, LennardJones().calculate(start).energy, 1e-12);
}

// An exception from the calculator is a programming error: it propagates, message and all.
TEST_P(BothOptimizers, ACalculatorsExceptionPropagates) {
  FailingLj throwing(3, true);
  EXPECT_THROW(make_optimizer(GetParam())->run(throwing, testing::lj13_icosahedron()), std::invalid_argument);
}

TEST_P(BothOptimizers, ConvergeOnLj13AndReportTheirWork) {
  RecordingLj lj;
  OptimizerOptions options;
  options.fmax = 1e-3;
  options.max_step = 0.05;
  auto optimizer = make_optimizer(GetParam(), options);
  const OptimizeResult result = optimizer->run(lj, testing::lj13_icosahedron());
  ASSERT_TRUE(result.ok);
  ASSERT_TRUE(result.converged);
  EXPECT_NEAR(result.energy, -44.326801, 1e-5);
  EXPECT_LE(result.fmax, options.fmax);
  LennardJones check;
  EXPECT_LE(max_atom_force(check.calculate(result.atoms).forces), options.fmax);  // the structure returned
  EXPECT_EQ(result.gradient_calls, static_cast<long>(lj.seen.size()));
  EXPECT_GT(result.steps, 0);
  EXPECT_LE(result.steps, result.gradient_calls);
  // No evaluation moved any atom more than max_step from the previous accepted point (FIRE) or from
  // the line search's start point (L-BFGS: trial steps are capped, and the first trial is one step).
  EXPECT_LE((lj.seen[1] - lj.seen[0]).rowwise().norm().maxCoeff(), options.max_step + 1e-12);
}

TEST_P(BothOptimizers, StopAtMaxStepsUnconverged) {
  LennardJones lj;
  OptimizerOptions options;
  options.max_steps = 3;
  options.fmax = 1e-8;
  const OptimizeResult result = make_optimizer(GetParam(), options)->run(lj, testing::lj13_icosahedron());
  EXPECT_FALSE(result.converged);
  EXPECT_TRUE(result.ok);
  EXPECT_LE(result.steps, 3);
}

TEST_P(BothOptimizers, RelaxAcetamideWithGfn2) {
  XtbCalculator calculator;
  const OptimizeResult result = make_optimizer(GetParam())->run(calculator, atoms_from_smiles("CC(N)=O", 3));
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_TRUE(result.converged);
  XtbCalculator check;
  EXPECT_LE(max_atom_force(check.calculate(result.atoms).forces), 0.05);  // ASE's default fmax, eV/Å
}

INSTANTIATE_TEST_SUITE_P(Kinds, BothOptimizers, ::testing::Values(OptimizerKind::kLbfgs, OptimizerKind::kFire),
                         [](const auto& info) { return info.param == OptimizerKind::kLbfgs ? "lbfgs" : "fire"; });

// A guess of the Hessian (here the true one at the minimum, as a model surface's would be) makes L-BFGS
// take Newton steps: from 0.003 σ off the LJ13 minimum a few calls instead of ~20, to the same
// minimum; from 0.15 σ off, where the guess is poor, it still gets there.
TEST(Optimizer, LbfgsWithAHessianGuessConvergesInFewCalls) {
  LennardJones lj;
  OptimizerOptions tight;
  tight.fmax = 1e-6;
  const OptimizeResult minimum = Lbfgs(tight).run(lj, testing::lj13_icosahedron());
  ASSERT_TRUE(minimum.converged);
  const Eigen::MatrixXd guess = numerical_hessian(lj, minimum.atoms, 1e-3);
  OptimizerOptions relax;
  relax.fmax = 1e-3;
  for (double amplitude : {0.003, 0.15}) {
    Atoms start = minimum.atoms;
    for (int i = 0; i < start.positions.size(); ++i) start.positions.data()[i] += amplitude * std::sin(1.3 * i + 0.7);
    const OptimizeResult plain = Lbfgs(relax).run(lj, start);
    const OptimizeResult guided = Lbfgs(relax).run(lj, start, guess);
    ASSERT_TRUE(plain.converged && guided.converged) << amplitude;
    EXPECT_NEAR(guided.energy, minimum.energy, 1e-5) << amplitude;
    EXPECT_LE(guided.fmax, relax.fmax);
    if (amplitude < 0.01) {
      EXPECT_LT((guided.atoms.positions - minimum.atoms.positions).norm(), 1e-2);
      EXPECT_LE(guided.gradient_calls, 8);
      EXPECT_GE(plain.gradient_calls, 2 * guided.gradient_calls);
    }
  }
  EXPECT_THROW(Lbfgs(relax).run(lj, minimum.atoms, Eigen::MatrixXd::Identity(3, 3)), std::invalid_argument);
  EXPECT_THROW(Lbfgs(relax).run(lj, minimum.atoms, Eigen::MatrixXd::Zero(39, 39)), std::invalid_argument);
}

TEST(Optimizer, FailedCalculationIsReported) {
  XtbOptions options;
  options.max_iterations = 1;
  XtbCalculator failing(options);
  const OptimizeResult result = Lbfgs(OptimizerOptions{}).run(failing, atoms_from_smiles("c1ccccc1O", 2));
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.error.empty());
}

TEST(Optimizer, RejectsBadOptionsAndNames) {
  OptimizerOptions options;
  options.fmax = -1.0;
  EXPECT_THROW(Fire{options}, std::invalid_argument);
  EXPECT_THROW(parse_optimizer("bfgs"), std::invalid_argument);
}

}  // namespace
}  // namespace equimol
