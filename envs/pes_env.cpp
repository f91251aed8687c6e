#include "envs/pes_env.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "chem/bond_graph.h"
#include "chem/calculator_factory.h"
#include "chem/elements.h"
#include "chem/errors.h"
#include "chem/hessian.h"
#include "chem/lowest_mode.h"
#include "chem/rdkit_bridge.h"
#include "chem/restrained_calculator.h"
#include "envs/pes_hop.h"

namespace equimol::envs {
namespace {

constexpr int kHeader = 4;  // mode, i, j, target before the per-atom displacements

const Eigen::MatrixXd kNoGuess;  // no Hessian guess for a relaxation or check (StepHint)

std::vector<double> empty_action(int n_atoms, PesMode mode) {
  std::vector<double> values(kHeader + 3 * static_cast<size_t>(n_atoms), 0.0);
  values[0] = static_cast<double>(mode);
  return values;
}

}  // namespace

PesEnvOptions PesEnvOptions::defaults_for(const std::string& method) {
  PesEnvOptions o;
  o.method = method;
  if (is_cluster_method(method)) {
    o.relax.fmax = 1e-3;  // ε/σ: tight, so that energies separate close minima
    o.max_kick = 1.0;
    o.drive_force_constant = 5.0;
    o.drive_min_target = 0.9;
    o.drive_max_target = 2.5;
    o.hessian_step = 1e-3;         // σ: LJ forces are exact, a small step is clean
    o.saddle_curvature = -1e-3;    // ε/σ²
    o.saddle_residual = 2.5e-3;    // ε/σ²
    o.saddle_displacement = 0.1;   // σ
    o.same.energy_tolerance = 1e-4;  // ε
    o.same.rmsd_tolerance = 0.1;     // σ
    o.same.allow_reflection = true;  // cluster minima are counted up to inversion
    o.same.compare_graphs = false;
    o.reward.energy_window = std::numeric_limits<double>::infinity();
    o.reward.bond_change_bonus = 0.0;  // contact graphs change with every rearrangement: no chemistry
  } else {
    // eV/Å: every step relaxes this far (ASE's 0.05 is looser), enough to recognise a known minimum.
    // Not enough for CREST's 0.05 kcal/mol energy test on flat modes: a methyl torsion (barrier ~0.03 eV)
    // has per-H forces below 0.02 eV/Å over most of its turn, and loose stops lay up to 0.4 kcal/mol
    // above the minimum. So a structure that matches no known minimum is polished to polish_fmax first.
    // Its energy error is ~f²/2k for a force f on a mode of curvature k (0.003 eV/Å, k 0.01 eV/Å²:
    // 0.01 kcal/mol). Measured on random explorations of CC(=O)C=CO, OCC=C and CCCO (5 seeds each,
    // minima re-optimized to 0.001 eV/Å): stored energies within 0.002 kcal/mol at 0.003 eV/Å, 0.066
    // kcal/mol at 0.005 (over the tolerance); 0.002 costs as much but gains nothing measurable.
    o.relax.fmax = 0.02;
    o.polish_fmax = 0.003;
    o.max_kick = 0.8;
    // Stiff enough to pull an atom across a bond-breaking barrier (an O-H stretch is ~50 eV/Å²).
    o.drive_force_constant = 20.0;
    // Mirror-image conformers of an achiral molecule are one minimum (as CREST's rotational-constant
    // test has it); enantiomers stay apart because their isomeric SMILES (Minimum::identity) differ.
    o.same.allow_reflection = true;
    o.saddle_curvature = -0.02;  // eV/Å²; finite-difference noise of GFN2 forces stays near ±0.005
    o.drive_min_target = 0.9;
    o.drive_max_target = 4.0;
  }
  return o;
}

SaddleCheck parse_saddle_check(const std::string& name) {
  if (name == "lanczos") return SaddleCheck::kLanczos;
  if (name == "hessian") return SaddleCheck::kHessian;
  throw std::invalid_argument("pes: saddle_check must be lanczos or hessian, got '" + name + "'");
}

void PesEnvOptions::check() const {
  auto positive = [](double v, const char* what) {
    if (!(v > 0.0)) throw std::invalid_argument(std::string("pes: ") + what + " must be > 0, got " + std::to_string(v));
  };
  if (budget < 1) throw std::invalid_argument("pes: budget must be >= 1, got " + std::to_string(budget));
  positive(max_kick, "max_kick");
  if (!(kick_cap >= 0.0)) throw std::invalid_argument("pes: kick_cap must be >= 0 (0: max_kick)");
  positive(drive_force_constant, "drive_force_constant");
  positive(drive_min_target, "drive_min_target");
  positive(cluster_contact, "cluster_contact");
  positive(hop_contact_scale, "hop_contact_scale");
  positive(hessian_step, "hessian_step");
  positive(saddle_residual, "saddle_residual");
  if (!(polish_fmax >= 0.0) || polish_fmax > relax.fmax) {
    throw std::invalid_argument("pes: polish_fmax must be in [0, relax.fmax], got " + std::to_string(polish_fmax));
  }
  if (!(reward.gradient_call_cost >= 0.0) || !std::isfinite(reward.gradient_call_cost)) {
    throw std::invalid_argument("pes: gradient_call_cost must be finite and >= 0, got " +
                                std::to_string(reward.gradient_call_cost));
  }
  if (drive_max_target < drive_min_target) throw std::invalid_argument("pes: drive_max_target < drive_min_target");
  if (start.size() < 2) throw std::invalid_argument("pes: the start structure needs at least 2 atoms");
  if (!is_cluster_method(method)) {  // xtb would fail every step, or return non-finite energies
    if (const std::string problem = electron_count_problem(start); !problem.empty()) {
      throw std::invalid_argument("pes: the start's " + problem);
    }
  }
  relax.check();
}

Action kick_action(const Positions& displacements) {
  std::vector<double> values = empty_action(static_cast<int>(displacements.rows()), PesMode::kKick);
  std::copy(displacements.data(), displacements.data() + displacements.size(), values.begin() + kHeader);
  return values;
}

Positions without_centre_of_mass_motion(const Atoms& atoms, Positions displacements) {
  Eigen::RowVector3d momentum = Eigen::RowVector3d::Zero();  // mass-weighted mean displacement
  double mass = 0.0;
  for (int k = 0; k < atoms.size(); ++k) {
    const double m = element(atoms.numbers[k]).mass_amu;
    momentum += m * displacements.row(k);
    mass += m;
  }
  displacements.rowwise() -= momentum / mass;
  return displacements;
}

Action drive_action(int n_atoms, int i, int j, double target) {
  std::vector<double> values = empty_action(n_atoms, PesMode::kDrive);
  values[1] = i;
  values[2] = j;
  values[3] = target;
  return values;
}

Action restart_action(int n_atoms) { return empty_action(n_atoms, PesMode::kRestart); }

Action hop_action(int n_atoms, int atom, const Eigen::RowVector3d& direction) {
  std::vector<double> values = empty_action(n_atoms, PesMode::kHop);
  values[1] = atom;
  for (int c = 0; c < 3; ++c) values[kHeader + 3 * static_cast<size_t>(atom) + c] = direction[c];
  return values;
}

Atoms random_cluster(int n_atoms, Rng& rng) {
  constexpr double kMinDistance = 0.9;       // σ
  constexpr double kDensity = 0.8;           // atoms per σ³, near liquid LJ
  const double radius = std::cbrt(3.0 * n_atoms / (4.0 * M_PI * kDensity));
  Atoms atoms;
  atoms.numbers.assign(n_atoms, 18);
  atoms.positions.resize(n_atoms, 3);
  for (int placed = 0; placed < n_atoms;) {
    Eigen::RowVector3d p(rng.uniform(-radius, radius), rng.uniform(-radius, radius), rng.uniform(-radius, radius));
    if (p.norm() > radius) continue;
    bool clash = false;
    for (int k = 0; k < placed && !clash; ++k) clash = (atoms.positions.row(k) - p).norm() < kMinDistance;
    if (clash) continue;
    atoms.positions.row(placed++) = p;
  }
  return atoms;
}

struct PesEnv::Relaxed {
  OptimizeResult result;
  std::string failure;  // empty when usable
};

namespace {
std::unique_ptr<Calculator> checked_calculator(const PesEnvOptions& options) {
  options.check();  // before xtb sees a bad thread count
  return make_calculator(options.method, options.xtb_threads);
}
}  // namespace

PesEnv::PesEnv(PesEnvOptions options) : PesEnv(options, checked_calculator(options)) {}

PesEnv::PesEnv(PesEnvOptions options, std::unique_ptr<Calculator> calculator)
    : Env(/*max_episode_steps=*/0), options_(std::move(options)), calculator_(std::move(calculator)), registry_(options_.same) {
  options_.check();
  validate(options_.start, "pes start structure");
  if (!calculator_ || calculator_->name() != options_.method)
    throw std::invalid_argument("pes: the calculator given is not options.method (" + options_.method + ")");
  const int n = n_atoms();
  std::vector<int> elements = options_.start.numbers;
  std::sort(elements.begin(), elements.end());
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  observation_space_ = GraphSpace{n, elements, /*node_feature_dim=*/2, /*global_dim=*/4};
  std::vector<double> low(kHeader + 3 * static_cast<size_t>(n), -options_.max_kick);
  std::vector<double> high(low.size(), options_.max_kick);
  low[0] = 0.0, high[0] = 3.0;
  low[1] = low[2] = 0.0, high[1] = high[2] = n - 1;
  low[3] = options_.drive_min_target, high[3] = options_.drive_max_target;
  action_space_ = make_box(low, high);
  times_moved_.assign(n, 0.0);
  last_moved_.assign(n, 0.0);
}

PesEnv::~PesEnv() = default;

struct PesEnv::PendingResume {
  MinimaRegistry registry;
  int current_id;
  PesCounters counters;
};

PesEnv::Relaxed PesEnv::relax(Atoms trial, Calculator& calculator) {
  return relax(std::move(trial), calculator, options_.relax);
}

PesEnv::Relaxed PesEnv::relax(Atoms trial, Calculator& calculator, const OptimizerOptions& optimizer,
                              const Eigen::MatrixXd& hessian_guess) {
  Relaxed r;
  const long before = calculator_->calls();
  r.result = Lbfgs(optimizer).run(calculator, std::move(trial), hessian_guess);
  ++counters_.relaxations;
  // Counted on the true calculator: a drive's restrained wrapper counts its first evaluation even when
  // the true calculator answers it from its cache (the minimum the drive starts from).
  counters_.gradient_calls += calculator_->calls() - before;
  if (!r.result.ok) {
    r.failure = "scf-failure";
    ++counters_.scf_failures;
  } else if (!r.result.converged) {
    r.failure = "unconverged";
    ++counters_.unconverged;
  }
  return r;
}

void PesEnv::hint_next_step(StepHint hint) {
  if (hint.hessian_guess.size() > 0) check_hessian_guess(hint.hessian_guess, 3 * n_atoms(), "pes");
  next_hint_ = std::move(hint);
}

bool PesEnv::softest_mode(const Atoms& atoms, NormalMode& mode, const Eigen::MatrixXd& guess) {
  const long before = calculator_->calls();
  bool ok = false;
  if (options_.saddle_check == SaddleCheck::kLanczos) {
    LowestModeOptions lanczos;
    lanczos.step = options_.hessian_step;
    lanczos.stop_below = options_.saddle_curvature;
    lanczos.residual_tolerance = options_.saddle_residual;
    lanczos.hessian_guess = guess;
    const LowestModeResult result = lowest_internal_mode(*calculator_, atoms, lanczos);
    ok = result.ok;
    mode = result.mode;
  } else {
    const Eigen::MatrixXd hessian = numerical_hessian(*calculator_, atoms, options_.hessian_step);
    ok = hessian.size() > 0;
    if (ok) mode = softest_internal_mode(hessian, atoms);
  }
  counters_.gradient_calls += calculator_->calls() - before;
  ++counters_.saddle_checks;
  counters_.saddle_check_calls += calculator_->calls() - before;
  return ok;
}

OptimizerOptions PesEnv::polish_options() const {
  OptimizerOptions polish = options_.relax;
  if (polishing()) polish.fmax = options_.polish_fmax;
  return polish;
}

// `relaxed` is polished when polishing is on, and so is whatever minimum it descends to.
PesEnv::Relaxed PesEnv::descend_from_saddles(Relaxed relaxed, const Eigen::MatrixXd& guess) {
  constexpr int kMaxEscapes = 3;
  for (int escape = 0; escape < kMaxEscapes; ++escape) {
    NormalMode mode;
    // The guess describes the minimum the step aimed at, not where an escape goes.
    if (!softest_mode(relaxed.result.atoms, mode, escape == 0 ? guess : kNoGuess)) break;  // failed: keep it
    if (!(mode.eigenvalue < options_.saddle_curvature)) break;  // a minimum
    ++counters_.saddles;
    const Positions step = mode.direction * (options_.saddle_displacement / mode.direction.rowwise().norm().maxCoeff());
    bool descended = false;
    for (double sign : {1.0, -1.0}) {  // downhill is either way along the mode
      Atoms displaced = relaxed.result.atoms;
      displaced.positions += sign * step;
      Relaxed next = relax(std::move(displaced), *calculator_, polish_options());
      if (next.failure.empty() && next.result.energy < relaxed.result.energy - options_.same.energy_tolerance) {
        relaxed = std::move(next);
        descended = true;
        break;
      }
    }
    if (!descended) break;
  }
  return relaxed;
}

BondGraph PesEnv::perceive(const Atoms& atoms, const Results& results) const {
  if (is_cluster_method(options_.method)) return bonds_within(atoms, options_.cluster_contact);
  return molecular_bonds(atoms, results.bond_orders);
}

double PesEnv::hop_contact(const Atoms& atoms, int i, int k) const {
  constexpr double kLjPairMinimum = 1.122462048309373;  // 2^(1/6) σ
  const double contact = is_cluster_method(options_.method)
                             ? kLjPairMinimum
                             : element(atoms.numbers[i]).covalent_radius_ang + element(atoms.numbers[k]).covalent_radius_ang;
  return options_.hop_contact_scale * contact;
}

Eigen::RowVector3d PesEnv::hop_site(const Atoms& atoms, int atom, const Eigen::RowVector3d& direction) const {
  return surface_site(atoms.positions, atom, direction, [&](int k) { return hop_contact(atoms, atom, k); });
}

Atoms PesEnv::random_structure() {
  if (!is_cluster_method(options_.method)) {
    throw std::invalid_argument("pes: restart actions are for atomic clusters (method lj)");
  }
  return random_cluster(n_atoms(), rng_);
}

int PesEnv::find_or_add(Relaxed relaxed, Transition& t, const BondGraph* previous_graph, const Eigen::MatrixXd& guess) {
  // fresh: the energy from an SCF started from xtb's own guess, not from the previous structure's
  // solution (one more call for xtb, none for stateless calculators); see Calculator::calculate_fresh.
  auto to_minimum = [&](const Relaxed& r, bool fresh) {
    const long before = calculator_->calls();
    const Results& final = fresh ? calculator_->calculate_fresh(r.result.atoms, calculator_->implemented())
                                 : calculator_->calculate(r.result.atoms, calculator_->implemented());  // usually cached
    counters_.gradient_calls += calculator_->calls() - before;
    const double energy = final.ok ? final.energy : r.result.energy;
    Minimum m{r.result.atoms, energy, perceive(r.result.atoms, final), ""};
    if (!is_cluster_method(options_.method)) m.identity = canonical_smiles(m.atoms, m.graph);
    return m;
  };
  auto dissociated = [&](const Minimum& m) {
    if (options_.allow_fragments || fragment_count(m.graph) == 1) return false;
    t.outcome = "dissociated";
    ++counters_.dissociations;
    return true;
  };
  Minimum found;
  int id = -1;
  // Looks the structure up in the registry; false when it fell apart (t says so).
  auto identify = [&](bool fresh) {
    found = to_minimum(relaxed, fresh);
    if (dissociated(found)) return false;
    id = registry_.find(found);
    return true;
  };
  if (!identify(false)) return -1;
  // Only candidates for a new minimum pay for polishing and a saddle check. Registered minima are
  // polished, so a loose revisit on a flat mode may miss its minimum here and match once polished.
  if (id < 0 && polishing() && relaxed.result.fmax > options_.polish_fmax) {
    Relaxed polished = relax(relaxed.result.atoms, *calculator_, polish_options(), guess);
    if (!polished.failure.empty()) {  // counted by relax; the step fails as an unconverged relaxation would
      t.outcome = polished.failure;
      return -1;
    }
    relaxed = std::move(polished);
    if (!identify(false)) return -1;
  }
  if (id < 0 && options_.verify_minima) {
    relaxed = descend_from_saddles(std::move(relaxed), guess);
    if (!identify(false)) return -1;
  }
  // A registered energy must depend on the structure alone: where the SCF has several solutions
  // (singlet O2) the relaxation's last energy depends on where the SCF started.
  if (id < 0 && !identify(true)) return -1;
  // In the order of the atoms of this step (the minimum it started from), so the same for A -> B and B -> A.
  t.bond_change = previous_graph != nullptr && found.graph != *previous_graph;
  if (id >= 0) {
    ++registry_.at(id).visits;
    t.outcome = "revisit";
    return id;
  }
  MinimumRecord record;
  record.minimum = std::move(found);
  record.first_step = counters_.steps;
  record.smiles = record.minimum.identity;
  record.graph_hash = graph_hash(record.minimum.atoms.numbers, record.minimum.graph);
  id = registry_.add(std::move(record));
  t.outcome = "new";
  if (observer_) observer_->minimum_found(registry_.at(id));
  return id;
}

void PesEnv::reset_state(Rng& rng) {
  rng_.seed(static_cast<std::uint64_t>(rng.uniform01() * 9007199254740992.0));
  std::fill(times_moved_.begin(), times_moved_.end(), 0.0);
  std::fill(last_moved_.begin(), last_moved_.end(), 0.0);
  next_hint_ = {};  // it was meant for a step of the previous episode
  if (pending_resume_) {
    registry_ = std::move(pending_resume_->registry);
    current_id_ = pending_resume_->current_id;
    counters_ = pending_resume_->counters;
    steps_before_ = counters_.steps;
    pending_resume_.reset();
    return;
  }
  steps_before_ = 0;
  registry_.clear();
  counters_ = PesCounters{};
  Relaxed start = relax(options_.start, *calculator_);
  Transition ignored;
  const int id = start.failure.empty() ? find_or_add(std::move(start), ignored, nullptr) : -1;
  if (id < 0) {
    throw InputError("pes: the start structure could not be relaxed to an intact minimum (" +
                     (ignored.outcome.empty() ? start.failure : ignored.outcome) + ")");
  }
  current_id_ = id;
}

void PesEnv::resume(MinimaRegistry registry, int current_id, const PesCounters& counters, std::uint64_t seed) {
  if (current_id < 0 || current_id >= registry.size()) throw std::invalid_argument("pes: resume at an unknown minimum");
  pending_resume_ = std::make_unique<PendingResume>(PendingResume{std::move(registry), current_id, counters});
  reset(seed);  // reset_state installs the pending exploration instead of relaxing the start
}

void PesEnv::jump_to(int minimum_id) {
  if (minimum_id < 0 || minimum_id >= registry_.size()) {
    throw std::invalid_argument("pes: no minimum " + std::to_string(minimum_id));
  }
  current_id_ = minimum_id;
  if (observer_) observer_->moved_to(minimum_id, counters_.steps);
}

PesEnv::Perturbation PesEnv::perturbation(const Action& action) const {
  check_action(action);
  const auto& values = std::get<std::vector<double>>(action);
  const int n = n_atoms();
  const int mode = std::clamp(static_cast<int>(std::lround(values[0])), 0, 3);
  const Atoms& here = current().minimum.atoms;
  Perturbation p;
  p.mode = static_cast<PesMode>(mode);
  p.trial = here;
  p.moved.assign(n, 0.0);
  if (p.mode == PesMode::kKick) {
    Positions d = Eigen::Map<const Positions>(values.data() + kHeader, n, 3);
    const double cap = options_.kick_limit();
    for (int k = 0; k < n; ++k) {
      const double length = d.row(k).norm();
      if (length > cap) d.row(k) *= cap / length;
    }
    d = without_centre_of_mass_motion(here, std::move(d));
    for (int k = 0; k < n; ++k) p.moved[k] = d.row(k).norm();
    p.trial.positions += d;
    p.label = "kick";
  } else if (p.mode == PesMode::kDrive) {
    const int i = std::clamp(static_cast<int>(std::lround(values[1])), 0, n - 1);
    int j = std::clamp(static_cast<int>(std::lround(values[2])), 0, n - 1);
    if (j == i) j = (i + 1) % n;
    const double target = std::clamp(values[3], options_.drive_min_target, options_.drive_max_target);
    p.restraint = DistanceRestraint{i, j, target, options_.drive_force_constant};
    p.moved[i] = p.moved[j] = 1.0;
    p.label = "drive " + std::to_string(i) + "-" + std::to_string(j) + " " + std::to_string(target);
  } else if (p.mode == PesMode::kHop) {
    const int i = std::clamp(static_cast<int>(std::lround(values[1])), 0, n - 1);
    const Eigen::RowVector3d direction(values[kHeader + 3 * i], values[kHeader + 3 * i + 1], values[kHeader + 3 * i + 2]);
    p.label = "hop " + std::to_string(i);
    if (!(direction.norm() > 0.0) || !direction.allFinite()) {
      p.failure = "hop without a direction";
    } else {
      p.trial.positions.row(i) = hop_site(here, i, direction);
      p.moved[i] = (p.trial.positions.row(i) - here.positions.row(i)).norm();
    }
  } else {
    p.moved.clear();  // a restart draws its structure from the env's stream when it is played
    p.label = "restart";
  }
  return p;
}

StepOutcome PesEnv::step_state(const Action& action) {
  const int n = n_atoms();
  const MinimumRecord here = registry_.at(current_id_);  // a copy: the registry may grow below
  const PesCounters before = counters_;
  std::fill(last_moved_.begin(), last_moved_.end(), 0.0);
  Transition t;
  t.from = current_id_;

  const Perturbation p = perturbation(action);
  Relaxed relaxed;
  const StepHint hint = std::exchange(next_hint_, StepHint{});
  t.action = hint.note.empty() ? p.label : p.label + " (" + hint.note + ")";
  const bool kicked = p.failure.empty() && (p.mode == PesMode::kKick || p.mode == PesMode::kHop);
  const Eigen::MatrixXd& guess = kicked ? hint.hessian_guess : kNoGuess;
  if (!p.moved.empty()) last_moved_ = p.moved;
  if (!p.failure.empty()) {
    relaxed.failure = p.failure;
  } else if (p.mode == PesMode::kKick || p.mode == PesMode::kHop) {
    relaxed = relax(p.trial, *calculator_, options_.relax, guess);
  } else if (p.mode == PesMode::kDrive) {
    RestrainedCalculator driven(*calculator_, {p.restraint});
    Relaxed pulled = relax(p.trial, driven);
    relaxed = pulled.failure.empty() ? relax(pulled.result.atoms, *calculator_) : std::move(pulled);
  } else {
    relaxed = relax(random_structure(), *calculator_);
    std::fill(last_moved_.begin(), last_moved_.end(), 1.0);
  }
  for (int k = 0; k < n; ++k) times_moved_[k] += last_moved_[k] > 0.0 ? 1.0 : 0.0;

  ++counters_.steps;
  t.step = counters_.steps;
  double reward = 0.0;
  if (!relaxed.failure.empty()) {
    t.outcome = relaxed.failure;
    reward = options_.reward.failure_penalty;
  } else if (const int id = find_or_add(std::move(relaxed), t, &here.minimum.graph, guess); id < 0) {
    reward = options_.reward.failure_penalty;  // dissociated, or the polish failed
  } else {
    current_id_ = id;
    if (t.outcome == "new") {
      ++counters_.new_minima;
      const double above_lowest = registry_.at(id).minimum.energy - registry_.lowest_energy();
      if (above_lowest <= options_.reward.energy_window) reward = options_.reward.new_minimum;
      if (t.bond_change) reward += options_.reward.bond_change_bonus;
    }
  }
  t.to = t.outcome == "new" || t.outcome == "revisit" ? current_id_ : -1;
  t.gradient_calls = counters_.gradient_calls - before.gradient_calls;
  reward -= options_.reward.gradient_call_cost * static_cast<double>(t.gradient_calls);
  t.reward = reward;
  t.relaxations = counters_.relaxations - before.relaxations;
  t.saddles = counters_.saddles - before.saddles;
  t.saddle_checks = counters_.saddle_checks - before.saddle_checks;
  t.saddle_check_calls = counters_.saddle_check_calls - before.saddle_check_calls;
  t.scf_failures = counters_.scf_failures - before.scf_failures;
  t.unconverged = counters_.unconverged - before.unconverged;
  t.dissociations = counters_.dissociations - before.dissociations;
  if (observer_) observer_->transition(t, registry_);
  return StepOutcome{reward, episode_steps() + 1 >= options_.budget};
}

void PesEnv::write_obs(Observation& obs) const {
  auto& graph = std::holds_alternative<GraphObservation>(obs) ? std::get<GraphObservation>(obs)
                                                               : obs.emplace<GraphObservation>();
  const int n = n_atoms();
  if (current_id_ < 0) {  // before the first reset
    graph = GraphObservation{};
    return;
  }
  const MinimumRecord& here = registry_.at(current_id_);
  graph.atomic_numbers = here.minimum.atoms.numbers;
  graph.positions_angstrom.assign(here.minimum.atoms.positions.data(),
                                  here.minimum.atoms.positions.data() + 3 * static_cast<size_t>(n));
  graph.node_features.resize(2 * static_cast<size_t>(n));
  const double steps = 1.0 + static_cast<double>(elapsed_steps());
  for (int k = 0; k < n; ++k) {
    graph.node_features[2 * k] = times_moved_[k] / steps;
    graph.node_features[2 * k + 1] = last_moved_[k];
  }
  const double remaining = 1.0 - static_cast<double>(episode_steps()) / options_.budget;
  graph.globals = {here.minimum.energy - registry_.lowest_energy(), std::log1p(static_cast<double>(here.visits)),
                   remaining, static_cast<double>(registry_.size()) / options_.budget};
}

void PesEnv::write_info(Info& info) const {
  info.values["relaxations"] = static_cast<double>(counters_.relaxations);
  info.values["gradient_calls"] = static_cast<double>(counters_.gradient_calls);
  info.values["scf_failures"] = static_cast<double>(counters_.scf_failures);
  info.values["unconverged"] = static_cast<double>(counters_.unconverged);
  info.values["dissociations"] = static_cast<double>(counters_.dissociations);
  info.values["minima"] = static_cast<double>(registry_.size());
  info.values["current_minimum"] = static_cast<double>(current_id_);
  if (registry_.size() > 0) info.values["lowest_energy"] = registry_.lowest_energy();
}

std::vector<double> PesEnv::state() const {
  if (current_id_ < 0) return std::vector<double>(state_size(), 0.0);
  const Positions& p = current().minimum.atoms.positions;
  return std::vector<double>(p.data(), p.data() + p.size());
}

void PesEnv::assign_state(const std::vector<double>& state) {
  // Putting the env "in a state" means starting from that structure: it is relaxed and registered.
  Atoms atoms = options_.start;
  atoms.positions = Eigen::Map<const Positions>(state.data(), n_atoms(), 3);
  Relaxed relaxed = relax(std::move(atoms), *calculator_);
  Transition t;
  const int id = relaxed.failure.empty() ? find_or_add(std::move(relaxed), t, nullptr) : -1;
  if (id < 0) throw std::invalid_argument("pes: that state does not relax to an intact minimum");
  current_id_ = id;
}

}  // namespace equimol::envs
