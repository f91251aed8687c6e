#!/usr/bin/env bash
# Minima found per gradient call on Lennard-Jones clusters, agents side by side (issue 5's bar).
# Usage: benchmarks/pes_lj_baselines.sh [BUILD_DIR] [BUDGET] [SEEDS] [OUT_DIR]   -> Markdown tables on stdout
# Agents: random kicks (30 % drives), random hops, basin hopping (Wales & Doye's kT 0.8 ε, step 0.36 σ,
# explore's default, and step 0.7 σ, which maps LJ9-LJ13 fastest), random restarts. EXTRA_AGENTS="RUN_DIR ..."
# adds trained agents; PES_CLUSTERS="9 10" picks the clusters (default 9 10 13). Known minima: LJ9 21,
# LJ10 64, LJ13 1509 (global minimum -44.326801 epsilon). PES_REFERENCE=LABEL: the agent ratios compare
# with (default basin-hopping).
# Three tables: the whole BUDGET-step runs; the minima found within the first G gradient calls of
# each run (from the campaign's per-step gradient calls; PES_CALL_BUDGETS="5000 10000 20000 50000"
# chooses G), which compares agents at equal cost: a fixed step budget lets an agent that has found
# every minimum keep spending calls on revisits; and the calls each agent spent to find k minima
# (PES_MINIMA_COUNTS="4 8 12 16"), which compares them at equal minima (benchmarks/pes_minima_per_call.py).
# BASIN_HOPPING_BUDGET=STEPS runs basin hopping longer than the others (its first BUDGET steps are the
# same), so that it reaches the larger k of the third table.
# PES_SCREEN=K adds model-screened runs (explore --screen K): random hops, and each EXTRA_AGENTS run,
# labelled LABEL-screenK; SCREEN_BUDGET=STEPS runs them for fewer steps than BUDGET (a screened step
# costs ~20 calls on LJ13 and ~0.3 s of model time, so 500 steps already pass 10k calls).
# PES_FIGURES=DIR also draws minima against gradient calls, one SVG per cluster, up to
# PES_FIGURE_CALLS (10000) calls, with 2x each basin hopping as the bar (benchmarks/pes_minima_curves.py).
set -euo pipefail
build=${1:-build}
budget=${2:-2000}
seeds=${3:-"1 2 3"}
work=${4:-$(mktemp -d)}
cli="$build/apps/equimol"
mkdir -p "$work"

# Each agent as "LABEL=AGENT [OPTIONS]"; trained run directories are labelled by their folder's name.
agents=("random=random" "random-hops=random --drive-probability 0 --hop-probability 1" "basin-hopping=basin-hopping"
        "basin-hopping-0.7=basin-hopping --step-size 0.7" "random-restart=random-restart")
for run in ${EXTRA_AGENTS:-}; do agents+=("$(basename "$run")=$run"); done
if [[ -n ${PES_SCREEN:-} ]]; then
  agents+=("random-hops-screen$PES_SCREEN=random --drive-probability 0 --hop-probability 1 --screen $PES_SCREEN")
  for run in ${EXTRA_AGENTS:-}; do agents+=("$(basename "$run")-screen$PES_SCREEN=$run --screen $PES_SCREEN"); done
fi

for n in ${PES_CLUSTERS:-9 10 13}; do
  for entry in "${agents[@]}"; do
    label=${entry%%=*}
    read -r -a agent <<< "${entry#*=}"
    steps=$budget
    [[ $label == basin-hopping* ]] && steps=${BASIN_HOPPING_BUDGET:-$budget}
    [[ $label == *-screen* ]] && steps=${SCREEN_BUDGET:-$budget}
    for seed in $seeds; do
      out="$work/lj$n-$label-$seed"
      [[ $steps != "$budget" ]] && out+="-$steps-steps"
      if [[ ! -f "$out.json" ]]; then
        rm -rf "$out"
        "$cli" explore --cluster "lj:$n" --agent "${agent[@]}" --budget "$steps" --seed "$seed" --out "$out" --json \
          2>/dev/null > "$out.json.tmp" && mv "$out.json.tmp" "$out.json"
      fi
      echo "$n $label $seed $out $(cat "$out.json")"
    done
  done
done > "$work/runs.txt"
python3 "$(dirname "$0")/pes_minima_per_call.py" < "$work/runs.txt"
if [[ -n ${PES_FIGURES:-} ]]; then
  /usr/bin/python3 "$(dirname "$0")/pes_minima_curves.py" "$PES_FIGURES" "${PES_FIGURE_CALLS:-10000}" < "$work/runs.txt"
fi
