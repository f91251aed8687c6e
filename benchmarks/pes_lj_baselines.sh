#!/usr/bin/env bash
# Minima found per gradient call on Lennard-Jones clusters, baselines side by side (issue 5's bar).
# Usage: benchmarks/pes_lj_baselines.sh [BUILD_DIR] [BUDGET] [SEEDS]   -> a Markdown table on stdout
# Known minima: LJ9 21, LJ10 64, LJ13 1509 (global minimum -44.326801 epsilon).
set -euo pipefail
build=${1:-build}
budget=${2:-2000}
seeds=${3:-"1 2 3"}
cli="$build/apps/equimol"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for n in 9 10 13; do
  for agent in random basin-hopping random-restart ${EXTRA_AGENTS:-}; do
    for seed in $seeds; do
      out="$work/lj$n-$(basename "$agent")-$seed"
      "$cli" explore --cluster "lj:$n" --agent "$agent" --budget "$budget" --seed "$seed" --out "$out" --json \
        2>/dev/null > "$out.json"
      echo "$n $(basename "$agent") $seed $(cat "$out.json")"
    done
  done
done | python3 -c '
import json, sys, statistics
rows = {}
for line in sys.stdin:
    n, agent, seed, payload = line.split(" ", 3)
    rows.setdefault((int(n), agent), []).append(json.loads(payload))
print("| cluster | agent | runs | minima found (mean) | gradient calls (mean) | minima per 1000 calls | lowest energy (best) |")
print("|---|---|---|---|---|---|---|")
for (n, agent), runs in sorted(rows.items()):
    minima = statistics.mean(r["minima"] for r in runs)
    calls = statistics.mean(r["gradient_calls"] for r in runs)
    per = statistics.mean(1000.0 * r["minima"] / r["gradient_calls"] for r in runs)
    lowest = min(r["lowest_energy"] for r in runs)
    print(f"| LJ{n} | {agent} | {len(runs)} | {minima:.1f} | {calls:.0f} | {per:.3f} | {lowest:.6f} |")
'
