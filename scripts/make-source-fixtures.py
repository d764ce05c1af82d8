#!/usr/bin/env python3
"""Writes the ExternalRuns test fixtures with the real writers, and what TensorBoard reads from them.

Run from the repository root, in a virtual environment outside the repository:

    python3 -m venv /tmp/fixvenv
    /tmp/fixvenv/bin/pip install torch tensorboard tensorboardX numpy   # a CPU torch wheel is enough
    /tmp/fixvenv/bin/python scripts/make-source-fixtures.py

Output: Tests/ExternalRunsTests/Fixtures/ — event files from torch's SummaryWriter (simple_value, new_style,
add_scalars, purge_step, add_images), tensorboardX, tensorboard's own EventFileWriter (tensor scalars of every dtype the
reader decodes), a Lightning-style metrics.csv before and after its rewrite with a wider header, JSON lines;
and expected.json: every scalar as tensorboard's EventAccumulator reads it (step, value) in its order, the image
summaries (PNG bytes in hex), the versions of the writers. Event files are renamed to fixed names (their time,
host and pid parts would change on every run); scalar wall times are fixed, the writers' own first events carry
the time of writing.
"""
import csv
import json
import os
import shutil
import struct

import numpy as np
import tensorboard
import tensorboardX
import torch
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.util import tensor_util
from torch.utils.tensorboard import SummaryWriter

OUT = os.path.join("Tests", "ExternalRunsTests", "Fixtures")
WALL = 1_700_000_000.0


def fix_names(directory, stem):
    """Renames the event files of `directory` (in the order written) to events.out.tfevents.<stem>.<k>."""
    files = [f for f in os.listdir(directory) if os.path.isfile(os.path.join(directory, f)) and "tfevents" in f]
    files.sort(key=lambda f: (os.path.getmtime(os.path.join(directory, f)), f))
    for k, name in enumerate(files):
        os.rename(os.path.join(directory, name), os.path.join(directory, "events.out.tfevents.%d.fixture.%d" % (stem + k, k)))


def torch_simple(d):
    w = SummaryWriter(d)
    for step in range(20):
        w.add_scalar("train/loss", 1.0 / (step + 1), step, walltime=WALL + step)
        w.add_scalar("lr", 1e-3 * 0.9 ** step, step, walltime=WALL + step)
        if step % 5 == 4:
            w.add_scalar("val/loss", 1.5 / (step + 1), step, walltime=WALL + step)
    w.close()
    fix_names(d, 1700000000)


def torch_new_style(d):
    w = SummaryWriter(d)
    for step in range(0, 50, 5):
        w.add_scalar("loss", 2.0 - step / 30.0, step, walltime=WALL + step, new_style=True)
        w.add_scalar("fid", 100.0 / (step + 1), step, walltime=WALL + step, new_style=True, double_precision=True)
    w.close()
    fix_names(d, 1700000100)


def torch_add_scalars(d):
    """add_scalars: one subdirectory (one run, for TensorBoard) per key, beside the writer's own file."""
    w = SummaryWriter(d)
    for step in range(8):
        w.add_scalars("loss", {"train": 1.0 / (step + 1), "val": 1.2 / (step + 1)}, step, walltime=WALL + step)
        w.add_scalar("lr", 0.01, step, walltime=WALL + step)
    w.close()
    for root, _, _ in os.walk(d):
        fix_names(root, 1700000600)


def tensorboardx(d):
    w = tensorboardX.SummaryWriter(d)
    for step in range(12):
        w.add_scalar("train_loss", float(np.float32(0.5) ** step), step, walltime=WALL + step)
        w.add_scalar("test_loss", 0.7 - 0.01 * step, step, walltime=WALL + step)
    w.close()
    fix_names(d, 1700000200)


def purge(d):
    w = SummaryWriter(d)
    for step in range(10):
        w.add_scalar("loss", 10.0 - step, step, walltime=WALL + step)
    w.close()
    w = SummaryWriter(d, purge_step=5)
    for step in range(5, 13):
        w.add_scalar("loss", 100.0 + step, step, walltime=WALL + 100 + step)
    w.close()
    fix_names(d, 1700000300)


def tensor_value(tag, dtype, step, **fields):
    shape = tensor_shape_pb2.TensorShapeProto()
    t = tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape, **fields)
    meta = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    return summary_pb2.Summary.Value(tag=tag, tensor=t, metadata=meta)


def tensor_scalars(d):
    """tensorboard's own EventFileWriter with rank-0 tensors: float_val, tensor_content, double_val, int_val,
    int64_val, half_val (HALF and BFLOAT16)."""
    w = EventFileWriter(d)
    for step in range(6):
        x = 0.1 * (step + 1)
        values = [
            tensor_value("float_val", types_pb2.DT_FLOAT, step, float_val=[x]),
            tensor_value("content_float", types_pb2.DT_FLOAT, step, tensor_content=struct.pack("<f", -x)),
            tensor_value("content_double", types_pb2.DT_DOUBLE, step, tensor_content=struct.pack("<d", x / 3)),
            tensor_value("double_val", types_pb2.DT_DOUBLE, step, double_val=[x * 7]),
            tensor_value("int_val", types_pb2.DT_INT32, step, int_val=[-3 * step]),
            tensor_value("int64_val", types_pb2.DT_INT64, step, int64_val=[2**40 + step]),
            tensor_value("half_val", types_pb2.DT_HALF, step,
                         half_val=[int(np.array([x], dtype=np.float16).view(np.uint16)[0])]),
            tensor_value("bfloat16_val", types_pb2.DT_BFLOAT16, step,
                         half_val=[int(np.array([x], dtype=np.float32).view(np.uint32)[0] >> 16)]),
        ]
        w.add_event(event_pb2.Event(wall_time=WALL + step, step=step, summary=summary_pb2.Summary(value=values)))
    w.close()
    fix_names(d, 1700000400)


def images(d):
    """torch's add_images: a batch of 10 images 3×4 (one channel, uint8) tiled 8 per row, no padding, into one
    RGB PNG grid; the batch is saved beside it (images_batch.npy) for the grid-splitting test."""
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 256, size=(10, 1, 3, 4)).astype(np.uint8)
    np.save(os.path.join(OUT, "images_batch.npy"), batch)
    w = SummaryWriter(d)
    for step in (100, 200):
        w.add_images("test_samples", batch, step, walltime=WALL + step)  # uint8: no rescaling, tiles bit-exact
        w.add_scalar("loss", step / 1000.0, step, walltime=WALL + step)
    w.close()
    fix_names(d, 1700000500)


def lightning(d):
    """A Lightning CSVLogger-style metrics.csv: rows appended, then the file rewritten whole with a wider header
    when val_loss first appears (as CSVLogger's _ExperimentWriter does; csv.DictWriter's \\r\\n lines)."""
    os.makedirs(d)
    rows = [{"epoch": 0, "step": s, "train_loss": 1.0 / (s + 1)} for s in range(0, 50, 10)]
    keys = sorted({"epoch", "step", "train_loss"})
    with open(os.path.join(d, "metrics_narrow.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    rows.append({"epoch": 0, "step": 49, "val_loss": 0.25})
    rows += [{"epoch": 1, "step": s, "train_loss": 1.0 / (s + 1)} for s in range(50, 80, 10)]
    keys = sorted({"epoch", "step", "train_loss", "val_loss"})
    with open(os.path.join(d, "metrics.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


def csv_expected(path):
    series = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for k, v in row.items():
                if k != "step" and v != "":
                    series.setdefault(k, []).append([int(row["step"]), float(v)])
    return series


def jsonl(d):
    os.makedirs(d)
    with open(os.path.join(d, "metrics.jsonl"), "w") as f:
        for step in range(0, 30, 3):
            record = {"step": step, "loss": 1.0 / (step + 2), "note": "text is skipped"}
            if step % 9 == 0:
                record["eval/fid"] = 50.0 - step
            f.write(json.dumps(record) + "\n")


def tensor_scalar(proto):
    """The value of a one-element tensor; numpy has no bfloat16, so those bits are widened here by hand."""
    if proto.dtype == types_pb2.DT_BFLOAT16:
        bits = proto.half_val[0] if proto.half_val else struct.unpack("<H", proto.tensor_content)[0]
        return float(np.array([bits << 16], dtype=np.uint32).view(np.float32)[0])
    return float(tensor_util.make_ndarray(proto).item())


def accumulated(d):
    """Every scalar of each run under `d`, as EventAccumulator reads it (Scalars for simple_value, Tensors
    through make_ndarray for tensor scalars), and the image summaries."""
    runs = {}
    for root, _, files in sorted(os.walk(d)):
        if not any("tfevents" in f for f in files):
            continue
        acc = event_accumulator.EventAccumulator(root, size_guidance={
            event_accumulator.SCALARS: 0, event_accumulator.TENSORS: 0, event_accumulator.IMAGES: 0})
        acc.Reload()
        tags = acc.Tags()
        series = {}
        for tag in tags["scalars"]:
            series[tag] = [[e.step, float(e.value)] for e in acc.Scalars(tag)]
        for tag in tags["tensors"]:
            series[tag] = [[e.step, tensor_scalar(e.tensor_proto)] for e in acc.Tensors(tag)]
        imgs = {}
        for tag in tags["images"]:
            imgs[tag] = [{"step": e.step, "width": e.width, "height": e.height, "png": e.encoded_image_string.hex()}
                         for e in acc.Images(tag)]
        name = os.path.relpath(root, d)
        runs[name] = {"scalars": series, "images": imgs}
    return runs


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    makers = {"torch_simple": torch_simple, "torch_new_style": torch_new_style, "torch_add_scalars": torch_add_scalars,
              "tensorboardx": tensorboardx,
              "purge": purge, "tensor_scalars": tensor_scalars, "images": images}
    expected = {"versions": {"torch": torch.__version__, "tensorboard": tensorboard.__version__,
                             "tensorboardX": tensorboardX.__version__, "numpy": np.__version__},
                "tfevents": {}}
    for name, make in makers.items():
        d = os.path.join(OUT, name)
        make(d)
        expected["tfevents"][name] = accumulated(d)
    lightning(os.path.join(OUT, "lightning"))
    expected["csv"] = {f: csv_expected(os.path.join(OUT, "lightning", f)) for f in ("metrics_narrow.csv", "metrics.csv")}
    jsonl(os.path.join(OUT, "jsonl"))
    series = {}
    with open(os.path.join(OUT, "jsonl", "metrics.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            for k, v in record.items():
                if k != "step" and isinstance(v, (int, float)):
                    series.setdefault(k, []).append([record["step"], float(v)])
    expected["jsonl"] = series
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
