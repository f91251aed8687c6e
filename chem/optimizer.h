// Local optimizers that relax a structure to a minimum: L-BFGS (LBFGSpp) and FIRE (as ASE's).
//
// Converged when the largest per-atom force is at most `fmax` (ASE's criterion). A failed
// calculation (SCF failure) ends a FIRE run with ok == false and the last good structure; L-BFGS
// treats it as an infinitely high point, backs off, and ends at its best point (ok == false only
// when no calculation succeeded). The structure, energy and fmax returned always belong together.
// A calculator that throws (a programming error, calculator.h) is not caught.
#pragma once

#include <memory>
#include <string>

#include "atoms.h"
#include "calculator.h"

namespace equimol {

struct OptimizerOptions {
  double fmax = 0.05;      ///< convergence: max per-atom force, eV/Å (ε/σ for Lennard-Jones); ASE's default
  int max_steps = 1000;    ///< optimizer iterations before giving up
  double max_step = 0.2;   ///< largest displacement of any atom in one step, Å (σ for LJ); ASE's default
  void check() const;      ///< throws std::invalid_argument naming a bad value
};

struct OptimizeResult {
  Atoms atoms;             ///< final (or last good) structure
  double energy = 0.0;     ///< eV (ε for Lennard-Jones)
  double fmax = 0.0;       ///< largest per-atom force at the end
  bool converged = false;
  bool ok = true;          ///< false when a calculation failed; `error` says why
  std::string error;
  int steps = 0;           ///< optimizer iterations
  long gradient_calls = 0; ///< energy+force evaluations
};

/// Largest per-atom force norm.
double max_atom_force(const Positions& forces);

class Optimizer {
 public:
  explicit Optimizer(OptimizerOptions options);
  virtual ~Optimizer() = default;
  virtual std::string name() const = 0;
  /// Relaxes `atoms` with `calculator` (energy and forces).
  virtual OptimizeResult run(Calculator& calculator, Atoms atoms) = 0;

 protected:
  OptimizerOptions options_;
};

/// Fast Inertial Relaxation Engine (Bitzek et al., PRL 97, 170201, 2006) with ASE's parameters.
class Fire final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  std::string name() const override { return "fire"; }
  OptimizeResult run(Calculator& calculator, Atoms atoms) override;
};

/// L-BFGS from LBFGSpp with a backtracking (Armijo) line search whose trial step is capped so that no
/// atom moves more than max_step. Line-search failures end the run; the result is the best point.
class Lbfgs final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  std::string name() const override { return "lbfgs"; }
  OptimizeResult run(Calculator& calculator, Atoms atoms) override;
  /// Relaxes with a guess of the Hessian near the minimum, [3n][3n] in energy/length² (a model
  /// surface's, say): L-BFGS runs in coordinates in which the guess is the identity (its |eigenvalues|
  /// raised to kHessianGuessFloor of the largest, chem/hessian.h), and its first step (also after a
  /// restart) is the guess's Newton step, capped at max_step. From a structure
  /// close to a minimum whose Hessian the guess knows, that converges in a few calls where plain
  /// L-BFGS spends tens learning the curvature. An empty matrix: no guess.
  OptimizeResult run(Calculator& calculator, Atoms atoms, const Eigen::MatrixXd& hessian_guess);
};

enum class OptimizerKind { kLbfgs, kFire };
/// "lbfgs" | "fire"; throws InputError naming the bad value.
OptimizerKind parse_optimizer(const std::string& name);
std::unique_ptr<Optimizer> make_optimizer(OptimizerKind kind, OptimizerOptions options = {});

}  // namespace equimol
