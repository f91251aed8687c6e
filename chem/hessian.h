// Numerical Hessian from analytic forces, and the softest internal mode: tells a minimum from a saddle.
#pragma once

#include <Eigen/Core>

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

/// The lowest eigenpair of the Hessian after projecting out the three translations and three rotations,
/// whose eigenvalues are only noise at a stationary point.
NormalMode softest_internal_mode(const Eigen::MatrixXd& hessian, const Atoms& atoms);

}  // namespace equimol
