"""Writes real tfevents files with tensorboardX (the writer W&B users have) and prints what W&B's
TensorBoard integration makes of them, computed here independently: the events are read back with
the protobuf runtime and mapped as wandb/integration/tensorboard/log.py does (scalars, the
`histo` histogram with extrapolated outer edges), text kept as a string.

argv[1]: {"logdir": path, "steps": n, "t0": wall time of step 0}
"""
import glob
import struct

import numpy as np
from tensorboardX import SummaryWriter
from tensorboardX.proto.event_pb2 import Event

from common import args, emit


def write(logdir, steps, t0):
    root = SummaryWriter(logdir)
    train = SummaryWriter(logdir + "/train")
    for step in range(steps):
        root.add_scalar("loss", 1.0 / (step + 1), global_step=step, walltime=t0 + step)
        train.add_scalar("acc", step / steps, global_step=step, walltime=t0 + step + 0.5)
    root.add_text("notes", "halfway **there**", global_step=steps // 2, walltime=t0 + steps // 2 + 0.2)
    values = np.linspace(-1.0, 1.0, 200) ** 3
    root.add_histogram("weights", values, global_step=steps - 1, walltime=t0 + steps - 1 + 0.2, max_bins=40)
    root.close()
    train.close()
    return sorted(glob.glob(logdir + "/**/*tfevents*", recursive=True))


def records(path):
    """TFRecord payloads (checksums not checked: these files were just written)."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos : pos + 8])
        yield data[pos + 12 : pos + 12 + length]
        pos += 12 + length + 4


def mapped(event, namespace):
    """{key: value} for one event's summary, as log.py's tf_summary_to_dict (+ text)."""
    out = {}
    for value in event.summary.value:
        tag = namespace + "/" + value.tag if namespace else value.tag
        kind = value.WhichOneof("value")
        if kind == "simple_value":
            out[tag] = value.simple_value
        elif kind == "histo":
            limits = list(value.histo.bucket_limit)
            first = limits[0] + limits[0] - limits[1]
            last = limits[-2] + limits[-2] - limits[-3]
            out[tag] = {"_type": "histogram", "values": list(value.histo.bucket), "bins": [first] + limits[:-1] + [last]}
        elif kind == "tensor" and value.metadata.plugin_data.plugin_name == "text":
            out[tag] = value.tensor.string_val[0].decode("utf-8")
    return out


def main():
    a = args()
    files = write(a["logdir"], a["steps"], a["t0"])
    rows = {}
    for path in files:
        namespace = "train" if "/train/" in path else ""
        for payload in records(path):
            event = Event()
            event.ParseFromString(payload)
            if not event.HasField("summary"):
                continue
            row = rows.setdefault(str(event.step), {})
            row.update(mapped(event, namespace))
            row.setdefault("_timestamps", []).append(event.wall_time)
    emit({"files": [p[len(a["logdir"]) + 1 :] for p in files], "rows": rows})


main()
