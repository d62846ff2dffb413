#!/usr/bin/env python3
"""charrnn against the reference trainers, side by side, interleaved (A B A B ...).

  python3 bench/compare.py [--rounds 3] [--bench ../shared/bench] [--corpus ../shared/corpora/tinyshakespeare.txt]

Runs, in every round and in this order, each pinned the same way as its counterpart:
  batch 1, one core (taskset -c 0):   charrnn, rnn_numpy.py --impl fast, rnn_numpy.py --impl loop
  batch 32, both cores:               charrnn --batch-size 32 --threads 2, rnn_torch.py --batch 32 --threads 1
  machine peak, both cores:           peak_matmul.py --threads 2 (1000x1000 float64 GFLOP/s)
  start-up:                           java -jar target/charrnn.jar --help (wall time)
charrnn is run as README.md gives it (java -jar target/charrnn.jar, which reaches the Vector API itself),
for long enough that its JIT warm-up, which its figure includes, is a small part; the references
report their steady state (their own warm-up iterations excluded). Prints every run, then the
medians and the ratios the performance targets are stated in. H=100, T=25 throughout.
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
JAVA = ["java", "-jar", JAR]


def last_values(out):
    line = [l for l in out.strip().splitlines() if "=" in l][-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([-0-9.eE+]+)", line)}


STEADY = {}


def steady_rate(out):
    """Median chars/s of charrnn's loss lines after the first fifth of the run: its speed once the
    JIT has compiled the kernels (the whole-run figure includes that warm-up)."""
    rates = [float(m.group(1)) for m in re.finditer(r"^iter \d+ .* ([0-9.]+) chars/s$", out, re.M)]
    rates = rates[len(rates) // 5:]
    return statistics.median(rates) if rates else float("nan")


def run(name, cmd, key="chars_per_s"):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{name} failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    value = last_values(p.stdout)[key]
    extra = ""
    if name.startswith("charrnn"):
        STEADY.setdefault(name, []).append(steady_rate(p.stdout))
        extra = f", after warm-up {STEADY[name][-1]:.0f}"
    print(f"  {name:<34} {value:12.1f} {key}   ({wall:.1f} s{extra})", flush=True)
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--bench", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "tinyshakespeare.txt"))
    ap.add_argument("--torch-python", default="/usr/bin/python3",
                    help="python with torch (Debian's python3-torch)")
    args = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build first: mvn -B -ntp -q package -DskipTests")
    bench = os.path.abspath(args.bench)
    corpus = os.path.abspath(args.corpus)
    ckpt = os.path.join(tempfile.mkdtemp(), "bench.ckpt")
    common = ["--sample-every", "0", "--val-fraction", "0", "--checkpoint-every", "1000000", "--save", ckpt]
    pin = ["taskset", "-c", "0"]
    runs = {
        "charrnn B=1 (1 core)": lambda: run("charrnn B=1 (1 core)", pin + JAVA + [
            "--iterations", "100000", "--print-every", "5000"] + common + [corpus]),
        "numpy fast B=1 (1 core)": lambda: run("numpy fast B=1 (1 core)", pin + [
            "python3", os.path.join(bench, "rnn_numpy.py"), corpus, "--impl", "fast", "--iters", "8000", "--threads", "1"]),
        "numpy loop B=1 (1 core)": lambda: run("numpy loop B=1 (1 core)", pin + [
            "python3", os.path.join(bench, "rnn_numpy.py"), corpus, "--impl", "loop", "--iters", "2000", "--threads", "1"]),
        "charrnn B=32 (2 threads)": lambda: run("charrnn B=32 (2 threads)", JAVA + [
            "--batch-size", "32", "--threads", "2", "--iterations", "6000", "--print-every", "300"] + common + [corpus]),
        "torch B=32 (1 thread)": lambda: run("torch B=32 (1 thread)", [
            args.torch_python, os.path.join(bench, "rnn_torch.py"), corpus, "--batch", "32", "--threads", "1",
            "--iters", "150"]),
        "peak matmul (2 threads)": lambda: run("peak matmul (2 threads)", [
            "python3", os.path.join(bench, "peak_matmul.py"), "--threads", "2"], key="gflops_1000"),
    }
    results = {k: [] for k in runs}
    startup = []
    for r in range(args.rounds):
        print(f"round {r + 1} of {args.rounds}", flush=True)
        for name, fn in runs.items():
            results[name].append(fn())
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(["java", "-jar", JAR, "--help"], capture_output=True, check=True)
            startup.append(time.perf_counter() - t0)
        print(f"  {'java -jar charrnn.jar --help':<34} {startup[-1]:12.3f} s", flush=True)

    med = {k: statistics.median(v) for k, v in results.items()}
    print("\nmedians over", args.rounds, "rounds")
    for k, v in med.items():
        print(f"  {k:<34} {v:12.1f}")
    gflops = med["charrnn B=32 (2 threads)"] * 1e-4
    print(f"  {'--help start-up (s)':<34} {statistics.median(startup):12.3f}")
    steady = {k: statistics.median(v) for k, v in STEADY.items()}
    for k, v in steady.items():
        print(f"  {k + ', after warm-up':<34} {v:12.1f}")
    b1, b1s = med["charrnn B=1 (1 core)"], steady["charrnn B=1 (1 core)"]
    b32, b32s = med["charrnn B=32 (2 threads)"], steady["charrnn B=32 (2 threads)"]
    peak = med["peak matmul (2 threads)"]
    print("\ntargets (whole run; after warm-up)")
    print(f"  B=1:  charrnn / numpy fast  = {b1 / med['numpy fast B=1 (1 core)']:5.2f}; {b1s / med['numpy fast B=1 (1 core)']:5.2f}  (target >= 3)")
    print(f"  B=1:  charrnn / numpy loop  = {b1 / med['numpy loop B=1 (1 core)']:5.2f}; {b1s / med['numpy loop B=1 (1 core)']:5.2f}  (target >= 8)")
    print(f"  B=32: charrnn / torch       = {b32 / med['torch B=32 (1 thread)']:5.2f}; {b32s / med['torch B=32 (1 thread)']:5.2f}  (target >= 10)")
    print(f"  B=32: {gflops:.1f} GFLOP/s = {100 * gflops / peak:.0f}%; {b32s * 1e-4:.1f} GFLOP/s = {100 * b32s * 1e-4 / peak:.0f}% "
          f"of the 2-thread matmul peak (target >= 40%)")
    print(f"  --help start-up {statistics.median(startup):.3f} s (target <= 0.4 s)")


if __name__ == "__main__":
    main()
