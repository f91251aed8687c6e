#include "envs/design_agents.h"

#include <algorithm>
#include <stdexcept>

#include "chem/elements.h"

namespace equimol::envs {

void RandomDesignerOptions::check() const {
  if (!(min_distance_factor > 0.0) || !(max_distance_factor >= min_distance_factor)) {
    throw std::invalid_argument("random designer: need 0 < min_distance_factor <= max_distance_factor, got " +
                                std::to_string(min_distance_factor) + " and " + std::to_string(max_distance_factor));
  }
}

RandomDesigner::RandomDesigner(std::uint64_t seed, RandomDesignerOptions options) : rng_(seed), options_(options) {
  options_.check();
}

Action RandomDesigner::act(const DesignEnv& env) {
  const Bag& bag = env.bag();
  const int left = bag_size(bag);
  if (left == 0) throw std::logic_error("random designer: the bag is empty; reset the env");
  int pick = rng_.uniform_index(left);
  int z = bag.begin()->first;
  for (const auto& [element_z, count] : bag) {
    if (pick < count) {
      z = element_z;
      break;
    }
    pick -= count;
  }
  const Atoms& canvas = env.canvas();
  if (canvas.size() == 0) return focus_action(canvas, 0, z, 0.0, Eigen::RowVector3d::UnitX());
  const int focus = rng_.uniform_index(canvas.size());
  const double bond = element(canvas.numbers[focus]).covalent_radius_ang + element(z).covalent_radius_ang;
  const double distance = bond * rng_.uniform(options_.min_distance_factor, options_.max_distance_factor);
  return focus_action(canvas, focus, z, distance, random_in_unit_ball(rng_));  // normalised by the action
}

}  // namespace equimol::envs
