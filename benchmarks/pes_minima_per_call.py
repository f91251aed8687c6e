"""Tables for benchmarks/pes_lj_baselines.sh: reads lines "N AGENT SEED RUN_DIR JSON" on stdin.

Table 1: the whole runs (minima, gradient calls, minima per 1000 calls).
Table 2: unique minima found within the first G gradient calls of each run, for G in CALL_BUDGETS
(environment variable PES_CALL_BUDGETS, e.g. "5000 10000 20000 50000", the default), and their ratio
to basin hopping's (or PES_REFERENCE's) at the same G (the bar: >= 2x). A minimum counts from the step
that first found it (minima.first_step); gradient calls accumulate over transitions.gradient_calls.
Table 3: the gradient calls each agent spent to find its first k minima, for k in MINIMA_COUNTS
(PES_MINIMA_COUNTS, default "4 8 12 16"), and basin hopping's calls over the agent's: minima per
gradient call compared at equal minima. On a small cluster Table 2's ratio is capped once basin
hopping has found half the minima (LJ9: 21 in all), this one is not. Standard library only.
"""
import bisect
import json
import os
import sqlite3
import statistics
import sys

CALL_BUDGETS = tuple(int(g) for g in os.environ.get("PES_CALL_BUDGETS", "5000 10000 20000 50000").split())
MINIMA_COUNTS = tuple(int(k) for k in os.environ.get("PES_MINIMA_COUNTS", "4 8 12 16").split())
# The agent the ratios compare with (PES_REFERENCE): basin hopping with the script's default settings,
# or any other label of the input, e.g. a basin hopping tuned for mapping.
REFERENCE = os.environ.get("PES_REFERENCE", "basin-hopping")


def minima_curve(run_dir, budgets):
    """Unique minima known after each budget of gradient calls (ascending), None past the run's end."""
    db = sqlite3.connect(f"file:{run_dir}/campaign.sqlite?mode=ro", uri=True)
    steps = db.execute("SELECT step, gradient_calls FROM transitions ORDER BY step").fetchall()
    firsts = sorted(step for (step,) in db.execute("SELECT first_step FROM minima WHERE first_step IS NOT NULL"))
    db.close()
    found, calls, last_step, k = [], 0, 0, 0  # step 0 is the start structure, found for free
    for budget in budgets:
        while k < len(steps) and calls + steps[k][1] <= budget:
            calls += steps[k][1]
            last_step = steps[k][0]
            k += 1
        if k == len(steps) and calls < budget:
            found.append(None)  # the run ended before spending this budget
        else:
            found.append(bisect.bisect_right(firsts, last_step))
    return found


def minima_within(run_dir, budget):
    return minima_curve(run_dir, [budget])[0]


def calls_to_find(run_dir, k):
    """Gradient calls spent when the run's k-th minimum was found (the start is the first), or None."""
    db = sqlite3.connect(f"file:{run_dir}/campaign.sqlite?mode=ro", uri=True)
    firsts = sorted(step for (step,) in db.execute("SELECT first_step FROM minima"))
    if len(firsts) < k:
        db.close()
        return None
    calls = db.execute("SELECT COALESCE(SUM(gradient_calls), 0) FROM transitions WHERE step <= ?",
                       (firsts[k - 1],)).fetchone()[0]
    db.close()
    return calls


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
    print_table(rows, CALL_BUDGETS, lambda g: f"minima in {g / 1000:g}k calls (mean) | vs {REFERENCE}",
                minima_within, lambda mean: f"{mean:.1f}", lambda mean, base: mean / base)
    print()
    print_table(rows, MINIMA_COUNTS, lambda k: f"calls to find {k} minima (mean) | {REFERENCE}'s / this",
                calls_to_find, lambda mean: f"{mean:.0f}", lambda mean, base: base / mean)


def print_table(rows, points, header, measure, show, ratio):
    """One row per cluster and agent, two cells per point: the mean of measure(run_dir, point) over its
    runs ("—" unless every run has a value) and ratio(mean, the reference agent's mean)."""
    print(f"| cluster | agent | runs | {' | '.join(header(p) for p in points)} |")
    print("|---|---|---|" + "---|---|" * len(points))
    means = {}
    for (n, agent), runs in sorted(rows.items()):
        for p in points:
            values = [measure(run_dir, p) for run_dir, _ in runs]
            means[(n, agent, p)] = statistics.mean(values) if None not in values else None
    for (n, agent), runs in sorted(rows.items()):
        cells = []
        for p in points:
            mean, base = means[(n, agent, p)], means.get((n, REFERENCE, p))
            cells.append("—" if mean is None else show(mean))
            cells.append("—" if mean is None or not base else f"{ratio(mean, base):.2f}×")
        print(f"| LJ{n} | {agent} | {len(runs)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
