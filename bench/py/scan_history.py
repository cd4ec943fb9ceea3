"""Python baseline of the scan-history benchmarks: the unmodified wandb.Api scans one run's history
(`run.scan_history(keys, page_size)`, which wandb-core serves) up to max_step; one warm-up, then
`rounds` timed scans, each with a fresh Api and run built outside the timing and use_cache=False so
every round reads from the server. Prints {"median_ms": ..., "count": ...}."""
import json
import statistics
import sys
import time

import wandb

spec = json.loads(sys.argv[1])
times = []
count = 0
for round_ in range(spec["rounds"] + 1):
    api = wandb.Api(timeout=300)
    run = api.run(spec["path"])
    started = time.perf_counter()
    count = sum(
        1
        for _ in run.scan_history(
            keys=spec["keys"], page_size=spec["page_size"], max_step=spec["max_step"], use_cache=False
        )
    )
    if round_ > 0:
        times.append((time.perf_counter() - started) * 1000)
print(json.dumps({"median_ms": statistics.median(times), "count": count}))
