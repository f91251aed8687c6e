// The per-env random stream (EnvPool gives each env its own mt19937). Draws are defined here, not by
// <random> distributions, so a seed reproduces the same numbers with any standard library.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

namespace equimol::envs {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : engine_(seed) {}

  void seed(std::uint64_t seed) { engine_.seed(seed); }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  /// Uniform on [low, high), as numpy's `np_random.uniform(low, high)`.
  double uniform(double low, double high) { return low + (high - low) * uniform01(); }

  /// Uniform on {0, ..., n - 1} (n >= 1), from one uniform01 draw.
  int uniform_index(int n) { return std::min(n - 1, static_cast<int>(uniform01() * n)); }

  /// The engine state as text (for checkpoints) and back.
  std::string save() const {
    std::ostringstream out;
    out << engine_;
    return out.str();
  }
  void load(const std::string& text) {
    std::istringstream in(text);
    in >> engine_;
  }

 private:
  std::mt19937_64 engine_;
};

/// The seed of a campaign's random streams from its `done`-th step or episode on. A resumed campaign
/// (explore --resume, design --resume) continues with a fresh stream rather than replaying the draws of
/// the work it stored; done = 0 gives `seed` itself. Golden-ratio spacing keeps the streams of nearby
/// seeds and counts apart (seed 3 resumed at 1 is not seed 4).
inline std::uint64_t stream_seed(std::uint64_t seed, long done) {
  return seed + static_cast<std::uint64_t>(done) * 0x9E3779B97F4A7C15ull;
}

/// A point uniform in the unit ball (rejection from the cube, the centre's 1e-6 core excluded): its
/// direction is uniform on the sphere. Callers normalise it (or let the action normalise it).
inline Eigen::RowVector3d random_in_unit_ball(Rng& rng) {
  Eigen::RowVector3d point;
  do {
    point << rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1);
  } while (point.squaredNorm() > 1.0 || point.squaredNorm() < 1e-12);
  return point;
}

}  // namespace equimol::envs
