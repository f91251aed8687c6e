#include "models/symmetry_groups.h"

#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace equimol::models {

Representation cartpole_state() {
  Representation rep = trivial(kCartPoleGroupOrder, 4);
  for (double& entry : rep.matrices[1]) entry = -entry;
  return rep;
}

Representation cartpole_actions() { return cyclic_regular(kCartPoleGroupOrder); }

Representation cartpole_value() { return trivial(kCartPoleGroupOrder); }

Representation grid_coordinates() {
  // r^k as the rotation by k * 90 degrees: cos, sin in {1, 0, -1, 0} and {0, 1, 0, -1}.
  const double cos_k[] = {1, 0, -1, 0};
  const double sin_k[] = {0, 1, 0, -1};
  Representation rep{2, {}};
  for (std::int64_t k = 0; k < kGridGroupOrder; ++k) rep.matrices.push_back({cos_k[k], -sin_k[k], sin_k[k], cos_k[k]});
  return rep;
}

Representation grid_image(std::int64_t n) {
  if (n < 1 || n % 2 == 0) throw std::invalid_argument("grid_image: n must be odd and >= 1, got " + std::to_string(n));
  const std::int64_t c = (n - 1) / 2, pixels = n * n;
  auto index = [&](std::int64_t x, std::int64_t y) { return (c - y) * n + (x + c); };
  Representation rep{pixels, {}};
  for (std::int64_t k = 0; k < kGridGroupOrder; ++k) {
    std::vector<double> m(pixels * pixels, 0.0);
    for (std::int64_t x = -c; x <= c; ++x) {
      for (std::int64_t y = -c; y <= c; ++y) {
        std::int64_t rx = x, ry = y;
        for (std::int64_t turn = 0; turn < k; ++turn) std::tie(rx, ry) = std::make_pair(-ry, rx);
        m[index(rx, ry) * pixels + index(x, y)] = 1.0;  // the pixel of (x, y) moves to that of r^k (x, y)
      }
    }
    rep.matrices.push_back(m);
  }
  return rep;
}

Representation grid_actions() {
  Representation rep{4, {}};
  for (std::int64_t k = 0; k < kGridGroupOrder; ++k) {
    std::vector<double> m(16, 0.0);
    for (std::int64_t a = 0; a < 4; ++a) m[((a + 3 * k) % 4) * 4 + a] = 1.0;  // r^k: a -> a - k (mod 4)
    rep.matrices.push_back(m);
  }
  return rep;
}

Representation grid_value() { return trivial(kGridGroupOrder); }

}  // namespace equimol::models
