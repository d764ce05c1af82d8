#!/usr/bin/env python3
"""FID between the two halves of the Fashion-MNIST test split (issue 22's check), with genwindow's own network.

Reads the gzip IDX test images (Debian's dataset-fashion-mnist, `make fashion-mnist`), writes images 0..N-1 and
5000..5000+N-1 as uint8 (N, 28, 28) .npy files, and runs `genwindow metrics fd A B --features inception --json`
on them with a fresh statistics cache (so both halves go through the network), printing the FID and the wall
time. Standard library only.

    scripts/fashion-mnist-halves-fid.py [--images t10k-images-idx3-ubyte.gz] [--count 5000] [--genwindow BIN]
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import time


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, h, w = struct.unpack(">IIII", data[:16])
    if magic != 0x803 or len(data) != 16 + n * h * w:
        sys.exit(f"{path}: not an IDX image file")
    return n, h, w, data[16:]


def write_npy_uint8(path, shape, payload):
    header = "{'descr': '|u1', 'fortran_order': False, 'shape': (%s), }" % "".join(f"{d}, " for d in shape)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", default="/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
    parser.add_argument("--count", type=int, default=5000, help="images per half (at most 5000)")
    parser.add_argument("--genwindow", default=".build/release/genwindow")
    parser.add_argument("--weights", default=os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "genwindow"),
                        help="folder of fid_inception.f32 and .tsv (make fid-weights)")
    args = parser.parse_args()
    n, h, w, pixels = read_idx_images(args.images)
    if n != 10000 or not 2 <= args.count <= 5000:
        sys.exit(f"expected the 10,000-image test split and --count in 2..5000, got {n} images and --count {args.count}")
    per = h * w
    with tempfile.TemporaryDirectory(prefix="gw-fm-halves-") as tmp:
        a, b = os.path.join(tmp, "a.npy"), os.path.join(tmp, "b.npy")
        write_npy_uint8(a, (args.count, h, w), pixels[: args.count * per])
        write_npy_uint8(b, (args.count, h, w), pixels[5000 * per: (5000 + args.count) * per])
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), GENWINDOW_FID_WEIGHTS=args.weights)
        start = time.monotonic()
        out = subprocess.run([args.genwindow, "metrics", "fd", a, b, "--features", "inception", "--json"],
                             env=env, capture_output=True, text=True)
        seconds = time.monotonic() - start
    if out.returncode != 0:
        sys.exit(f"genwindow failed ({out.returncode}): {out.stderr.strip()}")
    fid = json.loads(out.stdout)["fd"]
    print(json.dumps({"fid": fid, "images_per_half": args.count, "seconds": round(seconds, 1),
                      "images_per_second": round(2 * args.count / seconds, 2)}))


if __name__ == "__main__":
    main()
