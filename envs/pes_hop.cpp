#include "envs/pes_hop.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace equimol::envs {

Eigen::RowVector3d surface_site(const Positions& positions, int atom, const Eigen::RowVector3d& direction,
                                const std::function<double(int other)>& contact) {
  const int n = static_cast<int>(positions.rows());
  if (atom < 0 || atom >= n || n < 2) throw std::invalid_argument("surface_site: needs an atom and at least one other");
  const double length = direction.norm();
  if (!(length > 0.0) || !std::isfinite(length)) throw std::invalid_argument("surface_site: the direction must be non-zero");
  const Eigen::RowVector3d u = direction / length;
  Eigen::RowVector3d centre = Eigen::RowVector3d::Zero();
  for (int k = 0; k < n; ++k)
    if (k != atom) centre += positions.row(k);
  centre /= n - 1;
  // The ray c + t u leaves sphere k (centre x_k, radius r_k) at t = a + sqrt(r_k² - b²), a = (x_k - c)·u
  // and b the ray's distance from x_k; coming in from t = ∞, the first contact is the largest exit.
  double t = 0.0;
  for (int k = 0; k < n; ++k) {
    if (k == atom) continue;
    const Eigen::RowVector3d to_k = positions.row(k) - centre;
    const double a = to_k.dot(u);
    const double b2 = to_k.squaredNorm() - a * a;
    const double r = contact(k);
    if (r * r >= b2) t = std::max(t, a + std::sqrt(r * r - b2));
  }
  return centre + t * u;
}

}  // namespace equimol::envs
