// DesignTask: which bag of atoms a DesignEnv episode starts with (the tasks of MolGym, Simm et al. 2020).
//
//   single      one bag every episode ("CH3NO"; the symmetric bags SOF4, IF5, SF6 are single bags too)
//   multi       one of several bags, drawn uniformly at each reset ("H2O,CHN,...")
//   stochastic  a bag of size drawn uniformly in [min_size, max_size] whose atoms are drawn with the
//               proportions of a formula; bags with an odd total valence are redrawn (MolGym's rule)
// Draws come from the env's seeded random stream, so a seed reproduces the sequence of bags.
#pragma once

#include <string>
#include <vector>

#include "envs/formula.h"
#include "envs/rng.h"

namespace equimol::envs {

enum class DesignTaskKind { kSingle, kMulti, kStochastic };

struct DesignTask {
  DesignTaskKind kind = DesignTaskKind::kSingle;
  std::vector<Bag> bags;  ///< single: one bag; multi: the candidates; stochastic: the proportions
  int min_size = 0;       ///< stochastic only: inclusive range of bag sizes
  int max_size = 0;

  static DesignTask single(Bag bag);
  static DesignTask multi(std::vector<Bag> bags);
  static DesignTask stochastic(Bag proportions, int min_size, int max_size);
  /// "CH3NO" -> single, "H2O,CHN" -> multi; throws InputError for a bad formula.
  static DesignTask from_formulas(const std::string& formulas);

  /// Throws InputError naming the problem (no bag, empty bag, bad size range, no usual valence).
  void check() const;
  /// The bag of a new episode.
  Bag draw(Rng& rng) const;
  /// Every element any drawn bag can hold, ascending Z.
  std::vector<int> elements() const;
  /// Largest bag the task can draw.
  int max_bag_size() const;
  /// "CH3NO", "multi(H2O,CHN)", "stochastic(C7H8N2O2, 10-19 atoms)".
  std::string describe() const;
};

/// The bags of issue 6 (MolGym's benchmarks), as formula lists for DesignTask::from_formulas.
inline constexpr const char* kSingleBags[] = {"CH3NO", "CH4O", "C2H2O2", "C3H5NO3", "C4H7N", "C3H8O", "C7H10O2", "C7H8N2O2"};
inline constexpr const char* kSymmetricBags[] = {"SOF4", "IF5", "SF6"};
inline constexpr const char* kMultiBag = "H2O,CHN,C2N2,H3N,C2H2,CH2O,C2HNO,N4O,C3HN,CH4,CF4";

}  // namespace equimol::envs
