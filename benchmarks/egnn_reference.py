#!/usr/bin/python3
"""EGNN in plain PyTorch, written the way the reference implementation (egnn_clean.py of Satorras,
Hoogeboom, Welling 2021) computes it: edge inputs concatenated per edge, scatter_add_ with an expanded
index, mean coordinate aggregation with counts recomputed each layer. Same shapes, initialisation
scheme and objective as benchmarks/bench_egnn.cpp, one intra-op thread.

  /usr/bin/python3 benchmarks/egnn_reference.py [--cpp build-models/benchmarks/bench_egnn]

prints the Python timings; with --cpp it also runs the C++ benchmark in the same session and prints
the ratios (Python median / C++ median, CPU time per iteration) for RESULTS.md.
"""
import argparse
import json
import os
import statistics
import subprocess
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402  (after the thread variables)
from torch import nn  # noqa: E402

ATOMS, BATCH, FEATURES, HIDDEN, LAYERS, DIM = 12, 64, 5, 64, 4, 3


def scatter_sum(data, index, n):
    out = data.new_zeros((n, data.size(1)))
    return out.scatter_add_(0, index.unsqueeze(-1).expand(-1, data.size(1)), data)


def scatter_mean(data, index, n):
    count = scatter_sum(torch.ones_like(data), index, n)
    return scatter_sum(data, index, n) / count.clamp(min=1)


class Layer(nn.Module):
    """m_ij = phi_e(h_i, h_j, |x_i - x_j|^2); x_i += mean_j (x_i - x_j) phi_x(m_ij); h_i += phi_h(h_i, sum_j m_ij)."""

    def __init__(self, f, h):
        super().__init__()
        self.phi_e = nn.Sequential(nn.Linear(2 * f + 1, h), nn.SiLU(), nn.Linear(h, h), nn.SiLU())
        last = nn.Linear(h, 1, bias=False)
        nn.init.xavier_uniform_(last.weight, gain=0.001)
        self.phi_x = nn.Sequential(nn.Linear(h, h), nn.SiLU(), last)
        self.phi_h = nn.Sequential(nn.Linear(f + h, h), nn.SiLU(), nn.Linear(h, f))

    def forward(self, h, x, edges):
        row, col = edges
        diff = x[row] - x[col]
        radial = (diff ** 2).sum(1, keepdim=True)
        m = self.phi_e(torch.cat([h[row], h[col], radial], dim=1))
        x = x + scatter_mean(diff * self.phi_x(m), row, x.size(0))
        h = h + self.phi_h(torch.cat([h, scatter_sum(m, row, h.size(0))], dim=1))
        return h, x


class Egnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding_in = nn.Linear(FEATURES, HIDDEN)
        self.layers = nn.ModuleList(Layer(HIDDEN, HIDDEN) for _ in range(LAYERS))
        self.embedding_out = nn.Linear(HIDDEN, 1)

    def forward(self, h, x, edges, batch, graphs):
        h = self.embedding_in(h)
        for layer in self.layers:
            h, x = layer(h, x, edges)
        h = self.embedding_out(h)
        return h, x, scatter_sum(h, batch, graphs)


def make_batch(graphs):
    pairs = [(i, j) for i in range(ATOMS) for j in range(ATOMS) if i != j]
    rows = [g * ATOMS + i for g in range(graphs) for i, _ in pairs]
    cols = [g * ATOMS + j for g in range(graphs) for _, j in pairs]
    edges = torch.tensor([rows, cols], dtype=torch.long)
    batch = torch.arange(graphs).repeat_interleave(ATOMS)
    h = nn.functional.one_hot(torch.randint(FEATURES, (graphs * ATOMS,)), FEATURES).float()
    return h, torch.randn(graphs * ATOMS, DIM), edges, batch


def loss_of(out):
    _, x, pooled = out
    return pooled.square().mean() + x.square().mean()


def timed(step, seconds=3.0, warmup=3):
    """Median CPU time per call (process time, as Google Benchmark's CPU column), in ms."""
    for _ in range(warmup):
        step()
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds or len(times) < 5:
        t0 = time.process_time()
        step()
        times.append((time.process_time() - t0) * 1e3)
    return statistics.median(times), len(times)


def python_timings():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = Egnn()
    results = {"parameters": sum(p.numel() for p in net.parameters())}

    h, x, edges, batch = make_batch(1)
    with torch.no_grad():
        results["forward_1x12_no_grad"] = timed(lambda: net(h, x, edges, batch, 1))
    with torch.inference_mode():
        results["forward_1x12_inference"] = timed(lambda: net(h, x, edges, batch, 1))

    h, x, edges, batch = make_batch(BATCH)

    def forward_backward():
        net.zero_grad()
        loss_of(net(h, x, edges, batch, BATCH)).backward()

    results["forward_backward_64x12"] = timed(forward_backward)
    adam = torch.optim.Adam(net.parameters(), lr=1e-3)

    def train_step():
        adam.zero_grad()
        loss_of(net(h, x, edges, batch, BATCH)).backward()
        adam.step()

    results["train_step_adam_64x12"] = timed(train_step)
    return results


def cpp_timings(binary):
    out = subprocess.run([binary, "--benchmark_format=json", "--benchmark_repetitions=5",
                          "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True, env={**os.environ}).stdout
    rows = json.loads(out)["benchmarks"]
    scale = {"us": 1e-3, "ms": 1.0, "ns": 1e-6}
    return {b["run_name"].split("/")[0]: b["cpu_time"] * scale[b["time_unit"]] for b in rows if b.get("aggregate_name") == "median"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpp", help="path of the bench_egnn binary to run and compare with")
    args = parser.parse_args()
    py = python_timings()
    core = os.environ.get("OPENBLAS_CORETYPE", "auto-detected")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), OpenBLAS core {core}, "
          f"{py['parameters']} parameters")
    for key, value in py.items():
        if key != "parameters":
            print(f"python {key:28s} {value[0]:9.3f} ms  (median of {value[1]})")
    if not args.cpp:
        return
    cpp = cpp_timings(args.cpp)
    for key, value in cpp.items():
        print(f"c++    {key:28s} {value:9.3f} ms  (median of 5 repetitions)")
    pairs = [("forward 1 x 12 (py inference_mode)", "forward_1x12_inference", "BM_EgnnForward_1x12"),
             ("forward 1 x 12 (py no_grad)", "forward_1x12_no_grad", "BM_EgnnForward_1x12"),
             ("forward 1 x 12, C++ through LibTorch ops", "forward_1x12_inference", "BM_EgnnForward_1x12_LibTorch"),
             ("fwd+bwd 64 x 12", "forward_backward_64x12", "BM_EgnnForwardBackward_64x12"),
             ("fwd+bwd 64 x 12, C++ through torch::linear", "forward_backward_64x12", "BM_EgnnForwardBackward_64x12_Dense"),
             ("fwd+bwd+Adam 64 x 12", "train_step_adam_64x12", "BM_EgnnTrainStepAdam_64x12")]
    print("\n| case | Python ms | C++ ms | speed-up |\n|---|---|---|---|")
    for label, py_key, cpp_key in pairs:
        print(f"| {label} | {py[py_key][0]:.3f} | {cpp[cpp_key]:.3f} | {py[py_key][0] / cpp[cpp_key]:.2f}x |")


if __name__ == "__main__":
    main()
