#!/usr/bin/env bash
# The figures of "3D molecular design" in benchmarks/RESULTS.md:
#   1. the optimum return of CH3NO, CH4O and C2H2O2 (atomisation energy of the most stable isomer, GFN2),
#   2. the random designer over EPISODES episodes per bag and seed.
# Usage: benchmarks/design_optimum.sh [BUILD_DIR] [EPISODES] ["SEEDS"]
set -euo pipefail
build=${1:-build}
episodes=${2:-200}
seeds=${3:-"1 2 3"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "## optimum (design_optimum)"
"$build/benchmarks/design_optimum"

echo
echo "## random designer, $episodes episodes"
echo "| bag | seed | valid fraction | mean return (eV) | best return (eV) | (Eh) | best SMILES | distinct valid | seconds |"
echo "|---|---|---|---|---|---|---|---|---|"
for bag in CH3NO CH4O C2H2O2; do
  for seed in $seeds; do
    json=$("$build/apps/equimol" design --bag "$bag" --agent random --episodes "$episodes" --seed "$seed" \
      --out "$out/$bag-$seed" --json 2>/dev/null)
    python3 - "$bag" "$seed" "$json" <<'PY'
import json, sys
bag, seed, j = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
best = j["best_return_ev"]
print(f"| {bag} | {seed} | {j['valid_fraction']:.3f} | {j['mean_return_ev']:.3f} | "
      f"{best if best is None else format(best, '.3f')} | "
      f"{'' if best is None else format(j['best_return_hartree'], '.4f')} | {j['best_smiles']} | "
      f"{len(j['unique_valid_smiles'])} | {j['wall_seconds']:.1f} |")
PY
  done
done
