// Calculator: energy and forces of a structure (after ASE's Calculator).
//
// calculate(atoms, properties) fills a Results value. A numerical failure (SCF not converged, xtb
// rejecting the structure) is a Results with ok == false and a message, never an abort: callers such
// as environments count it and go on. Asking for a property the calculator does not implement is a
// programming error and throws std::invalid_argument.
#pragma once

#include <Eigen/Core>

#include <string>

#include "atoms.h"

namespace equimol {

enum class Property : unsigned { kEnergy = 1u, kForces = 2u, kBondOrders = 4u };

/// A set of properties, e.g. Property::kEnergy | Property::kForces.
class Properties {
 public:
  constexpr Properties(Property p) : bits_(static_cast<unsigned>(p)) {}  // NOLINT: implicit on purpose
  constexpr explicit Properties(unsigned bits) : bits_(bits) {}
  constexpr bool has(Property p) const { return (bits_ & static_cast<unsigned>(p)) != 0; }
  constexpr bool contains(Properties other) const { return (bits_ & other.bits_) == other.bits_; }
  constexpr unsigned bits() const { return bits_; }

 private:
  unsigned bits_;
};
constexpr Properties operator|(Properties a, Properties b) { return Properties(a.bits() | b.bits()); }
constexpr Properties operator|(Property a, Property b) { return Properties(a) | Properties(b); }
inline constexpr Properties kEnergyAndForces = Property::kEnergy | Property::kForces;

struct Results {
  bool ok = false;
  std::string error;        // why !ok, for logs and info dicts
  double energy = 0.0;      // eV (reduced units ε for Lennard-Jones: see Calculator::energy_unit)
  Positions forces;         // eV/Å (ε/σ for Lennard-Jones); empty unless requested
  Eigen::MatrixXd bond_orders;  // Wiberg bond orders [n][n]; empty unless requested
  Properties computed = Properties(0u);
};

class Calculator {
 public:
  virtual ~Calculator() = default;

  /// Short name as on the command line: "gfn2", "gfn1", "gfnff", "lj".
  virtual std::string name() const = 0;
  /// The properties this calculator can compute.
  virtual Properties implemented() const = 0;
  /// "eV" for physical calculators; "epsilon" for reduced-unit models (Lennard-Jones).
  virtual std::string energy_unit() const { return "eV"; }

  /// Computes what is asked, reusing the last result when the structure (numbers, positions, charge,
  /// uhf) is unchanged and it already holds those properties.
  const Results& calculate(const Atoms& atoms, Properties properties = kEnergyAndForces);

  /// Like calculate(), but the result cannot depend on earlier calls. A calculator that carries state
  /// from one call to the next (xtb: the last SCF solution, used as the next SCF's starting guess)
  /// drops it first and always computes; for a stateless calculator this is calculate(). Where the
  /// SCF has several solutions (open-shell or near-degenerate molecules, e.g. singlet O2), calculate()
  /// may land on one or another depending on the previous structure; this one does not.
  const Results& calculate_fresh(const Atoms& atoms, Properties properties = kEnergyAndForces);

  /// Drops the state carried from call to call (and the cached result that came from it); false when
  /// the calculator keeps none. calculate_fresh() is forget() then calculate().
  bool forget();

  /// Number of calculations actually run (cache hits excluded): the "gradient calls" of a search.
  long calls() const { return calls_; }
  /// Wall-clock seconds spent inside compute(), to tell the calculator's cost from everything else.
  double compute_seconds() const { return compute_seconds_; }

 protected:
  virtual Results compute(const Atoms& atoms, Properties properties) = 0;
  /// Drops the state carried from call to call; false when there is none (the default).
  virtual bool forget_history() { return false; }

 private:
  bool cached(const Atoms& atoms, Properties properties) const;

  Results last_;
  Atoms last_atoms_;
  bool has_last_ = false;
  long calls_ = 0;
  double compute_seconds_ = 0.0;
};

}  // namespace equimol
