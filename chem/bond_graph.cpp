#include "bond_graph.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "elements.h"

namespace equimol {
namespace {

double radii_sum(const Atoms& atoms, int i, int j) {
  return element(atoms.numbers[i]).covalent_radius_ang + element(atoms.numbers[j]).covalent_radius_ang;
}

}  // namespace

std::vector<std::vector<int>> BondGraph::neighbours() const {
  std::vector<std::vector<int>> adjacency(n_atoms);
  for (const auto& [i, j] : bonds) {
    adjacency[i].push_back(j);
    adjacency[j].push_back(i);
  }
  return adjacency;
}

BondGraph bonds_from_covalent_radii(const Atoms& atoms, double scale) {
  BondGraph graph{atoms.size(), {}};
  for (int i = 0; i < atoms.size(); ++i) {
    for (int j = i + 1; j < atoms.size(); ++j) {
      const double radii = radii_sum(atoms, i, j);
      const double cutoff = std::max(scale * radii, radii + kCovalentBondMinSlackAng);
      if ((atoms.positions.row(i) - atoms.positions.row(j)).squaredNorm() <= cutoff * cutoff) {
        graph.bonds.emplace_back(i, j);
      }
    }
  }
  return graph;
}

BondGraph bonds_within(const Atoms& atoms, double cutoff) {
  BondGraph graph{atoms.size(), {}};
  for (int i = 0; i < atoms.size(); ++i) {
    for (int j = i + 1; j < atoms.size(); ++j) {
      if ((atoms.positions.row(i) - atoms.positions.row(j)).squaredNorm() <= cutoff * cutoff) graph.bonds.emplace_back(i, j);
    }
  }
  return graph;
}

BondGraph bonds_from_wiberg(const Eigen::MatrixXd& bond_orders, double threshold) {
  BondGraph graph{static_cast<int>(bond_orders.rows()), {}};
  for (int i = 0; i < graph.n_atoms; ++i) {
    for (int j = i + 1; j < graph.n_atoms; ++j) {
      if (bond_orders(i, j) >= threshold) graph.bonds.emplace_back(i, j);
    }
  }
  return graph;
}

BondGraph bonds_from_wiberg(const Eigen::MatrixXd& bond_orders, const Atoms& atoms) {
  BondGraph graph = bonds_from_wiberg(bond_orders);
  const auto too_long = [&](const std::pair<int, int>& bond) {
    const auto [i, j] = bond;
    return (atoms.positions.row(i) - atoms.positions.row(j)).norm() > kWibergBondMaxScale * radii_sum(atoms, i, j);
  };
  graph.bonds.erase(std::remove_if(graph.bonds.begin(), graph.bonds.end(), too_long), graph.bonds.end());
  return graph;
}

BondGraph molecular_bonds(const Atoms& atoms, const Eigen::MatrixXd& bond_orders) {
  return bond_orders.rows() == atoms.size() ? bonds_from_wiberg(bond_orders, atoms) : bonds_from_covalent_radii(atoms);
}

int fragment_count(const BondGraph& graph) {
  std::vector<int> parent(graph.n_atoms);
  std::iota(parent.begin(), parent.end(), 0);
  std::function<int(int)> root = [&](int i) { return parent[i] == i ? i : parent[i] = root(parent[i]); };
  int components = graph.n_atoms;
  for (const auto& [i, j] : graph.bonds) {
    const int a = root(i), b = root(j);
    if (a != b) {
      parent[a] = b;
      --components;
    }
  }
  return components;
}

BondGraph permuted(const BondGraph& graph, const std::vector<int>& permutation) {
  BondGraph out{graph.n_atoms, {}};
  for (const auto& [i, j] : graph.bonds) {
    const int a = permutation[i], b = permutation[j];
    out.bonds.emplace_back(std::min(a, b), std::max(a, b));
  }
  std::sort(out.bonds.begin(), out.bonds.end());
  return out;
}

std::string graph_hash(const std::vector<int>& numbers, const BondGraph& graph) {
  constexpr int kRounds = 3;
  const auto adjacency = graph.neighbours();
  std::vector<size_t> labels(numbers.begin(), numbers.end());
  for (int round = 0; round < kRounds; ++round) {
    std::vector<size_t> next(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
      std::vector<size_t> around;
      for (int j : adjacency[i]) around.push_back(labels[j]);
      std::sort(around.begin(), around.end());
      size_t h = std::hash<size_t>{}(labels[i]);
      for (size_t a : around) h ^= std::hash<size_t>{}(a) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      next[i] = h;
    }
    labels = std::move(next);
  }
  std::sort(labels.begin(), labels.end());
  size_t h = labels.size();
  for (size_t a : labels) h ^= a + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  std::ostringstream out;
  out << std::hex << h;
  return out.str();
}

std::string bonds_text(const BondGraph& graph) {
  std::ostringstream out;
  for (size_t k = 0; k < graph.bonds.size(); ++k) out << (k ? " " : "") << graph.bonds[k].first << "-" << graph.bonds[k].second;
  return out.str();
}

BondGraph parse_bonds(int n_atoms, const std::string& text) {
  BondGraph graph{n_atoms, {}};
  std::istringstream in(text);
  for (std::string pair; in >> pair;) {
    const size_t dash = pair.find('-');
    size_t used_i = 0, used_j = 0;
    int i = -1, j = -1;
    try {
      i = std::stoi(pair.substr(0, dash), &used_i);
      j = std::stoi(pair.substr(dash + 1), &used_j);
    } catch (const std::exception&) {
    }
    if (dash == std::string::npos || used_i != dash || used_j != pair.size() - dash - 1 || i < 0 || j < 0 ||
        i >= n_atoms || j >= n_atoms) {
      throw std::invalid_argument("bonds: '" + pair + "' is not a pair i-j of atoms 0.." + std::to_string(n_atoms - 1));
    }
    graph.bonds.emplace_back(i, j);
  }
  return graph;
}

}  // namespace equimol
