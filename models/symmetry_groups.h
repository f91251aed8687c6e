// The symmetry groups of our environments, as representations on their observations and actions.
// Each group fixes an order of its elements; all representations of one group follow it.
#pragma once

#include <cstdint>

#include "models/representation.h"

namespace equimol::models {

// ---- CartPole: Z2 = {identity, mirror}. The mirror x -> -x maps the state (x, x_dot, theta,
// theta_dot) to its negative and swaps the actions push-left (0) and push-right (1); the value is
// unchanged. Element order: 0 identity, 1 mirror.
constexpr std::int64_t kCartPoleGroupOrder = 2;
/// L(mirror) = -I on the 4-dim state.
Representation cartpole_state();
/// K(mirror) = [[0, 1], [1, 0]] on the 2 action logits (the regular representation of Z2).
Representation cartpole_actions();
/// Trivial, for the value.
Representation cartpole_value();

// ---- GridWorld: C4 = {r^0, r^1, r^2, r^3}, r the rotation by +90 degrees (counter-clockwise) about
// the centre cell of an n x n grid with n odd. Cell (x, y), x to the right and y up, both in
// [-c, c] with c = (n - 1) / 2; r maps (x, y) -> (-y, x). Element k is r^k.
constexpr std::int64_t kGridGroupOrder = 4;
/// Position relative to the centre, (x, y): r acts as [[0, -1], [1, 0]].
Representation grid_coordinates();
/// One-hot image of the agent's cell, pixel index (c - y) * n + (x + c) (row 0 on top): r permutes
/// the pixels like it moves cells. Throws std::invalid_argument unless n is odd and >= 1.
Representation grid_image(std::int64_t n);
/// Actions 0 up, 1 right, 2 down, 3 left: r turns up into left, right into up, down into right and
/// left into down, i.e. action a -> (a + 3) mod 4. A permutation (the regular representation of C4).
Representation grid_actions();
/// Trivial, for the value.
Representation grid_value();

}  // namespace equimol::models
