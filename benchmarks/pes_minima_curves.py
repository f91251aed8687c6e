"""Figures for benchmarks/pes_lj_baselines.sh: unique minima known against gradient calls, one SVG per
cluster, every agent's mean over its runs with a band of ± one standard error, the mean of every
basin hopping (labels starting with "basin-hopping"; else PES_REFERENCE's) doubled as a black line
(the bar: an agent above it finds >= 2x that one's minima per call at that budget) and the cluster's
known number of minima as a grey dotted ceiling.

Reads the lines of pes_minima_per_call.py on stdin ("N AGENT SEED RUN_DIR JSON"); writes
OUT_DIR/pes_lj{N}_minima_vs_calls.svg. Usage: pes_minima_curves.py OUT_DIR [MAX_CALLS] < lines
(MAX_CALLS, default 10000: the x range; a run that ended earlier leaves the mean where it ends).
Needs matplotlib (Debian's python3-matplotlib, which python3-ase pulls in).
"""
import os
import statistics
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

from pes_minima_per_call import REFERENCE, minima_curve  # noqa: E402

KNOWN_MINIMA = {9: 21, 10: 64}  # LJ13 has 1509: far above any curve here
POINTS = 100


def mean_and_error(curves, i):
    values = [c[i] for c in curves if c[i] is not None]
    if len(values) < len(curves):
        return None, None  # some run ended before this budget
    error = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else 0.0
    return statistics.mean(values), error


def plot_cluster(n, agents, max_calls, path):
    budgets = [max_calls * (i + 1) / POINTS for i in range(POINTS)]
    figure, axes = plt.subplots(figsize=(6.4, 4.4))
    means = {}
    for agent, run_dirs in sorted(agents.items()):
        curves = [minima_curve(d, budgets) for d in run_dirs]
        stats = [mean_and_error(curves, i) for i in range(POINTS)]
        xs = [b for b, (m, _) in zip(budgets, stats) if m is not None]
        ms = [m for m, _ in stats if m is not None]
        es = [e for m, e in stats if m is not None]
        means[agent] = (xs, ms)
        line, = axes.plot(xs, ms, label=f"{agent} ({len(run_dirs)} runs)", linewidth=1.6)
        axes.fill_between(xs, [m - e for m, e in zip(ms, es)], [m + e for m, e in zip(ms, es)],
                          color=line.get_color(), alpha=0.2, linewidth=0)
    references = [a for a in means if a.startswith("basin-hopping")] or [a for a in means if a == REFERENCE]
    for reference, style in zip(sorted(references), ("--", "-.", ":")):
        xs, ms = means[reference]
        axes.plot(xs, [2 * m for m in ms], "k" + style, linewidth=1, label=f"2 × {reference}")
    if n in KNOWN_MINIMA:
        axes.axhline(KNOWN_MINIMA[n], color="grey", linestyle=":", linewidth=1,
                     label=f"all {KNOWN_MINIMA[n]} minima of LJ{n}")
    axes.set_xlim(0, max_calls)
    axes.set_ylim(bottom=0)
    axes.set_xlabel("gradient calls")
    axes.set_ylabel("unique minima found (mean ± s.e.)")
    axes.set_title(f"LJ{n}: minima found against gradient calls")
    axes.legend(fontsize=8, loc="best")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, metadata={"Date": None})  # no timestamp: the same runs give the same file
    plt.close(figure)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    max_calls = int(sys.argv[2]) if len(sys.argv) == 3 else 10000
    os.makedirs(out_dir, exist_ok=True)
    clusters = {}
    for line in sys.stdin:
        n, agent, _seed, run_dir, _payload = line.split(" ", 4)
        clusters.setdefault(int(n), {}).setdefault(agent, []).append(run_dir)
    for n, agents in sorted(clusters.items()):
        path = os.path.join(out_dir, f"pes_lj{n}_minima_vs_calls.svg")
        plot_cluster(n, agents, max_calls, path)
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
