"""Python baseline of the list-runs benchmark: the unmodified wandb.Api lists every run of a
project with the same page size; one warm-up, then `rounds` timed listings (each with a fresh Api,
built outside the timing, since Api caches Runs). Prints {"median_ms": ..., "count": ...}."""
import json
import statistics
import sys
import time

import wandb

spec = json.loads(sys.argv[1])
times = []
count = 0
for round_ in range(spec["rounds"] + 1):
    api = wandb.Api(timeout=120)
    started = time.perf_counter()
    count = sum(1 for _ in api.runs(spec["path"], per_page=spec["per_page"]))
    if round_ > 0:
        times.append((time.perf_counter() - started) * 1000)
print(json.dumps({"median_ms": statistics.median(times), "count": count}))
