#include "surrogate_surface.h"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace equimol {

void SurrogateOptions::check() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("surrogate: " + what);
  };
  require(cutoff > r_min && r_min >= 0.0, "need 0 <= r_min < cutoff");
  require(bin_width > 0.0 && smearing > 0.0, "bin_width and smearing must be positive");
  require(length_scale > 0.0, "length_scale must be positive");
  require(max_representatives >= 1, "max_representatives must be >= 1");
  require(energy_sigma > 0.0 && force_sigma > 0.0 && ridge >= 0.0, "need energy_sigma, force_sigma > 0 and ridge >= 0");
  require(min_separation >= 0.0, "min_separation must be >= 0");
  require(max_force > 0.0, "max_force must be positive");
  require(max_points >= 1, "max_points must be >= 1");
}

SurrogateSurface::SurrogateSurface(std::vector<int> numbers, SurrogateOptions options) : options_(options) {
  options_.check();
  elements_ = std::move(numbers);
  std::sort(elements_.begin(), elements_.end());
  elements_.erase(std::unique(elements_.begin(), elements_.end()), elements_.end());
  if (elements_.empty()) throw std::invalid_argument("surrogate: no atoms given");
  bins_ = static_cast<int>(std::ceil((options_.cutoff - options_.r_min) / options_.bin_width)) + 1;
  const int n_el = static_cast<int>(elements_.size());
  closest_ = Eigen::MatrixXd::Constant(n_el, n_el, options_.cutoff);
}

bool SurrogateSurface::covers(const Atoms& atoms) const {
  for (int i = 0; i < atoms.size(); ++i)
    for (int j = 0; j < i; ++j) {
      const double limit = closest_(element_index(atoms.numbers[i]), element_index(atoms.numbers[j]));
      if ((atoms.positions.row(i) - atoms.positions.row(j)).norm() < limit) return false;
    }
  return true;
}

int SurrogateSurface::element_index(int z) const {
  const auto it = std::lower_bound(elements_.begin(), elements_.end(), z);
  if (it == elements_.end() || *it != z)
    throw std::invalid_argument("surrogate: element " + std::to_string(z) + " was not declared");
  return static_cast<int>(it - elements_.begin());
}

SurrogateSurface::Environments SurrogateSurface::environments(const Atoms& atoms, bool with_derivatives) const {
  const int n = atoms.size();
  const double rc = options_.cutoff, s2 = options_.smearing * options_.smearing;
  Environments env;
  env.q = Eigen::MatrixXd::Zero(n, static_cast<int>(elements_.size()) * bins_);
  env.terms.resize(n);
  for (int a = 0; a < n; ++a)
    for (int j = 0; j < n; ++j) {
      if (j == a) continue;
      const Eigen::RowVector3d v = atoms.positions.row(a) - atoms.positions.row(j);
      const double r = v.norm();
      if (r >= rc) continue;
      const double fc = 0.5 * (1.0 + std::cos(M_PI * r / rc));
      const double dfc = -0.5 * M_PI / rc * std::sin(M_PI * r / rc);
      const int block = element_index(atoms.numbers[j]);
      NeighbourTerm term{j, block, Eigen::VectorXd(bins_), v / r};
      for (int b = 0; b < bins_; ++b) {
        const double d = r - (options_.r_min + b * options_.bin_width);
        const double g = std::exp(-d * d / (2.0 * s2));
        env.q(a, block * bins_ + b) += fc * g;
        term.dq_dr[b] = dfc * g - fc * g * d / s2;
      }
      if (with_derivatives) env.terms[a].push_back(std::move(term));
    }
  return env;
}

void SurrogateSurface::chain(const Environments& env, const Eigen::MatrixXd& de_dq, Positions& gradient) const {
  for (int a = 0; a < static_cast<int>(env.terms.size()); ++a)
    for (const NeighbourTerm& t : env.terms[a]) {
      // r_aj depends on x_a (+unit) and x_j (-unit).
      const double de_dr = de_dq.row(a).segment(t.block * bins_, bins_).dot(t.dq_dr);
      gradient.row(a) += de_dr * t.unit;
      gradient.row(t.j) -= de_dr * t.unit;
    }
}

bool SurrogateSurface::add(const Atoms& atoms, double energy, const Positions& forces) {
  if (forces.rowwise().norm().maxCoeff() > options_.max_force) return false;
  const double min2 = options_.min_separation * options_.min_separation;
  for (const Point& p : points_)
    if ((p.atoms.positions - atoms.positions).rowwise().squaredNorm().maxCoeff() < min2) return false;
  for (int z : atoms.numbers) element_index(z);  // refuses undeclared elements here rather than at fit()
  for (int i = 0; i < atoms.size(); ++i)
    for (int j = 0; j < i; ++j) {
      const int a = element_index(atoms.numbers[i]), b = element_index(atoms.numbers[j]);
      closest_(a, b) = closest_(b, a) = std::min(closest_(a, b), (atoms.positions.row(i) - atoms.positions.row(j)).norm());
    }
  points_.push_back({atoms, energy, forces});
  ++added_since_choice_;
  if (size() > options_.max_points) {
    if (accounted_ > 0) {  // its rows leave the normal equations
      accumulate(points_.front(), environments(points_.front().atoms, true), -1.0);
      --accounted_;
    }
    points_.erase(points_.begin());
  }
  fitted_ = false;
  forget();  // the cached prediction is of the old weights, and calculate() must now refuse
  return true;
}

SurrogateSurface::Rows SurrogateSurface::rows(const Point& point, const Environments& env) const {
  const int m = static_cast<int>(representatives_.rows());
  const int n_el = static_cast<int>(elements_.size());
  const int n = point.atoms.size();
  const double e_weight = 1.0 / (options_.energy_sigma * std::sqrt(static_cast<double>(n)));
  const double f_weight = 1.0 / options_.force_sigma;
  Rows r{Eigen::MatrixXd::Zero(1 + 3 * n, m + n_el), Eigen::VectorXd(1 + 3 * n)};
  r.target[0] = point.energy * e_weight;
  for (int a = 0; a < n; ++a) {
    r.matrix(0, m + element_index(point.atoms.numbers[a])) += e_weight;
    for (int c = 0; c < 3; ++c) r.target[1 + 3 * a + c] = point.forces(a, c) * f_weight;
  }
  // Column j holds the basis function φ_j = Σ_a k(q_a, q_j) and its forces -∇φ_j.
  const Eigen::MatrixXd k = kernel(point.atoms, env.q);
  r.matrix.block(0, 0, 1, m) = k.colwise().sum() * e_weight;
  Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(3 * n, m);
  for_each_term(env, k, [&](int a, int j, const Eigen::RowVector3d& unit, const Eigen::RowVectorXd& de_dr) {
    for (int c = 0; c < 3; ++c) {
      gradient.row(3 * a + c) += unit[c] * de_dr;
      gradient.row(3 * j + c) -= unit[c] * de_dr;
    }
  });
  r.matrix.block(1, 0, 3 * n, m) = -gradient * f_weight;
  return r;
}

void SurrogateSurface::accumulate(const Point& point, const Environments& env, double sign) {
  const Rows r = rows(point, env);
  normal_.selfadjointView<Eigen::Lower>().rankUpdate(r.matrix.transpose(), sign);
  rhs_.noalias() += sign * r.matrix.transpose() * r.target;
}

void SurrogateSurface::choose_representatives(const std::vector<Environments>& envs) {
  // Farthest-point sampling over every environment seen, per central element, so the expansion covers
  // the data evenly rather than where the relaxations linger.
  std::vector<std::pair<int, int>> all;  // (point, atom)
  for (int p = 0; p < size(); ++p)
    for (int a = 0; a < points_[p].atoms.size(); ++a) all.emplace_back(p, a);
  auto element_of = [&](std::size_t e) { return element_index(points_[all[e].first].atoms.numbers[all[e].second]); };
  auto row_of = [&](std::size_t e) { return envs[all[e].first].q.row(all[e].second); };
  std::vector<double> nearest(all.size(), std::numeric_limits<double>::infinity());
  std::vector<Eigen::RowVectorXd> reps;
  rep_element_.clear();
  radius_ = 0.0;
  auto take = [&](std::size_t e) {
    reps.push_back(row_of(e));
    rep_element_.push_back(element_of(e));
    for (std::size_t i = 0; i < all.size(); ++i)
      if (element_of(i) == rep_element_.back()) nearest[i] = std::min(nearest[i], (row_of(i) - reps.back()).squaredNorm());
  };
  for (int z = 0; z < static_cast<int>(elements_.size()); ++z)
    for (std::size_t e = 0; e < all.size(); ++e)
      if (element_of(e) == z) {
        take(e);
        break;
      }
  while (static_cast<int>(reps.size()) < options_.max_representatives) {
    const std::size_t far = static_cast<std::size_t>(std::max_element(nearest.begin(), nearest.end()) - nearest.begin());
    if (!(nearest[far] > 1e-12)) break;
    radius_ = std::sqrt(nearest[far]);  // the sampling's resolution: later environments farther than it join
    take(far);
  }
  representatives_.resize(static_cast<int>(reps.size()), reps.front().size());
  for (int i = 0; i < representatives_.rows(); ++i) representatives_.row(i) = reps[i];

  std::vector<double> distances;
  for (int i = 0; i < representatives_.rows(); ++i)
    for (int j = i + 1; j < representatives_.rows(); ++j)
      if (rep_element_[i] == rep_element_[j]) distances.push_back((representatives_.row(i) - representatives_.row(j)).norm());
  double median = 1.0;
  if (!distances.empty()) {
    std::nth_element(distances.begin(), distances.begin() + distances.size() / 2, distances.end());
    median = std::max(distances[distances.size() / 2], 1e-6);
  }
  length_ = options_.length_scale * median;
}

void SurrogateSurface::fit() {
  if (points_.empty()) throw std::logic_error("surrogate: fit needs at least one structure");
  const int n_el = static_cast<int>(elements_.size());
  // Representatives are chosen afresh whenever half as many structures as there were at the last
  // choice have come since (the oldest leave beyond max_points). In between, environments of new
  // structures that lie farther than the sampling's radius from every representative join as new
  // ones; the normal equations are then rebuilt from all kept structures, and otherwise only the new
  // structures' rows are added.
  const bool refresh = representatives_.rows() == 0 || 2 * added_since_choice_ >= chosen_at_;
  std::vector<Environments> envs(points_.size());
  auto environment_of = [&](int p) -> const Environments& {
    if (envs[p].q.size() == 0) envs[p] = environments(points_[p].atoms, true);
    return envs[p];
  };
  bool joined = false;
  if (refresh) {
    for (int p = 0; p < size(); ++p) environment_of(p);
    choose_representatives(envs);
    chosen_at_ = size();
    added_since_choice_ = 0;
  } else {
    for (int p = accounted_; p < size(); ++p)
      for (int a = 0; a < points_[p].atoms.size(); ++a) {
        if (representatives_.rows() >= options_.max_representatives) break;
        const Eigen::RowVectorXd q = environment_of(p).q.row(a);
        const int z = element_index(points_[p].atoms.numbers[a]);
        double nearest = std::numeric_limits<double>::infinity();
        for (int r = 0; r < representatives_.rows(); ++r)
          if (rep_element_[r] == z) nearest = std::min(nearest, (q - representatives_.row(r)).norm());
        if (nearest <= radius_) continue;
        representatives_.conservativeResize(representatives_.rows() + 1, Eigen::NoChange);
        representatives_.row(representatives_.rows() - 1) = q;
        rep_element_.push_back(z);
        joined = true;
      }
  }
  const int m = static_cast<int>(representatives_.rows());
  if (refresh || joined) {  // new columns: every kept structure's rows again
    normal_ = Eigen::MatrixXd::Zero(m + n_el, m + n_el);
    rhs_ = Eigen::VectorXd::Zero(m + n_el);
    accounted_ = 0;
  }
  for (int p = accounted_; p < size(); ++p) accumulate(points_[p], environment_of(p), 1.0);
  accounted_ = size();

  // The ridge, relative to the kernel block's scale, also covers the element offsets: with one
  // composition in every structure their columns are proportional, and only the sum is determined.
  Eigen::MatrixXd system = normal_;
  system.diagonal().array() += options_.ridge * system.diagonal().head(m).mean() + 1e-12;
  const Eigen::VectorXd solution = system.selfadjointView<Eigen::Lower>().ldlt().solve(rhs_);
  weights_ = solution.head(m);
  offsets_ = solution.tail(n_el);
  fitted_ = true;
  forget();
}

Eigen::MatrixXd SurrogateSurface::kernel(const Atoms& atoms, const Eigen::MatrixXd& q) const {
  const Eigen::VectorXd q2 = q.rowwise().squaredNorm();
  const Eigen::VectorXd r2 = representatives_.rowwise().squaredNorm();
  // lazyProduct: these products are small, and Eigen's threaded GEMM spends more time starting and
  // waiting for OpenMP threads than multiplying (half the run time, measured with perf).
  Eigen::MatrixXd d2 = -2.0 * q.lazyProduct(representatives_.transpose());
  d2.colwise() += q2;
  d2.rowwise() += r2.transpose();
  Eigen::MatrixXd k = (-d2.cwiseMax(0.0) / (2.0 * length_ * length_)).array().exp().matrix();
  for (int a = 0; a < atoms.size(); ++a) {
    const int z = element_index(atoms.numbers[a]);
    for (int r = 0; r < k.cols(); ++r)
      if (rep_element_[r] != z) k(a, r) = 0.0;
  }
  return k;
}

template <typename Visit>
void SurrogateSurface::for_each_term(const Environments& env, const Eigen::MatrixXd& k, Visit&& visit) const {
  // d k(q_a, q_r) / d r_aj = -k_ar / l² (q_a - q_r)·(dq_a/dr_aj), dq_a/dr_aj living in j's element block.
  const double inv_l2 = 1.0 / (length_ * length_);
  for (int a = 0; a < static_cast<int>(env.terms.size()); ++a)
    for (const NeighbourTerm& t : env.terms[a]) {
      const double own = env.q.row(a).segment(t.block * bins_, bins_).dot(t.dq_dr);
      const Eigen::RowVectorXd reps = (representatives_.middleCols(t.block * bins_, bins_) * t.dq_dr).transpose();
      const Eigen::RowVectorXd de_dr = -inv_l2 * k.row(a).cwiseProduct((own - reps.array()).matrix());
      visit(a, t.j, t.unit, de_dr);
    }
}

Results SurrogateSurface::compute(const Atoms& atoms, Properties properties) {
  if (!fitted_) throw std::logic_error("surrogate: call fit() before calculating");
  const int n = atoms.size();
  const bool forces = properties.has(Property::kForces);
  const Environments env = environments(atoms, forces);
  const Eigen::MatrixXd k = kernel(atoms, env.q);
  Results r;
  r.energy = (k * weights_).sum();
  for (int a = 0; a < n; ++a) r.energy += offsets_[element_index(atoms.numbers[a])];
  r.computed = Property::kEnergy;
  if (forces) {
    // E's gradient is the weights' combination of the basis functions' gradients.
    const Eigen::MatrixXd de_dq = ((k * weights_.asDiagonal()).lazyProduct(representatives_) -
                                   (k * weights_).asDiagonal() * env.q) / (length_ * length_);
    Positions gradient = Positions::Zero(n, 3);
    chain(env, de_dq, gradient);
    r.forces = -gradient;
    r.computed = kEnergyAndForces;
  }
  r.ok = true;
  return r;
}

}  // namespace equimol
