"""Python baseline of the download-artifact benchmark: the unmodified wandb.Api downloads each
artifact of spec["names"] into a fresh folder with skip_cache=True (this SDK keeps no cache, so
Python's cache would only add a copy).

Two modes. With spec["rounds"]: one warm-up, then that many timed rounds (a fresh Api each, built
and the artifacts fetched outside the timing, as ours are); prints {"median_ms": ..., "count": ...}.
With spec["session"]: one warm-up, then one timed round per line "round" read from stdin, each
answered with a line {"ms": ..., "count": ...} (so the benchmark interleaves Python's rounds with
ours on the same machine state); "quit" ends it."""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import wandb

spec = json.loads(sys.argv[1])


parents = []


def one_round():
    api = wandb.Api(timeout=120)
    artifacts = [api.artifact(name) for name in spec["names"]]
    parent = tempfile.mkdtemp(prefix="wandb-bench-py-dl-")
    parents.append(parent)
    try:
        started = time.perf_counter()
        count = 0
        for i, artifact in enumerate(artifacts):
            root = artifact.download(root=os.path.join(parent, str(i)), skip_cache=True)
            count += sum(len(files) for _, _, files in os.walk(root))
        return (time.perf_counter() - started) * 1000, count
    finally:
        # In a session, folders go at the end (as ours do): freeing them between rounds would load
        # the disk during the next contender's round.
        if not spec.get("session"):
            shutil.rmtree(parent, ignore_errors=True)


if spec.get("session"):
    one_round()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() != "round":
            break
        ms, count = one_round()
        print(json.dumps({"ms": ms, "count": count}), flush=True)
    for parent in parents:
        shutil.rmtree(parent, ignore_errors=True)
else:
    times = []
    count = 0
    for round_ in range(spec["rounds"] + 1):
        ms, count = one_round()
        if round_ > 0:
            times.append(ms)
    print(json.dumps({"median_ms": statistics.median(times), "count": count}))
