#include "envs/design_task.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "chem/errors.h"

namespace equimol::envs {
namespace {

// Redraws before a stochastic task gives up: an even-valence bag turns up about every other draw.
constexpr int kMaxStochasticDraws = 1000;

}  // namespace

DesignTask DesignTask::single(Bag bag) { return DesignTask{DesignTaskKind::kSingle, {std::move(bag)}, 0, 0}; }

DesignTask DesignTask::multi(std::vector<Bag> bags) { return DesignTask{DesignTaskKind::kMulti, std::move(bags), 0, 0}; }

DesignTask DesignTask::stochastic(Bag proportions, int min_size, int max_size) {
  return DesignTask{DesignTaskKind::kStochastic, {std::move(proportions)}, min_size, max_size};
}

DesignTask DesignTask::from_formulas(const std::string& formulas) {
  std::vector<Bag> bags = parse_formula_list(formulas);
  return bags.size() == 1 ? single(std::move(bags.front())) : multi(std::move(bags));
}

namespace {

// MolGym's placement rule lets H, F, Cl and Br sit only within reach of another kind of atom, so a bag
// of two or more atoms made of those alone (HF, H2, Cl2) can never be completed.
bool only_terminal_atoms(const Bag& bag) {
  for (const auto& [z, count] : bag) {
    if (count > 0 && z != 1 && z != 9 && z != 17 && z != 35) return false;
  }
  return true;
}

}  // namespace

void DesignTask::check() const {
  if (bags.empty()) throw InputError("design task: no bag given");
  if (kind == DesignTaskKind::kSingle && bags.size() != 1) {
    throw InputError("design task: a single-bag task takes one bag, got " + std::to_string(bags.size()));
  }
  for (const Bag& bag : bags) {
    if (bag_size(bag) == 0) throw InputError("design task: a bag is empty");
    if (only_terminal_atoms(bag) && (bag_size(bag) > 1 || kind == DesignTaskKind::kStochastic)) {
      throw InputError("design task: bag " + formula_of(bag) +
                       " has only H, F, Cl and Br, which must each be placed near another kind of atom: it can "
                       "never be completed");
    }
  }
  if (kind == DesignTaskKind::kStochastic) {
    if (bags.size() != 1) throw InputError("design task: a stochastic task takes one formula of proportions");
    if (min_size < 1 || max_size < min_size) {
      throw InputError("design task: stochastic bag sizes need 1 <= min <= max, got " + std::to_string(min_size) + "-" +
                       std::to_string(max_size));
    }
    total_valence(bags.front());  // throws for an element without a usual valence
  }
}

Bag DesignTask::draw(Rng& rng) const {
  switch (kind) {
    case DesignTaskKind::kSingle: return bags.front();
    case DesignTaskKind::kMulti: return bags[rng.uniform_index(static_cast<int>(bags.size()))];
    case DesignTaskKind::kStochastic: break;
  }
  const Bag& proportions = bags.front();
  const int total = bag_size(proportions);
  for (int attempt = 0; attempt < kMaxStochasticDraws; ++attempt) {
    const int size = min_size + rng.uniform_index(max_size - min_size + 1);
    Bag bag;
    for (int k = 0; k < size; ++k) {
      int pick = rng.uniform_index(total);  // an atom of the formula, so elements come in its proportions
      for (const auto& [z, count] : proportions) {
        if (pick < count) {
          ++bag[z];
          break;
        }
        pick -= count;
      }
    }
    if (has_even_valence(bag) && !(bag_size(bag) > 1 && only_terminal_atoms(bag))) return bag;
  }
  throw std::runtime_error("design task " + describe() + ": no completable bag with an even total valence in " +
                           std::to_string(kMaxStochasticDraws) + " draws");
}

std::vector<int> DesignTask::elements() const {
  std::set<int> zs;
  for (const Bag& bag : bags) {
    for (const auto& [z, count] : bag) zs.insert(z);
  }
  return {zs.begin(), zs.end()};
}

int DesignTask::max_bag_size() const {
  if (kind == DesignTaskKind::kStochastic) return max_size;
  int largest = 0;
  for (const Bag& bag : bags) largest = std::max(largest, bag_size(bag));
  return largest;
}

std::string DesignTask::describe() const {
  switch (kind) {
    case DesignTaskKind::kSingle: return formula_of(bags.front());
    case DesignTaskKind::kMulti: {
      std::string out = "multi(";
      for (size_t k = 0; k < bags.size(); ++k) out += (k ? "," : "") + formula_of(bags[k]);
      return out + ")";
    }
    case DesignTaskKind::kStochastic:
      return "stochastic(" + formula_of(bags.front()) + ", " + std::to_string(min_size) + "-" + std::to_string(max_size) +
             " atoms)";
  }
  return "?";
}

}  // namespace equimol::envs
