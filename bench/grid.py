#!/usr/bin/env python3
"""Issue 10's grid: charrnn as a user runs it against PyTorch on OpenBLAS, on the same two cores.

  python3 bench/grid.py [--cells rnn,gru,lstm] [--hidden 128,256,512] [--layers 1,2]
                        [--rounds 2] [--seconds 12] [--peak GFLOPS]
                        [--bench ../shared/bench] [--corpus ../shared/corpora/tinyshakespeare.txt]

Points: every cell × H × layers chosen (by default {rnn, gru, lstm} × {128, 256, 512} × {1, 2},
18 points, about 17 minutes at the defaults), batch 32, T = 25. Every round runs, point after point, A then B:
  A  java -jar target/charrnn.jar --cell C --hidden H --layers L --batch-size 32
       --time-limit S --iterations 1000000000 CORPUS
     exactly what a user types: no JVM flag, every other option at its default (validation,
     samples, checkpoints, all threads), in a fresh folder of its own, removed afterwards. Its
     last line's chars_per_s covers the whole training run, JIT warm-up included.
  B  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 rnn_torch.py CORPUS --cell C
       --hidden H --layers L --batch 32 --threads 1 --warmup 0 --iters N
     rnn_torch.py has no whole-run time option, so N is sized to last S seconds: by a short
     calibration of each point before the first round, then from the point's previous run.
     --warmup 0 makes its chars_per_s cover every iteration (whole run, warm-up included).
Both figures leave out program start and corpus reading. A run shorter than 10 s is marked:
the official figure needs --seconds >= 10 and at least 2 rounds.

Before the first round, the machine's float32 peak: NumPy float32 matrix products of 1024² and
2048² on 2 BLAS threads (OPENBLAS_NUM_THREADS=2), as ../shared/bench/peak_matmul.py does at 1000²;
the best median of the two sizes is the peak (--peak GFLOPS gives it and skips the measurement).

Work per character, counted in matrix products only (G = 1, 3, 4 gate blocks for rnn, gru, lstm;
V the vocabulary, L layers):
    multiply-adds per character, forward   M = L·G·H²        recurrent products, every layer
                                             + (L−1)·G·H²    input products of the layers above the first
                                             + H·V           output scores
    FLOP per character, forward + backward F = 3 · 2 · M = 6·((2L−1)·G·H² + H·V)
Why: a product of K multiply-adds is 2K FLOP. Every product y = W·x of the forward pass has two
of the same size in the backward pass, dx = Wᵀ·dy (what flows down and back in time) and
dW += dy·xᵀ, so forward + backward = 3 × forward. Layer 0's input product is of a one-hot
character: the forward reads one column of Wxh and the backward adds to one column, a gather
and a scatter of G·H values with no product, counted 0 (and no dx is needed for data). The
elementwise work (tanh, sigmoids, gate products: O(G·H) per character), the softmax (O(V)) and
the optimizer step (O(parameters) per update, i.e. per B·T characters) are a factor of H, or
B·T, smaller and not counted, so the figure is a slight underestimate of the work done. Check:
LSTM, H = 256, one layer, V = 65: 6·(4·256² + 256·65) ≈ 1.67 MFLOP per character, the
"3·(8H² + 2VH)" of issue 10. GFLOP/s = chars/s × F / 1e9; fraction of peak = that / peak.

Prints charrnn's kernels line (which names its precision: the peak is float32's, the precision
charrnn trains in by default once issue 10 is done), every run, then per point: the medians of chars/s, charrnn / PyTorch, and for each its
GFLOP/s and fraction of the float32 peak; last, any charrnn run whose updates allocated more than
64 kB (its heap_bytes_per_update: the training loop allocates nothing by design, so a run that
does had Vector API code left on the API's Java fallbacks, and its speed is not charrnn's).
Build first: mvn -B -ntp -q package -DskipTests.
The machine's speed drifts from minute to minute, and more when it is shared: only the
interleaved ratios mean much.
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(ROOT, "target", "charrnn.jar")
BATCH = 32
SEQ = 25
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
OFFICIAL_SECONDS = 10.0
ITERATIONS = 1_000_000_000  # charrnn stops at --time-limit long before this
# charrnn's last line gives heap_bytes_per_update: 0 to a few hundred bytes when every vector
# kernel is compiled; Vector API code on its Java fallbacks allocates 0.7-20 MB per update
ALLOCATING = 65536

# Run by another python (NumPy is not part of the driver): float32 GEMM GFLOP/s on 2 threads.
PEAK_CODE = r"""
import time
import numpy as np
rng = np.random.default_rng(0)
for n in (1024, 2048):
    A = rng.standard_normal((n, n)).astype(np.float32)
    B = rng.standard_normal((n, n)).astype(np.float32)
    C = np.empty((n, n), dtype=np.float32)
    np.matmul(A, B, out=C)
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(A, B, out=C)
        dt = time.perf_counter() - t0
        if dt > 0.05:
            break
        reps *= 2
    reps = max(1, int(reps * 0.2 / dt))
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(A, B, out=C)
        times.append((time.perf_counter() - t0) / reps)
    print(f"gflops_{n}={2.0 * n ** 3 / sorted(times)[2] / 1e9:.2f}", flush=True)
"""


def flop_per_char(cell, hidden, layers, vocab):
    """6·((2L−1)·G·H² + H·V): see the module's docstring."""
    g = GATES[cell]
    return 6.0 * ((2 * layers - 1) * g * hidden * hidden + hidden * vocab)


def key_values(out):
    """The key=value pairs of the last line that has chars_per_s=."""
    lines = [ln for ln in out.splitlines() if ln.startswith("chars_per_s=")]
    if not lines:
        return None
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", lines[-1])}


def run(cmd, cwd=None, env=None):
    """Runs cmd; its stdout, or exit with one line naming the command that failed."""
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    if p.returncode != 0:
        tail = (p.stderr.strip().splitlines() or ["(no output on stderr)"])[-1]
        sys.exit(f"grid.py: exit {p.returncode} from {' '.join(cmd)}: {tail}")
    return p.stdout


def measure_peak(python):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="2", OMP_NUM_THREADS="2", MKL_NUM_THREADS="2")
    out = run([python, "-c", PEAK_CODE], env=env)
    sizes = {int(k): float(v) for k, v in re.findall(r"gflops_(\d+)=([0-9.]+)", out)}
    for n, g in sizes.items():
        print(f"  float32 {n}x{n} @ {n}x{n}, 2 threads: {g:8.2f} GFLOP/s", flush=True)
    return max(sizes.values())


class Grid:
    def __init__(self, args):
        self.args = args
        self.corpus = os.path.abspath(args.corpus)
        self.torch_script = os.path.join(os.path.abspath(args.bench), "rnn_torch.py")
        self.torch_env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="2")
        self.iters = {}  # point -> rnn_torch.py --iters for a run of about --seconds
        self.fastest = {}  # point -> PyTorch's fastest chars/s there so far: runs sized to it last >= --seconds
        self.kernels = None  # charrnn's kernels line (its precision), printed when first seen

    def charrnn(self, cell, hidden, layers):
        cmd = ["java", "-jar", JAR, "--cell", cell, "--hidden", str(hidden), "--layers", str(layers),
               "--batch-size", str(BATCH), "--time-limit", f"{self.args.seconds:g}",
               "--iterations", str(ITERATIONS), self.corpus]
        with tempfile.TemporaryDirectory(prefix="grid-") as folder:
            out = run(cmd, cwd=folder)
        kv = key_values(out)
        if kv is None:
            sys.exit(f"grid.py: no chars_per_s= line from {' '.join(cmd)}")
        vocab = re.search(r"vocabulary of (\d+) symbols", out)
        kernels = re.search(r"^kernels: (.*)$", out, re.M)
        if kernels and kernels.group(1) != self.kernels:
            self.kernels = kernels.group(1)
            print(f"  charrnn's kernels: {self.kernels}", flush=True)
        heap = int(kv.get("heap_bytes_per_update", "-1"))
        return float(kv["chars_per_s"]), float(kv["seconds"]), int(vocab.group(1)) if vocab else None, heap

    def torch(self, cell, hidden, layers, iters):
        cmd = ["/usr/bin/python3", self.torch_script, self.corpus, "--cell", cell, "--hidden", str(hidden),
               "--layers", str(layers), "--batch", str(BATCH), "--threads", "1", "--seq", str(SEQ),
               "--warmup", "0", "--iters", str(iters)]
        kv = key_values(run(cmd, env=self.torch_env))
        if kv is None:
            sys.exit(f"grid.py: no chars_per_s= line from {' '.join(cmd)}")
        return float(kv["chars_per_s"]), float(kv["train_s"])

    def calibrate(self, point):
        """--iters for a PyTorch run of about --seconds: grow a short run until it lasts 1 s."""
        iters = 5
        while True:
            rate, seconds = self.torch(*point, iters)
            if seconds >= min(1.0, self.args.seconds / 5) or iters >= 1_000_000:
                break
            iters = int(iters * min(50.0, 1.2 / max(seconds, 1e-3))) + 1
        self.fastest[point] = rate
        self.iters[point] = self.size(rate)

    def size(self, rate):
        return max(1, math.ceil(self.args.seconds * rate / (BATCH * SEQ)))


def parse_list(text, kind, allowed=None):
    items = [kind(x) for x in text.split(",") if x.strip()]
    if not items or (allowed and any(x not in allowed for x in items)):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a comma-separated list"
                                         + (f" of {', '.join(map(str, allowed))}" if allowed else ""))
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cells", default="rnn,gru,lstm", type=lambda s: parse_list(s, str, GATES))
    ap.add_argument("--hidden", default="128,256,512", type=lambda s: parse_list(s, int))
    ap.add_argument("--layers", default="1,2", type=lambda s: parse_list(s, int))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=12.0, help="length of every run (>= 10 for the official figure)")
    ap.add_argument("--peak", type=float, help="float32 peak in GFLOP/s, instead of measuring it")
    ap.add_argument("--peak-python", default="python3", help="a python with NumPy, to measure the peak")
    ap.add_argument("--bench", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "tinyshakespeare.txt"))
    args = ap.parse_args()
    if args.rounds < 1 or args.seconds <= 0 or any(h < 1 for h in args.hidden) or any(l < 1 for l in args.layers):
        sys.exit("grid.py: --rounds, --seconds, --hidden and --layers must be positive")
    if not os.path.exists(JAR):
        sys.exit("grid.py: build first: mvn -B -ntp -q package -DskipTests")
    grid = Grid(args)
    if not os.path.exists(grid.torch_script):
        sys.exit(f"grid.py: no {grid.torch_script} (--bench names the folder of rnn_torch.py)")
    try:
        with open(grid.corpus, encoding="utf-8") as f:
            vocab = len(set(f.read()))
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"grid.py: cannot read the corpus {grid.corpus}: {e}")
    if args.seconds < OFFICIAL_SECONDS or args.rounds < 2:
        print(f"note: --seconds {args.seconds:g} --rounds {args.rounds}: not the official figure "
              f"(needs >= {OFFICIAL_SECONDS:g} s and >= 2 rounds)")
    points = [(c, h, l) for c in args.cells for h in args.hidden for l in args.layers]
    print(f"A: java -jar {JAR} --cell C --hidden H --layers L --batch-size {BATCH} --time-limit {args.seconds:g} "
          f"--iterations {ITERATIONS} {grid.corpus}")
    print(f"B: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 {grid.torch_script} {grid.corpus} "
          f"--cell C --hidden H --layers L --batch {BATCH} --threads 1 --seq {SEQ} --warmup 0 --iters N")

    print("machine's float32 peak, NumPy matrix products on 2 threads", flush=True)
    peak = args.peak if args.peak else measure_peak(args.peak_python)
    print(f"  peak: {peak:.2f} GFLOP/s{' (given)' if args.peak else ''}; V = {vocab}, B = {BATCH}, T = {SEQ}")

    print("calibrating rnn_torch.py --iters for runs of about "
          f"{args.seconds:g} s", flush=True)
    for p in points:
        grid.calibrate(p)
        print(f"  {name(p):<14} --iters {grid.iters[p]}", flush=True)

    ours = {p: [] for p in points}
    theirs = {p: [] for p in points}
    fallbacks = []  # charrnn runs whose updates allocated: (point, round, bytes per update)
    for r in range(args.rounds):
        print(f"round {r + 1} of {args.rounds}", flush=True)
        for p in points:
            rate, seconds, v, heap = grid.charrnn(*p)
            if v is not None and v != vocab:
                print(f"  note: charrnn reads V = {v}, the corpus has {vocab} distinct characters; using {v}")
                vocab = v
            ours[p].append(rate)
            print(f"  {name(p):<14} charrnn  {rate:10.0f} chars/s over {seconds:6.2f} s{short(seconds)}"
                  f"{allocating(heap)}", flush=True)
            if heap > ALLOCATING:
                fallbacks.append((name(p), r + 1, heap))
            rate, seconds = grid.torch(*p, grid.iters[p])
            theirs[p].append(rate)
            print(f"  {name(p):<14} PyTorch  {rate:10.0f} chars/s over {seconds:6.2f} s{short(seconds)}"
                  f"  (--iters {grid.iters[p]})", flush=True)
            # sized to its fastest run yet: PyTorch's speed here has two levels, and a run sized
            # to the slower one would fall short of --seconds when it lands on the faster
            grid.fastest[p] = max(grid.fastest[p], rate)
            grid.iters[p] = grid.size(grid.fastest[p])

    print(f"\nmedians over {args.rounds} round{'s' * (args.rounds > 1)}, {args.seconds:g} s runs, batch {BATCH}; "
          f"float32 peak {peak:.1f} GFLOP/s")
    print(f"{'point':<14} {'MFLOP/char':>10} {'charrnn/s':>10} {'PyTorch/s':>10} {'ratio':>6} "
          f"{'charrnn GFLOP/s':>15} {'of peak':>7} {'PyTorch GFLOP/s':>15} {'of peak':>7}")
    worst = None
    for p in points:
        a, b = statistics.median(ours[p]), statistics.median(theirs[p])
        f = flop_per_char(*p, vocab)
        ga, gb = a * f / 1e9, b * f / 1e9
        ratio = a / b
        worst = ratio if worst is None else min(worst, ratio)
        print(f"{name(p):<14} {f / 1e6:10.3f} {a:10.0f} {b:10.0f} {ratio:6.2f} "
              f"{ga:15.1f} {100 * ga / peak:6.1f}% {gb:15.1f} {100 * gb / peak:6.1f}%")
    print(f"\nlowest charrnn / PyTorch: {worst:.2f} (target >= 1.5 at every point)")
    if fallbacks:
        print(f"{len(fallbacks)} charrnn run(s) allocated in their updates (Vector API code left on its Java "
              f"fallbacks?): " + "; ".join(f"{n} round {r}: {b} bytes/update" for n, r, b in fallbacks))
    else:
        print(f"no charrnn run allocated more than {ALLOCATING} bytes per update")


def name(point):
    cell, hidden, layers = point
    return f"{cell} H={hidden} L={layers}"


def allocating(heap):
    """A mark for a run whose updates allocated: the training loop should allocate nothing."""
    return f"  (allocated {heap} bytes per update)" if heap > ALLOCATING else ""


def short(seconds):
    return "  (short of 10 s)" if seconds < OFFICIAL_SECONDS else ""


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("grid.py: interrupted")
