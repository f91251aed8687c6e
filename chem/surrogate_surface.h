// SurrogateSurface: a machine-learned model of a potential energy surface, fitted to the energies and
// forces a search has already paid for, to screen moves before the true calculator relaxes one
// (GOFEE's idea, Bisbo & Hammer, PRL 124, 086102 (2020), with a GAP-style local model).
//
// Each atom's environment is described by its neighbours' distances, per neighbour element, smeared
// by Gaussians on a grid of radii with a smooth cutoff. The energy is a sum of atomic energies, each a
// kernel expansion over representative environments drawn from the data (farthest-point sampling):
//   E(x) = Σ_Z e_Z n_Z + Σ_atoms a Σ_m w_m k(q_a, q_m),   k = exp(-|q - q'|² / (2 l²)),
// (k is 0 between environments of different central elements). The weights are a ridge regression on
// energies and forces: every gradient call gives 3N + 1 numbers. The kernel is not linear in the
// distances, so the atomic energies are many-body (a pair potential is not built in). Forces are the
// analytic gradient. It is a Calculator: relax on it with chem/optimizer.h as on a real one.
// Units are the training data's: Å, eV, eV/Å (σ, ε, ε/σ for Lennard-Jones).
#pragma once

#include <Eigen/Core>

#include <vector>

#include "atoms.h"
#include "calculator.h"

namespace equimol {

struct SurrogateOptions {
  double cutoff = 4.0;        ///< environment cutoff, Å (σ)
  double r_min = 0.5;         ///< first grid radius, Å (σ)
  double bin_width = 0.1;     ///< grid spacing, Å (σ)
  double smearing = 0.1;      ///< Gaussian width of each distance, Å (σ)
  /// Kernel length, as a multiple of the median distance between representative environments.
  double length_scale = 1.0;
  int max_representatives = 400;
  /// Expected energy error per atom, eV (ε): an energy row is weighted by 1 / (energy_sigma √N), as if
  /// the atoms' errors were independent.
  double energy_sigma = 1e-3;
  double force_sigma = 1e-2;  ///< expected force error per component, eV/Å (ε/σ)
  double ridge = 1e-8;        ///< Tikhonov term, relative to the mean diagonal of the kernel block
  /// A structure is kept only when some atom has moved this far from every kept structure's
  /// (relaxation trajectories repeat themselves near their end), Å (σ).
  double min_separation = 0.02;
  int max_points = 1000;      ///< the oldest structures are dropped beyond this
  /// Structures with a larger force on some atom are not learnt: the first steps of a relaxation
  /// from a clash, whose steep repulsive wall the kernel would fit at the cost of the wells, eV/Å (ε/σ).
  double max_force = 3.0;
  void check() const;         ///< throws std::invalid_argument naming a bad value
};

class SurrogateSurface final : public Calculator {
 public:
  /// `numbers`: the atoms of every structure the model will see.
  SurrogateSurface(std::vector<int> numbers, SurrogateOptions options = {});

  std::string name() const override { return "surrogate"; }
  Properties implemented() const override { return kEnergyAndForces; }

  /// Adds a computed structure: energy and forces in the true calculator's units. Returns false when
  /// it lies too close to a kept one. Call fit() before predicting again.
  bool add(const Atoms& atoms, double energy, const Positions& forces);
  /// Chooses representatives and solves for the weights; needs at least one structure.
  void fit();
  int size() const { return static_cast<int>(points_.size()); }
  /// False when two atoms of `atoms` are closer than any pair of the same elements in the structures
  /// learnt so far (within the cutoff). The model never saw that repulsive wall (max_force keeps
  /// clashes out, and distances below r_min are not described), so there it extrapolates into deep
  /// false wells: on LJ13, relaxations on the model ended with two atoms on one site, up to 7 ε below
  /// the minimum the true relaxation then reached (4 ε below the global minimum).
  bool covers(const Atoms& atoms) const;
  bool fitted() const { return fitted_; }

 protected:
  Results compute(const Atoms& atoms, Properties properties) override;
  /// The cached result belongs to the weights of the last fit(), which drops it this way.
  bool forget_history() override { return true; }

 private:
  struct Point {
    Atoms atoms;
    double energy;
    Positions forces;
  };
  /// dq_a/dr_aj of one neighbour: which block of q it feeds, the derivative of that block, the unit
  /// vector from j to a.
  struct NeighbourTerm {
    int j;
    int block;
    Eigen::VectorXd dq_dr;
    Eigen::RowVector3d unit;
  };
  struct Environments {
    Eigen::MatrixXd q;  // one row per atom
    std::vector<std::vector<NeighbourTerm>> terms;
  };
  Environments environments(const Atoms& atoms, bool with_derivatives) const;
  /// A structure's weighted rows of the regression (energy, then 3N forces) with the current columns.
  struct Rows {
    Eigen::MatrixXd matrix;
    Eigen::VectorXd target;
  };
  Rows rows(const Point& point, const Environments& env) const;
  /// Adds (sign +1) or removes (-1) a structure's rows from the normal equations.
  void accumulate(const Point& point, const Environments& env, double sign);
  void choose_representatives(const std::vector<Environments>& envs);
  /// k(q_a, q_r) for every atom a and representative r (0 across central elements).
  Eigen::MatrixXd kernel(const Atoms& atoms, const Eigen::MatrixXd& q) const;
  /// Calls visit(a, j, unit, dk_a·/dr_aj) for every neighbour pair, the derivative a row over representatives.
  template <typename Visit>
  void for_each_term(const Environments& env, const Eigen::MatrixXd& k, Visit&& visit) const;
  /// Adds dE/dx of E = Σ_a g_a · q_a (g_a = row a of dE_dq) to `gradient`.
  void chain(const Environments& env, const Eigen::MatrixXd& de_dq, Positions& gradient) const;
  int element_index(int z) const;

  SurrogateOptions options_;
  std::vector<int> elements_;   // distinct atomic numbers, sorted
  int bins_ = 0;
  std::vector<Point> points_;
  Eigen::MatrixXd closest_;           // shortest distance learnt per element pair (also after points are dropped)
  Eigen::MatrixXd representatives_;   // one row per representative environment
  std::vector<int> rep_element_;      // central element index of each
  Eigen::VectorXd weights_;           // one per representative
  Eigen::VectorXd offsets_;           // per element, eV (ε) per atom
  double length_ = 1.0;
  double radius_ = 0.0;               // farthest-point sampling's last distance: the resolution of the reps
  int chosen_at_ = 0;                 // structures when the reps were last chosen afresh
  int added_since_choice_ = 0;
  int accounted_ = 0;                 // points_[0, accounted_) are in the normal equations
  Eigen::MatrixXd normal_;            // lower triangle of AᵀA
  Eigen::VectorXd rhs_;               // Aᵀy
  bool fitted_ = false;
};

}  // namespace equimol
