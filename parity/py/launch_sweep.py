"""A launch sweep with the unmodified SDK: `wandb launch-sweep config.yaml --queue Q` (the CLI sends
upsertSweep with launchScheduler and state PENDING; the server queues the scheduler), then
Sweep.enqueue_run(config) twice, and wandb.Api() reading the sweep and its runs back.

argv[1]: {"entity", "project", "queue", "dir", "config"}
"""
import json
import os
import subprocess
import sys

from common import api, args, attempt, emit

opts = args()


def launch_sweep():
    path = os.path.join(opts["dir"], "sweep.json")
    with open(path, "w") as f:
        json.dump(opts["config"], f)
    cli = [sys.executable, "-m", "wandb", "launch-sweep", path, "--queue", opts["queue"], "--project", opts["project"], "--entity", opts["entity"]]
    done = subprocess.run(cli, capture_output=True, text=True, timeout=90)
    return {"code": done.returncode, "output": done.stdout + done.stderr}


def main():
    entity, project = opts["entity"], opts["project"]
    cli = launch_sweep()
    sweeps = list(api().project(project, entity).sweeps())
    if len(sweeps) != 1:
        emit({"cli": cli, "error": f"expected one sweep, found {len(sweeps)}"})
        return
    sweep_id = sweeps[0].id
    a = api()
    s = a.sweep(f"{entity}/{project}/{sweep_id}")
    first = attempt(lambda: s.enqueue_run({"lr": 0.5, "epochs": 2}, display_name="by-hand"))
    second = attempt(lambda: s.enqueue_run({"lr": 0.25}))

    def read():
        s = api().sweep(f"{entity}/{project}/{sweep_id}")
        runs = sorted(s.runs, key=lambda r: r.id)
        return {
            "state": s.state,
            "method": s.config.get("method"),
            "runs": [{"id": r.id, "state": r.state, "config": r.config, "display_name": r.display_name, "sweep_name": r.sweep_name} for r in runs],
            "queue_items": [item.id for item in api().run_queue(entity, opts["queue"]).items],
        }

    emit({"cli": cli, "sweep_id": sweep_id, "first": first, "second": second, "read": attempt(read)})


main()
