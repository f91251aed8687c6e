// The softest internal mode without a full Hessian: Lanczos on Hessian-vector products from forces.
//
// A full numerical Hessian costs 6n force calls; deciding minimum vs saddle only needs the lowest
// eigenpair of the Hessian restricted to internal motions (rigid-body span projected out). Lanczos
// with full reorthogonalisation finds it from central-difference products, 2 force calls each:
//   H v ≈ -(F(x + h v) - F(x - h v)) / 2h,  |v| = 1.
// Ritz values bound the lowest eigenvalue from above, so once one is below `stop_below` the structure
// is certainly not a minimum and the iteration stops early.
#pragma once

#include <limits>

#include "atoms.h"
#include "calculator.h"
#include "hessian.h"

namespace equimol {

struct LowestModeOptions {
  double step = 0.005;  ///< finite-difference step h along the unit vector, length (Å, σ)
  /// Stop as soon as the lowest Ritz value is below this, energy/length² (the saddle threshold);
  /// -infinity converges the mode at saddles too.
  double stop_below = -std::numeric_limits<double>::infinity();
  /// Converged when the lowest Ritz pair's residual |H y - θ y| is at most this, energy/length², and
  /// (with a finite stop_below) at most θ - stop_below. An eigenvalue lies within the residual of θ
  /// (within residual²/gap when θ is isolated), so the second condition keeps the interval that holds
  /// it above the threshold: near-threshold structures are converged further, or to exhaustion.
  double residual_tolerance = 1e-3;
  /// A guess of the Hessian, [3n][3n] in energy/length² (a model surface's; empty: none). Lanczos then
  /// runs on A = C⁻¹ Qᵀ H Q C⁻¹, C = (Qᵀ H_guess Q)^(1/2) (its curvatures floored, kHessianGuessFloor)
  /// and Q the internal motions. A's eigenvalues have the signs of H's (Sylvester's law of inertia) and
  /// cluster near 1 where the guess is good, so a few products settle its lowest. It is converged when
  /// A's lowest Ritz pair (θ, y) has a residual at most guided_residual and at most θ minus the
  /// threshold in A's units along the guess's stiffest mode (stop_below / c_max: the nearest to 0, so
  /// that a negative curvature of H that the guess calls stiff cannot pass for clear). The
  /// threshold is tested on, and
  /// the mode reported is, H's softest curvature within the displacements explored (Rayleigh-Ritz for
  /// H on them): an upper bound of its lowest, exact at exhaustion.
  Eigen::MatrixXd hessian_guess;
  double guided_residual = 0.05;  ///< dimensionless (the guess's curvatures are 1)
};

enum class LowestModeStop {
  kBelowThreshold,  ///< a Ritz value fell below stop_below: a saddle (the mode may be unconverged)
  kConverged,       ///< residual below residual_tolerance
  kExhausted,       ///< the Krylov space spans all internal motions: exact up to finite differences
  kFailed,          ///< a force calculation failed
};

struct LowestModeResult {
  bool ok = false;        ///< false when a force calculation failed
  NormalMode mode;        ///< lowest Ritz value of H (energy/length²) and its unit vector [n][3]
  double residual = 0.0;  ///< |H y - θ y| of the returned pair, energy/length² (with a guess: of its operator, dimensionless)
  int iterations = 0;     ///< Hessian-vector products
  long force_calls = 0;   ///< calculations run (Calculator::calls(), cache hits excluded)
  LowestModeStop stop = LowestModeStop::kFailed;
};

/// The lowest eigenpair of the Hessian on internal motions (three translations and three rotations
/// projected out, as softest_internal_mode), from at most 2 (3n - 6) force calls, fewer with a good
/// Hessian guess. Deterministic: the start vector is a fixed pseudo-random vector, projected.
LowestModeResult lowest_internal_mode(Calculator& calculator, const Atoms& atoms, const LowestModeOptions& options);

}  // namespace equimol
