#!/usr/bin/env python3
"""float32 against float64 on the same run: the validation loss after 1M characters.

  python3 bench/precision.py [--corpus ../shared/corpora/tinyshakespeare.txt] [--hidden 128]
                             [--batch 32] [--chars 1000000] [--cells rnn,gru,lstm] [--seeds 3]

For each cell, trains charrnn twice with everything equal but --precision (float32, then
float64): `java -jar target/charrnn.jar --cell C --hidden H --batch-size B --iterations N
--eval-every N --sample-every 0 --precision P CORPUS`, N updates of B×25 characters making the
budget, in a fresh folder each. The held-out loss is measured once, after the last update, on
the last 5% of the corpus. Prints each run's loss and speed, then a table of the two losses per
cell and their difference (the aim: float32 within 0.01 nats/char of float64). With --seeds S,
every pair runs with seeds 42, 43, ...: training is chaotic, so two runs whose arithmetic
differs in the last bit drift apart much as two seeds do; the table then gives the mean over
seeds of each precision, the mean of the paired differences, and the spread between seeds of
float64 alone (the difference a seed makes), to judge the difference against.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(ROOT, "target", "charrnn.jar")


def run(cell, precision, args, updates, seed):
    cmd = ["java", "-jar", JAR, "--seed", str(seed), "--cell", cell, "--hidden", str(args.hidden), "--batch-size", str(args.batch),
           "--iterations", str(updates), "--eval-every", str(updates), "--sample-every", "0",
           "--precision", precision, args.corpus]
    with tempfile.TemporaryDirectory(prefix="charrnn-precision-") as folder:
        p = subprocess.run(cmd, cwd=folder, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"charrnn failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.strip()[-500:]}")
    val = re.findall(r"^val iter %d\s+loss ([0-9.]+)" % updates, p.stdout, re.M)
    speed = re.search(r"chars_per_s=([0-9.]+)", p.stdout)
    if not val or not speed:
        sys.exit(f"no validation loss or speed in the output of {' '.join(cmd)}")
    return float(val[-1]), float(speed.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "tinyshakespeare.txt"))
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--cells", default="rnn,gru,lstm")
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} is missing: build it with mvn -B -ntp -q package -DskipTests")
    updates = max(1, args.chars // (args.batch * 25))
    print(f"H={args.hidden} B={args.batch} T=25, {updates} updates = {updates * args.batch * 25} characters",
          flush=True)
    rows = []
    for cell in args.cells.split(","):
        losses = {"float32": [], "float64": []}
        for seed in range(42, 42 + args.seeds):
            for precision in ("float32", "float64"):
                loss, speed = run(cell, precision, args, updates, seed)
                losses[precision].append(loss)
                print(f"  {cell:<5} seed {seed} {precision}  validation loss {loss:.4f} nats/char  {speed:10.0f} chars/s",
                      flush=True)
        rows.append((cell, losses["float32"], losses["float64"]))
    print()
    print(f"| cell | float32 (mean of {args.seeds}) | float64 | mean of float32 − float64 | float64: max − min over seeds |")
    print("|---|---|---|---|---|")
    worst = 0
    for cell, f32, f64 in rows:
        diff = sum(a - b for a, b in zip(f32, f64)) / len(f32)
        worst = max(worst, abs(diff))
        print(f"| {cell} | {sum(f32) / len(f32):.4f} | {sum(f64) / len(f64):.4f} | {diff:+.4f} | {max(f64) - min(f64):.4f} |")
    print(f"\nlargest mean difference: {worst:.4f} nats/char (aim: at most 0.01)")


if __name__ == "__main__":
    main()
