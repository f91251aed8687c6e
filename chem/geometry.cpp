#include "geometry.h"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "elements.h"

namespace equimol {

Eigen::Vector3d center_of_mass(const Atoms& atoms) {
  Eigen::Vector3d weighted = Eigen::Vector3d::Zero();
  double total = 0.0;
  for (int i = 0; i < atoms.size(); ++i) {
    const double m = element(atoms.numbers[i]).mass_amu;
    weighted += m * atoms.positions.row(i).transpose();
    total += m;
  }
  return weighted / total;
}

Eigen::Matrix3d inertia_tensor(const Atoms& atoms) {
  const Eigen::Vector3d com = center_of_mass(atoms);
  Eigen::Matrix3d inertia = Eigen::Matrix3d::Zero();
  for (int i = 0; i < atoms.size(); ++i) {
    const double m = element(atoms.numbers[i]).mass_amu;
    const Eigen::Vector3d r = atoms.positions.row(i).transpose() - com;
    inertia += m * (r.squaredNorm() * Eigen::Matrix3d::Identity() - r * r.transpose());
  }
  return inertia;
}

Eigen::Vector3d principal_moments(const Atoms& atoms) {
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> solver(inertia_tensor(atoms), Eigen::EigenvaluesOnly);
  return solver.eigenvalues();  // ascending
}

Superposition kabsch(const Positions& mobile, const Positions& reference, bool allow_reflection) {
  const Eigen::RowVector3d c_mobile = mobile.colwise().mean();
  const Eigen::RowVector3d c_reference = reference.colwise().mean();
  const Eigen::Matrix3d h = (mobile.rowwise() - c_mobile).transpose() * (reference.rowwise() - c_reference);
  Eigen::JacobiSVD<Eigen::Matrix3d> svd(h, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::Matrix3d correction = Eigen::Matrix3d::Identity();
  if (!allow_reflection && (svd.matrixV() * svd.matrixU().transpose()).determinant() < 0.0) correction(2, 2) = -1.0;
  Superposition s;
  s.rotation = svd.matrixV() * correction * svd.matrixU().transpose();
  s.translation = c_reference.transpose() - s.rotation * c_mobile.transpose();
  const Positions moved = (mobile * s.rotation.transpose()).rowwise() + s.translation.transpose();
  s.rmsd = std::sqrt((moved - reference).rowwise().squaredNorm().mean());
  return s;
}

double aligned_rmsd(const Positions& mobile, const Positions& reference) {
  return kabsch(mobile, reference).rmsd;
}

std::vector<int> solve_assignment(const Eigen::MatrixXd& cost) {
  // Hungarian method with potentials (Kuhn-Munkres, shortest augmenting paths), 1-based internally.
  const int n = static_cast<int>(cost.rows());
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
  std::vector<int> match(n + 1, 0), way(n + 1, 0);  // match[column] = row
  for (int row = 1; row <= n; ++row) {
    match[0] = row;
    int col0 = 0;
    std::vector<double> min_slack(n + 1, inf);
    std::vector<bool> used(n + 1, false);
    do {
      used[col0] = true;
      const int row0 = match[col0];
      double delta = inf;
      int col1 = 0;
      for (int col = 1; col <= n; ++col) {
        if (used[col]) continue;
        const double slack = cost(row0 - 1, col - 1) - u[row0] - v[col];
        if (slack < min_slack[col]) {
          min_slack[col] = slack;
          way[col] = col0;
        }
        if (min_slack[col] < delta) {
          delta = min_slack[col];
          col1 = col;
        }
      }
      for (int col = 0; col <= n; ++col) {
        if (used[col]) {
          u[match[col]] += delta;
          v[col] -= delta;
        } else {
          min_slack[col] -= delta;
        }
      }
      col0 = col1;
    } while (match[col0] != 0);
    do {
      const int col1 = way[col0];
      match[col0] = match[col1];
      col0 = col1;
    } while (col0 != 0);
  }
  std::vector<int> assignment(n);
  for (int col = 1; col <= n; ++col) assignment[match[col] - 1] = col - 1;
  return assignment;
}

namespace {

constexpr double kAnchorToleranceAng = 0.3;  // distances compared when pairing anchor atoms
constexpr int kMaxOrientations = 256;        // candidate orientations tried per comparison
constexpr int kRefinements = 6;              // assignment <-> Kabsch rounds per orientation

// Orthonormal frame (columns) built from two non-parallel vectors; the third axis is flipped
// for a mirrored frame.
Eigen::Matrix3d frame(const Eigen::Vector3d& a, const Eigen::Vector3d& b, bool mirrored) {
  const Eigen::Vector3d e1 = a.normalized();
  Eigen::Vector3d e3 = a.cross(b);
  if (e3.norm() < 1e-8) e3 = e1.unitOrthogonal();
  e3.normalize();
  const Eigen::Vector3d e2 = e3.cross(e1);
  Eigen::Matrix3d f;
  f.col(0) = e1;
  f.col(1) = e2;
  f.col(2) = mirrored ? -e3 : e3;
  return f;
}

// For each reference atom, the mobile atom on it: Hungarian assignment within each element.
std::vector<int> assign_by_element(const Positions& mobile, const Positions& reference,
                                   const std::map<int, std::vector<int>>& ref_groups,
                                   const std::map<int, std::vector<int>>& mob_groups) {
  std::vector<int> permutation(reference.rows());
  for (const auto& [z, ref_idx] : ref_groups) {
    const auto& mob_idx = mob_groups.at(z);
    const int m = static_cast<int>(ref_idx.size());
    if (m == 1) {
      permutation[ref_idx[0]] = mob_idx[0];
      continue;
    }
    Eigen::MatrixXd cost(m, m);
    for (int a = 0; a < m; ++a) {
      for (int b = 0; b < m; ++b) cost(a, b) = (reference.row(ref_idx[a]) - mobile.row(mob_idx[b])).squaredNorm();
    }
    const std::vector<int> assignment = solve_assignment(cost);
    for (int a = 0; a < m; ++a) permutation[ref_idx[a]] = mob_idx[assignment[a]];
  }
  return permutation;
}

std::map<int, std::vector<int>> group_by_element(const std::vector<int>& numbers) {
  std::map<int, std::vector<int>> groups;
  for (int i = 0; i < static_cast<int>(numbers.size()); ++i) groups[numbers[i]].push_back(i);
  return groups;
}

}  // namespace

Matching match_atoms(const Atoms& mobile, const Atoms& reference, bool allow_reflection) {
  Matching best;
  best.rmsd = std::numeric_limits<double>::infinity();
  const int n = reference.size();
  std::vector<int> sorted_ref = reference.numbers, sorted_mob = mobile.numbers;
  std::sort(sorted_ref.begin(), sorted_ref.end());
  std::sort(sorted_mob.begin(), sorted_mob.end());
  if (sorted_ref != sorted_mob) return best;
  if (n == 1) return Matching{{0}, 0.0, false};

  const Positions p = reference.positions.rowwise() - reference.positions.colwise().mean();
  const Positions q = mobile.positions.rowwise() - mobile.positions.colwise().mean();
  const auto ref_groups = group_by_element(reference.numbers);
  const auto mob_groups = group_by_element(mobile.numbers);

  // Anchors in the reference: the atom farthest from the centre, then the one farthest from its axis.
  int a1 = 0;
  p.rowwise().norm().maxCoeff(&a1);
  const Eigen::Vector3d axis = p.row(a1).transpose().normalized();
  int a2 = a1 == 0 ? 1 : 0;
  double best_off_axis = -1.0;
  for (int i = 0; i < n; ++i) {
    if (i == a1) continue;
    const double off_axis = axis.cross(p.row(i).transpose()).norm();
    if (off_axis > best_off_axis + 1e-9) {
      best_off_axis = off_axis;
      a2 = i;
    }
  }
  const Eigen::Vector3d pa1 = p.row(a1).transpose(), pa2 = p.row(a2).transpose();
  const double d12 = (pa1 - pa2).norm();

  std::vector<std::pair<Eigen::Matrix3d, bool>> orientations;  // rotation of mobile onto reference
  for (int mirrored = 0; mirrored <= (allow_reflection ? 1 : 0); ++mirrored) {
    const Eigen::Matrix3d ref_frame = frame(pa1, pa2, mirrored);
    for (int j1 : mob_groups.at(reference.numbers[a1])) {
      const Eigen::Vector3d qj1 = q.row(j1).transpose();
      if (std::abs(qj1.norm() - pa1.norm()) > kAnchorToleranceAng) continue;
      for (int j2 : mob_groups.at(reference.numbers[a2])) {
        if (j2 == j1) continue;
        const Eigen::Vector3d qj2 = q.row(j2).transpose();
        if (std::abs(qj2.norm() - pa2.norm()) > kAnchorToleranceAng) continue;
        if (std::abs((qj1 - qj2).norm() - d12) > kAnchorToleranceAng) continue;
        if (static_cast<int>(orientations.size()) < kMaxOrientations) {
          orientations.emplace_back(ref_frame * frame(qj1, qj2, false).transpose(), mirrored);
        }
      }
    }
  }
  if (orientations.empty()) orientations.emplace_back(Eigen::Matrix3d::Identity(), false);

  for (const auto& [start, mirrored] : orientations) {
    Positions moved = q * start.transpose();
    std::vector<int> permutation;
    double rmsd = std::numeric_limits<double>::infinity();
    bool reflected = mirrored;
    for (int round = 0; round < kRefinements; ++round) {
      std::vector<int> next = assign_by_element(moved, p, ref_groups, mob_groups);
      if (next == permutation) break;
      permutation = std::move(next);
      Positions ordered(n, 3);
      for (int i = 0; i < n; ++i) ordered.row(i) = q.row(permutation[i]);
      const Superposition s = kabsch(ordered, p, allow_reflection);
      moved = (q * s.rotation.transpose()).rowwise() + s.translation.transpose();
      rmsd = s.rmsd;
      reflected = s.rotation.determinant() < 0.0;
    }
    if (rmsd < best.rmsd) best = Matching{permutation, rmsd, reflected};
    if (best.rmsd < 1e-10) break;  // exact match: nothing better to find
  }
  return best;
}

bool same_minimum(const Minimum& a, const Minimum& b, const SameMinimumOptions& options) {
  if (a.atoms.size() != b.atoms.size()) return false;
  if (!a.identity.empty() && !b.identity.empty() && a.identity != b.identity) return false;
  if (std::abs(a.energy - b.energy) > options.energy_tolerance) return false;
  const Matching m = match_atoms(b.atoms, a.atoms, options.allow_reflection);
  if (!(m.rmsd <= options.rmsd_tolerance)) return false;
  if (!options.compare_graphs) return true;
  // permutation[i] is b's atom on a's atom i: rename b's atoms to a's numbering and compare.
  std::vector<int> to_a(m.permutation.size());
  for (size_t i = 0; i < m.permutation.size(); ++i) to_a[m.permutation[i]] = static_cast<int>(i);
  return permuted(b.graph, to_a) == a.graph;
}

}  // namespace equimol
