#!/usr/bin/env python3
"""Tables and learning-curve SVG for the CartPole sample-efficiency experiment (issue 4).

Reads OUT_DIR/AGENT/seedS/metrics.jsonl (one row per PPO iteration: global_step, episodes,
episode_return = mean return of the training episodes that ended in that iteration's rollout),
OUT_DIR/AGENT/seedS/eval.json (greedy evaluation) and OUT_DIR/AGENT/timeS.txt (wall, user, sys).

Steps to 475 (primary): the env steps at the end of the first iteration at which the mean return of
the last >= 10 finished training episodes reaches 475 (walk back over iterations until they hold at
least 10 episodes, all episodes of the last iteration reached included; a weighted mean of the
per-iteration means, so it is exact). Sampled actions, as in training. A run that never gets there
counts as "> 99,840" (infinite when ranking). Secondary, as in the RL-core bar: the first iteration
whose own finished episodes average >= 475 (often a single episode).
Learning curve of a run: that windowed mean after every iteration (all episodes so far while fewer
than 10 have ended); plotted as the median and interquartile band over seeds, per agent.
Quartiles by linear interpolation between order statistics (numpy's default).
Only the Python standard library. Usage: cartpole_sample_efficiency.py OUT_DIR [--svg FILE]
"""
import argparse
import json
import math
import os

AGENTS = ["mlp", "mlp-augment", "symmetrizer", "egnn"]
COLORS = {"mlp": "#444444", "mlp-augment": "#e6850e", "symmetrizer": "#1f6fd1", "egnn": "#2a9d3a"}
BAR = 475.0
WINDOW = 10  # finished episodes in the moving mean


def read_rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def windowed_means(rows):
    """(global_step, mean of the last >= WINDOW finished episodes) after every iteration."""
    history = []  # (episodes, mean) of iterations that ended episodes
    curve = []
    for row in rows:
        if row["episodes"] and row["episode_return"] is not None:
            history.append((row["episodes"], row["episode_return"]))
        count, total = 0, 0.0
        for episodes, mean in reversed(history):
            count += episodes
            total += episodes * mean
            if count >= WINDOW:
                break
        curve.append((row["global_step"], total / count if count else float("nan"), count))
    return curve


def steps_to_bar(rows):
    for step, mean, count in windowed_means(rows):
        if count >= WINDOW and mean >= BAR:
            return step
    return math.inf


def first_iteration_at_bar(rows):
    return next((r["global_step"] for r in rows if (r["episode_return"] or 0) >= BAR), math.inf)


def quantile(values, q):
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    if math.isinf(v[hi]) or math.isinf(v[lo]):
        return math.inf if (v[hi] if pos > lo else v[lo]) == math.inf else v[lo]
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def fmt_steps(value, last_step):
    return f"> {last_step:,}" if math.isinf(value) else f"{value:,.0f}"


def load(out_dir):
    runs = {}
    for agent in AGENTS:
        runs[agent] = []
        agent_dir = os.path.join(out_dir, agent)
        if not os.path.isdir(agent_dir):
            continue
        seeds = sorted(int(d[4:]) for d in os.listdir(agent_dir) if d.startswith("seed"))
        for seed in seeds:
            run = os.path.join(agent_dir, f"seed{seed}")
            metrics = os.path.join(run, "metrics.jsonl")
            time_file = os.path.join(agent_dir, f"time{seed}.txt")
            if not os.path.exists(metrics) or not os.path.exists(time_file):
                continue  # unfinished
            rows = read_rows(metrics)
            wall, user, system = (float(x) for x in open(time_file).read().split())
            eval_path = os.path.join(run, "eval.json")
            evaluation = json.load(open(eval_path)) if os.path.exists(eval_path) else None
            runs[agent].append({"seed": seed, "rows": rows, "cpu": user + system, "wall": wall, "eval": evaluation})
    return runs


def tables(runs):
    last_step = max((r["rows"][-1]["global_step"] for rs in runs.values() for r in rs), default=0)
    mlp_steps = [steps_to_bar(r["rows"]) for r in runs.get("mlp", [])]
    mlp_median = quantile(mlp_steps, 0.5) if mlp_steps else math.nan
    out = []
    out.append(f"| agent | runs | reach 475 | steps to 475: median | IQR (Q1 - Q3) | median vs mlp | "
               f"first iteration >= 475: median | greedy eval (100 ep): median | eval >= 475 | CPU s per run (median) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for agent in AGENTS:
        rs = runs.get(agent, [])
        if not rs:
            continue
        steps = [steps_to_bar(r["rows"]) for r in rs]
        first = [first_iteration_at_bar(r["rows"]) for r in rs]
        med, q1, q3 = quantile(steps, 0.5), quantile(steps, 0.25), quantile(steps, 0.75)
        ratio = "" if math.isinf(med) or not mlp_steps or math.isinf(mlp_median) else f"{med / mlp_median:.2f}"
        evals = [r["eval"]["mean_return"] for r in rs if r["eval"]]
        eval_median = f"{quantile(evals, 0.5):.1f}" if evals else ""
        eval_pass = f"{sum(e >= BAR for e in evals)}/{len(evals)}" if evals else ""
        cpu = quantile([r["cpu"] for r in rs], 0.5)
        reached = sum(not math.isinf(s) for s in steps)
        out.append(f"| {agent} | {len(rs)} | {reached}/{len(rs)} | {fmt_steps(med, last_step)} | "
                   f"{fmt_steps(q1, last_step)} - {fmt_steps(q3, last_step)} | {ratio} | "
                   f"{fmt_steps(quantile(first, 0.5), last_step)} | {eval_median} | {eval_pass} | {cpu:.0f} |")
    out.append("")
    out.append("Per seed, steps to 475 (windowed mean of 10 episodes):")
    out.append("")
    seeds = sorted({r["seed"] for rs in runs.values() for r in rs})
    out.append("| agent | " + " | ".join(str(s) for s in seeds) + " |")
    out.append("|---|" + "---|" * len(seeds))
    for agent in AGENTS:
        by_seed = {r["seed"]: steps_to_bar(r["rows"]) for r in runs.get(agent, [])}
        if by_seed:
            cells = [("never" if math.isinf(by_seed[s]) else f"{by_seed[s]:,}") if s in by_seed else "" for s in seeds]
            out.append(f"| {agent} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def svg(runs, path):
    width, height = 840, 440
    left, right, top, bottom = 70, 250, 30, 60
    pw, ph = width - left - right, height - top - bottom
    max_step = max((r["rows"][-1]["global_step"] for rs in runs.values() for r in rs), default=1)
    x_max = math.ceil(max_step / 20000) * 20000

    def px(step):
        return left + pw * step / x_max

    def py(ret):
        return top + ph * (1 - ret / 500.0)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for k in range(0, 6):  # y grid
        y = py(100 * k)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{100 * k}</text>')
    for k in range(0, x_max // 20000 + 1):  # x grid
        x = px(20000 * k)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{20 * k}k</text>')
    parts.append(f'<line x1="{left}" y1="{py(BAR):.1f}" x2="{left + pw}" y2="{py(BAR):.1f}" '
                 f'stroke="#aa0000" stroke-dasharray="5,4"/>')
    parts.append(f'<text x="{left + pw - 4}" y="{py(BAR) + 14:.1f}" text-anchor="end" fill="#aa0000">475</text>')
    legend_y = top + 10
    for agent in AGENTS:
        rs = runs.get(agent, [])
        if not rs:
            continue
        curves = [windowed_means(r["rows"]) for r in rs]
        n = min(len(c) for c in curves)
        pts_med, pts_lo, pts_hi = [], [], []
        for i in range(n):
            values = [c[i][1] for c in curves if not math.isnan(c[i][1])]
            if len(values) < len(curves):
                continue  # wait until every seed has finished an episode
            step = curves[0][i][0]
            pts_med.append((px(step), py(quantile(values, 0.5))))
            pts_lo.append((px(step), py(quantile(values, 0.25))))
            pts_hi.append((px(step), py(quantile(values, 0.75))))
        color = COLORS[agent]
        band = pts_hi + list(reversed(pts_lo))
        parts.append('<polygon fill="%s" fill-opacity="0.15" stroke="none" points="%s"/>'
                     % (color, " ".join(f"{x:.1f},{y:.1f}" for x, y in band)))
        parts.append('<polyline fill="none" stroke="%s" stroke-width="1.8" points="%s"/>'
                     % (color, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts_med)))
        lx = left + pw + 15
        parts.append(f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 22}" y2="{legend_y}" stroke="{color}" stroke-width="3"/>')
        parts.append(f'<text x="{lx + 28}" y="{legend_y + 4}">{agent} ({len(rs)} seeds)</text>')
        legend_y += 20
    parts.append(f'<text x="{left + pw + 15}" y="{legend_y + 10}" fill="#666">line: median</text>')
    parts.append(f'<text x="{left + pw + 15}" y="{legend_y + 26}" fill="#666">band: quartiles</text>')
    parts.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    parts.append(f'<text x="{left + pw / 2}" y="{height - 15}" text-anchor="middle">env steps</text>')
    parts.append(f'<text transform="translate(18,{top + ph / 2}) rotate(-90)" text-anchor="middle">'
                 f'mean return of the last {WINDOW} training episodes</text>')
    parts.append(f'<text x="{left}" y="{top - 10}">CartPole-v1, PPO (zoo-tuned defaults), same settings for every agent</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--svg", default="cartpole_sample_efficiency.svg")
    args = parser.parse_args()
    runs = load(args.out_dir)
    print(tables(runs))
    svg(runs, args.svg)
    print(f"\nwrote {args.svg}")


if __name__ == "__main__":
    main()
