#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <cmath>
#include <utility>

#include "chem/hessian.h"
#include "chem/lennard_jones.h"
#include "chem/optimizer.h"
#include "chem/xtb_calculator.h"
#include "chem/xyz_io.h"

namespace equimol {
namespace {

Atoms lj_chain(int n, double spacing) {
  Atoms atoms;
  atoms.numbers.assign(n, 18);
  atoms.positions = Positions::Zero(n, 3);
  for (int i = 0; i < n; ++i) atoms.positions(i, 0) = i * spacing;
  return atoms;
}

TEST(Hessian, LjDimerStretchMatchesTheAnalyticCurvature) {
  LennardJones lj;
  const double r_min = std::pow(2.0, 1.0 / 6.0);
  const Atoms dimer = lj_chain(2, r_min);
  const Eigen::MatrixXd h = numerical_hessian(lj, dimer, 1e-4);
  ASSERT_EQ(h.rows(), 6);
  // V''(r_min) = 4 (156 r^-14 - 42 r^-8) = 72 * 2^(-1/3) ε/σ²; the stretch mode (1, -1)/√2 has 2 V''.
  const double curvature = 72.0 * std::pow(2.0, -1.0 / 3.0);
  EXPECT_NEAR(h(0, 0), curvature, 1e-4);
  EXPECT_NEAR(h(0, 3), -curvature, 1e-4);
  const NormalMode mode = softest_internal_mode(h, dimer);
  EXPECT_NEAR(mode.eigenvalue, 2.0 * curvature, 1e-3);
  EXPECT_NEAR(std::abs(mode.direction(0, 0)), std::sqrt(0.5), 1e-6);
}

TEST(Hessian, LinearLjTrimerIsASaddleAndTheTriangleIsAMinimum) {
  LennardJones lj;
  OptimizerOptions options;
  options.fmax = 1e-6;
  const OptimizeResult chain = Lbfgs(options).run(lj, lj_chain(3, 1.1));  // stays linear by symmetry
  ASSERT_TRUE(chain.converged);
  EXPECT_LT(softest_internal_mode(numerical_hessian(lj, chain.atoms, 1e-4), chain.atoms).eigenvalue, -0.1);
  Atoms triangle = lj_chain(3, 1.12);
  triangle.positions.row(2) << 0.56, 0.97, 0.0;
  const OptimizeResult relaxed = Lbfgs(options).run(lj, triangle);
  EXPECT_NEAR(relaxed.energy, -3.0, 1e-8);
  EXPECT_GT(softest_internal_mode(numerical_hessian(lj, relaxed.atoms, 1e-4), relaxed.atoms).eigenvalue, 1.0);
}

TEST(Hessian, RelaxedWaterHasOnlyPositiveInternalCurvatures) {
  XtbCalculator gfn2;
  const OptimizeResult water = Lbfgs(OptimizerOptions{}).run(gfn2, read_xyz(std::string(EQUIMOL_TEST_DATA_DIR) + "/water.xyz").front());
  ASSERT_TRUE(water.converged);
  const NormalMode mode = softest_internal_mode(numerical_hessian(gfn2, water.atoms, 0.005), water.atoms);
  EXPECT_GT(mode.eigenvalue, 1.0);  // the bend, eV/Å²; rotations and translations projected out
}

TEST(Hessian, InternalBasisIsOrthonormalAndFreeOfRigidMotions) {
  Atoms bent = lj_chain(4, 1.1);
  bent.positions.row(3) << 1.5, 0.9, 0.4;
  const Atoms linear = lj_chain(3, 1.1);
  for (const auto& [atoms, internal] : {std::pair{bent, 6}, std::pair{linear, 4}}) {  // 3n - 6, 3n - 5
    const Eigen::MatrixXd q = internal_basis(atoms);
    ASSERT_EQ(q.cols(), internal);
    EXPECT_LT((q.transpose() * q - Eigen::MatrixXd::Identity(internal, internal)).norm(), 1e-12);
    EXPECT_LT((rigid_body_basis(atoms).transpose() * q).norm(), 1e-12);
  }
}

// In the coordinates of P = inverse_square_root(H), PᵀHP is the identity on the modes above the floor;
// a negative curvature counts by its magnitude, a zero one (here a null vector) at the floor.
TEST(Hessian, InverseSquareRootWhitensTheGuessAboveItsFloor) {
  const Eigen::Matrix3d basis = Eigen::Quaterniond(0.9, 0.1, -0.3, 0.2).normalized().toRotationMatrix();
  const Eigen::Matrix3d h = basis * Eigen::Vector3d(40.0, -8.0, 0.0).asDiagonal() * basis.transpose();
  const Eigen::MatrixXd p = inverse_square_root(h, 0.05);
  EXPECT_LT((p - p.transpose()).norm(), 1e-12);
  const Eigen::Matrix3d whitened = basis.transpose() * p * h * p * basis;
  EXPECT_NEAR(whitened(0, 0), 1.0, 1e-12);
  EXPECT_NEAR(whitened(1, 1), -1.0, 1e-12);
  EXPECT_NEAR((basis.transpose() * p * basis)(2, 2), 1.0 / std::sqrt(0.05 * 40.0), 1e-12);
  EXPECT_THROW(inverse_square_root(Eigen::MatrixXd::Zero(3, 3), 0.05), std::invalid_argument);
}

}  // namespace
}  // namespace equimol
