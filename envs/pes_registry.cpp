#include "envs/pes_registry.h"

#include <limits>

namespace equimol::envs {

int MinimaRegistry::find(const Minimum& m) const {
  const double tol = options_.energy_tolerance;
  for (auto it = by_energy_.lower_bound(m.energy - tol); it != by_energy_.end() && it->first <= m.energy + tol; ++it) {
    if (same_minimum(records_[it->second].minimum, m, options_)) return it->second;
  }
  return -1;
}

int MinimaRegistry::add(MinimumRecord record) {
  record.id = size();
  by_energy_.emplace(record.minimum.energy, record.id);
  records_.push_back(std::move(record));
  return records_.back().id;
}

double MinimaRegistry::lowest_energy() const {
  return by_energy_.empty() ? std::numeric_limits<double>::quiet_NaN() : by_energy_.begin()->first;
}

std::vector<int> MinimaRegistry::ids_by_energy() const {
  std::vector<int> ids;
  ids.reserve(by_energy_.size());
  for (const auto& [energy, id] : by_energy_) ids.push_back(id);  // a multimap keeps equal keys in insertion order
  return ids;
}

void MinimaRegistry::clear() {
  records_.clear();
  by_energy_.clear();
}

}  // namespace equimol::envs
