#!/usr/bin/env python3
"""Two or more builds of charrnn, interleaved: training speed of each, medians over rounds.

    python3 bench/ab.py OLD.jar NEW.jar [MORE.jar ...] [--rounds 3] [--case NAME ...]

Each round runs every case with the old jar, then with the new one (and any more), so a slow
spell of the machine hits all alike. Cases (tiny Shakespeare, ../shared/corpora/tinyshakespeare.txt):

  b1      tanh RNN, H=100, batch 1, 20,000 updates, pinned to core 0, Vector API
  lstm32  LSTM, H=256, batch 32, 300 updates, both cores, Vector API through the launcher (in
          one JVM with --add-modules, without the launcher's JIT options, the LSTM's step runs
          partly on the Vector API's fallbacks in every run: 7-11 MB allocated per update)
  plain1  as b1 on plain Java (one JVM without the module), 5,000 updates
as a user runs it (`java -jar`, no JVM flag, every other option at its default, so the
launcher's child JVM with its own options, validation, samples and checkpoints included):
  user    issue 9's command: --hidden 100 --iterations 20000, pinned to core 0
  gru512  issue 10's grid point GRU, H=512, 2 layers, batch 32, --time-limit 12, both cores
  rnn512  the same for the tanh RNN
  gru256  the same for the GRU of 256 units
  lstm512 LSTM, H=512, one layer
  lstm128 LSTM, H=128, one layer
  gru128  GRU, H=128, one layer

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
GRID = ["--batch-size", "32", "--time-limit", "12", "--iterations", "1000000000"]
CASES = {
    "b1": (["taskset", "-c", "0"], VECTOR, ["--hidden", "100", "--iterations", "20000"] + COMMON),
    "lstm32": ([], [], ["--batch-size", "32", "--cell", "lstm", "--hidden", "256", "--iterations", "300"] + COMMON),
    "plain1": (["taskset", "-c", "0"], ["-Dcharrnn.launch=inline"], ["--hidden", "100", "--iterations", "5000"] + COMMON),
    "user": (["taskset", "-c", "0"], [], ["--hidden", "100", "--iterations", "20000"]),
    "gru512": ([], [], ["--cell", "gru", "--hidden", "512", "--layers", "2"] + GRID),
    "rnn512": ([], [], ["--cell", "rnn", "--hidden", "512", "--layers", "2"] + GRID),
    "gru256": ([], [], ["--cell", "gru", "--hidden", "256", "--layers", "2"] + GRID),
    "lstm512": ([], [], ["--cell", "lstm", "--hidden", "512", "--layers", "1"] + GRID),
    "lstm128": ([], [], ["--cell", "lstm", "--hidden", "128", "--layers", "1"] + GRID),
    "gru128": ([], [], ["--cell", "gru", "--hidden", "128", "--layers", "1"] + GRID),
}


def run(jar, case, save, tmp):
    """(chars per wall-clock second, per CPU second, per second after warm-up) of one run."""
    prefix, jvm, args = CASES[case]
    cmd = prefix + ["java"] + jvm + ["-jar", jar] + args + ["--save", save, CORPUS]
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
    steady = statistics.median(rates[len(rates) // 5:]) if rates else float("nan")
    heap = re.search(r" heap_bytes_per_update=(-?[0-9]+)", out)
    if heap and int(heap.group(1)) > 65536:
        # the training loop allocates nothing unless Vector API code runs on its Java fallbacks
        print(f"  note: {os.path.basename(jar)} {case} allocated {heap.group(1)} bytes per update", flush=True)
    return wall, chars / (usage.ru_utime + usage.ru_stime), steady


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jars", nargs="+", metavar="JAR", help="the old build first, then the new one(s)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--case", action="append", choices=sorted(CASES))
    a = ap.parse_args()
    if len(a.jars) < 2:
        ap.error("give the old jar and at least one new one")
    cases = a.case or ["b1", "lstm32", "plain1"]
    jars = [("old", a.jars[0])] + [("new" if i == 1 else f"new{i}", j) for i, j in enumerate(a.jars) if i > 0]
    speeds = {(c, name): [] for c in cases for name, _ in jars}
    with tempfile.TemporaryDirectory() as tmp:
        save = os.path.join(tmp, "ab.ckpt")
        for r in range(a.rounds):
            for c in cases:
                for name, jar in jars:
                    s = run(jar, c, save, tmp)
                    speeds[(c, name)].append(s)
                    print(f"round {r + 1} {c:7} {name}: {s[0]:10.1f} chars/s  {s[1]:10.1f} chars/CPU-s"
                          f"  {s[2]:10.1f} chars/s after warm-up", flush=True)
    print()
    for c in cases:
        for i, unit in ((0, "chars/s"), (1, "chars/CPU-s"), (2, "after warm-up")):
            old = statistics.median(s[i] for s in speeds[(c, "old")])
            line = f"{c:7} {unit:13} median old {old:10.1f}"
            for name, _ in jars[1:]:
                new = statistics.median(s[i] for s in speeds[(c, name)])
                line += f"  {name} {new:10.1f} ({new / old:.3f})"
            print(line)


if __name__ == "__main__":
    sys.exit(main())
