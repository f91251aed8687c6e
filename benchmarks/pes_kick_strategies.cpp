// pes_kick_strategies: how many minima can a perturb-and-relax explorer find per gradient call?
//
// Hand-made strategies on a Lennard-Jones cluster, each run from the same random starts, counted at
// equal cost: the unique minima known once the run has spent G gradient calls (relaxations and saddle
// checks), G = 1k, 2k, 3k, 5k, 10k, against basin hopping. It bounds what a trained kick/drive policy
// can be expected to gain over random kicks: if no strategy a chemist would try does much better than
// uniform random kicks, the remaining gap to a goal is the landscape's, not the training's. The
// "perfect surrogate" rows bound a model-based explorer instead: what screening and pre-relaxing hops on
// an exact, free model of the surface would buy; the "screened hops K" rows are the learnt counterpart
// (envs/pes_screening.h: a model fitted to the calls the run paid for).
//   pes_kick_strategies N [SEEDS [ONLY [STEP]]]   N atoms (e.g. 9, 10, 13), seeds 1..SEEDS (default 12);
//                                  ONLY runs the strategies whose name contains it (and the baselines);
//                                  STEP is basin hopping's step, σ (default Wales & Doye's 0.36; 0.7 maps
//                                  LJ9-LJ13 fastest, benchmarks/RESULTS.md)
// Prints a Markdown table: mean minima at each G and the ratio to basin hopping.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "chem/bond_graph.h"
#include "chem/calculator_factory.h"
#include "chem/lowest_mode.h"
#include "chem/optimizer.h"
#include "chem/recording_calculator.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"
#include "envs/pes_screening.h"

namespace {

using namespace equimol;
using namespace equimol::envs;

const std::vector<long> kCallBudgets = {1000, 2000, 3000, 5000, 10000};

Eigen::RowVector3d random_direction(Rng& rng) { return random_in_unit_ball(rng).normalized(); }

/// Neighbours within 1.35 σ (between the first and second shell of an LJ cluster).
std::vector<int> coordination(const PesEnv& env) {
  const Positions& x = env.current().minimum.atoms.positions;
  std::vector<int> c(x.rows(), 0);
  for (int i = 0; i < x.rows(); ++i)
    for (int j = 0; j < x.rows(); ++j) c[i] += i != j && (x.row(i) - x.row(j)).norm() < 1.35;
  return c;
}

/// Every atom chosen by `moves` displaced in a random direction by a length uniform in [0, max_length].
Positions uniform_displacements(const PesEnv& env, Rng& rng, double max_length, const std::function<bool(int)>& moves) {
  Positions d = Positions::Zero(env.n_atoms(), 3);
  for (int k = 0; k < env.n_atoms(); ++k)
    if (moves(k)) d.row(k) = random_direction(rng) * rng.uniform(0.0, max_length);
  return d;
}

Action uniform_kick(const PesEnv& env, Rng& rng, double max_length, const std::function<bool(int)>& moves) {
  return kick_action(uniform_displacements(env, rng, max_length, moves));
}

Action one_atom_kick(const PesEnv& env, Rng& rng, const std::vector<int>& candidates) {
  Positions d = Positions::Zero(env.n_atoms(), 3);
  const int pick = rng.uniform_index(static_cast<int>(candidates.size()));
  d.row(candidates[pick]) = random_direction(rng) * env.options().max_kick;
  return kick_action(d);
}

/// Per-atom Lennard-Jones energy (ε), each pair term split between its atoms.
std::vector<double> atom_energies(const Positions& x) {
  std::vector<double> e(x.rows(), 0.0);
  for (int i = 0; i < x.rows(); ++i)
    for (int j = i + 1; j < x.rows(); ++j) {
      const double r6 = std::pow((x.row(i) - x.row(j)).squaredNorm(), -3.0);
      e[i] += 2.0 * (r6 * r6 - r6);
      e[j] += 2.0 * (r6 * r6 - r6);
    }
  return e;
}

/// One of the `top` least-bound atoms (highest energy) hops in a random direction.
Action least_bound_hop(const PesEnv& env, Rng& rng, int top) {
  const Positions& x = env.current().minimum.atoms.positions;
  const std::vector<double> energy = atom_energies(x);
  std::vector<int> order(x.rows());
  for (int k = 0; k < x.rows(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return energy[a] > energy[b]; });
  const int choices = std::min<int>(top, x.rows());
  const int pick = rng.uniform_index(choices);
  return hop_action(env.n_atoms(), order[pick], random_direction(rng));
}

Action random_hop(const PesEnv& env, Rng& rng) {
  const int atom = rng.uniform_index(env.n_atoms());
  return hop_action(env.n_atoms(), atom, random_direction(rng));
}

/// Foresight: K random hops are each relaxed on an uncounted calculator, as the env would relax
/// them, and (when `sees_novelty`) looked up in the registry. The cheapest that reaches a new minimum
/// is chosen; when none does, the cheapest of all. No policy over random hops can do much better than
/// one that sees K outcomes before it acts: an upper reference for training. Without novelty it sees
/// only the cost.
struct ForesightChoice {
  Action hop;
  Positions relaxed;  ///< where the hop relaxes to, in the current minimum's frame
  bool any = false;   ///< false when no candidate relaxed
};

ForesightChoice foresee(const PesEnv& env, Rng& rng, int candidates, bool sees_novelty) {
  static const std::unique_ptr<Calculator> uncounted = make_calculator("lj");
  const int n = env.n_atoms();
  ForesightChoice best_new, cheapest;
  long best_new_calls = -1, cheapest_calls = -1;
  for (int c = 0; c < candidates; ++c) {
    const int atom = rng.uniform_index(n);  // the draws of random_hop
    const Eigen::RowVector3d direction = random_direction(rng);
    Atoms trial = env.current().minimum.atoms;
    trial.positions.row(atom) = env.hop_site(trial, atom, direction);
    const OptimizeResult relaxed = Lbfgs(env.options().relax).run(*uncounted, std::move(trial));
    if (!relaxed.converged) continue;
    const Minimum reached{relaxed.atoms, relaxed.energy, bonds_within(relaxed.atoms, env.options().cluster_contact), ""};
    const bool is_new = sees_novelty && env.registry().find(reached) < 0;
    const ForesightChoice choice{hop_action(n, atom, direction), relaxed.atoms.positions, true};
    if (is_new && (best_new_calls < 0 || relaxed.gradient_calls < best_new_calls)) {
      best_new = choice, best_new_calls = relaxed.gradient_calls;
    }
    if (cheapest_calls < 0 || relaxed.gradient_calls < cheapest_calls) cheapest = choice, cheapest_calls = relaxed.gradient_calls;
  }
  return best_new_calls >= 0 ? best_new : cheapest;
}

/// Plays the foreseen hop (the env then relaxes it again, counted).
Action foresighted_hop(const PesEnv& env, Rng& rng, int candidates, bool sees_novelty) {
  const ForesightChoice choice = foresee(env, rng, candidates, sees_novelty);
  return choice.any ? choice.hop : random_hop(env, rng);
}

/// The ceiling of a perfect surrogate (GOFEE's idea: screen and pre-relax candidates on a model of the
/// surface, pay the true calculator only to confirm): foresight K, and the move played is a kick
/// straight to the chosen hop's relaxed structure, so the env pays the calls that confirm it is a minimum
/// (and, when new, its saddle check) rather than the whole relaxation. Needs a kick cap above a hop's reach.
Action prerelaxed_foresight(const PesEnv& env, Rng& rng, int candidates) {
  const ForesightChoice choice = foresee(env, rng, candidates, true);
  if (!choice.any) return random_hop(env, rng);
  return kick_action(choice.relaxed - env.current().minimum.atoms.positions);
}

struct Strategy {
  std::string name;
  std::string what;
  std::function<Action(const PesEnv&, Rng&)> act;
  /// Where the next move starts: a known minimum's id chosen from the counts of moves started there
  /// (-1 = stay where the last move ended).
  std::function<int(const PesEnv&, const std::vector<int>& departures)> start;
  double max_kick = 0.0;  ///< the env's kick cap, σ (0: its default)
};

std::vector<Strategy> strategies() {
  auto all = [](int) { return true; };
  std::vector<Strategy> s;
  for (double m : {0.5, 0.7, 1.0}) {
    char length[8];
    std::snprintf(length, sizeof length, "%.1f", m);
    s.push_back({std::string("uniform ") + length, std::string("every atom, length uniform in [0, ") + length + "] σ",
                 [m, all](const PesEnv& e, Rng& r) { return uniform_kick(e, r, m, all); }, nullptr});
  }
  s.push_back({"one atom", "one random atom moved 1 σ", [](const PesEnv& e, Rng& r) {
                 std::vector<int> every(e.n_atoms());
                 for (int k = 0; k < e.n_atoms(); ++k) every[k] = k;
                 return one_atom_kick(e, r, every);
               }, nullptr});
  s.push_back({"least coordinated", "one of the least coordinated atoms moved 1 σ", [](const PesEnv& e, Rng& r) {
                 const std::vector<int> c = coordination(e);
                 const int lowest = *std::min_element(c.begin(), c.end());
                 std::vector<int> atoms;
                 for (int k = 0; k < e.n_atoms(); ++k)
                   if (c[k] == lowest) atoms.push_back(k);
                 return one_atom_kick(e, r, atoms);
               }, nullptr});
  s.push_back({"surface", "atoms below the highest coordination, uniform 1.0", [](const PesEnv& e, Rng& r) {
                 const std::vector<int> c = coordination(e);
                 const int highest = *std::max_element(c.begin(), c.end());
                 return uniform_kick(e, r, 1.0, [&](int k) { return c[k] < highest; });
               }, nullptr});
  // Soft modes lead over low barriers (Bell-Evans-Polanyi; Goedecker's minima hopping softens its
  // escape directions for this). The mode's Lanczos calls are not counted: a bound for a check's by-product.
  s.push_back({"softest mode", "softest internal mode, either sign, largest atom 0.75-1.5 σ, + uniform 0.6; mode free",
               [all](const PesEnv& e, Rng& r) {
                 const std::unique_ptr<Calculator> uncounted = make_calculator("lj");
                 const LowestModeResult soft = lowest_internal_mode(*uncounted, e.current().minimum.atoms, {});
                 const Positions& v = soft.mode.direction;
                 const double sign = r.uniform01() < 0.5 ? -1.0 : 1.0;
                 const double largest = r.uniform(0.75, 1.5);
                 const Positions along = v * (sign * largest / v.rowwise().norm().maxCoeff());
                 return kick_action(along + uniform_displacements(e, r, 0.6, all));
               }, nullptr});
  auto uniform1 = [all](const PesEnv& e, Rng& r) { return uniform_kick(e, r, 1.0, all); };
  auto least_departed = [](const PesEnv& e, const std::vector<int>& departures) {
    int best = 0;
    for (int m = 1; m < e.registry().size(); ++m)
      if (departures[m] < departures[best]) best = m;
    return best;
  };
  s.push_back({"least departed", "uniform 1.0 from the minimum fewest moves started from", uniform1, least_departed});
  // Hops (PesEnv's mode 3): an atom lands on the surface of the others, GMIN's angular move.
  s.push_back({"hop", "one random atom lands on the surface in a random direction", random_hop, nullptr});
  s.push_back({"hop, least bound", "one of the 6 least-bound atoms hops", [](const PesEnv& e, Rng& r) { return least_bound_hop(e, r, 6); }, nullptr});
  s.push_back({"hop, least departed", "a random hop from the minimum fewest moves started from", random_hop, least_departed});
  for (int k : {4, 16, 64}) {
    s.push_back({"hop, foresight " + std::to_string(k),
                 "sees where " + std::to_string(k) + " random hops relax to, uncounted; plays the cheapest new one",
                 [k](const PesEnv& e, Rng& r) { return foresighted_hop(e, r, k, true); }, nullptr});
  }
  for (int k : {16, 64}) {
    s.push_back({"perfect surrogate " + std::to_string(k),
                 "foresight " + std::to_string(k) + ", then a kick straight to the chosen relaxed structure",
                 [k](const PesEnv& e, Rng& r) { return prerelaxed_foresight(e, r, k); }, nullptr, 4.0});
  }
  for (int k : {4, 16}) {
    s.push_back({"hop, cheapest of " + std::to_string(k),
                 "relaxes " + std::to_string(k) + " random hops, uncounted; plays the cheapest, new or not",
                 [k](const PesEnv& e, Rng& r) { return foresighted_hop(e, r, k, false); }, nullptr});
  }
  s.push_back({"lowest, penalised", "uniform 1.0 from the lowest minimum, +0.3 ε per move started there", uniform1,
               [](const PesEnv& e, const std::vector<int>& departures) {
                 int best = 0;
                 auto key = [&](int m) { return e.registry().at(m).minimum.energy + 0.3 * departures[m]; };
                 for (int m = 1; m < e.registry().size(); ++m)
                   if (key(m) < key(best)) best = m;
                 return best;
               }});
  return s;
}

struct Tally {
  std::vector<double> minima = std::vector<double>(kCallBudgets.size(), 0.0);
  double steps = 0.0, calls = 0.0;
};

/// Runs one exploration until it has spent the largest call budget; adds the minima known at each budget.
void explore(int n_atoms, int seed, const std::function<Action(PesEnv&, Rng&, std::vector<int>&)>& step_action,
             const std::function<void(PesEnv&, int)>& after, Tally& tally, double max_kick = 0.0,
             std::unique_ptr<Calculator> calculator = nullptr, bool screened = false) {
  PesEnvOptions o = PesEnvOptions::defaults_for("lj");
  if (max_kick > 0.0) o.max_kick = max_kick;
  if (screened) o.kick_cap = screening_kick_cap(o);
  Rng start_rng(seed);
  o.start = random_cluster(n_atoms, start_rng);
  o.budget = 1 << 30;
  PesEnv env(o, calculator ? std::move(calculator) : make_calculator("lj"));
  env.reset(seed);
  Rng rng(1000 + seed);
  std::vector<int> departures;
  std::size_t next = 0;
  while (next < kCallBudgets.size()) {
    const int known = env.registry().size();
    departures.resize(known, 0);
    const Action action = step_action(env, rng, departures);
    const int from = env.current_id();
    env.step(action);
    if (after) after(env, from);
    tally.steps += 1.0;
    while (next < kCallBudgets.size() && env.counters().gradient_calls > kCallBudgets[next]) tally.minima[next++] += known;
  }
  tally.calls += static_cast<double>(env.counters().gradient_calls);
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void print_row(const std::string& name, const Tally& t, const Tally& reference, int seeds) {
  std::printf("| %s |", name.c_str());
  for (std::size_t g = 0; g < kCallBudgets.size(); ++g) {
    std::printf(" %.1f (%.2f×) |", t.minima[g] / seeds, t.minima[g] / reference.minima[g]);
  }
  std::printf(" %.1f |\n", t.calls / t.steps);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pes_kick_strategies N_ATOMS [SEEDS [ONLY [STEP]]]\n");
    return 2;
  }
  const int n_atoms = std::atoi(argv[1]);
  const int seeds = argc > 2 ? std::atoi(argv[2]) : 12;
  const std::string only = argc > 3 ? argv[3] : "";
  const double bh_step = argc > 4 ? std::atof(argv[4]) : BasinHopping::default_step("lj");
  if (n_atoms < 3 || seeds < 1 || !(bh_step > 0.0)) {
    std::fprintf(stderr, "pes_kick_strategies: need N_ATOMS >= 3, SEEDS >= 1 and STEP > 0\n");
    return 2;
  }
  std::printf("LJ%d, seeds 1-%d: mean unique minima known after G gradient calls (ratio to basin hopping)\n\n", n_atoms, seeds);
  std::printf("| strategy | G = 1k | 2k | 3k | 5k | 10k | calls per step |\n|---|---|---|---|---|---|---|\n");

  Tally basin;
  for (int seed = 1; seed <= seeds; ++seed) {
    BasinHopping bh(seed, BasinHopping::default_kt("lj"), bh_step);
    explore(n_atoms, seed, [&](PesEnv& e, Rng&, std::vector<int>&) { return bh.act(e); },
            [&](PesEnv& e, int from) { bh.after_step(e, from, StepResult{}); }, basin);
  }
  print_row("basin hopping (kT 0.8 ε, step " + format_number(bh_step) + " σ)", basin, basin, seeds);

  Tally random;
  for (int seed = 1; seed <= seeds; ++seed) {
    RandomPerturbation policy(seed, 0.3);
    explore(n_atoms, seed, [&](PesEnv& e, Rng&, std::vector<int>&) { return policy.act(e); }, nullptr, random);
  }
  print_row("random (explore's baseline: uniform 1.0, 30 % drives)", random, basin, seeds);

  for (const Strategy& s : strategies()) {
    if (s.name.find(only) == std::string::npos) continue;
    Tally t;
    for (int seed = 1; seed <= seeds; ++seed) {
      explore(n_atoms, seed,
              [&](PesEnv& e, Rng& r, std::vector<int>& departures) {
                if (s.start) {
                  const int m = s.start(e, departures);
                  e.jump_to(m);
                  ++departures[m];
                }
                return s.act(e, r);
              },
              nullptr, t, s.max_kick);
    }
    print_row(s.name + " (" + s.what + ")", t, basin, seeds);
  }
  // Model-screened hops (envs/pes_screening.h): the learned counterpart of the perfect surrogate.
  for (const auto& [k, farthest] : std::vector<std::pair<int, bool>>{{16, false}, {32, false}, {16, true}}) {
    const std::string name = "screened hops " + std::to_string(k) + (farthest ? " farthest" : "");
    if (name.find(only) == std::string::npos) continue;
    Tally t;
    double screened = 0.0;
    for (int seed = 1; seed <= seeds; ++seed) {
      auto recorder = std::make_unique<RecordingCalculator>(make_calculator("lj"));
      ScreeningOptions options;
      options.candidates = k;
      if (farthest) options.choice = ScreeningOptions::Choice::kFarthest;
      ScreenedPolicy policy(std::make_unique<RandomPerturbation>(seed, 0.0, 1.0), *recorder, options);
      const auto screened_action = [&](PesEnv& e, Rng&, std::vector<int>&) {
        const Action action = policy.act(e);
        e.hint_next_step(policy.hint());  // the model's Hessian preconditions the step
        return action;
      };
      explore(n_atoms, seed, screened_action, nullptr, t, PesEnvOptions::defaults_for("lj").max_kick, std::move(recorder), true);
      screened += static_cast<double>(policy.screened_steps()) / static_cast<double>(policy.steps());
    }
    print_row(name + " (random hops relaxed on a model fitted to the calls paid for; " +
                  std::to_string(static_cast<int>(100.0 * screened / seeds)) + " % of steps played a model minimum)",
              t, basin, seeds);
  }
  return 0;
}
