#!/usr/bin/env bash
# The CartPole PPO bar (issue 3): for seeds 1-5, train the MLP agent with the CartPole defaults
# (rl-baselines3-zoo tuned PPO) for 100,000 env steps, then evaluate the greedy policy over 100
# episodes. Prints one Markdown table row per seed: mean +- std return, training wall-clock and CPU
# time (user + sys; other processes on the machine inflate wall-clock, not CPU), pass.
# Usage: benchmarks/cartpole_ppo_bar.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail

BUILD_DIR=${1:-build}
OUT_DIR=${2:-$(mktemp -d /tmp/cartpole-bar.XXXXXX)}
EQUIMOL="$BUILD_DIR/apps/equimol"
STEPS=100000
EPISODES=100
BAR=475

mkdir -p "$OUT_DIR"
[[ -x "$EQUIMOL" ]] || { echo "no $EQUIMOL: build the equimol target first" >&2; exit 1; }
echo "runs in $OUT_DIR" >&2
echo "| seed | eval mean return (100 ep, greedy) | std | train wall-clock (s) | train CPU (s) | first step with training return >= $BAR | >= $BAR |"
echo "|---|---|---|---|---|---|---|"
passed=0
for seed in 1 2 3 4 5; do
  run="$OUT_DIR/seed$seed"
  /usr/bin/time -f "%e %U %S" -o "$OUT_DIR/time$seed.txt" \
    "$EQUIMOL" train --env CartPole-v1 --agent mlp --steps "$STEPS" --seed "$seed" --out "$run" 2>/dev/null >/dev/null
  read -r wall user sys < "$OUT_DIR/time$seed.txt"
  result=$("$EQUIMOL" eval --run "$run" --episodes "$EPISODES" --json)
  mean=$(python3 -c "import json,sys; print(round(json.loads(sys.argv[1])['mean_return'], 1))" "$result")
  std=$(python3 -c "import json,sys; print(round(json.loads(sys.argv[1])['std_return'], 1))" "$result")
  seconds=$(python3 -c "print(round($wall, 1))")
  cpu=$(python3 -c "print(round($user + $sys, 1))")
  first=$(python3 -c "
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(next((r['global_step'] for r in rows if (r['episode_return'] or 0) >= $BAR), 'never'))" "$run/metrics.jsonl")
  ok=$(python3 -c "print('yes' if $mean >= $BAR else 'no')")
  [[ "$ok" == yes ]] && passed=$((passed + 1))
  echo "| $seed | $mean | $std | $seconds | $cpu | $first | $ok |"
done
echo
echo "$passed of 5 seeds reach a mean return >= $BAR within $STEPS env steps (bar: at least 4)."
