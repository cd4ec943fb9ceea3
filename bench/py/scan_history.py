"""Python baseline of the scan-history benchmarks: the unmodified wandb.Api scans one run's history
(`run.scan_history(keys, page_size)`, which wandb-core serves) up to max_step; one warm-up, then
`rounds` timed scans, each with a fresh Api and run built outside the timing and use_cache=False so
every round reads from the server. With `budget_ms`, no round starts that would end past the budget
(by the last round's time); median_ms is null when not one timed round fits.
Prints {"median_ms": ..., "count": ..., "rounds": ...}."""
import json
import statistics
import sys
import time

import wandb

spec = json.loads(sys.argv[1])
budget_ms = spec.get("budget_ms")
times = []
count = 0
began = time.perf_counter()
last_ms = 0.0
for round_ in range(spec["rounds"] + 1):
    if budget_ms is not None and (time.perf_counter() - began) * 1000 + last_ms > budget_ms:
        break
    api = wandb.Api(timeout=300)
    run = api.run(spec["path"])
    started = time.perf_counter()
    count = sum(
        1
        for _ in run.scan_history(
            keys=spec["keys"], page_size=spec["page_size"], max_step=spec["max_step"], use_cache=False
        )
    )
    last_ms = (time.perf_counter() - started) * 1000
    if round_ > 0:
        times.append(last_ms)
print(json.dumps({"median_ms": statistics.median(times) if times else None, "count": count, "rounds": len(times)}))
