// Numerical Hessian from analytic forces, and the softest internal mode: tells a minimum from a saddle.
#pragma once

#include <Eigen/Core>

#include <string>

#include "atoms.h"
#include "calculator.h"

namespace equimol {

/// Central differences of the forces, H_ab = -(F_a(x + h e_b) - F_a(x - h e_b)) / 2h, symmetrised.
/// [3n x 3n] in energy/length² of the calculator (eV/Å²). Costs 6n force calls. Returns an empty
/// matrix when a calculation fails.
Eigen::MatrixXd numerical_hessian(Calculator& calculator, const Atoms& atoms, double step);

struct NormalMode {
  double eigenvalue = 0.0;  ///< curvature along the mode, energy/length² (not mass-weighted)
  Positions direction;      ///< unit vector over all atoms, [n][3]
};

/// Orthonormal basis [3n x r] of the rigid-body displacements: the three translations and the three
/// rotations about the centroid (r = 6; 5 for a linear structure).
Eigen::MatrixXd rigid_body_basis(const Atoms& atoms);

/// Orthonormal basis [3n x (3n - r)] of the internal motions: the complement of rigid_body_basis.
Eigen::MatrixXd internal_basis(const Atoms& atoms);

/// The floor of a Hessian guess's curvatures, relative to its stiffest, where it preconditions L-BFGS
/// (Lbfgs::run) or Lanczos (LowestModeOptions::hessian_guess). It keeps steps short along the
/// translations and rotations (zero) and the guess's soft modes; |λ| turns a negative curvature of the
/// guess positive. Measured for L-BFGS on LJ13 minima displaced by 0.003-0.15 σ per coordinate,
/// against 0.1 % and 20 %: near the minimum nearly as fast as the lowest floor (5 against 24 calls without a
/// guess), far from it no slower than without, where the lowest floor took twice as many calls.
constexpr double kHessianGuessFloor = 0.05;

/// Throws std::invalid_argument, naming `who`, unless `guess` is a finite [dim x dim] matrix.
void check_hessian_guess(const Eigen::MatrixXd& guess, int dim, const std::string& who);

/// V |Λ|^(-1/2) Vᵀ of a symmetric H = V Λ Vᵀ (a Hessian guess), each |λ| raised to `relative_floor`
/// times the largest: the linear map in whose coordinates H is the identity on its stiff modes.
/// Throws std::invalid_argument when H is zero or not finite.
Eigen::MatrixXd inverse_square_root(const Eigen::MatrixXd& hessian, double relative_floor);

/// The lowest eigenpair of the Hessian after projecting out the three translations and three rotations,
/// whose eigenvalues are only noise at a stationary point.
NormalMode softest_internal_mode(const Eigen::MatrixXd& hessian, const Atoms& atoms);

}  // namespace equimol
