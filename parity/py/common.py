"""Shared helpers for the parity scenarios: the unmodified wandb.Api, and JSON output in the
normalized form parity/harness.ts compares (NaN/Infinity as strings, keys sorted)."""
import datetime
import json
import math
import sys

import wandb


def args():
    """The scenario's arguments: JSON in argv[1]."""
    return json.loads(sys.argv[1]) if len(sys.argv) > 1 else None


def api():
    return wandb.Api(timeout=60)


def clean(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def emit(value):
    """Prints the result as the last line of stdout."""
    sys.stdout.write("\n" + json.dumps(clean(value), sort_keys=True, allow_nan=False) + "\n")


def attempt(fn):
    """{"ok": result} or {"error": exception class name, "message": text}."""
    try:
        return {"ok": clean(fn())}
    except Exception as error:  # noqa: BLE001 - the scenario reports every failure
        return {"error": type(error).__name__, "message": str(error)}


def run_fields(run):
    """The run properties the parity scenarios compare (Python names)."""
    return {
        "id": run.id,
        "name": run.name,
        "display_name": run.display_name,
        "storage_id": run.storage_id,
        "entity": run.entity,
        "project": run.project,
        "state": run.state,
        "tags": list(run.tags),
        "group": run.group,
        "job_type": run.job_type,
        "sweep_name": run.sweep_name,
        "config": run.config,
        "summary": dict(run.summary_metrics),
        "created_at": run.created_at,
        "heartbeat_at": run.heartbeat_at,
        "url": run.url,
        "path": run.path,
        "user": {"name": run.user.name, "username": run.user.username} if run.user else None,
        "commit": run.commit,
        "notes": run.notes,
        "description": run.description,
    }
