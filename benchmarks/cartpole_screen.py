#!/usr/bin/env python3
"""Screening runs for the CartPole sample-efficiency experiment (issue 4): steps to 475 only.

Runs `equimol train --env CartPole-v1 --agent AGENT --steps 100000 --seed S [--config CONFIG]` for
each seed, at most --jobs at a time under `nice -n 5`, and stops a run (SIGTERM to that process) as
soon as its metrics.jsonl shows the steps-to-475 criterion of cartpole_sample_efficiency.py (mean of
the last >= 10 finished training episodes >= 475). Stopping early does not change the steps found:
the budget (and so the learning-rate and clip schedules) stays 100,000 steps, and a seeded run is
reproducible up to the iteration where it is stopped. A run that does not get there runs to the end.
Runs land in OUT/LABEL/seedS; prints one line per run and the median.
Usage: cartpole_screen.py BUILD_DIR OUT LABEL AGENT SEEDS [--config FILE] [--jobs 2]
  e.g. cartpole_screen.py build-se /tmp/screen mlp mlp 11-15
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cartpole_sample_efficiency import steps_to_bar  # noqa: E402


def seeds_of(text):
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def rows_of(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = f.read().splitlines()
    rows = []
    for line in lines:
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            break  # a line being written
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build")
    p.add_argument("out")
    p.add_argument("label")
    p.add_argument("agent")
    p.add_argument("seeds")
    p.add_argument("--config")
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    equimol = os.path.realpath(os.path.join(a.build, "apps", "equimol"))
    pending = seeds_of(a.seeds)
    running = {}  # seed -> (process, run dir, start)
    results = {}
    while pending or running:
        while pending and len(running) < a.jobs:
            seed = pending.pop(0)
            run = os.path.join(a.out, a.label, f"seed{seed}")
            done = os.path.join(run, "steps_to_475.txt")
            if os.path.exists(done):
                with open(done) as f:
                    results[seed] = float(f.read())
                continue
            os.makedirs(os.path.dirname(run), exist_ok=True)
            subprocess.run(["rm", "-rf", run], check=True)
            cmd = ["nice", "-n", "5", equimol, "train", "--env", "CartPole-v1", "--agent", a.agent, "--steps", "100000",
                   "--seed", str(seed), "--out", run]
            if a.config:
                cmd += ["--config", a.config]
            running[seed] = (subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), run, time.time())
        time.sleep(0.5)
        for seed in list(running):
            proc, run, start = running[seed]
            steps = steps_to_bar(rows_of(os.path.join(run, "metrics.jsonl")))
            finished = proc.poll() is not None
            if steps != float("inf") or finished:
                if not finished:
                    proc.terminate()
                    proc.wait()
                with open(os.path.join(run, "steps_to_475.txt"), "w") as f:
                    f.write(str(steps))
                results[seed] = steps
                del running[seed]
                print(f"{a.label} seed {seed}: {steps:,.0f} steps ({time.time() - start:.0f} s)", flush=True)
    values = [results[s] for s in sorted(results)]
    print(f"{a.label} seeds {a.seeds}: " + ", ".join(f"{v:,.0f}" for v in values) +
          f"; median {statistics.median(values):,.0f}")


if __name__ == "__main__":
    main()
