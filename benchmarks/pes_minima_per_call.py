"""Tables for benchmarks/pes_lj_baselines.sh: reads lines "N AGENT SEED RUN_DIR JSON" on stdin.

Table 1: the whole runs (minima, gradient calls, minima per 1000 calls).
Table 2: unique minima found within the first G gradient calls of each run, for G in CALL_BUDGETS
(environment variable PES_CALL_BUDGETS, e.g. "5000 10000 20000 50000", the default), and their ratio
to basin hopping's at the same G (the bar: >= 2x). A minimum counts from the step
that first found it (minima.first_step); gradient calls accumulate over transitions.gradient_calls.
Standard library only.
"""
import json
import os
import sqlite3
import statistics
import sys

CALL_BUDGETS = tuple(int(g) for g in os.environ.get("PES_CALL_BUDGETS", "5000 10000 20000 50000").split())


def minima_within(run_dir, budget):
    db = sqlite3.connect(f"file:{run_dir}/campaign.sqlite?mode=ro", uri=True)
    calls = 0
    last_step = 0  # step 0 is the start structure, found for free
    for step, step_calls in db.execute("SELECT step, gradient_calls FROM transitions ORDER BY step"):
        calls += step_calls
        if calls > budget:
            break
        last_step = step
    else:
        if calls < budget:
            return None  # the run ended before spending this budget
    found = db.execute("SELECT COUNT(*) FROM minima WHERE first_step <= ?", (last_step,)).fetchone()[0]
    db.close()
    return found


def main():
    rows = {}
    for line in sys.stdin:
        n, agent, seed, run_dir, payload = line.split(" ", 4)
        rows.setdefault((int(n), agent), []).append((run_dir, json.loads(payload)))

    print("| cluster | agent | runs | minima found (mean) | gradient calls (mean) | minima per 1000 calls | lowest energy (best) |")
    print("|---|---|---|---|---|---|---|")
    for (n, agent), runs in sorted(rows.items()):
        results = [r for _, r in runs]
        minima = statistics.mean(r["minima"] for r in results)
        calls = statistics.mean(r["gradient_calls"] for r in results)
        per = statistics.mean(1000.0 * r["minima"] / r["gradient_calls"] for r in results)
        lowest = min(r["lowest_energy"] for r in results)
        print(f"| LJ{n} | {agent} | {len(runs)} | {minima:.1f} | {calls:.0f} | {per:.3f} | {lowest:.6f} |")

    print()
    header = " | ".join(f"minima in {g / 1000:g}k calls (mean) | vs basin hopping" for g in CALL_BUDGETS)
    print(f"| cluster | agent | runs | {header} |")
    print("|---|---|---|" + "---|---|" * len(CALL_BUDGETS))
    means = {}
    for (n, agent), runs in sorted(rows.items()):
        for g in CALL_BUDGETS:
            counts = [minima_within(run_dir, g) for run_dir, _ in runs]
            means[(n, agent, g)] = statistics.mean(counts) if None not in counts else None
    for (n, agent), runs in sorted(rows.items()):
        cells = []
        for g in CALL_BUDGETS:
            mean, base = means[(n, agent, g)], means.get((n, "basin-hopping", g))
            cells.append("—" if mean is None else f"{mean:.1f}")
            cells.append("—" if mean is None or not base else f"{mean / base:.2f}×")
        print(f"| LJ{n} | {agent} | {len(runs)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
