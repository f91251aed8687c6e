// Agent overhead in molecular design (issue 6: time outside xtb <= 10% of the env-step time at batch
// size 1). One iteration places every atom of a real molecule on DesignEnv's canvas (GFN2 reward per
// placement) and, before each placement, lets the EGNN design agent choose an action for that canvas
// (forward pass and greedy mode, or a sample), through LibTorch or through DesignInference (the same
// policy on the dense kernels, what `equimol design --agent RUN_DIR` uses). The agent's choice is
// discarded: the placements replay
// an RDKit conformer, so every step is a valid one whose cost is what a trained agent meets. The
// weights are untrained, which does not change the cost of a forward pass.
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "chem/elements.h"
#include "chem/rdkit_bridge.h"
#include "envs/design_env.h"
#include "envs/formula.h"
#include "rl/agents.h"
#include "rl/design_egnn_agent.h"
#include "rl/design_inference.h"
#include "rl/featurize.h"
#include "rl/threads.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Case {
  const char* formula;
  const char* smiles;
};
// Bags of the bars: C2H2O2 (glyoxal), CH3NO (formamide); and a larger one, C7H10O2.
const Case kCases[] = {{"CH3NO", "NC=O"}, {"C2H2O2", "O=CC=O"}, {"C7H10O2", "CC1C(=O)CCCC1=O"}};

/// Atom order in which every atom after the first is bonded (covalent radii + 0.4 Å) to one placed
/// before it: a breadth-first walk from atom 0, so each H follows its heavy neighbour.
std::vector<int> placement_order(const equimol::Atoms& atoms) {
  const int n = atoms.size();
  std::vector<int> order = {0};
  std::vector<bool> placed(static_cast<std::size_t>(n), false);
  placed[0] = true;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const int i = order[k];
    for (int j = 0; j < n; ++j) {
      const double bond = equimol::element(atoms.numbers[i]).covalent_radius_ang +
                          equimol::element(atoms.numbers[j]).covalent_radius_ang + 0.4;
      if (!placed[static_cast<std::size_t>(j)] && (atoms.positions.row(i) - atoms.positions.row(j)).norm() < bond) {
        placed[static_cast<std::size_t>(j)] = true;
        order.push_back(j);
      }
    }
  }
  return order;
}

enum class Path { kLibTorch, kInference };

void run(benchmark::State& state, bool greedy, Path path) {
  const Case& c = kCases[state.range(0)];
  equimol::rl::set_torch_threads(1);
  equimol::Atoms molecule = equimol::atoms_from_smiles(c.smiles, 1);
  const std::vector<int> order = placement_order(molecule);
  // The env puts the first atom at the origin whatever the action says.
  molecule.positions.rowwise() -= Eigen::RowVector3d(molecule.positions.row(order[0]));
  equimol::envs::DesignEnvOptions options;
  options.task = equimol::envs::DesignTask::single(equimol::envs::parse_formula(c.formula));
  equimol::envs::DesignEnv env(options);
  torch::manual_seed(1);
  auto agent = equimol::rl::make_agent("egnn", env.observation_space(), env.action_space(), nlohmann::json::object());
  agent->eval();
  const equimol::rl::DesignInference inference(dynamic_cast<equimol::rl::DesignEgnnActorCriticImpl&>(*agent));
  std::mt19937_64 rng(1);

  double agent_seconds = 0.0, env_seconds = 0.0, calculator_seconds = 0.0;
  long steps = 0;
  for (auto _ : state) {
    env.reset(1);
    const double calculator_before = env.calculator_seconds();
    for (int i : order) {
      const auto t0 = Clock::now();
      if (path == Path::kLibTorch) {
        c10::InferenceMode inference_mode;
        const equimol::envs::Observation obs = env.observe();
        const auto out = agent->forward(equimol::rl::stack_observations({&obs}, env.observation_space()));
        benchmark::DoNotOptimize(greedy ? out.distribution->mode() : out.distribution->sample());
      } else {
        const equimol::envs::Observation obs = env.observe();
        const auto& canvas = std::get<equimol::envs::GraphObservation>(obs);
        benchmark::DoNotOptimize(greedy ? inference.greedy(canvas) : inference.sample(canvas, rng));
      }
      const auto t1 = Clock::now();
      const auto result = env.step(equimol::envs::place_action(molecule.numbers[i], molecule.positions.row(i)));
      const auto t2 = Clock::now();
      if (result.reward < -10.0) state.SkipWithError("an invalid placement: the replay is broken");
      agent_seconds += std::chrono::duration<double>(t1 - t0).count();
      env_seconds += std::chrono::duration<double>(t2 - t1).count();
      ++steps;
    }
    calculator_seconds += env.calculator_seconds() - calculator_before;
  }
  state.counters["agent_ms_per_step"] = 1e3 * agent_seconds / steps;
  state.counters["env_ms_per_step"] = 1e3 * env_seconds / steps;
  state.counters["xtb_ms_per_step"] = 1e3 * calculator_seconds / steps;
  // The bar's figure: time outside xtb as a share of agent + env time per step.
  state.counters["outside_xtb_pct"] = 100.0 * (1.0 - calculator_seconds / (agent_seconds + env_seconds));
  state.SetLabel(std::string(c.formula) + " " + c.smiles);
}

void BM_GreedyAgentAndEnv(benchmark::State& state) { run(state, true, Path::kLibTorch); }
void BM_SampledAgentAndEnv(benchmark::State& state) { run(state, false, Path::kLibTorch); }
void BM_GreedyInferenceAndEnv(benchmark::State& state) { run(state, true, Path::kInference); }
void BM_SampledInferenceAndEnv(benchmark::State& state) { run(state, false, Path::kInference); }

}  // namespace

BENCHMARK(BM_GreedyAgentAndEnv)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_SampledAgentAndEnv)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GreedyInferenceAndEnv)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_SampledInferenceAndEnv)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_MAIN();
