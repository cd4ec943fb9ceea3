"""Python baseline of the download-artifact benchmark: the unmodified wandb.Api downloads each
artifact of spec["names"] into a fresh folder with skip_cache=True (this SDK keeps no cache, so
Python's cache would only add a copy); one warm-up, then `rounds` timed rounds (a fresh Api each,
built and the artifacts fetched outside the timing, as ours are). Prints {"median_ms": ..., "count": ...}."""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import wandb

spec = json.loads(sys.argv[1])
times = []
count = 0
for round_ in range(spec["rounds"] + 1):
    api = wandb.Api(timeout=120)
    artifacts = [api.artifact(name) for name in spec["names"]]
    parent = tempfile.mkdtemp(prefix="wandb-bench-py-dl-")
    started = time.perf_counter()
    count = 0
    for i, artifact in enumerate(artifacts):
        root = artifact.download(root=os.path.join(parent, str(i)), skip_cache=True)
        count += sum(len(files) for _, _, files in os.walk(root))
    if round_ > 0:
        times.append((time.perf_counter() - started) * 1000)
    shutil.rmtree(parent, ignore_errors=True)
print(json.dumps({"median_ms": statistics.median(times), "count": count}))
