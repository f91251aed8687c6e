// XtbCalculator: GFN2-xTB, GFN1-xTB and GFN-FF through xtb's C API (xtb.h, kept behind a pimpl).
//
// Owns one xtb environment, calculator, molecule and results object. The molecule is reused through
// xtb_updateMolecule while the atomic numbers, charge and uhf stay the same; otherwise it is rebuilt
// and the parametrisation reloaded; the last SCF solution seeds the next SCF unless
// XtbOptions::reuse_wavefunction is false or calculate_fresh() is used. xtb's own output is muted. Every xtb error (bad structure,
// parametrisation failure, SCF not converged) is read from the environment and returned as
// Results::error with ok == false. Energies leave in eV and forces in eV/Å.
//
// Not thread-safe: use one XtbCalculator per thread (each owns its xtb state).
// GFN-FF only: xtb 6.5 writes topology files to the working directory when it sets up a molecule
// (the first calculation, and after the atoms change), so during that set-up the whole process's
// working directory is a private scratch folder and its standard output /dev/null. Set-ups are
// serialised; another thread that opens a relative path or prints in that window lands there. EquiMol's
// own worker threads (VectorEnv) only step environments; its stores and outputs are opened by the
// main thread outside those parallel steps.
#pragma once

#include <memory>
#include <string>

#include "calculator.h"

namespace equimol {

enum class XtbMethod { kGfn2, kGfn1, kGfnFF };

/// "gfn2" | "gfn1" | "gfnff" -> method; throws InputError naming the bad value.
XtbMethod parse_xtb_method(const std::string& name);
/// The version of xtb's C API, e.g. "1.0.0" (xtb_getAPIVersion; the xtb release itself is not in the API).
std::string xtb_api_version();
std::string to_string(XtbMethod method);

struct XtbOptions {
  XtbMethod method = XtbMethod::kGfn2;
  double accuracy = 1.0;                   ///< xtb --acc (smaller is tighter); 1.0 as the xtb program
  double electronic_temperature_k = 300.0; ///< Fermi smearing temperature, K; 300 as the xtb program
  int max_iterations = 250;                ///< SCF cycles before xtb reports failure; 250 as xtb
  std::string solvent;                     ///< implicit solvent (GBSA) by name, e.g. "water"; empty = gas
  /// OpenMP threads xtb may use during a call (and OpenBLAS threads). Default 1: environments run in
  /// parallel over molecules; an unset OMP_NUM_THREADS made xtb ~6x slower on 2 cores.
  int threads = 1;
  /// Start each GFN1/GFN2 SCF from the previous call's solution (true, faster) or from xtb's own guess
  /// (false: every energy is a function of the structure alone, even where the SCF has several
  /// solutions). calculate_fresh() gives the latter for one call whatever this says.
  bool reuse_wavefunction = true;
};

class XtbCalculator final : public Calculator {
 public:
  explicit XtbCalculator(XtbOptions options = {});
  ~XtbCalculator() override;
  XtbCalculator(XtbCalculator&&) noexcept;
  XtbCalculator& operator=(XtbCalculator&&) noexcept;
  XtbCalculator(const XtbCalculator&) = delete;
  XtbCalculator& operator=(const XtbCalculator&) = delete;

  std::string name() const override { return to_string(options_.method); }
  Properties implemented() const override;
  const XtbOptions& options() const { return options_; }

 protected:
  Results compute(const Atoms& atoms, Properties properties) override;
  bool forget_history() override;

 private:
  struct Impl;
  XtbOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace equimol
