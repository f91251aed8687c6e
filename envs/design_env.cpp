#include "envs/design_env.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "chem/calculator.h"
#include "chem/elements.h"
#include "chem/errors.h"
#include "chem/units.h"
#include "chem/xtb_calculator.h"

namespace equimol::envs {
namespace {

constexpr int kActionSize = 4;  // Z, x, y, z
// Coordinates the action box declares: a straight chain of the whole canvas at 2 Å spacing fits.
constexpr double kCanvasReachPerAtomAng = 2.0;

// MolGym's "candidates" of the isolation rule: atoms that make one bond and must sit by another kind.
bool is_terminal_element(int z) { return z == 1 || z == 9 || z == 17 || z == 35; }

}  // namespace

std::string to_string(DesignOutcome outcome) {
  switch (outcome) {
    case DesignOutcome::kNone: return "none";
    case DesignOutcome::kPlaced: return "placed";
    case DesignOutcome::kClipped: return "clipped";
    case DesignOutcome::kTooClose: return "too-close";
    case DesignOutcome::kIsolated: return "isolated";
    case DesignOutcome::kNotInBag: return "not-in-bag";
    case DesignOutcome::kScfFailure: return "scf-failure";
  }
  return "unknown";
}

int lowest_uhf(const std::vector<int>& atomic_numbers) {
  int electrons = 0;
  for (int z : atomic_numbers) electrons += z;
  return electrons % 2;
}

void DesignEnvOptions::check() const {
  task.check();
  if (canvas_size < 1) throw InputError("design: canvas_size must be >= 1, got " + std::to_string(canvas_size));
  if (task.max_bag_size() > canvas_size) {
    throw InputError("design: bag " + task.describe() + " holds up to " + std::to_string(task.max_bag_size()) +
                     " atoms but the canvas holds " + std::to_string(canvas_size));
  }
  if (method != "gfn2" && method != "gfn1") {
    throw InputError("design: method must be gfn2 or gfn1 (bond orders are needed), got '" + method + "'");
  }
  if (xtb_threads < 1) throw InputError("design: xtb_threads must be >= 1, got " + std::to_string(xtb_threads));
  if (!(min_distance_ang > 0.0)) throw InputError("design: min_distance_ang must be > 0, got " + std::to_string(min_distance_ang));
  if (!(max_solo_distance_ang > min_distance_ang)) {
    throw InputError("design: max_solo_distance_ang must exceed min_distance_ang, got " + std::to_string(max_solo_distance_ang));
  }
  if (!(min_reward_hartree < 0.0)) {
    throw InputError("design: min_reward_hartree must be < 0, got " + std::to_string(min_reward_hartree));
  }
}

Action place_action(int atomic_number, const Eigen::RowVector3d& position_ang) {
  return std::vector<double>{static_cast<double>(atomic_number), position_ang.x(), position_ang.y(), position_ang.z()};
}

Action focus_action(const Atoms& canvas, int focus, int atomic_number, double distance_ang,
                    const Eigen::RowVector3d& direction) {
  if (canvas.size() == 0) return place_action(atomic_number, Eigen::RowVector3d::Zero());
  if (focus < 0 || focus >= canvas.size()) {
    throw std::invalid_argument("design: focus atom " + std::to_string(focus) + " is not on the canvas of " +
                                std::to_string(canvas.size()) + " atoms");
  }
  const double length = direction.norm();
  if (!(length > 0.0) || !std::isfinite(length)) throw std::invalid_argument("design: the direction must be a nonzero vector");
  return place_action(atomic_number, canvas.positions.row(focus) + (distance_ang / length) * direction);
}

double isolated_atom_energy_ev(int atomic_number, const XtbOptions& xtb) {
  // xtb 6.5 (Debian) now and then returns a lone H atom's GFN2 energy 1 Eh too high (+0.6065 instead of
  // -0.3935 Eh; about 1 fresh calculator in 1000, depending on the heap, so likely an uninitialised
  // value for the empty spin channel). One wrong atom energy would shift every reward of that element,
  // so the energy is the median of kAtomRepeats fresh calculations, which must agree.
  constexpr int kAtomRepeats = 3;
  constexpr double kAgreementEv = 1e-4;
  std::vector<double> energies;
  for (int k = 0; k < kAtomRepeats; ++k) {
    XtbCalculator calculator(xtb);
    const Atoms atom({atomic_number}, Positions::Zero(1, 3), 0, lowest_uhf({atomic_number}));
    const Results& r = calculator.calculate(atom, Property::kEnergy);
    if (!r.ok || !std::isfinite(r.energy)) {
      throw std::runtime_error("design: " + to_string(xtb.method) + " energy of an isolated " +
                               std::string(element(atomic_number).symbol) + " atom failed: " + r.error);
    }
    energies.push_back(r.energy);
  }
  std::sort(energies.begin(), energies.end());
  const double median = energies[kAtomRepeats / 2];
  if (std::count_if(energies.begin(), energies.end(), [&](double e) { return std::abs(e - median) < kAgreementEv; }) < 2) {
    throw std::runtime_error("design: " + to_string(xtb.method) + " energies of an isolated " +
                             std::string(element(atomic_number).symbol) + " atom disagree between calculations");
  }
  return median;
}

DesignEnv::DesignEnv(DesignEnvOptions options) : Env(/*max_episode_steps=*/0), options_(std::move(options)) {
  options_.check();
  XtbOptions xtb;
  xtb.method = parse_xtb_method(options_.method);
  xtb.threads = options_.xtb_threads;
  calculator_ = std::make_unique<XtbCalculator>(xtb);
  elements_ = options_.task.elements();
  for (int z : elements_) atom_energies_ev_.push_back(isolated_atom_energy_ev(z, xtb));
  observation_space_ = GraphSpace{options_.canvas_size, elements_, /*node_feature_dim=*/0,
                                  /*global_dim=*/static_cast<std::int64_t>(elements_.size())};
  const double reach = kCanvasReachPerAtomAng * options_.canvas_size;
  action_space_ = make_box({static_cast<double>(elements_.front()), -reach, -reach, -reach},
                           {static_cast<double>(elements_.back()), reach, reach, reach});
}

DesignEnv::~DesignEnv() = default;

double DesignEnv::atom_energy_ev(int atomic_number) const {
  const auto it = std::lower_bound(elements_.begin(), elements_.end(), atomic_number);
  if (it == elements_.end() || *it != atomic_number) {
    throw std::invalid_argument("design: element " + std::to_string(atomic_number) + " is not in the task");
  }
  return atom_energies_ev_[it - elements_.begin()];
}

double DesignEnv::min_reward_ev() const { return options_.min_reward_hartree * units::kHartreeToEv; }

double DesignEnv::calculator_seconds() const { return calculator_->compute_seconds(); }

void DesignEnv::reset_state(Rng& rng) {
  episode_bag_ = options_.task.draw(rng);
  bag_ = episode_bag_;
  canvas_ = Atoms();
  canvas_.positions.resize(0, 3);
  canvas_energy_ev_ = 0.0;
  canvas_bond_orders_.resize(0, 0);
  last_reward_ev_ = 0.0;
  last_outcome_ = DesignOutcome::kNone;
}

DesignOutcome DesignEnv::check_placement(int z, const Eigen::RowVector3d& position) const {
  const auto left = bag_.find(z);
  if (left == bag_.end() || left->second < 1) return DesignOutcome::kNotInBag;
  bool covered = !is_terminal_element(z) || canvas_.size() == 0;
  for (int k = 0; k < canvas_.size(); ++k) {
    const double distance = (canvas_.positions.row(k) - position).norm();
    if (distance < options_.min_distance_ang) return DesignOutcome::kTooClose;
    if (!is_terminal_element(canvas_.numbers[k]) && distance < options_.max_solo_distance_ang) covered = true;
  }
  return covered ? DesignOutcome::kPlaced : DesignOutcome::kIsolated;
}

StepOutcome DesignEnv::reject(DesignOutcome outcome) {
  switch (outcome) {
    case DesignOutcome::kTooClose: ++counters_.too_close; break;
    case DesignOutcome::kIsolated: ++counters_.isolated; break;
    case DesignOutcome::kNotInBag: ++counters_.not_in_bag; break;
    case DesignOutcome::kScfFailure: ++counters_.scf_failures; break;
    default: break;
  }
  last_outcome_ = outcome;
  last_reward_ev_ = min_reward_ev();
  return StepOutcome{last_reward_ev_, true};
}

StepOutcome DesignEnv::step_state(const Action& action) {
  const auto& values = std::get<std::vector<double>>(action);
  const int z = std::isfinite(values[0]) ? static_cast<int>(std::lround(values[0])) : 0;
  Eigen::RowVector3d position(values[1], values[2], values[3]);
  if (canvas_.size() == 0) position.setZero();  // the first atom anchors the canvas frame
  if (!position.allFinite()) return reject(DesignOutcome::kTooClose);  // nowhere: no valid placement
  if (const DesignOutcome check = check_placement(z, position); check != DesignOutcome::kPlaced) return reject(check);

  Atoms trial = canvas_;
  trial.numbers.push_back(z);
  trial.positions.conservativeResize(trial.size(), 3);
  trial.positions.row(trial.size() - 1) = position;
  trial.uhf = lowest_uhf(trial.numbers);
  double energy_ev = atom_energy_ev(z);
  Eigen::MatrixXd bond_orders = Eigen::MatrixXd::Zero(1, 1);
  if (canvas_.size() > 0) {
    ++counters_.calculations;
    const Results& r = calculator_->calculate(trial, Property::kEnergy | Property::kBondOrders);
    if (!r.ok || !std::isfinite(r.energy)) return reject(DesignOutcome::kScfFailure);
    energy_ev = r.energy;
    bond_orders = r.bond_orders;
  }
  double reward = canvas_energy_ev_ + atom_energy_ev(z) - energy_ev;  // 0 for the first atom
  last_outcome_ = DesignOutcome::kPlaced;
  if (reward < min_reward_ev()) {
    reward = min_reward_ev();
    last_outcome_ = DesignOutcome::kClipped;
    ++counters_.clipped;
  }
  canvas_ = std::move(trial);
  canvas_energy_ev_ = energy_ev;
  canvas_bond_orders_ = std::move(bond_orders);
  if (--bag_[z] == 0) bag_.erase(z);
  ++counters_.placements;
  last_reward_ev_ = reward;
  const bool done = last_outcome_ == DesignOutcome::kClipped || bag_.empty() || canvas_.size() >= options_.canvas_size;
  return StepOutcome{reward, done};
}

void DesignEnv::write_obs(Observation& obs) const {
  auto& graph = std::holds_alternative<GraphObservation>(obs) ? std::get<GraphObservation>(obs)
                                                               : obs.emplace<GraphObservation>();
  graph.atomic_numbers = canvas_.numbers;
  graph.positions_angstrom.assign(canvas_.positions.data(), canvas_.positions.data() + canvas_.positions.size());
  graph.node_features.clear();
  graph.globals.resize(elements_.size());
  for (size_t k = 0; k < elements_.size(); ++k) {
    const auto it = bag_.find(elements_[k]);
    graph.globals[k] = it == bag_.end() ? 0.0 : it->second;
  }
}

void DesignEnv::write_info(Info& info) const {
  info.values["reward_hartree"] = last_reward_ev_ * units::kEvToHartree;
  info.values["invalid"] = is_invalid(last_outcome_) ? 1.0 : 0.0;
  info.values["clipped"] = last_outcome_ == DesignOutcome::kClipped ? 1.0 : 0.0;
  info.values["canvas_atoms"] = canvas_.size();
  info.values["bag_atoms"] = bag_size(bag_);
  info.values["canvas_energy_ev"] = canvas_energy_ev_;
  info.values["placements"] = static_cast<double>(counters_.placements);
  info.values["calculations"] = static_cast<double>(counters_.calculations);
  info.values["too_close"] = static_cast<double>(counters_.too_close);
  info.values["isolated"] = static_cast<double>(counters_.isolated);
  info.values["not_in_bag"] = static_cast<double>(counters_.not_in_bag);
  info.values["scf_failures"] = static_cast<double>(counters_.scf_failures);
  info.values["clipped_total"] = static_cast<double>(counters_.clipped);
}

std::vector<double> DesignEnv::state() const {
  std::vector<double> state(state_size(), 0.0);
  for (int k = 0; k < canvas_.size(); ++k) {
    state[4 * k] = canvas_.numbers[k];
    for (int c = 0; c < 3; ++c) state[4 * k + 1 + c] = canvas_.positions(k, c);
  }
  const size_t offset = 4 * static_cast<size_t>(options_.canvas_size);
  for (size_t k = 0; k < elements_.size(); ++k) {
    const auto it = bag_.find(elements_[k]);
    state[offset + k] = it == bag_.end() ? 0.0 : it->second;
  }
  return state;
}

void DesignEnv::assign_state(const std::vector<double>& state) {
  Atoms canvas;
  for (int k = 0; k < options_.canvas_size && std::lround(state[4 * k]) != 0; ++k) {
    const int z = static_cast<int>(std::lround(state[4 * k]));
    if (!std::binary_search(elements_.begin(), elements_.end(), z)) {
      throw std::invalid_argument("design: state slot " + std::to_string(k) + " holds element " + std::to_string(z) +
                                  ", which is not in the task");
    }
    canvas.numbers.push_back(z);
    canvas.positions.conservativeResize(canvas.size(), 3);
    canvas.positions.row(k) << state[4 * k + 1], state[4 * k + 2], state[4 * k + 3];
  }
  if (canvas.size() == 0) canvas.positions.resize(0, 3);
  canvas.uhf = lowest_uhf(canvas.numbers);
  Bag bag;
  const size_t offset = 4 * static_cast<size_t>(options_.canvas_size);
  for (size_t k = 0; k < elements_.size(); ++k) {
    const long count = std::lround(state[offset + k]);
    if (count < 0) throw std::invalid_argument("design: state has a negative bag count");
    if (count > 0) bag[elements_[k]] = static_cast<int>(count);
  }
  double energy_ev = canvas.size() == 1 ? atom_energy_ev(canvas.numbers[0]) : 0.0;
  Eigen::MatrixXd bond_orders = Eigen::MatrixXd::Zero(canvas.size(), canvas.size());
  if (canvas.size() > 1) {
    ++counters_.calculations;
    const Results& r = calculator_->calculate(canvas, Property::kEnergy | Property::kBondOrders);
    if (!r.ok) throw std::invalid_argument("design: the canvas of that state has no " + options_.method + " energy: " + r.error);
    energy_ev = r.energy;
    bond_orders = r.bond_orders;
  }
  episode_bag_ = bag;  // the formula the episode builds: what is left plus what is placed
  for (int z : canvas.numbers) ++episode_bag_[z];
  canvas_ = std::move(canvas);
  bag_ = std::move(bag);
  canvas_energy_ev_ = energy_ev;
  canvas_bond_orders_ = std::move(bond_orders);
}

}  // namespace equimol::envs
