"""The command-line agent: wandb.sweep(config with a program), then `wandb agent --count N` running
that program (train.py: wandb.init, logs, finishes) for each run the server hands out. The CLI agent
first reads the sweep with its own query (controller, scheduler, runs with exit codes and sampled
history). Then wandb.Api() reads the runs back, and `wandb sweep --pause` / `--stop` change the
sweep's state (the CLI reads the sweep with the same query first).

argv[1]: {"entity", "project", "dir", "config", "count"}
"""
import os
import subprocess
import sys

from common import api, args, attempt, emit

opts = args()

TRAIN = """
import wandb
run = wandb.init(settings=wandb.Settings(x_disable_stats=True, console="off"))
for step in range(2):
    run.log({"loss": run.config.lr * (step + 1)})
run.finish()
"""


def main():
    entity, project, root = opts["entity"], opts["project"], opts["dir"]
    with open(os.path.join(root, "train.py"), "w") as f:
        f.write(TRAIN)
    # The agent runs `command` (default: python on PATH); name this interpreter so train.py finds wandb.
    config = {**opts["config"], "program": "train.py", "command": ["${env}", sys.executable, "${program}", "${args}"]}
    import wandb

    sweep_id = wandb.sweep(config, entity=entity, project=project)
    cli = [sys.executable, "-m", "wandb", "agent", "--count", str(opts["count"]), f"{entity}/{project}/{sweep_id}"]
    done = subprocess.run(cli, capture_output=True, text=True, timeout=100, cwd=root)
    path = f"{entity}/{project}/{sweep_id}"

    def set_state(flag):
        cmd = [sys.executable, "-m", "wandb", "sweep", flag, path]
        changed = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=root)
        return {"code": changed.returncode, "state": api().sweep(path).state}

    def read():
        s = api().sweep(f"{entity}/{project}/{sweep_id}")
        runs = sorted(s.runs, key=lambda r: r.id)
        return {"state": s.state, "runs": [{"id": r.id, "state": r.state, "config": r.config, "loss": r.summary_metrics.get("loss")} for r in runs]}

    # CPython can abort at interpreter shutdown when a daemon thread of the SDK still holds stderr
    # ("Fatal Python error: _enter_buffered_busy"); that is the agent process dying after its work,
    # not a refusal by the server, so it is reported apart (the runs are still checked).
    shutdown_race = done.returncode != 0 and "_enter_buffered_busy" in done.stderr
    result = {"code": 0 if shutdown_race else done.returncode, "shutdown_race": shutdown_race, "output": done.stderr[-3000:], "sweep_id": sweep_id, "read": attempt(read)}
    result["paused"] = set_state("--pause")
    result["stopped"] = set_state("--stop")
    emit(result)


main()
