#!/usr/bin/env python3
"""charrnn's gated and stacked models against the PyTorch program a user would write for them
(bench/cells_torch.py: nn.GRU / nn.LSTM with num_layers, autograd, Adagrad), interleaved.

  python3 bench/cells.py [--rounds 3] [--corpus ../shared/corpora/tinyshakespeare.txt]

For GRU and LSTM, one layer and two (H=100, T=25), every round runs in this order, each pinned
the same way as its counterpart:
  batch 1, one core (taskset -c 0):  charrnn, then PyTorch with 1 thread
  batch 32, both cores:              charrnn --threads 2, then PyTorch with 2 threads
charrnn's figures are given for the whole run (JIT warm-up included) and after its warm-up
(the median of its loss lines after the first fifth); PyTorch's exclude its first iterations.
Prints every run, then medians and ratios.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import JAR, JAVA, ROOT, STEADY, run  # noqa: E402

MODELS = [("gru", 1), ("gru", 2), ("lstm", 1), ("lstm", 2)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "tinyshakespeare.txt"))
    ap.add_argument("--torch-python", default="/usr/bin/python3", help="python with torch (Debian's python3-torch)")
    args = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build first: mvn -B -ntp -q package -DskipTests")
    corpus = os.path.abspath(args.corpus)
    ckpt = os.path.join(tempfile.mkdtemp(), "bench.ckpt")
    common = ["--sample-every", "0", "--val-fraction", "0", "--checkpoint-every", "1000000", "--save", ckpt]
    pin = ["taskset", "-c", "0"]
    torch = [args.torch_python, os.path.join(HERE, "cells_torch.py"), corpus]
    results = {}
    for r in range(args.rounds):
        print(f"round {r + 1} of {args.rounds}", flush=True)
        for cell, layers in MODELS:
            model = ["--cell", cell, "--layers", str(layers)]
            tag = f"{cell} {layers}L"
            for name, cmd in [
                (f"charrnn {tag} B=1", pin + JAVA + model + ["--iterations", "6000", "--print-every", "300"]
                 + common + [corpus]),
                (f"torch {tag} B=1", pin + torch + ["--cell", cell, "--layers", str(layers), "--batch", "1",
                                                    "--threads", "1", "--iters", "300", "--warmup", "30"]),
                (f"charrnn {tag} B=32", JAVA + model + ["--batch-size", "32", "--threads", "2", "--iterations",
                                                       "1500", "--print-every", "75"] + common + [corpus]),
                (f"torch {tag} B=32", torch + ["--cell", cell, "--layers", str(layers), "--batch", "32",
                                               "--threads", "2", "--iters", "60", "--warmup", "10"]),
            ]:
                results.setdefault(name, []).append(run(name, cmd))
    med = {k: statistics.median(v) for k, v in results.items()}
    steady = {k: statistics.median(v) for k, v in STEADY.items()}
    print(f"\nmedians over {args.rounds} rounds, chars/s: charrnn whole run (after warm-up) / PyTorch = ratio")
    for cell, layers in MODELS:
        for b in (1, 32):
            c, t = f"charrnn {cell} {layers}L B={b}", f"torch {cell} {layers}L B={b}"
            print(f"  {cell} {layers} layer{'s' if layers > 1 else ''}, B={b:<3} {med[c]:10.0f} ({steady[c]:8.0f}) / "
                  f"{med[t]:8.0f} = {med[c] / med[t]:5.1f} ({steady[c] / med[t]:5.1f})")


if __name__ == "__main__":
    main()
