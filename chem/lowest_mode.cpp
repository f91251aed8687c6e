#include "lowest_mode.h"

#include <Eigen/Eigenvalues>

#include <cstdint>

namespace equimol {
namespace {

/// A fixed pseudo-random vector in [-1, 1]^dim (splitmix64; std distributions differ between
/// libraries). Random rather than structured so that it is not orthogonal to the symmetry class of
/// the softest mode of a symmetric cluster, which Krylov iterations would then never see.
Eigen::VectorXd start_vector(int dim) {
  std::uint64_t state = 20240917;
  Eigen::VectorXd v(dim);
  for (int k = 0; k < dim; ++k) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    v(k) = 2.0 * static_cast<double>(z >> 11) / 9007199254740992.0 - 1.0;  // 53 bits -> [-1, 1)
  }
  return v;
}

/// Removes from v its components along the first k basis vectors. Two passes of Gram-Schmidt keep
/// the basis orthonormal to rounding ("twice is enough").
void orthogonalise(Eigen::VectorXd& v, const Eigen::MatrixXd& basis, int k) {
  for (int pass = 0; pass < 2; ++pass) v -= basis.leftCols(k) * (basis.leftCols(k).transpose() * v);
}

/// H v ≈ -(F(x + h v) - F(x - h v)) / 2h for a unit vector v: 2 force calls. Central rather than
/// forward differences: the bias of the latter, (h/2) V'''(v, v), is ~0.5 ε/σ² along an LJ bond at
/// h = 1e-3 σ (V''' = -1069 ε/σ³ at the pair minimum), far above the LJ threshold (-1e-3 ε/σ²).
/// False when a calculation fails.
bool hessian_times(Calculator& calculator, const Atoms& atoms, const Eigen::VectorXd& v, double step,
                   Eigen::VectorXd& product) {
  const int dim = 3 * atoms.size();
  const Eigen::Map<const Positions> direction(v.data(), atoms.size(), 3);
  Atoms moved = atoms;
  moved.positions = atoms.positions + step * direction;
  const Results plus = calculator.calculate(moved, kEnergyAndForces);  // a copy: calculate() returns its cache
  moved.positions = atoms.positions - step * direction;
  const Results minus = calculator.calculate(moved, kEnergyAndForces);
  if (!plus.ok || !minus.ok) return false;
  product = (Eigen::Map<const Eigen::VectorXd>(minus.forces.data(), dim) -
             Eigen::Map<const Eigen::VectorXd>(plus.forces.data(), dim)) / (2.0 * step);
  return true;
}

/// Relative size of the next Lanczos vector below which the Krylov space is invariant.
constexpr double kBreakdown = 1e-10;

}  // namespace

LowestModeResult lowest_internal_mode(Calculator& calculator, const Atoms& atoms, const LowestModeOptions& options) {
  const long calls_before = calculator.calls();
  const int n = atoms.size(), dim = 3 * n;
  // Lanczos runs in coordinates z of the internal motions, displacements G z: G = Q (orthonormal)
  // without a guess, so the operator A = GᵀHG is H on internal motions; G = Q C⁻¹ with one.
  Eigen::MatrixXd g = internal_basis(atoms);
  const bool guided = options.hessian_guess.size() > 0 && g.cols() > 0;
  if (options.hessian_guess.size() > 0) check_hessian_guess(options.hessian_guess, dim, "lowest mode");
  // The threshold in A's units. Guided, H's curvature stop_below along a mode the guess sets at c is
  // stop_below / c in A; the stiffest c gives the threshold nearest 0, which no mode of H below
  // stop_below can pass.
  double threshold = options.stop_below;
  if (guided) {
    const Eigen::MatrixXd internal_guess = g.transpose() * options.hessian_guess * g;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> curvatures(internal_guess, Eigen::EigenvaluesOnly);
    threshold /= curvatures.eigenvalues().cwiseAbs().maxCoeff();
    g = g * inverse_square_root(internal_guess, kHessianGuessFloor);
  }
  const int internal_dim = static_cast<int>(g.cols());
  const double tolerance = guided ? options.guided_residual : options.residual_tolerance;
  Eigen::MatrixXd basis(internal_dim, internal_dim), products(internal_dim, internal_dim);  // Z and A Z
  LowestModeResult result;
  result.mode.eigenvalue = std::numeric_limits<double>::infinity();
  result.stop = LowestModeStop::kExhausted;  // also when there is no internal motion at all
  Eigen::VectorXd z = g.transpose() * start_vector(dim);
  z.normalize();
  for (int k = 0; k < internal_dim; ++k) {
    basis.col(k) = z;
    const Eigen::VectorXd u = g * z;  // the displacement, not a unit vector when guided
    Eigen::VectorXd hu;
    if (!hessian_times(calculator, atoms, u / u.norm(), options.step, hu)) {
      result.stop = LowestModeStop::kFailed;
      result.force_calls = calculator.calls() - calls_before;
      return result;
    }
    products.col(k) = g.transpose() * hu * u.norm();
    result.iterations = k + 1;
    // Rayleigh-Ritz on the Krylov basis. T = Zᵀ A Z is Lanczos' tridiagonal in exact arithmetic;
    // formed in full and symmetrised it also absorbs the finite-difference asymmetry of H.
    const auto V = basis.leftCols(k + 1);
    const auto W = products.leftCols(k + 1);
    const Eigen::MatrixXd t = V.transpose() * W;
    const Eigen::MatrixXd t_sym = 0.5 * (t + t.transpose());
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ritz(t_sym);
    const double theta = ritz.eigenvalues()(0);
    const Eigen::VectorXd s = ritz.eigenvectors().col(0);
    const Eigen::VectorXd y = V * s;
    // The true residual |A y - θ y|, which equals Lanczos' |β_k s_k| in exact arithmetic.
    result.residual = (W * s - theta * y).norm();
    // H's softest curvature within the displacements G V seen so far: Rayleigh-Ritz for H on them,
    // the pencil (T, VᵀGᵀGV). Unguided that is (θ, G y). Guided, A's softest mode need not be H's (a
    // negative curvature the guess calls stiff shrinks in A), so the threshold is tested on this,
    // an upper bound of H's lowest curvature that is exact once the Krylov space is exhausted.
    if (guided) {
      const Eigen::MatrixXd gv = g * V;
      const Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> pencil(t_sym, gv.transpose() * gv);
      const Eigen::VectorXd mode = gv * pencil.eigenvectors().col(0);
      result.mode.eigenvalue = pencil.eigenvalues()(0);
      result.mode.direction = Eigen::Map<const Positions>(mode.data(), n, 3) / mode.norm();
    } else {
      const Eigen::VectorXd mode = g * y;
      result.mode.eigenvalue = theta;
      result.mode.direction = Eigen::Map<const Positions>(mode.data(), n, 3) / mode.norm();
    }
    if (result.mode.eigenvalue < options.stop_below) {  // a Rayleigh quotient of H: λ_min is lower still
      result.stop = LowestModeStop::kBelowThreshold;
      break;
    }
    // Some eigenvalue of A lies within the residual of θ; that interval must clear the threshold.
    const bool clear_of_threshold = result.residual <= theta - threshold;  // true for -infinity
    if (result.residual <= tolerance && clear_of_threshold) {
      result.stop = LowestModeStop::kConverged;
      break;
    }
    z = products.col(k);
    orthogonalise(z, basis, k + 1);
    const double beta = z.norm();
    if (k + 1 == internal_dim || beta <= kBreakdown * products.col(k).norm()) {
      result.stop = LowestModeStop::kExhausted;  // an invariant subspace: exact up to finite differences
      break;
    }
    z /= beta;
  }
  result.ok = true;
  result.force_calls = calculator.calls() - calls_before;
  return result;
}

}  // namespace equimol
