#!/usr/bin/env python3
"""The user's own command against NumPy, interleaved (A B C A B C ...), pinned to one core.

  python3 bench/user.py [--rounds 3] [--bench ../shared/bench] [--corpus ../shared/corpora/tinyshakespeare.txt]

Each round runs, each as `taskset -c 0 ...`:
  A  java -jar target/charrnn.jar --hidden 100 --iterations 20000 CORPUS
     exactly what a user types: no JVM flag, every other option at its default (validation every
     2000 updates, checkpoints every 1000, a sample every 1000), in a fresh folder of its own;
  B  the same with --eval-every 1000000: no validation pass, all else equal, to measure what
     the held-out passes cost within A;
  C  python3 rnn_numpy.py CORPUS --impl fast --iters 8000 (NumPy, the output layer batched).
Prints every run's chars_per_s (charrnn's over its whole training loop, JIT warm-up, validation,
checkpoints and samples included; NumPy's after its own warm-up), then the medians, the ratio
A / C (target >= 2.5) and the held-out passes' share of A, 1 - A/B (target <= 10%).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(ROOT, "target", "charrnn.jar")


def chars_per_s(out):
    line = [l for l in out.strip().splitlines() if "chars_per_s=" in l][-1]
    return float(re.search(r"chars_per_s=([-0-9.eE+]+)", line).group(1))


def run(name, cmd, cwd=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{name} failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    value = chars_per_s(p.stdout)
    print(f"  {name:<44} {value:10.0f} chars/s   ({wall:.1f} s wall)", flush=True)
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--bench", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "tinyshakespeare.txt"))
    args = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build first: mvn -B -ntp -q package -DskipTests")
    corpus = os.path.abspath(args.corpus)
    numpy = os.path.join(os.path.abspath(args.bench), "rnn_numpy.py")
    pin = ["taskset", "-c", "0"]
    user = pin + ["java", "-jar", JAR, "--hidden", "100", "--iterations", "20000"]
    runs = {
        "A: java -jar charrnn.jar --hidden 100 (defaults)": lambda: run(
            "A: java -jar charrnn.jar --hidden 100 (defaults)", user + [corpus], cwd=tempfile.mkdtemp()),
        "B: the same, no validation pass": lambda: run(
            "B: the same, no validation pass", user + ["--eval-every", "1000000", corpus], cwd=tempfile.mkdtemp()),
        "C: rnn_numpy.py --impl fast": lambda: run(
            "C: rnn_numpy.py --impl fast", pin + ["python3", numpy, corpus, "--impl", "fast", "--iters", "8000",
                                                  "--threads", "1"]),
    }
    results = {k: [] for k in runs}
    for r in range(args.rounds):
        print(f"round {r + 1} of {args.rounds}", flush=True)
        for name, fn in runs.items():
            results[name].append(fn())
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nmedians over {args.rounds} rounds")
    for k, v in med.items():
        print(f"  {k:<44} {v:10.0f} chars/s")
    a, b, c = med.values()
    print("\ntargets")
    print(f"  charrnn as the user runs it / NumPy fast = {a / c:.2f}  (target >= 2.5)")
    print(f"  held-out passes' share of the default run = {100 * (1 - a / b):.1f}%  (target <= 10%)")


if __name__ == "__main__":
    main()
