#!/usr/bin/env python3
"""A small DDPM in PyTorch that logs what `genwindow watch` reads: TensorBoard scalars and sample dumps.

Trains an MLP noise predictor (sinusoidal time embedding, residual SiLU blocks) on n images of the 8x8 digits
genwindow ships, or of Fashion-MNIST, on the CPU or a GPU. What it writes under LOGDIR:

- TensorBoard event files (`SummaryWriter`): `train/loss` every `--log-every` steps, `val/loss` (the same loss on
  held-out images) at every evaluation;
- `samples/step_0001500.npy`: the samples of each evaluation, float32 in [0, 1], shape (m, H, W);
- `train.npy` and `heldout.npy`: the n training images and held-out images, float32 in [0, 1], (n, H, W), for
  `genwindow watch LOGDIR --samples LOGDIR/samples --train LOGDIR/train.npy --reference LOGDIR/heldout.npy`.

The lines a training script needs for genwindow are marked `# genwindow:`.
"""
import argparse
import gzip
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_digits():
    """The 1,797 8x8 digits (pixel values 0-16) genwindow ships, as float32 in [0, 1], shape (N, 8, 8)."""
    path = os.path.join(REPO, "Sources", "Datasets", "Resources", "digits.csv.gz")
    rows = np.loadtxt(gzip.open(path, "rt"), delimiter=",", dtype=np.float32)
    return (rows[:, :64] / 16.0).reshape(-1, 8, 8)


def load_fashion_mnist(folder):
    """Fashion-MNIST images from the IDX files in `folder` (train then test), float32 in [0, 1], (N, 28, 28)."""
    images = []
    for name in ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"):
        with gzip.open(os.path.join(folder, name), "rb") as f:
            _, count, rows, cols = struct.unpack(">IIII", f.read(16))
            images.append(np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows, cols))
    return np.concatenate(images).astype(np.float32) / 255.0


class Denoiser(nn.Module):
    """Predicts the noise in x_t from x_t and t: an MLP on [x_t, embedding(t)] with residual SiLU blocks."""

    def __init__(self, dim, width, depth, time_dim=64):
        super().__init__()
        self.time_dim = time_dim
        self.inp = nn.Linear(dim + time_dim, width)
        self.blocks = nn.ModuleList(nn.Sequential(nn.SiLU(), nn.Linear(width, width)) for _ in range(depth))
        self.out = nn.Sequential(nn.SiLU(), nn.Linear(width, dim))

    def embed(self, t):
        half = self.time_dim // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device) / half)
        angles = t.float()[:, None] * freqs[None, :]
        return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)

    def forward(self, x, t):
        h = self.inp(torch.cat([x, self.embed(t)], dim=1))
        for block in self.blocks:
            h = h + block(h)
        return self.out(h)


def diffusion_loss(model, x0, alpha_bar):
    t = torch.randint(0, len(alpha_bar), (x0.shape[0],), device=x0.device)
    noise = torch.randn_like(x0)
    a = alpha_bar[t][:, None]
    return ((model(a.sqrt() * x0 + (1 - a).sqrt() * noise, t) - noise) ** 2).mean()


@torch.no_grad()
def ddim_sample(model, count, dim, alpha_bar, steps, generator, device):
    """Deterministic DDIM with `steps` steps from pure noise; returns samples in the model's [-1, 1] scale."""
    ts = torch.linspace(len(alpha_bar) - 1, 0, steps, device=device).long()
    x = torch.randn(count, dim, generator=generator, device=device)
    for i, t in enumerate(ts):
        a = alpha_bar[t]
        eps = model(x, t.repeat(count))
        x0 = ((x - (1 - a).sqrt() * eps) / a.sqrt()).clamp(-1, 1)
        a_next = alpha_bar[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0, device=device)
        x = a_next.sqrt() * x0 + (1 - a_next).sqrt() * eps
    return x


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--logdir", default="runs/pytorch-ddpm")
    p.add_argument("--data", choices=["digits", "fashion-mnist"], default="digits")
    p.add_argument("--fashion-mnist-dir", help="folder with Fashion-MNIST's *-idx3-ubyte.gz files")
    p.add_argument("--n", type=int, default=128, help="training images")
    p.add_argument("--heldout", type=int, default=256, help="held-out images for val/loss and --reference")
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--samples", type=int, default=256, help="samples per evaluation")
    p.add_argument("--sample-steps", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    images = load_digits() if args.data == "digits" else load_fashion_mnist(args.fashion_mnist_dir)
    order = rng.permutation(len(images))
    train, heldout = images[order[:args.n]], images[order[args.n:args.n + args.heldout]]
    shape = train.shape[1:]
    dim = int(np.prod(shape))

    os.makedirs(os.path.join(args.logdir, "samples"), exist_ok=True)
    np.save(os.path.join(args.logdir, "train.npy"), train)
    np.save(os.path.join(args.logdir, "heldout.npy"), heldout)
    writer = SummaryWriter(args.logdir, flush_secs=5)  # genwindow: flush often enough to watch live

    device = torch.device(args.device)
    x_train = torch.tensor(train.reshape(len(train), dim) * 2 - 1, device=device)
    x_held = torch.tensor(heldout.reshape(len(heldout), dim) * 2 - 1, device=device)
    betas = torch.linspace(1e-4, 0.02, 1000, device=device)
    alpha_bar = torch.cumprod(1 - betas, dim=0)
    model = Denoiser(dim, args.width, args.depth).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    sampler = torch.Generator(device=device)

    for step in range(args.steps + 1):
        if step % args.eval_every == 0:
            model.eval()
            with torch.no_grad():
                torch.manual_seed(10_000 + step)
                val = diffusion_loss(model, x_held, alpha_bar).item()
            writer.add_scalar("val/loss", val, step)  # genwindow: test_loss
            sampler.manual_seed(args.seed)
            x = ddim_sample(model, args.samples, dim, alpha_bar, args.sample_steps, sampler, device)
            dump = ((x.cpu().numpy() + 1) / 2).reshape(args.samples, *shape).astype(np.float32)
            # genwindow: one dump per evaluation, the step at the end of the name, written whole then renamed.
            final = os.path.join(args.logdir, "samples", f"step_{step:07d}.npy")
            np.save(final + ".tmp.npy", dump)
            os.replace(final + ".tmp.npy", final)
            writer.flush()
            model.train()
        if step == args.steps:
            break
        batch = x_train[torch.randint(0, len(x_train), (min(args.batch, len(x_train)),), device=device)]
        loss = diffusion_loss(model, batch, alpha_bar)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % args.log_every == 0:
            writer.add_scalar("train/loss", loss.item(), step)  # genwindow: train_loss
    writer.close()


if __name__ == "__main__":
    main()
