#!/usr/bin/env python3
"""Two builds of charrnn, interleaved: training speed of each, medians over rounds.

    python3 bench/ab.py OLD.jar NEW.jar [--rounds 3] [--case NAME ...]

Each round runs every case with the old jar, then with the new one, so a slow spell of the
machine hits both alike. Cases (tiny Shakespeare, ../shared/corpora/tinyshakespeare.txt):

  b1      tanh RNN, H=100, batch 1, 20,000 updates, pinned to core 0, Vector API
  lstm32  LSTM, H=256, batch 32, 300 updates, both cores, Vector API
  plain1  as b1 on plain Java (one JVM without the module), 5,000 updates

Prints, for every run, its whole-run characters per second of wall-clock time, per second of
CPU time (user + system, all threads, JIT compilation included; on a machine shared with other
work it moves less), and after warm-up (the median of the loss lines' speeds after the first
fifth of the run). Then the medians and new/old of each.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "tinyshakespeare.txt")
VECTOR = ["--add-modules", "jdk.incubator.vector"]
COMMON = ["--val-fraction", "0", "--sample-every", "0", "--checkpoint-every", "1000000"]
CASES = {
    "b1": (["taskset", "-c", "0"], VECTOR, ["--hidden", "100", "--iterations", "20000"]),
    "lstm32": ([], VECTOR, ["--batch-size", "32", "--cell", "lstm", "--hidden", "256", "--iterations", "300"]),
    "plain1": (["taskset", "-c", "0"], ["-Dcharrnn.launch=inline"], ["--hidden", "100", "--iterations", "5000"]),
}


def run(jar, case, save, tmp):
    """(chars per wall-clock second, per CPU second, per second after warm-up) of one run."""
    prefix, jvm, args = CASES[case]
    cmd = prefix + ["java"] + jvm + ["-jar", jar] + args + COMMON + ["--save", save, CORPUS]
    log = os.path.join(tmp, "out.txt")
    with open(log, "w") as f:
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    out = open(log).read()
    wall = float(re.search(r"^chars_per_s=([0-9.]+)", out, re.M).group(1))
    chars = float(re.search(r" chars=([0-9]+)", out).group(1))
    rates = [float(m.group(1)) for m in re.finditer(r"^iter \d+ .* ([0-9.]+) chars/s$", out, re.M)]
    steady = statistics.median(rates[len(rates) // 5:])
    return wall, chars / (usage.ru_utime + usage.ru_stime), steady


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--case", action="append", choices=sorted(CASES))
    a = ap.parse_args()
    cases = a.case or ["b1", "lstm32", "plain1"]
    speeds = {(c, j): [] for c in cases for j in ("old", "new")}
    with tempfile.TemporaryDirectory() as tmp:
        save = os.path.join(tmp, "ab.ckpt")
        for r in range(a.rounds):
            for c in cases:
                for name, jar in (("old", a.old), ("new", a.new)):
                    s = run(jar, c, save, tmp)
                    speeds[(c, name)].append(s)
                    print(f"round {r + 1} {c:7} {name}: {s[0]:10.1f} chars/s  {s[1]:10.1f} chars/CPU-s"
                          f"  {s[2]:10.1f} chars/s after warm-up", flush=True)
    print()
    for c in cases:
        for i, unit in ((0, "chars/s"), (1, "chars/CPU-s"), (2, "after warm-up")):
            old = statistics.median(s[i] for s in speeds[(c, "old")])
            new = statistics.median(s[i] for s in speeds[(c, "new")])
            print(f"{c:7} {unit:13} median old {old:10.1f}  new {new:10.1f}  new/old {new / old:.3f}")


if __name__ == "__main__":
    sys.exit(main())
