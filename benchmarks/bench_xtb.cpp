// XtbCalculator overhead: one GFN2 single point (energy + gradient) per iteration on the same molecule,
// through EquiMol's wrapper and through a bare loop over xtb's C API with the same settings.
// The wrapper may cost at most 5% more (RESULTS.md). Positions are nudged every call so that the
// wrapper's cache never answers and both sides do a real SCF from the previous wavefunction.
#include <benchmark/benchmark.h>
#include <omp.h>
#include <xtb.h>

#include <vector>

#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xtb_calculator.h"

extern "C" void openblas_set_num_threads(int num_threads) __attribute__((weak));

namespace {

const equimol::Atoms& molecule() {
  static const equimol::Atoms atoms = equimol::atoms_from_smiles("CC(=O)Nc1ccccc1", 7);  // acetanilide, 19 atoms
  return atoms;
}

constexpr double kNudgeAng = 1e-4;

void BM_XtbCalculator(benchmark::State& state) {
  equimol::XtbCalculator calculator;  // GFN2, 1 thread
  equimol::Atoms atoms = molecule();
  int k = 0;
  for (auto _ : state) {
    atoms.positions(0, 0) += (k++ % 2 ? kNudgeAng : -kNudgeAng);
    const auto& r = calculator.calculate(atoms);
    benchmark::DoNotOptimize(r.energy);
  }
}

void BM_BareCApi(benchmark::State& state) {
  omp_set_num_threads(1);
  if (openblas_set_num_threads) openblas_set_num_threads(1);
  const equimol::Atoms& atoms = molecule();
  const int n = atoms.size();
  std::vector<double> xyz(3 * n), gradient(3 * n);
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) xyz[3 * i + d] = atoms.positions(i, d) * equimol::units::kAngstromToBohr;
  const double charge = 0.0;
  const int uhf = 0;
  xtb_TEnvironment env = xtb_newEnvironment();
  xtb_setVerbosity(env, XTB_VERBOSITY_MUTED);
  xtb_TCalculator calc = xtb_newCalculator();
  xtb_TResults res = xtb_newResults();
  xtb_TMolecule mol = xtb_newMolecule(env, &n, atoms.numbers.data(), xyz.data(), &charge, &uhf, nullptr, nullptr);
  xtb_loadGFN2xTB(env, mol, calc, nullptr);
  xtb_setAccuracy(env, calc, 1.0);
  xtb_setElectronicTemp(env, calc, 300.0);
  xtb_setMaxIter(env, calc, 250);
  int k = 0;
  for (auto _ : state) {
    xyz[0] += (k++ % 2 ? kNudgeAng : -kNudgeAng) * equimol::units::kAngstromToBohr;
    xtb_updateMolecule(env, mol, xyz.data(), nullptr);
    xtb_singlepoint(env, mol, calc, res);
    double energy = 0.0;
    xtb_getEnergy(env, res, &energy);
    xtb_getGradient(env, res, gradient.data());
    if (xtb_checkEnvironment(env)) state.SkipWithError("xtb failed");
    benchmark::DoNotOptimize(energy);
  }
  xtb_delResults(&res);
  xtb_delCalculator(&calc);
  xtb_delMolecule(&mol);
  xtb_delEnvironment(&env);
}

}  // namespace

BENCHMARK(BM_BareCApi)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_XtbCalculator)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK_MAIN();
