#include "xtb_calculator.h"

#include <omp.h>
#include <xtb.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "errors.h"
#include "units.h"

// OpenBLAS (pthread build, which xtb links on Debian) starts one thread per core for its larger
// kernels, independent of OpenMP. Weak so that other BLAS builds link too.
extern "C" void openblas_set_num_threads(int num_threads) __attribute__((weak));

namespace equimol {
namespace {

// Move-only owners of the xtb C handles: the xtb_del* functions take a pointer to the handle.
struct EnvironmentDeleter {
  void operator()(xtb_TEnvironment h) const { xtb_delEnvironment(&h); }
};
struct CalculatorDeleter {
  void operator()(xtb_TCalculator h) const { xtb_delCalculator(&h); }
};
struct MoleculeDeleter {
  void operator()(xtb_TMolecule h) const { xtb_delMolecule(&h); }
};
struct ResultsDeleter {
  void operator()(xtb_TResults h) const { xtb_delResults(&h); }
};
using EnvironmentHandle = std::unique_ptr<std::remove_pointer_t<xtb_TEnvironment>, EnvironmentDeleter>;
using CalculatorHandle = std::unique_ptr<std::remove_pointer_t<xtb_TCalculator>, CalculatorDeleter>;
using MoleculeHandle = std::unique_ptr<std::remove_pointer_t<xtb_TMolecule>, MoleculeDeleter>;
using ResultsHandle = std::unique_ptr<std::remove_pointer_t<xtb_TResults>, ResultsDeleter>;

constexpr int kErrorBufferSize = 1024;

/// The innermost level of xtb's error stack, where the failure arose, without its "-N- " marker. The
/// stack lists the outer levels first, one per line ("-2- xtb_calculator_singlepoint: Electronic
/// structure method terminated\n-1- scf: Self consistent charge iterator did not converge"); they only
/// say that their callers stopped, which our own message ("gfn2 single point failed: ...") says once.
std::string innermost_level(const std::string& stack) {
  std::string level = stack.substr(stack.rfind('\n') + 1);  // npos + 1 == 0: a stack of one line
  const std::size_t marker_end = level.find("- ");
  const bool marked = level.size() > 1 && level[0] == '-' && marker_end != std::string::npos &&
                      level.find_first_not_of("0123456789", 1) == marker_end;
  return marked ? level.substr(marker_end + 2) : level;
}

// Sets the calling thread's OpenMP thread count for the scope of one xtb call, then restores it.
class ThreadScope {
 public:
  explicit ThreadScope(int threads) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(threads);
    if (openblas_set_num_threads) openblas_set_num_threads(threads);
  }
  ~ThreadScope() { omp_set_num_threads(saved_); }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int saved_;
};

// Flushes the Fortran runtime's unit 6 (xtb's stdout). libgfortran buffers it when descriptor 1 is a
// regular file (not a terminal or a pipe), so what xtb wrote while descriptor 1 pointed elsewhere
// would otherwise reach the file later, at the next flush or at exit. Looked up at run time (it is
// libgfortran's FLUSH(unit) subroutine, loaded with libxtb) so that nothing is linked for it.
void flush_fortran_stdout() {
  using FlushUnit = void (*)(std::int32_t*);
  static const auto flush = reinterpret_cast<FlushUnit>(dlsym(RTLD_DEFAULT, "_gfortran_flush_i4"));
  std::int32_t unit = 6;  // output_unit, which xtb's `stdout` and write(*, ...) use
  if (flush) flush(&unit);
}

// xtb 6.5's GFN-FF set-up writes its topology report to the environment's output unit whatever the
// verbosity (Impl binds that unit to /dev/null; xtb's default is standard output), and the files
// gfnff_topo and gfnff_adjacency to the working directory. While it runs, the working directory is a
// private temporary folder (removed afterwards) and, for anything written to standard output all the
// same, descriptor 1 points at /dev/null; C stdio and Fortran unit 6 are flushed on each side. Both
// are process-wide, so set-ups are serialised; other threads' stdout in that window is dropped.
class GfnffSetupScope {
 public:
  GfnffSetupScope() : lock_(mutex()) {
    std::fflush(stdout);
    flush_fortran_stdout();
    saved_stdout_ = dup(STDOUT_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    if (saved_stdout_ >= 0 && null >= 0) dup2(null, STDOUT_FILENO);
    if (null >= 0) close(null);
    saved_cwd_ = open(".", O_RDONLY | O_DIRECTORY);
    char scratch[] = "/tmp/equimol-gfnff-XXXXXX";
    if (saved_cwd_ >= 0 && mkdtemp(scratch) && chdir(scratch) == 0) scratch_ = scratch;
  }
  ~GfnffSetupScope() {
    std::fflush(stdout);
    flush_fortran_stdout();  // into /dev/null, before descriptor 1 is the caller's again
    if (saved_stdout_ >= 0) {
      dup2(saved_stdout_, STDOUT_FILENO);
      close(saved_stdout_);
    }
    if (saved_cwd_ >= 0) {
      if (fchdir(saved_cwd_) != 0) std::perror("equimol: could not return to the working directory");
      close(saved_cwd_);
    }
    if (!scratch_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_, ignored);
    }
  }
  GfnffSetupScope(const GfnffSetupScope&) = delete;
  GfnffSetupScope& operator=(const GfnffSetupScope&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  std::lock_guard<std::mutex> lock_;
  int saved_stdout_ = -1;
  int saved_cwd_ = -1;
  std::string scratch_;
};

}  // namespace

std::string xtb_api_version() {
  const int v = xtb_getAPIVersion();  // 10000 * major + 100 * minor + patch
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}

XtbMethod parse_xtb_method(const std::string& name) {
  if (name == "gfn2") return XtbMethod::kGfn2;
  if (name == "gfn1") return XtbMethod::kGfn1;
  if (name == "gfnff") return XtbMethod::kGfnFF;
  throw InputError("unknown xtb method '" + name + "' (expected gfn2, gfn1 or gfnff)");
}

std::string to_string(XtbMethod method) {
  switch (method) {
    case XtbMethod::kGfn2: return "gfn2";
    case XtbMethod::kGfn1: return "gfn1";
    case XtbMethod::kGfnFF: return "gfnff";
  }
  return "unknown";
}

struct XtbCalculator::Impl {
  EnvironmentHandle env{xtb_newEnvironment()};
  CalculatorHandle calc{xtb_newCalculator()};
  ResultsHandle res{xtb_newResults()};
  MoleculeHandle mol;
  // What `mol` and the loaded parametrisation were built for.
  std::vector<int> numbers;
  int charge = 0;
  int uhf = 0;
  std::vector<double> positions_bohr;
  std::vector<double> gradient;  // Eh/Bohr, [n][3]

  Impl() {
    // The environment's output unit: GFN-FF's set-up writes its topology report there whatever the
    // verbosity (xtb's default unit is Fortran stdout). GfnffSetupScope stays as a second guard.
    xtb_setOutput(env.get(), "/dev/null");
    xtb_setVerbosity(env.get(), XTB_VERBOSITY_MUTED);
    take_error();  // a failed open leaves xtb on stdout, still guarded; not an error of any call
  }

  /// Empties xtb's error stack; returns its innermost level (empty when there was no error).
  std::string take_error() {
    if (xtb_checkEnvironment(env.get()) == 0) return {};
    std::array<char, kErrorBufferSize> buffer{};
    const int size = kErrorBufferSize;
    xtb_getError(env.get(), buffer.data(), &size);
    std::string message(buffer.data());
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    message = innermost_level(message);
    return message.empty() ? "xtb reported an unspecified error" : message;
  }

  bool matches(const Atoms& atoms) const {
    return mol && atoms.numbers == numbers && atoms.charge == charge && atoms.uhf == uhf;
  }

  /// Builds the molecule and loads the parametrisation; returns an error message or "".
  std::string rebuild(const Atoms& atoms, const XtbOptions& options) {
    mol.reset();
    res.reset(xtb_newResults());  // a stale wavefunction of another molecule must not seed the SCF
    calc.reset(xtb_newCalculator());
    numbers = atoms.numbers;
    charge = atoms.charge;
    uhf = atoms.uhf;
    const int n = atoms.size();
    const double charge_e = atoms.charge;
    mol.reset(xtb_newMolecule(env.get(), &n, numbers.data(), positions_bohr.data(), &charge_e, &uhf, nullptr,
                              nullptr));
    if (std::string error = take_error(); !error.empty()) {
      mol.reset();
      return "xtb could not build the molecule: " + error;
    }
    switch (options.method) {
      case XtbMethod::kGfn2: xtb_loadGFN2xTB(env.get(), mol.get(), calc.get(), nullptr); break;
      case XtbMethod::kGfn1: xtb_loadGFN1xTB(env.get(), mol.get(), calc.get(), nullptr); break;
      case XtbMethod::kGfnFF: {
        GfnffSetupScope quiet_and_elsewhere;
        xtb_loadGFNFF(env.get(), mol.get(), calc.get(), nullptr);
        break;
      }
    }
    if (std::string error = take_error(); !error.empty()) {
      mol.reset();
      return "xtb could not load " + to_string(options.method) + ": " + error;
    }
    xtb_setAccuracy(env.get(), calc.get(), options.accuracy);
    xtb_setElectronicTemp(env.get(), calc.get(), options.electronic_temperature_k);
    xtb_setMaxIter(env.get(), calc.get(), options.max_iterations);
    if (!options.solvent.empty()) {
      std::string solvent = options.solvent;
      int state = 0;           // reference state: gsolv (xtb default)
      double temperature = 298.15;
      int grid = 230;          // Lebedev grid points (xtb default)
      xtb_setSolvent(env.get(), calc.get(), solvent.data(), &state, &temperature, &grid);
    }
    if (std::string error = take_error(); !error.empty()) {
      mol.reset();
      return "xtb rejected the calculator settings: " + error;
    }
    return {};
  }
};

XtbCalculator::XtbCalculator(XtbOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  if (!(options_.accuracy > 0.0)) throw InputError("xtb accuracy must be > 0, got " + std::to_string(options_.accuracy));
  if (!(options_.electronic_temperature_k >= 0.0)) {
    throw InputError("xtb electronic temperature must be >= 0 K, got " +
                     std::to_string(options_.electronic_temperature_k));
  }
  if (options_.max_iterations < 1) {
    throw InputError("xtb max SCF iterations must be >= 1, got " + std::to_string(options_.max_iterations));
  }
  if (options_.threads < 1) throw InputError("xtb threads must be >= 1, got " + std::to_string(options_.threads));
  if (!impl_->env || !impl_->calc || !impl_->res) throw std::runtime_error("xtb: could not allocate its handles");
}

XtbCalculator::~XtbCalculator() = default;
XtbCalculator::XtbCalculator(XtbCalculator&&) noexcept = default;
XtbCalculator& XtbCalculator::operator=(XtbCalculator&&) noexcept = default;

Properties XtbCalculator::implemented() const {
  if (options_.method == XtbMethod::kGfnFF) return kEnergyAndForces;  // no Wiberg bond orders
  return Property::kEnergy | Property::kForces | Property::kBondOrders;
}

bool XtbCalculator::forget_history() {
  // GFN-FF keeps nothing between calls (xtb_singlepoint drops its cache after each GFN-FF call).
  if (options_.method == XtbMethod::kGfnFF) return false;
  impl_->res.reset(xtb_newResults());
  return true;
}

Results XtbCalculator::compute(const Atoms& atoms, Properties properties) {
  Impl& x = *impl_;
  Results results;
  const int n = atoms.size();
  x.positions_bohr.resize(3 * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (int d = 0; d < 3; ++d) x.positions_bohr[3 * i + d] = atoms.positions(i, d) * units::kAngstromToBohr;
  }
  ThreadScope threads(options_.threads);

  if (x.matches(atoms)) {
    xtb_updateMolecule(x.env.get(), x.mol.get(), x.positions_bohr.data(), nullptr);
    if (std::string error = x.take_error(); !error.empty()) {
      results.error = "xtb could not update the molecule: " + error;
      x.mol.reset();
      return results;
    }
  } else if (std::string error = x.rebuild(atoms, options_); !error.empty()) {
    results.error = error;
    return results;
  }

  if (!options_.reuse_wavefunction) x.res.reset(xtb_newResults());  // xtb's guess, not the last solution
  xtb_singlepoint(x.env.get(), x.mol.get(), x.calc.get(), x.res.get());
  if (std::string error = x.take_error(); !error.empty()) {
    results.error = to_string(options_.method) + " single point failed: " + error;
    x.res.reset(xtb_newResults());  // drop the failed wavefunction so the next SCF starts clean
    return results;
  }

  double energy_hartree = 0.0;
  xtb_getEnergy(x.env.get(), x.res.get(), &energy_hartree);
  if (properties.has(Property::kForces)) {
    x.gradient.resize(3 * static_cast<size_t>(n));
    xtb_getGradient(x.env.get(), x.res.get(), x.gradient.data());
    results.forces.resize(n, 3);
    for (int i = 0; i < n; ++i) {
      for (int d = 0; d < 3; ++d) {
        results.forces(i, d) = -x.gradient[3 * i + d] * units::kHartreePerBohrToEvPerAngstrom;
      }
    }
  }
  // Wiberg bond orders come with every GFN1/GFN2 single point; copying them costs n² doubles, so they
  // are always returned and a later request for them is a cache hit. GFN-FF has none.
  if (properties.has(Property::kBondOrders) || options_.method != XtbMethod::kGfnFF) {
    results.bond_orders.resize(n, n);  // symmetric, so xtb's column-major layout does not matter
    xtb_getBondOrders(x.env.get(), x.res.get(), results.bond_orders.data());
    results.computed = Property::kBondOrders;
  }
  if (std::string error = x.take_error(); !error.empty()) {
    results.error = "xtb could not return its results: " + error;
    return results;
  }
  if (!std::isfinite(energy_hartree) || (results.forces.size() > 0 && !results.forces.allFinite())) {
    results.error = to_string(options_.method) + " returned a non-finite energy or gradient";
    x.res.reset(xtb_newResults());
    return results;
  }
  results.energy = energy_hartree * units::kHartreeToEv;
  results.ok = true;
  return results;
}

}  // namespace equimol
