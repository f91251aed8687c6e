// EGNN speed on the shapes of the bar, one intra-op thread: (a) forward of one 12-atom
// complete graph (InferenceMode: the dispatch-free kernels; `_LibTorch` the same forward through
// LibTorch's operators), (b) 64 graphs x 12 atoms forward + backward, and the same plus an Adam step;
// `_Dense` runs the per-edge Linear layers through torch::linear (LibTorch's BLAS GEMM) instead of
// the dense kernels. Hidden 64, 4 layers, n = 3, 5 input features (one-hot H C N O F), 1 output, float32.
// benchmarks/egnn_reference.py times the same math in plain PyTorch (written like the reference
// egnn_clean.py) and prints the ratios RESULTS.md records.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <vector>

#include "models/egnn.h"
#include "models/graph_ops.h"

// OpenBLAS keeps its own thread pool; torch::set_num_threads does not reach it (same as bench_xtb).
extern "C" void openblas_set_num_threads(int num_threads) __attribute__((weak));

namespace {

using equimol::models::EGNN;
using equimol::models::EGNNOptions;

constexpr std::int64_t kAtoms = 12;
constexpr std::int64_t kBatchGraphs = 64;
constexpr std::int64_t kFeatures = 5;  // one-hot element of QM9 (H, C, N, O, F)
constexpr std::int64_t kHidden = 64;
constexpr std::int64_t kLayers = 4;
constexpr std::int64_t kDim = 3;
constexpr double kLearningRate = 1e-3;

struct Batch {
  equimol::models::Graph graph;
  torch::Tensor h, x;
};

Batch make_batch(std::int64_t graphs) {
  const std::vector<std::int64_t> sizes(graphs, kAtoms);
  const torch::Tensor batch = equimol::models::batch_from_sizes(sizes);
  Batch b{equimol::models::make_graph(equimol::models::complete_graph_edges(sizes), batch, graphs), {}, {}};
  b.h = torch::one_hot(torch::randint(kFeatures, {graphs * kAtoms}), kFeatures).to(torch::kFloat32);
  b.x = torch::randn({graphs * kAtoms, kDim});
  return b;
}

void one_thread() {
  torch::set_num_threads(1);
  if (openblas_set_num_threads) openblas_set_num_threads(1);
}

/// dense_kernels: E_GCL Linear layers through the dense kernels (the default) or torch::linear.
EGNN make_net(bool dense_kernels = true) {
  torch::manual_seed(0);
  return EGNN(EGNNOptions(kFeatures, kHidden, 1).layers(kLayers).dense_kernels(dense_kernels));
}

/// The training objective of both sides: invariant read-out plus an equivariant term, so gradients
/// flow through the h and the x paths.
torch::Tensor loss_of(const equimol::models::EGNNOutput& out) { return out.graph_h.square().mean() + out.x.square().mean(); }

void BM_EgnnForward_1x12(benchmark::State& state) {
  one_thread();
  EGNN net = make_net();
  const Batch b = make_batch(1);
  torch::InferenceMode inference;
  for (auto _ : state) {
    auto out = net(b.graph, b.h, b.x);
    benchmark::DoNotOptimize(out.h.data_ptr());
  }
}

/// The same forward through LibTorch's operators (inference_kernels off): what the kernels replace.
void BM_EgnnForward_1x12_LibTorch(benchmark::State& state) {
  one_thread();
  torch::manual_seed(0);
  EGNN net(EGNNOptions(kFeatures, kHidden, 1).layers(kLayers).inference_kernels(false));
  const Batch b = make_batch(1);
  torch::InferenceMode inference;
  for (auto _ : state) {
    auto out = net(b.graph, b.h, b.x);
    benchmark::DoNotOptimize(out.h.data_ptr());
  }
}

void BM_EgnnForwardBackward_64x12(benchmark::State& state) {
  one_thread();
  EGNN net = make_net();
  const Batch b = make_batch(kBatchGraphs);
  for (auto _ : state) {
    net->zero_grad();
    loss_of(net(b.graph, b.h, b.x)).backward();
  }
}

void BM_EgnnForwardBackward_64x12_Dense(benchmark::State& state) {
  one_thread();
  EGNN net = make_net(false);
  const Batch b = make_batch(kBatchGraphs);
  for (auto _ : state) {
    net->zero_grad();
    loss_of(net(b.graph, b.h, b.x)).backward();
  }
}

void BM_EgnnTrainStepAdam_64x12(benchmark::State& state) {
  one_thread();
  EGNN net = make_net();
  const Batch b = make_batch(kBatchGraphs);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(kLearningRate));
  for (auto _ : state) {
    adam.zero_grad();
    loss_of(net(b.graph, b.h, b.x)).backward();
    adam.step();
  }
}

}  // namespace

// Process CPU time (all threads), the same clock egnn_reference.py reads with time.process_time().
BENCHMARK(BM_EgnnForward_1x12)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();
BENCHMARK(BM_EgnnForward_1x12_LibTorch)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();
BENCHMARK(BM_EgnnForwardBackward_64x12)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_EgnnForwardBackward_64x12_Dense)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_EgnnTrainStepAdam_64x12)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

BENCHMARK_MAIN();
