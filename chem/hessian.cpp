#include "hessian.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace equimol {

Eigen::MatrixXd numerical_hessian(Calculator& calculator, const Atoms& atoms, double step) {
  const int dim = 3 * atoms.size();
  Eigen::MatrixXd hessian(dim, dim);
  Atoms moved = atoms;
  for (int b = 0; b < dim; ++b) {
    double* coordinate = moved.positions.data() + b;
    const double original = *coordinate;
    *coordinate = original + step;
    const Results plus = calculator.calculate(moved, kEnergyAndForces);
    *coordinate = original - step;
    const Results minus = calculator.calculate(moved, kEnergyAndForces);
    *coordinate = original;
    if (!plus.ok || !minus.ok) return {};
    hessian.col(b) = -Eigen::Map<const Eigen::VectorXd>(plus.forces.data(), dim) +
                     Eigen::Map<const Eigen::VectorXd>(minus.forces.data(), dim);
  }
  hessian /= 2.0 * step;
  return 0.5 * (hessian + hessian.transpose());
}

Eigen::MatrixXd rigid_body_basis(const Atoms& atoms) {
  const int n = atoms.size(), dim = 3 * n;
  const Eigen::RowVector3d centre = atoms.positions.colwise().mean();
  // Rigid-body displacements: translations along x, y, z and rotations about the centroid.
  Eigen::MatrixXd rigid = Eigen::MatrixXd::Zero(dim, 6);
  for (int i = 0; i < n; ++i) {
    const Eigen::Vector3d r = (atoms.positions.row(i) - centre).transpose();
    for (int axis = 0; axis < 3; ++axis) {
      rigid(3 * i + axis, axis) = 1.0;
      const Eigen::Vector3d rotation = Eigen::Vector3d::Unit(axis).cross(r);
      rigid.block<3, 1>(3 * i, 3 + axis) = rotation;
    }
  }
  // Orthonormal basis of their span (rank 5 for linear molecules, 3 for an atom pair's rotations...).
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(rigid);
  qr.setThreshold(1e-8);
  return qr.householderQ() * Eigen::MatrixXd::Identity(dim, qr.rank());
}

Eigen::MatrixXd internal_basis(const Atoms& atoms) {
  const int dim = 3 * atoms.size();
  const Eigen::MatrixXd rigid = rigid_body_basis(atoms);
  // The full Q of a QR of the rigid basis: its first columns span the rigid motions, the rest the complement.
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(rigid);
  const Eigen::MatrixXd full = qr.householderQ() * Eigen::MatrixXd::Identity(dim, dim);
  return full.rightCols(dim - rigid.cols());
}

void check_hessian_guess(const Eigen::MatrixXd& guess, int dim, const std::string& who) {
  if (guess.rows() != dim || guess.cols() != dim) {
    throw std::invalid_argument(who + ": the Hessian guess is " + std::to_string(guess.rows()) + "x" +
                                std::to_string(guess.cols()) + " for " + std::to_string(dim) + " coordinates");
  }
  if (!guess.allFinite()) throw std::invalid_argument(who + ": the Hessian guess is not finite");
}

Eigen::MatrixXd inverse_square_root(const Eigen::MatrixXd& hessian, double relative_floor) {
  if (!hessian.allFinite()) throw std::invalid_argument("the Hessian guess is not finite");
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(0.5 * (hessian + hessian.transpose()));
  const Eigen::VectorXd magnitude = eigen.eigenvalues().cwiseAbs();
  const double floor = relative_floor * (magnitude.size() > 0 ? magnitude.maxCoeff() : 0.0);
  if (!(floor > 0.0) || !std::isfinite(floor)) throw std::invalid_argument("the Hessian guess is zero or not finite");
  const Eigen::VectorXd scale = magnitude.cwiseMax(floor).cwiseSqrt().cwiseInverse();
  return eigen.eigenvectors() * scale.asDiagonal() * eigen.eigenvectors().transpose();
}

NormalMode softest_internal_mode(const Eigen::MatrixXd& hessian, const Atoms& atoms) {
  const int n = atoms.size(), dim = 3 * n;
  const Eigen::MatrixXd q = rigid_body_basis(atoms);
  const Eigen::MatrixXd projector = Eigen::MatrixXd::Identity(dim, dim) - q * q.transpose();
  const Eigen::MatrixXd internal = projector * hessian * projector;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(internal);
  // Rigid-body directions now have eigenvalue 0; the lowest internal one is the first eigenvalue
  // that is not one of them, i.e. the lowest among eigenvectors orthogonal to the rigid span.
  NormalMode mode;
  mode.eigenvalue = std::numeric_limits<double>::infinity();
  for (int k = 0; k < dim; ++k) {
    const Eigen::VectorXd v = solver.eigenvectors().col(k);
    if ((q.transpose() * v).norm() > 0.5) continue;  // a rigid-body direction
    mode.eigenvalue = solver.eigenvalues()(k);
    mode.direction = Eigen::Map<const Positions>(v.data(), n, 3);
    break;
  }
  return mode;
}

}  // namespace equimol
