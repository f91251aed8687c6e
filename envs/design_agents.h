// Agents for DesignEnv that need no training: the random baseline a design campaign is compared with.
// (The trained EGNN actor-critic lives in rl/ and models/ and acts through the same DesignPolicy.)
#pragma once

#include <string>

#include "envs/design_env.h"
#include "envs/rng.h"

namespace equimol::envs {

class DesignPolicy {
 public:
  virtual ~DesignPolicy() = default;
  virtual std::string name() const = 0;
  /// The next action for the env's current canvas and bag.
  virtual Action act(const DesignEnv& env) = 0;
};

struct RandomDesignerOptions {
  /// The distance to the focus atom is uniform in [min, max] times the sum of the two covalent radii
  /// (Cordero): a single bond sits near 1.0x, double and triple bonds near 0.87x and 0.78x (C=O 1.21 Å
  /// against 0.76 + 0.66 = 1.42 Å), so the range covers bond lengths without being a bond-length oracle.
  double min_distance_factor = 0.8;
  double max_distance_factor = 1.2;
  void check() const;  ///< throws std::invalid_argument naming a bad value
};

/// The random agent: a focus atom uniform over the canvas, an atom uniform over the bag (so elements in
/// proportion to their counts), a distance around the covalent bond length to the focus, and a direction
/// uniform on the sphere (focus_action); the first atom is just an element.
class RandomDesigner final : public DesignPolicy {
 public:
  explicit RandomDesigner(std::uint64_t seed, RandomDesignerOptions options = {});
  std::string name() const override { return "random"; }
  Action act(const DesignEnv& env) override;

 private:
  Rng rng_;
  RandomDesignerOptions options_;
};

}  // namespace equimol::envs
