"""Python baseline of the import-time benchmark, run once per fresh interpreter: the time to import
wandb and build a wandb.Api (no request is needed for that). Prints {"ms": ...}."""
import time

started = time.perf_counter()
import json  # noqa: E402

import wandb  # noqa: E402

api = wandb.Api(timeout=30)
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
