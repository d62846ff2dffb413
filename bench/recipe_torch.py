#!/usr/bin/python3
"""The PyTorch counterpart of charrnn's ten-minute recipe (docs/REPORT.md): the program a PyTorch
user writes for the same model and the same training, given the same wall-clock time.

torch.nn.GRU or nn.LSTM (num_layers=L) and nn.Linear on one-hot inputs; the loss is the mean
cross-entropy over the B×T characters of an update; autograd; optional element-wise clipping
(clip_grad_value_) and global-norm clipping (clip_grad_norm_); torch.optim.Adam, or AdamW with
--weight-decay; the learning rate of update n as charrnn computes it: lr·n/W during a warm-up of
W updates, then half a cosine down to --min-lr at --iters; --dropout between stacked layers (the
cell's own dropout=, as charrnn's --dropout: not after the top layer). B streams walk the training text
(the first 95%, as charrnn's --val-fraction 0.05) from B evenly spaced starts, the state carried
from window to window and reset to zero every --reset-every windows, as charrnn does. Training
stops after --iters updates or --time-limit seconds, whichever is first; then the held-out last
5% is read once from an empty state and its mean loss printed, in nats per character.

  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/recipe_torch.py CORPUS \\
      --cell gru --hidden 256 --batch 32 --seq 64 --lr 2e-3 --warmup 100 --min-lr 2e-4 \\
      --iters 20000 --time-limit 600 --threads 1

Prints a last line `val_loss=... chars=... chars_per_s=...`.
"""
import argparse
import math
import time

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("corpus")
ap.add_argument("--cell", choices=["gru", "lstm"], default="gru")
ap.add_argument("--layers", type=int, default=1)
ap.add_argument("--hidden", type=int, default=256)
ap.add_argument("--dropout", type=float, default=0.0, help="between stacked layers, as charrnn's --dropout")
ap.add_argument("--seq", type=int, default=64)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--lr", type=float, default=2e-3)
ap.add_argument("--betas", type=float, nargs=2, default=[0.9, 0.999])
ap.add_argument("--weight-decay", type=float, default=0.0)
ap.add_argument("--warmup", type=int, default=0)
ap.add_argument("--min-lr", type=float, default=0.0)
ap.add_argument("--iters", type=int, default=20000, help="updates at most; the cosine ends here")
ap.add_argument("--time-limit", type=float, default=0, help="seconds of training at most (0: none)")
ap.add_argument("--clip", type=float, default=5.0, help="element-wise clip (0: off)")
ap.add_argument("--clip-norm", type=float, default=0.0, help="global-norm clip (0: off)")
ap.add_argument("--reset-every", type=int, default=100)
ap.add_argument("--val-frac", type=float, default=0.05)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--print-every", type=int, default=200)
args = ap.parse_args()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
dtype = getattr(torch, args.dtype)

with open(args.corpus, encoding="utf-8") as f:
    text = f.read()
symbols = sorted(set(text))
index = {c: i for i, c in enumerate(symbols)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
held = int(len(data) * args.val_frac)
train, heldout = data[:len(data) - held], data[len(data) - held:]
V, H, T, B, L = len(symbols), args.hidden, args.seq, args.batch, args.layers

Cell = nn.GRU if args.cell == "gru" else nn.LSTM
rnn = Cell(input_size=V, hidden_size=H, num_layers=L, dropout=args.dropout).to(dtype)
out_layer = nn.Linear(H, V).to(dtype)
params = list(rnn.parameters()) + list(out_layer.parameters())
if args.weight_decay > 0:
    opt = torch.optim.AdamW(params, lr=args.lr, betas=tuple(args.betas), weight_decay=args.weight_decay)
else:
    opt = torch.optim.Adam(params, lr=args.lr, betas=tuple(args.betas))
eye = torch.eye(V, dtype=dtype)


def rate(n):
    """charrnn's warm-up and cosine (src/main/java/charrnn/train/LearningRate.java) at update n = 1, 2, ..."""
    if n <= args.warmup:
        return args.lr * n / args.warmup
    progress = min(1.0, (n - args.warmup) / (args.iters - args.warmup))
    return args.min_lr + (args.lr - args.min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


def zero_state(b):
    h = torch.zeros(L, b, H, dtype=dtype)
    return (h, torch.zeros(L, b, H, dtype=dtype)) if args.cell == "lstm" else h


def detach(state):
    return tuple(s.detach() for s in state) if args.cell == "lstm" else state.detach()


def mask(state, keep):
    """Zeroes the state of the streams where keep is 0."""
    k = keep.view(1, -1, 1).to(dtype)
    return tuple(s * k for s in state) if args.cell == "lstm" else state * k


def heldout_loss():
    rnn.eval()
    with torch.no_grad():
        state = zero_state(1)
        total = 0.0
        for s in range(0, len(heldout) - 1, 10000):
            x = heldout[s:min(s + 10000, len(heldout) - 1)]
            y = heldout[s + 1:s + 1 + len(x)]
            out, state = rnn(eye[x].unsqueeze(1), state)
            total += F.cross_entropy(out_layer(out[:, 0, :]).double(), y, reduction="sum").item()
        return total / (len(heldout) - 1)


def main():
    n = len(train)
    starts = [b * (n // B) for b in range(B)]
    pos = torch.tensor(starts, dtype=torch.long)
    windows = torch.zeros(B, dtype=torch.long)
    state = zero_state(B)
    offsets = torch.arange(T + 1)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, {args.cell} L={L} H={H} T={T} B={B} "
          f"V={V}, {sum(p.numel() for p in params)} parameters, {args.dtype}, "
          f"{'AdamW' if args.weight_decay > 0 else 'Adam'} lr {args.lr}", flush=True)
    start = time.perf_counter()
    smooth = math.log(V)
    it = 0
    while it < args.iters:
        if args.time_limit and time.perf_counter() - start >= args.time_limit:
            break
        # a stream that would run past the training text wraps to its start with an empty state
        wrap = pos + T + 1 > n
        pos = torch.where(wrap, torch.zeros_like(pos), pos)
        reset = wrap | ((windows % args.reset_every == 0) if args.reset_every > 0 else torch.zeros_like(wrap))
        windows = torch.where(wrap, torch.zeros_like(windows), windows)
        state = mask(state, ~reset)
        chunk = train[(pos.view(B, 1) + offsets.view(1, T + 1))].t()    # (T+1, B)
        for g in opt.param_groups:
            g["lr"] = rate(it + 1)
        opt.zero_grad(set_to_none=True)
        out, state = rnn(eye[chunk[:-1]], state)
        loss = F.cross_entropy(out_layer(out).reshape(T * B, V), chunk[1:].reshape(-1))
        loss.backward()
        if args.clip > 0:
            nn.utils.clip_grad_value_(params, args.clip)
        if args.clip_norm > 0:
            nn.utils.clip_grad_norm_(params, args.clip_norm)
        opt.step()
        state = detach(state)
        pos += T
        windows += 1
        it += 1
        smooth = 0.99 * smooth + 0.01 * loss.item()
        if args.print_every and it % args.print_every == 0:
            el = time.perf_counter() - start
            print(f"iter {it} chars {it * T * B} loss {smooth:.4f} lr {rate(it):.3e} {it * T * B / el:.0f} chars/s",
                  flush=True)
    seconds = time.perf_counter() - start
    val = heldout_loss()
    print(f"val_loss={val:.4f} iterations={it} chars={it * T * B} seconds={seconds:.1f} "
          f"chars_per_s={it * T * B / seconds:.1f}")


main()
