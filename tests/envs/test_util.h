// Small helpers shared by the envs tests.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "envs/pes_env.h"
#include "envs/rng.h"
#include "envs/types.h"

namespace equimol::envs::testing {

inline const std::vector<double>& values(const Observation& obs) {
  return std::get<std::vector<double>>(obs);
}

/// Elementwise |actual - expected| <= tol.
inline void expect_near(const std::vector<double>& actual, const std::vector<double>& expected,
                        double tol = 1e-12) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], tol) << "component " << i;
  }
}

/// PesEnv on Lennard-Jones defaults from a random n-atom cluster drawn with `seed`.
inline PesEnvOptions lj_options(int n_atoms, std::uint64_t seed, int budget) {
  PesEnvOptions options = PesEnvOptions::defaults_for("lj");
  Rng rng(seed);
  options.start = random_cluster(n_atoms, rng);
  options.budget = budget;
  return options;
}

}  // namespace equimol::envs::testing
