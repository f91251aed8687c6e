// XtbCalculator overhead: one GFN2 single point (energy + gradient) per iteration on the same molecule,
// through EquiMol's wrapper and through a bare loop over xtb's C API with the same settings.
// The wrapper may cost at most 5% more (RESULTS.md). Beside them, bond perception (Lewis structure and
// canonical SMILES) of the same molecule, which explore and design pay per minimum or molecule. Positions are nudged every call so that the
// wrapper's cache never answers and both sides do a real SCF from the previous wavefunction.
#include <benchmark/benchmark.h>
#include <omp.h>
#include <xtb.h>

#include <memory>
#include <thread>
#include <vector>

#include "chem/bond_graph.h"
#include "chem/bond_orders.h"
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

// One bare C-API session: its own environment, calculator, molecule and results.
class BareSession {
 public:
  explicit BareSession(const equimol::Atoms& atoms) : n_(atoms.size()), xyz_(3 * n_), gradient_(3 * n_) {
    for (int i = 0; i < n_; ++i)
      for (int d = 0; d < 3; ++d) xyz_[3 * i + d] = atoms.positions(i, d) * equimol::units::kAngstromToBohr;
    const double charge = 0.0;
    const int uhf = 0;
    env_ = xtb_newEnvironment();
    xtb_setVerbosity(env_, XTB_VERBOSITY_MUTED);
    calc_ = xtb_newCalculator();
    res_ = xtb_newResults();
    mol_ = xtb_newMolecule(env_, &n_, atoms.numbers.data(), xyz_.data(), &charge, &uhf, nullptr, nullptr);
    xtb_loadGFN2xTB(env_, mol_, calc_, nullptr);
    xtb_setAccuracy(env_, calc_, 1.0);
    xtb_setElectronicTemp(env_, calc_, 300.0);
    xtb_setMaxIter(env_, calc_, 250);
  }
  ~BareSession() {
    xtb_delResults(&res_);
    xtb_delCalculator(&calc_);
    xtb_delMolecule(&mol_);
    xtb_delEnvironment(&env_);
  }
  BareSession(const BareSession&) = delete;
  BareSession& operator=(const BareSession&) = delete;

  // Returns false when xtb reports an error.
  bool single_point(int k) {
    xyz_[0] += (k % 2 ? kNudgeAng : -kNudgeAng) * equimol::units::kAngstromToBohr;
    xtb_updateMolecule(env_, mol_, xyz_.data(), nullptr);
    xtb_singlepoint(env_, mol_, calc_, res_);
    double energy = 0.0;
    xtb_getEnergy(env_, res_, &energy);
    xtb_getGradient(env_, res_, gradient_.data());
    benchmark::DoNotOptimize(energy);
    return xtb_checkEnvironment(env_) == 0;
  }

 private:
  int n_;
  std::vector<double> xyz_, gradient_;
  xtb_TEnvironment env_;
  xtb_TCalculator calc_;
  xtb_TResults res_;
  xtb_TMolecule mol_;
};

void BM_BareCApi(benchmark::State& state) {
  omp_set_num_threads(1);
  if (openblas_set_num_threads) openblas_set_num_threads(1);
  BareSession session(molecule());
  int k = 0;
  for (auto _ : state)
    if (!session.single_point(k++)) state.SkipWithError("xtb failed");
}

// Two sessions on two threads of one process, 20 single points each per iteration: the time per
// iteration against 20 calls of BM_BareCApi shows how well xtb calls scale across threads.
void BM_BareCApiTwoThreads(benchmark::State& state) {
  if (openblas_set_num_threads) openblas_set_num_threads(1);
  constexpr int kCallsPerThread = 20;
  std::vector<std::unique_ptr<BareSession>> sessions;
  for (int t = 0; t < 2; ++t) sessions.push_back(std::make_unique<BareSession>(molecule()));
  bool ok = true;
  for (auto _ : state) {
    std::vector<std::thread> threads;
    std::vector<char> thread_ok(2, 1);
    for (int t = 0; t < 2; ++t)
      threads.emplace_back([&, t] {
        omp_set_num_threads(1);
        for (int k = 0; k < kCallsPerThread; ++k) thread_ok[t] = sessions[t]->single_point(k) && thread_ok[t];
      });
    for (auto& thread : threads) thread.join();
    ok = ok && thread_ok[0] && thread_ok[1];
  }
  if (!ok) state.SkipWithError("xtb failed");
  state.counters["calls_per_s_per_thread"] =
      benchmark::Counter(static_cast<double>(kCallsPerThread * state.iterations()), benchmark::Counter::kIsRate);
}

// Lewis structure of acetanilide from its covalent graph: the starting valences already give a perfect
// structure, so no changes are searched.
void BM_LewisStructure(benchmark::State& state) {
  const equimol::Atoms& atoms = molecule();
  const equimol::BondGraph graph = equimol::bonds_from_covalent_radii(atoms);
  for (auto _ : state) benchmark::DoNotOptimize(equimol::assign_bond_orders(atoms.numbers, graph, 0));
}

// A search that finds nothing: acetanilide without its N-H hydrogen and one methyl hydrogen is a
// diradical with no closed-shell structure, so every change is scored once before the radicals are kept.
void BM_LewisStructureDiradical(benchmark::State& state) {
  const equimol::Atoms atoms = equimol::atoms_from_smiles("[CH2]C(=O)[N]c1ccccc1", 7);
  const equimol::BondGraph graph = equimol::bonds_from_covalent_radii(atoms);
  if (equimol::assign_bond_orders(atoms.numbers, graph, 0).radicals == std::vector<int>(atoms.size(), 0)) {
    state.SkipWithError("not the diradical this measures");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(equimol::assign_bond_orders(atoms.numbers, graph, 0));
}

// Many independent problems: a chain carrying ten nitro groups (55 atoms) starts with twenty open
// oxygens; each group needs its own charge separation, found in one round of scored changes.
void BM_LewisStructureTenNitro(benchmark::State& state) {
  std::string smiles = "C";
  for (int k = 0; k < 10; ++k) smiles += "C([N+](=O)[O-])";
  const equimol::Atoms atoms = equimol::atoms_from_smiles(smiles, 1);
  const equimol::BondGraph graph = equimol::bonds_from_covalent_radii(atoms);
  for (auto _ : state) benchmark::DoNotOptimize(equimol::assign_bond_orders(atoms.numbers, graph, 0));
}

// What a registry entry pays: the Lewis structure, RDKit sanitisation, stereo from 3D, canonical SMILES.
void BM_CanonicalSmiles(benchmark::State& state) {
  const equimol::Atoms& atoms = molecule();
  const equimol::BondGraph graph = equimol::bonds_from_covalent_radii(atoms);
  for (auto _ : state) benchmark::DoNotOptimize(equimol::canonical_smiles(atoms, graph));
}

}  // namespace

BENCHMARK(BM_LewisStructure)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LewisStructureDiradical)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LewisStructureTenNitro)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CanonicalSmiles)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BareCApi)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_BareCApiTwoThreads)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_XtbCalculator)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK_MAIN();
