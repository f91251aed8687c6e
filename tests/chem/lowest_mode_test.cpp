// lowest_internal_mode (Lanczos on finite-difference Hessian-vector products) against the full
// numerical Hessian: same softest curvature and direction, at minima and saddles, for fewer force calls.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/Geometry>

#include <cmath>

#include "chem/bond_graph.h"
#include "chem/hessian.h"
#include "chem/lennard_jones.h"
#include "chem/lowest_mode.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/xtb_calculator.h"
#include "lj_clusters.h"

namespace equimol {
namespace {

// The options PesEnv uses (PesEnvOptions::defaults_for): LJ threshold -1e-3 ε/σ², residual 2.5e-3 ε/σ²,
// step 1e-3 σ; GFN2 threshold -0.02 eV/Å², residual 0.05 eV/Å², step 0.005 Å.
LowestModeOptions lj_check() {
  LowestModeOptions o;
  o.step = 1e-3;
  o.stop_below = -1e-3;
  o.residual_tolerance = 2.5e-3;
  return o;
}

LowestModeOptions gfn2_check() {
  LowestModeOptions o;
  o.step = 0.005;
  o.stop_below = -0.02;
  o.residual_tolerance = 0.05;
  return o;
}

/// Length of the direction's projection on the eigenvectors (internal, rigid span projected out) whose
/// eigenvalues lie within `width` of the lowest: |dot| for a simple eigenvalue, and the right measure
/// when symmetry makes it degenerate (LJ7's and LJ13's softest modes are).
double overlap_with_softest_space(const Eigen::MatrixXd& hessian, const Atoms& atoms, const Positions& direction,
                                  double width) {
  const int dim = 3 * atoms.size();
  const Eigen::MatrixXd q = rigid_body_basis(atoms);
  const Eigen::MatrixXd p = Eigen::MatrixXd::Identity(dim, dim) - q * q.transpose();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(p * hessian * p);
  const Eigen::Map<const Eigen::VectorXd> d(direction.data(), dim);
  const double lowest = softest_internal_mode(hessian, atoms).eigenvalue;
  double squared = 0.0;
  for (int k = 0; k < dim; ++k) {
    const Eigen::VectorXd v = solver.eigenvectors().col(k);
    if ((q.transpose() * v).norm() > 0.5) continue;  // a rigid-body direction
    if (std::abs(solver.eigenvalues()(k) - lowest) <= width) squared += std::pow(v.dot(d), 2);
  }
  return std::sqrt(squared);
}

Atoms relaxed_lj(const Atoms& start) {
  LennardJones lj;
  OptimizerOptions options;
  options.fmax = 1e-6;
  const OptimizeResult r = Lbfgs(options).run(lj, start);
  EXPECT_TRUE(r.converged);
  return r.atoms;
}

/// Nine atoms on a slightly irregular planar grid: relaxation keeps them in the plane (no force out of
/// it), so they stop on a saddle whose softest modes buckle out of the plane.
Atoms planar_lj9() {
  Atoms atoms;
  atoms.numbers.assign(9, 18);
  atoms.positions = Positions::Zero(9, 3);
  const double offsets[9][2] = {{0.03, -0.02}, {-0.05, 0.04}, {0.02, 0.06}, {0.07, -0.01}, {0.0, 0.0},
                                {-0.04, -0.06}, {0.05, 0.02}, {-0.02, 0.05}, {0.01, -0.07}};
  for (int k = 0; k < 9; ++k) atoms.positions.row(k) << (k % 3) * 1.1 + offsets[k][0], (k / 3) * 1.1 + offsets[k][1], 0.0;
  return atoms;
}

struct Comparison {
  NormalMode full;
  LowestModeResult lanczos;
  long counted_calls = 0;  // Calculator::calls() around lowest_internal_mode
  double overlap = 0.0;
};

Comparison compare(Calculator& calculator, const Atoms& atoms, const LowestModeOptions& options, double width) {
  Comparison c;
  const Eigen::MatrixXd hessian = numerical_hessian(calculator, atoms, options.step);
  EXPECT_EQ(hessian.rows(), 3 * atoms.size());
  c.full = softest_internal_mode(hessian, atoms);
  const long before = calculator.calls();
  c.lanczos = lowest_internal_mode(calculator, atoms, options);
  c.counted_calls = calculator.calls() - before;
  EXPECT_TRUE(c.lanczos.ok);
  c.overlap = overlap_with_softest_space(hessian, atoms, c.lanczos.mode.direction, width);
  return c;
}

void expect_cheaper_than_hessian(const Comparison& c, const Atoms& atoms) {
  EXPECT_EQ(c.lanczos.force_calls, c.counted_calls);
  EXPECT_EQ(c.lanczos.force_calls, 2 * c.lanczos.iterations);
  EXPECT_LT(c.lanczos.force_calls, 6 * atoms.size());
}

TEST(LowestMode, LjMinimaMatchTheFullHessian) {
  LennardJones lj;
  for (const Atoms& start : {testing::lj7_pentagonal_bipyramid(), testing::lj13_icosahedron()}) {
    const Atoms minimum = relaxed_lj(start);
    const Comparison c = compare(lj, minimum, lj_check(), 1e-3);
    EXPECT_GT(c.full.eigenvalue, 1.0);
    EXPECT_NEAR(c.lanczos.mode.eigenvalue, c.full.eigenvalue, 1e-3 * c.full.eigenvalue);
    EXPECT_GT(c.overlap, 0.99);
    EXPECT_EQ(c.lanczos.stop, LowestModeStop::kConverged);
    expect_cheaper_than_hessian(c, minimum);
  }
}

TEST(LowestMode, LjSaddleIsCaughtEarlyAndConvergesToTheFullHessianMode) {
  LennardJones lj;
  const Atoms saddle = relaxed_lj(planar_lj9());
  ASSERT_NEAR(saddle.positions.col(2).norm(), 0.0, 1e-12);
  // Fully converged (no early stop): the same negative curvature and direction.
  LowestModeOptions converge = lj_check();
  converge.stop_below = -std::numeric_limits<double>::infinity();
  const Comparison c = compare(lj, saddle, converge, 1e-3);
  EXPECT_LT(c.full.eigenvalue, -0.1);
  EXPECT_NEAR(c.lanczos.mode.eigenvalue, c.full.eigenvalue, 1e-3 * std::abs(c.full.eigenvalue));
  EXPECT_GT(c.overlap, 0.99);
  expect_cheaper_than_hessian(c, saddle);
  // As PesEnv runs it: it stops once a Ritz value, an upper bound of the lowest curvature, is below the
  // threshold, and the Ritz vector is a direction of negative curvature to escape along.
  const Comparison early = compare(lj, saddle, lj_check(), 1e-3);
  EXPECT_EQ(early.lanczos.stop, LowestModeStop::kBelowThreshold);
  EXPECT_LT(early.lanczos.mode.eigenvalue, -1e-3);
  EXPECT_GE(early.lanczos.mode.eigenvalue, early.full.eigenvalue - 1e-6);
  EXPECT_LT(early.lanczos.force_calls, c.lanczos.force_calls);
  const Eigen::MatrixXd hessian = numerical_hessian(lj, saddle, 1e-3);
  const Eigen::Map<const Eigen::VectorXd> d(early.lanczos.mode.direction.data(), 3 * saddle.size());
  EXPECT_LT(d.dot(hessian * d), -1e-3);
}

TEST(LowestMode, RigidMotionsNeverComeOutAndRotatedCopiesAgree) {
  LennardJones lj;
  const Atoms minimum = relaxed_lj(testing::lj13_icosahedron());
  Atoms moved = minimum;
  const Eigen::Matrix3d rotation =
      Eigen::AngleAxisd(0.7, Eigen::Vector3d(1.0, -2.0, 0.5).normalized()).toRotationMatrix();
  moved.positions = (minimum.positions * rotation.transpose()).rowwise() + Eigen::RowVector3d(3.0, -1.0, 2.0);
  const LowestModeResult a = lowest_internal_mode(lj, minimum, lj_check());
  const LowestModeResult b = lowest_internal_mode(lj, moved, lj_check());
  ASSERT_TRUE(a.ok && b.ok);
  EXPECT_GT(a.mode.eigenvalue, 1.0);  // rigid motions would give ~0
  EXPECT_NEAR(a.mode.eigenvalue, b.mode.eigenvalue, 1e-3 * a.mode.eigenvalue);
  for (const auto& [atoms, result] : {std::pair{minimum, a}, std::pair{moved, b}}) {
    const Eigen::Map<const Eigen::VectorXd> d(result.mode.direction.data(), 3 * atoms.size());
    EXPECT_NEAR(d.norm(), 1.0, 1e-12);
    EXPECT_LT((rigid_body_basis(atoms).transpose() * d).norm(), 1e-10);
  }
}

TEST(LowestMode, RunsOnAReproducibleStartVector) {
  LennardJones lj;
  const Atoms minimum = relaxed_lj(testing::lj7_pentagonal_bipyramid());
  const LowestModeResult a = lowest_internal_mode(lj, minimum, lj_check());
  const LowestModeResult b = lowest_internal_mode(lj, minimum, lj_check());
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.mode.eigenvalue, b.mode.eigenvalue);
  EXPECT_TRUE(a.mode.direction == b.mode.direction);
}

/// A deterministic displacement of every coordinate by up to `amplitude` (length).
Atoms displaced(const Atoms& atoms, double amplitude) {
  Atoms moved = atoms;
  for (int i = 0; i < moved.positions.size(); ++i) moved.positions.data()[i] += amplitude * std::sin(1.7 * i + 0.3);
  return moved;
}

// A model surface's Hessian at its minimum stands for a guess here: the true Hessian of a structure
// 0.01 σ away. The guided operator's eigenvalues cluster near 1, so Lanczos needs a few products where
// it needs ~20 unguided. Its verdict is the full Hessian's (a minimum); the mode it returns is the
// guided operator's softest, along which H's curvature is positive and never below the lowest.
TEST(LowestMode, AHessianGuessFindsLjMinimaInFewerCalls) {
  LennardJones lj;
  for (const Atoms& start : {testing::lj7_pentagonal_bipyramid(), testing::lj13_icosahedron()}) {
    const Atoms minimum = relaxed_lj(start);
    LowestModeOptions guided = lj_check();
    guided.hessian_guess = numerical_hessian(lj, displaced(minimum, 0.01), 1e-3);
    const Comparison c = compare(lj, minimum, guided, 1e-3);
    const LowestModeResult plain = lowest_internal_mode(lj, minimum, lj_check());
    EXPECT_GT(c.full.eigenvalue, 1.0);
    EXPECT_EQ(c.lanczos.stop, LowestModeStop::kConverged);
    EXPECT_GT(c.lanczos.mode.eigenvalue, 0.0);
    EXPECT_EQ(c.lanczos.force_calls, c.counted_calls);
    EXPECT_LE(2 * c.lanczos.force_calls, plain.force_calls) << c.lanczos.force_calls << " against " << plain.force_calls;
  }
}

// A guess that misses the saddle: |H| (every curvature positive) plus a 20 % symmetric error. The
// guided operator keeps H's signs (Sylvester's law of inertia), so the planar LJ9's buckling is caught,
// as a direction of negative curvature below the threshold.
TEST(LowestMode, AGuessThatSeesNoSaddleStillCatchesIt) {
  LennardJones lj;
  const Atoms saddle = relaxed_lj(planar_lj9());
  const Eigen::MatrixXd hessian = numerical_hessian(lj, saddle, 1e-3);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(hessian);
  Eigen::MatrixXd guess = eigen.eigenvectors() * eigen.eigenvalues().cwiseAbs().asDiagonal() * eigen.eigenvectors().transpose();
  Eigen::MatrixXd error(guess.rows(), guess.cols());
  for (int i = 0; i < error.size(); ++i) error.data()[i] = std::sin(2.3 * i);
  guess += 0.2 * guess.norm() / error.norm() * 0.5 * (error + error.transpose());
  LowestModeOptions guided = lj_check();
  guided.hessian_guess = guess;
  const LowestModeResult r = lowest_internal_mode(lj, saddle, guided);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stop, LowestModeStop::kBelowThreshold);
  EXPECT_LT(r.mode.eigenvalue, -1e-3);
  const Eigen::Map<const Eigen::VectorXd> d(r.mode.direction.data(), 3 * saddle.size());
  EXPECT_NEAR(d.dot(hessian * d), r.mode.eigenvalue, 1e-3 * std::abs(r.mode.eigenvalue) + 1e-6);
  EXPECT_LT((rigid_body_basis(saddle).transpose() * d).norm(), 1e-10);
}

/// E = ½ (x - x0)ᵀ Q D Qᵀ (x - x0): internal curvatures D along internal_basis(x0), none along rigid motions.
class Quadratic : public Calculator {
 public:
  Quadratic(const Atoms& at, const Eigen::VectorXd& curvatures)
      : origin_(at.positions), hessian_(hessian_with(at, curvatures)) {}
  static Eigen::MatrixXd hessian_with(const Atoms& at, const Eigen::VectorXd& curvatures) {
    const Eigen::MatrixXd q = internal_basis(at);
    return q * curvatures.asDiagonal() * q.transpose();
  }
  std::string name() const override { return "quadratic"; }
  Properties implemented() const override { return kEnergyAndForces; }

 protected:
  Results compute(const Atoms& atoms, Properties) override {
    const Positions d = atoms.positions - origin_;
    const Eigen::Map<const Eigen::VectorXd> x(d.data(), d.size());
    const Eigen::VectorXd f = -hessian_ * x;
    Results r;
    r.ok = true;
    r.energy = -0.5 * x.dot(f);
    r.forces = Eigen::Map<const Positions>(f.data(), atoms.size(), 3);
    return r;
  }

 private:
  Positions origin_;
  Eigen::MatrixXd hessian_;
};

// A saddle whose steepest negative curvature (-0.05, below the -0.02 threshold) the guess calls stiff,
// and a shallower one (-0.01) it calls soft: in the guided operator the shallow one is lowest. The
// threshold is tested on H's own Rayleigh-Ritz value over the displacements explored, so the saddle
// is still caught, as without a guess.
TEST(LowestMode, AGuessThatHidesTheSteepestNegativeCurvatureStillCatchesTheSaddle) {
  Atoms at;
  at.numbers.assign(4, 18);
  at.positions.resize(4, 3);
  at.positions << 0.0, 0.0, 0.0, 1.1, 0.1, 0.0, 0.4, 1.0, 0.2, 0.3, 0.4, 0.9;
  Eigen::VectorXd curvatures(6), guessed(6);
  curvatures << -0.05, -0.01, 1.0, 1.0, 2.0, 3.0;
  guessed << 50.0, 0.0, 1.0, 1.0, 2.0, 3.0;
  Quadratic surface(at, curvatures);
  LowestModeOptions check;
  check.step = 1e-3;
  check.stop_below = -0.02;
  check.residual_tolerance = 0.05;
  const LowestModeResult plain = lowest_internal_mode(surface, at, check);
  check.hessian_guess = Quadratic::hessian_with(at, guessed);
  const LowestModeResult guided = lowest_internal_mode(surface, at, check);
  for (const LowestModeResult& r : {plain, guided}) {
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.stop, LowestModeStop::kBelowThreshold);
    EXPECT_LT(r.mode.eigenvalue, -0.02);
    EXPECT_GE(r.mode.eigenvalue, -0.05 - 1e-9);
  }
}

TEST(LowestMode, RefusesAGuessOfTheWrongSizeOrNotFinite) {
  LennardJones lj;
  const Atoms minimum = relaxed_lj(testing::lj7_pentagonal_bipyramid());
  LowestModeOptions guided = lj_check();
  guided.hessian_guess = Eigen::MatrixXd::Identity(20, 20);
  EXPECT_THROW(lowest_internal_mode(lj, minimum, guided), std::invalid_argument);
  guided.hessian_guess = Eigen::MatrixXd::Zero(21, 21);
  EXPECT_THROW(lowest_internal_mode(lj, minimum, guided), std::invalid_argument);
  guided.hessian_guess = Eigen::MatrixXd::Identity(21, 21);
  guided.hessian_guess(3, 4) = std::nan("");
  EXPECT_THROW(lowest_internal_mode(lj, minimum, guided), std::invalid_argument);
}

// Acetaldehyde: the relaxed structure and its methyl group turned by 60°, the rotational saddle.
Atoms acetaldehyde_methyl_saddle(const Atoms& minimum) {
  Atoms saddle = minimum;
  const Eigen::Vector3d c0 = minimum.positions.row(0).transpose(), c1 = minimum.positions.row(1).transpose();
  const Eigen::Matrix3d turn = Eigen::AngleAxisd(M_PI / 3.0, (c1 - c0).normalized()).toRotationMatrix();
  for (const auto& [i, j] : bonds_from_covalent_radii(minimum).bonds) {
    const int h = i == 0 && minimum.numbers[j] == 1 ? j : (j == 0 && minimum.numbers[i] == 1 ? i : -1);
    if (h >= 0) saddle.positions.row(h) = (turn * (minimum.positions.row(h).transpose() - c0) + c0).transpose();
  }
  return saddle;
}

TEST(LowestMode, Gfn2AcetaldehydeMinimumAndMethylSaddleMatchTheFullHessian) {
  XtbCalculator gfn2;
  OptimizerOptions relax;
  relax.fmax = 0.005;  // eV/Å
  const OptimizeResult minimum = Lbfgs(relax).run(gfn2, atoms_from_smiles("CC=O", 1));
  ASSERT_TRUE(minimum.converged);
  const Comparison at_minimum = compare(gfn2, minimum.atoms, gfn2_check(), 1e-3);
  EXPECT_GT(at_minimum.full.eigenvalue, 0.02);
  // GFN2 forces carry ~1e-3 eV/Å² of finite-difference noise into each curvature.
  EXPECT_NEAR(at_minimum.lanczos.mode.eigenvalue, at_minimum.full.eigenvalue, 0.01);
  EXPECT_GT(at_minimum.overlap, 0.99);
  expect_cheaper_than_hessian(at_minimum, minimum.atoms);

  const OptimizeResult saddle = Lbfgs(relax).run(gfn2, acetaldehyde_methyl_saddle(minimum.atoms));  // Cs: stays
  ASSERT_TRUE(saddle.converged);
  LowestModeOptions converge = gfn2_check();
  converge.stop_below = -std::numeric_limits<double>::infinity();
  converge.residual_tolerance = 0.02;
  const Comparison at_saddle = compare(gfn2, saddle.atoms, converge, 1e-3);
  EXPECT_LT(at_saddle.full.eigenvalue, -0.02);
  EXPECT_NEAR(at_saddle.lanczos.mode.eigenvalue, at_saddle.full.eigenvalue, 0.01);
  EXPECT_GT(at_saddle.overlap, 0.99);
  expect_cheaper_than_hessian(at_saddle, saddle.atoms);
  const Comparison early = compare(gfn2, saddle.atoms, gfn2_check(), 1e-3);
  EXPECT_EQ(early.lanczos.stop, LowestModeStop::kBelowThreshold);
  EXPECT_LT(early.lanczos.mode.eigenvalue, -0.02);
  expect_cheaper_than_hessian(early, saddle.atoms);
}

}  // namespace
}  // namespace equimol
