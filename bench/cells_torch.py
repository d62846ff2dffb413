#!/usr/bin/python3
"""The PyTorch program a user would write for charrnn's gated and stacked models, as the
counterpart of `charrnn --cell gru|lstm --layers L`: torch.nn.GRU or nn.LSTM (num_layers=L,
dropout between layers) and nn.Linear, one-hot inputs, loss summed over T and averaged over B,
autograd, element-wise clipping at 5, Adagrad, B streams through the corpus with the state
carried between windows. Weights start as PyTorch initialises them. float32 by default, as
such a program would run (charrnn computes in float64; --dtype float64 for the same).

  /usr/bin/python3 bench/cells_torch.py CORPUS --cell gru --layers 2 --batch 32 --threads 2 --iters 200

Prints a last line `chars_per_s=... loss=...`, the speed after --warmup iterations.
"""
import argparse
import math
import time

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("corpus")
ap.add_argument("--cell", choices=["gru", "lstm"], default="gru")
ap.add_argument("--layers", type=int, default=1)
ap.add_argument("--dropout", type=float, default=0.0)
ap.add_argument("--hidden", type=int, default=100)
ap.add_argument("--seq", type=int, default=25)
ap.add_argument("--batch", type=int, default=1)
ap.add_argument("--iters", type=int, default=200)
ap.add_argument("--warmup", type=int, default=20)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--lr", type=float, default=0.1)
ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
ap.add_argument("--seed", type=int, default=42)
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
V, H, T, B = len(symbols), args.hidden, args.seq, args.batch
span = len(data) // B
streams = data[:span * B].view(B, span)

Cell = nn.GRU if args.cell == "gru" else nn.LSTM
rnn = Cell(input_size=V, hidden_size=H, num_layers=args.layers,
           dropout=args.dropout if args.layers > 1 else 0.0).to(dtype)
out_layer = nn.Linear(H, V).to(dtype)
params = list(rnn.parameters()) + list(out_layer.parameters())
opt = torch.optim.Adagrad(params, lr=args.lr, eps=1e-8)
eye = torch.eye(V, dtype=dtype)


def zero_state():
    h = torch.zeros(args.layers, B, H, dtype=dtype)
    return h if args.cell == "gru" else (h, torch.zeros(args.layers, B, H, dtype=dtype))


def detach(state):
    return state.detach() if args.cell == "gru" else (state[0].detach(), state[1].detach())


state = zero_state()
p = 0
smooth = math.log(V)
t_start = None
for it in range(args.iters):
    if it == args.warmup:
        t_start = time.perf_counter()
    if p + T + 1 > span:
        p = 0
        state = zero_state()
    chunk = streams[:, p:p + T + 1].t()                      # (T+1, B)
    x = eye[chunk[:-1]]                                      # (T, B, V)
    y = chunk[1:].reshape(-1)
    opt.zero_grad(set_to_none=True)
    out, new_state = rnn(x, state)
    loss = F.cross_entropy(out_layer(out).reshape(T * B, V), y, reduction="sum") / B
    loss.backward()
    nn.utils.clip_grad_value_(params, 5.0)
    opt.step()
    state = detach(new_state)
    smooth = 0.999 * smooth + 0.001 * loss.item() / T
    p += T
seconds = time.perf_counter() - t_start
chars = (args.iters - args.warmup) * T * B
print(f"chars_per_s={chars / seconds:.1f} iterations={args.iters} seconds={seconds:.3f} loss={smooth:.4f}")
