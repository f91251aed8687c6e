#!/usr/bin/env bash
# The sample-efficiency experiment of issue 4: seeds 1-10 x agents {mlp, mlp-augment, symmetrizer,
# egnn} on CartPole-v1, each `equimol train --steps 100000` with the same (default, zoo-tuned) PPO
# settings, two runs at a time (the machine has 2 cores; torch and the envs use one thread per run).
# Runs land in OUT_DIR/AGENT/seedS with their /usr/bin/time output in OUT_DIR/AGENT/timeS.txt (the
# layout cartpole_ppo_bar.sh reuses); finished runs are skipped, so the script resumes. Then
# every final policy is evaluated greedily (eval.json in its run) and cartpole_sample_efficiency.py
# writes the tables and the SVG.
# Usage: [AGENTS="symmetrizer egnn"] [SEEDS="1 2 3"] benchmarks/cartpole_sample_efficiency.sh [BUILD_DIR] [OUT_DIR] [SVG]
# AGENTS and SEEDS restrict the runs and evaluations (default: all four agents, seeds 1-10); the
# table then reads whatever runs OUT_DIR holds (e.g. earlier runs of the other agents copied there).
set -euo pipefail

BUILD_DIR=${1:-build}
OUT_DIR=${2:-/tmp/cartpole-sample-efficiency}
SVG=${3:-$(dirname "$0")/cartpole_sample_efficiency.svg}
EQUIMOL=$(realpath "$BUILD_DIR/apps/equimol")
STEPS=100000
[[ -x "$EQUIMOL" ]] || { echo "no $EQUIMOL: build the equimol target first" >&2; exit 1; }

AGENTS=${AGENTS:-egnn symmetrizer mlp-augment mlp}
SEEDS=${SEEDS:-1 2 3 4 5 6 7 8 9 10}

# The slow EGNN runs first, so the two workers finish together.
jobs=()
for agent in egnn symmetrizer mlp-augment mlp; do
  [[ " $AGENTS " == *" $agent "* ]] || continue
  for seed in $SEEDS; do jobs+=("$agent $seed"); done
done
export EQUIMOL OUT_DIR STEPS
printf '%s\n' "${jobs[@]}" | xargs -P 2 -L 1 bash -c '
  agent=$0 seed=$1 dir="$OUT_DIR/$agent"
  mkdir -p "$dir"
  if [[ -f "$dir/time$seed.txt" && -f "$dir/seed$seed/checkpoint.pt" ]]; then exit 0; fi
  /usr/bin/time -f "%e %U %S" -o "$dir/time$seed.txt.tmp" nice -n 5 "$EQUIMOL" train --env CartPole-v1 --agent "$agent" \
    --steps "$STEPS" --seed "$seed" --out "$dir/seed$seed" >/dev/null 2>&1
  mv "$dir/time$seed.txt.tmp" "$dir/time$seed.txt"
  echo "done $agent $seed: $(cat "$dir/time$seed.txt")" >&2'

# Greedy evaluation of every final policy (100 episodes, seeds 1,000,000 + i), as the PPO bar.
for agent in mlp mlp-augment symmetrizer egnn; do
  [[ " $AGENTS " == *" $agent "* ]] || continue
  for seed in $SEEDS; do
    run="$OUT_DIR/$agent/seed$seed"
    [[ -f "$run/eval.json" ]] || "$EQUIMOL" eval --run "$run" --episodes 100 --json > "$run/eval.json"
  done
done

python3 "$(dirname "$0")/cartpole_sample_efficiency.py" "$OUT_DIR" --svg "$SVG"
