// Torch's intra-op threads, set explicitly (design.md: "torch intra-op threads set explicitly").
#pragma once

namespace equimol::rl {

/// Sets torch's intra-op threads and, when torch runs on OpenBLAS (Debian's libtorch does), OpenBLAS's
/// own pool too: its pthread build otherwise keeps one spinning thread per core, which made a
/// single-threaded CartPole run 3x slower in wall-clock and spent most of its CPU in sched_yield.
void set_torch_threads(int threads);

}  // namespace equimol::rl
