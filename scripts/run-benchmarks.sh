#!/usr/bin/env bash
# Runs the Google Benchmark binaries side by side and prints the ratios RESULTS.md records.
# Usage: scripts/run-benchmarks.sh [BUILD_DIR]   (timings only: never part of `make test`)
set -euo pipefail
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {  # name binary [args...]
  local name=$1; shift
  echo "== $name" >&2
  "$@" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
       --benchmark_out="$out/$name.json" --benchmark_out_format=json >&2
}

ratio() {  # file numerator-benchmark denominator-benchmark label [field: real_time (default) or a counter]
  python3 - "$1" "$2" "$3" "$4" "${5:-real_time}" <<'PY'
import json, sys
path, num, den, label, field = sys.argv[1:]
rows = {b["name"]: b for b in json.load(open(path))["benchmarks"] if b.get("aggregate_name") == "median"}
pick = lambda prefix: next(v for k, v in rows.items() if k.startswith(prefix))
a, b = pick(num), pick(den)
unit = a["time_unit"] if field == "real_time" else field
print(f"{label}: {a[field]:.3f} / {b[field]:.3f} {unit} = {a[field] / b[field]:.3f}")
PY
}

run xtb "$build/benchmarks/bench_xtb"
ratio "$out/xtb.json" BM_XtbCalculator BM_BareCApi "XtbCalculator / bare C API (median per call)"
for extra in "$build"/benchmarks/bench_*; do
  [[ -x "$extra" && "$(basename "$extra")" != bench_xtb ]] || continue
  run "$(basename "$extra")" "$extra"
done
ratio "$out/bench_pes.json" BM_TwoEnvsParallel/steps_per_join:80 BM_TwoEnvsInTurn \
  "two PES walkers on two threads / the same work in turn (median)" relaxations_per_s
ratio "$out/bench_pes.json" BM_TwoIdenticalEnvsParallel BM_OneEnv/ \
  "two PES envs of equal work on two threads / one env (median)" relaxations_per_s
