#!/usr/bin/env bash
# The CartPole PPO bar (issues 3 and 4): for seeds 1-5, train AGENT (default mlp) with the CartPole
# defaults (rl-baselines3-zoo tuned PPO) for 100,000 env steps, then evaluate the greedy policy over
# 100 episodes. Prints one Markdown table row per seed: mean +- std return, training wall-clock and CPU
# time (user + sys; other processes on the machine inflate wall-clock, not CPU), pass.
# A seed whose run is already in OUT_DIR (seedS/checkpoint.pt and timeS.txt, e.g. from
# cartpole_sample_efficiency.sh) is evaluated without training it again.
# Usage: benchmarks/cartpole_ppo_bar.sh [BUILD_DIR] [OUT_DIR] [AGENT]
set -euo pipefail

BUILD_DIR=${1:-build}
OUT_DIR=${2:-$(mktemp -d /tmp/cartpole-bar.XXXXXX)}
AGENT=${3:-mlp}
EQUIMOL="$BUILD_DIR/apps/equimol"
STEPS=100000
EPISODES=100
BAR=475

mkdir -p "$OUT_DIR"
[[ -x "$EQUIMOL" ]] || { echo "no $EQUIMOL: build the equimol target first" >&2; exit 1; }
echo "agent $AGENT, runs in $OUT_DIR" >&2
echo "| seed | eval mean return (100 ep, greedy) | std | train wall-clock (s) | train CPU (s) | first step with training return >= $BAR | >= $BAR |"
echo "|---|---|---|---|---|---|---|"
passed=0
for seed in 1 2 3 4 5; do
  run="$OUT_DIR/seed$seed"
  if [[ ! -f "$run/checkpoint.pt" || ! -f "$OUT_DIR/time$seed.txt" ]]; then
    /usr/bin/time -f "%e %U %S" -o "$OUT_DIR/time$seed.txt" \
      "$EQUIMOL" train --env CartPole-v1 --agent "$AGENT" --steps "$STEPS" --seed "$seed" --out "$run" 2>/dev/null >/dev/null
  fi
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
