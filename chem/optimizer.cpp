#include "optimizer.h"

#include <LBFGS.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "errors.h"
#include "hessian.h"

namespace equimol {

void OptimizerOptions::check() const {
  if (!(fmax > 0.0)) throw std::invalid_argument("fmax must be > 0, got " + std::to_string(fmax));
  if (max_steps < 0) throw std::invalid_argument("max_steps must be >= 0, got " + std::to_string(max_steps));
  if (!(max_step > 0.0)) throw std::invalid_argument("max_step must be > 0, got " + std::to_string(max_step));
}

double max_atom_force(const Positions& forces) {
  return forces.rows() == 0 ? 0.0 : forces.rowwise().norm().maxCoeff();
}

Optimizer::Optimizer(OptimizerOptions options) : options_(options) { options_.check(); }

OptimizerKind parse_optimizer(const std::string& name) {
  if (name == "lbfgs") return OptimizerKind::kLbfgs;
  if (name == "fire") return OptimizerKind::kFire;
  throw InputError("unknown optimizer '" + name + "' (expected lbfgs or fire)");
}

std::unique_ptr<Optimizer> make_optimizer(OptimizerKind kind, OptimizerOptions options) {
  if (kind == OptimizerKind::kFire) return std::make_unique<Fire>(options);
  return std::make_unique<Lbfgs>(options);
}

namespace {

// Scales a displacement so that no atom moves more than max_step.
void cap_displacement(Positions& dr, double max_step) {
  const double largest = dr.rowwise().norm().maxCoeff();
  if (largest > max_step) dr *= max_step / largest;
}

}  // namespace

// ---------------------------------------------------------------------------------------------- FIRE
// ASE's FIRE parameters: dt 0.1, dtmax 1.0, Nmin 5, finc 1.1, fdec 0.5, astart 0.1, fa 0.99.
// The step cap is on the largest per-atom displacement (ASE caps the norm of the whole step).
OptimizeResult Fire::run(Calculator& calculator, Atoms atoms) {
  constexpr double kDtStart = 0.1, kDtMax = 1.0, kFInc = 1.1, kFDec = 0.5, kAStart = 0.1, kFa = 0.99;
  constexpr int kNMin = 5;
  OptimizeResult result;
  const long calls_before = calculator.calls();
  Positions velocity = Positions::Zero(atoms.size(), 3);
  double dt = kDtStart, alpha = kAStart;
  int steps_since_reset = 0;
  Positions last_good = atoms.positions;  // where result.energy and result.fmax were computed

  for (;;) {
    const Results& r = calculator.calculate(atoms, kEnergyAndForces);
    if (!r.ok) {
      result.ok = false;
      result.error = r.error;
      atoms.positions = last_good;  // the structure the energy and fmax belong to (the input at worst)
      break;
    }
    last_good = atoms.positions;
    result.energy = r.energy;
    result.fmax = max_atom_force(r.forces);
    if (result.fmax <= options_.fmax) {
      result.converged = true;
      break;
    }
    if (result.steps >= options_.max_steps) break;

    const Positions& f = r.forces;
    const double power = (f.array() * velocity.array()).sum();
    if (power > 0.0) {
      velocity = (1.0 - alpha) * velocity + alpha * f / f.norm() * velocity.norm();
      if (steps_since_reset > kNMin) {
        dt = std::min(dt * kFInc, kDtMax);
        alpha *= kFa;
      }
      ++steps_since_reset;
    } else {
      velocity.setZero();
      alpha = kAStart;
      dt *= kFDec;
      steps_since_reset = 0;
    }
    velocity += dt * f;
    Positions dr = dt * velocity;
    cap_displacement(dr, options_.max_step);
    atoms.positions += dr;
    ++result.steps;
  }
  result.atoms = std::move(atoms);
  result.gradient_calls = calculator.calls() - calls_before;
  return result;
}

// -------------------------------------------------------------------------------------------- L-BFGS
namespace {

// Thrown by the objective when the fmax criterion holds: LBFGSpp only knows gradient-norm tests.
struct Converged {};

// Thrown by the line search when it finds no step; the run restarts from the best point. Anything
// else thrown inside (a calculator's std::invalid_argument) is a programming error and propagates.
struct LineSearchFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The objective LBFGSpp minimises: x is the flattened positions (Å), the gradient is −forces.
// It remembers the lowest-energy successful point, the last calculator error, and counts steps.
// With a preconditioner P (preconditioned()), LBFGSpp's variables are y with x = origin + P y and
// the gradient Pᵀ ∇E; without one, y is x.
class Objective {
 public:
  Objective(Calculator& calculator, const Atoms& atoms, const OptimizerOptions& options)
      : calculator_(calculator), trial_(atoms), options_(options) {}

  /// Runs in y from here on, x = origin + P y; the next line search tries the Newton step first.
  void precondition(Eigen::MatrixXd p, const Eigen::VectorXd& origin) {
    p_ = std::move(p);
    origin_ = origin;
    newton_step_ = true;
  }
  bool preconditioned() const { return p_.size() > 0; }
  /// A restart from `origin` (y = 0 there), again with the guess's Newton step first.
  void move_origin(const Eigen::VectorXd& origin) {
    origin_ = origin;
    newton_step_ = true;
  }
  Eigen::VectorXd to_x(const Eigen::VectorXd& y) const { return preconditioned() ? Eigen::VectorXd(origin_ + p_ * y) : y; }
  /// The displacement of the atoms along a direction of y.
  Eigen::VectorXd displacement(const Eigen::VectorXd& direction) const {
    return preconditioned() ? Eigen::VectorXd(p_ * direction) : direction;
  }
  /// True once after precondition() or move_origin(): the guessed Hessian's Newton step is a step of 1 along LBFGSpp's
  /// first direction, which LBFGSpp would scale to unit length.
  bool take_newton_step() { return std::exchange(newton_step_, false); }

  double operator()(const Eigen::VectorXd& y, Eigen::VectorXd& grad) {
    const Eigen::VectorXd x = to_x(y);
    trial_.positions = Eigen::Map<const Positions>(x.data(), trial_.size(), 3);
    const Results& r = calculator_.calculate(trial_, kEnergyAndForces);
    if (!r.ok) {  // an infinite value makes the line search back off from this point
      last_error_ = r.error;
      grad.setZero();
      return std::numeric_limits<double>::infinity();
    }
    grad = -Eigen::Map<const Eigen::VectorXd>(r.forces.data(), r.forces.size());
    if (preconditioned()) grad = p_.transpose() * grad;
    const double fmax = max_atom_force(r.forces);
    if (!has_best_ || r.energy < best_energy_ || fmax <= options_.fmax) {
      has_best_ = true;
      best_energy_ = r.energy;
      best_fmax_ = fmax;
      best_positions_ = trial_.positions;
    }
    if (fmax <= options_.fmax) throw Converged{};
    return r.energy;
  }

  double max_step() const { return options_.max_step; }
  void count_step() { ++steps_; }
  int steps() const { return steps_; }
  bool has_best() const { return has_best_; }
  double best_energy() const { return best_energy_; }
  double best_fmax() const { return best_fmax_; }
  const Positions& best_positions() const { return best_positions_; }
  const std::string& last_error() const { return last_error_; }

 private:
  Calculator& calculator_;
  Atoms trial_;
  const OptimizerOptions& options_;
  bool has_best_ = false;
  double best_energy_ = 0.0, best_fmax_ = 0.0;
  Positions best_positions_;
  std::string last_error_;
  int steps_ = 0;
  Eigen::MatrixXd p_;
  Eigen::VectorXd origin_;
  bool newton_step_ = false;
};

// Backtracking line search (Armijo, then weak Wolfe by growing the step) whose trial step never
// moves an atom more than Objective::max_step(). LBFGSpp calls it through its LineSearch policy.
template <typename Scalar>
class CappedLineSearch {
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

 public:
  template <typename Foo>
  static void LineSearch(Foo& f, Scalar& fx, Vector& x, Vector& grad, Scalar& step, const Vector& drt,
                         const Vector& xp, const LBFGSpp::LBFGSParam<Scalar>& param) {
    f.count_step();
    const Vector moves = f.displacement(drt);
    const Scalar largest = Eigen::Map<const Positions>(moves.data(), moves.size() / 3, 3).rowwise().norm().maxCoeff();
    const Scalar cap = f.max_step() / largest;
    if (f.take_newton_step()) step = 1;
    step = std::min(step, cap);
    const Scalar fx_init = fx;
    const Scalar dg_init = grad.dot(drt);
    if (!(dg_init < 0)) throw LineSearchFailed("the search direction does not descend");
    for (int iter = 0; iter < param.max_linesearch; ++iter) {
      x.noalias() = xp + step * drt;
      fx = f(x, grad);
      if (!(fx <= fx_init + param.ftol * step * dg_init)) {  // also catches inf/NaN
        step *= 0.5;
        if (step < param.min_step) break;
        continue;
      }
      if (grad.dot(drt) < param.wolfe * dg_init && step < cap) {  // too short: grow, within the cap
        step = std::min(step * 2.1, cap);
        continue;
      }
      return;
    }
    throw LineSearchFailed("the line search found no acceptable step");
  }
};

}  // namespace

OptimizeResult Lbfgs::run(Calculator& calculator, Atoms atoms) { return run(calculator, std::move(atoms), Eigen::MatrixXd()); }

OptimizeResult Lbfgs::run(Calculator& calculator, Atoms atoms, const Eigen::MatrixXd& hessian_guess) {
  // LBFGSpp keeps no curvature safeguard, so a failed line search restarts it from the best point
  // with an empty memory; after kMaxRestarts the run ends unconverged.
  constexpr int kMaxRestarts = 5;
  constexpr int kMemory = 10;
  OptimizeResult result;
  const long calls_before = calculator.calls();
  Objective objective(calculator, atoms, options_);
  const int dim = static_cast<int>(atoms.positions.size());
  if (hessian_guess.size() > 0) {
    check_hessian_guess(hessian_guess, dim, "lbfgs");
    objective.precondition(inverse_square_root(hessian_guess, kHessianGuessFloor), Eigen::Map<const Eigen::VectorXd>(atoms.positions.data(), dim));
  }

  LBFGSpp::LBFGSParam<double> param;
  param.m = kMemory;
  param.epsilon = 0.0;  // convergence is the fmax test inside Objective
  param.epsilon_rel = 0.0;
  param.past = 0;
  param.max_linesearch = 30;
  // LBFGSpp's variables (x itself when not preconditioned, else 0 at the start).
  Eigen::VectorXd y = objective.preconditioned() ? Eigen::VectorXd::Zero(dim)
                                                 : Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(atoms.positions.data(), dim));
  // The start is evaluated first, so that max_steps 0 still reports its energy and fmax (as FIRE
  // does) and a converged start takes no step; LBFGSpp's own first evaluation is then a cache hit.
  Eigen::VectorXd gradient(dim);
  try {
    objective(y, gradient);
  } catch (const Converged&) {
    result.converged = true;
  }

  for (int restart = 0; restart <= kMaxRestarts && !result.converged && objective.has_best(); ++restart) {
    const int remaining = options_.max_steps - objective.steps();
    if (remaining <= 0) break;
    param.max_iterations = remaining;
    LBFGSpp::LBFGSSolver<double, CappedLineSearch> solver(param);
    double fx = 0.0;
    try {
      solver.minimize(objective, y, fx);
      break;  // max_iterations reached
    } catch (const Converged&) {
      result.converged = true;
      break;
    } catch (const LineSearchFailed&) {  // restart from the best point with an empty memory
      const Eigen::Map<const Eigen::VectorXd> best(objective.best_positions().data(), dim);
      if (objective.preconditioned()) {
        objective.move_origin(best);
        y.setZero();
      } else {
        y = best;
      }
    }
  }

  result.steps = objective.steps();
  result.gradient_calls = calculator.calls() - calls_before;
  if (!objective.has_best()) {
    result.ok = false;
    result.error = objective.last_error().empty() ? "no successful calculation" : objective.last_error();
    result.atoms = std::move(atoms);
    return result;
  }
  atoms.positions = objective.best_positions();
  result.atoms = std::move(atoms);
  result.energy = objective.best_energy();
  result.fmax = objective.best_fmax();
  return result;
}

}  // namespace equimol
