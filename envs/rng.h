// The per-env random stream (EnvPool gives each env its own mt19937). Draws are defined here, not by
// <random> distributions, so a seed reproduces the same numbers with any standard library.
#pragma once

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

}  // namespace equimol::envs
