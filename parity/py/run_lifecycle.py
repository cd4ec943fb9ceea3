"""The run lifecycle through the unmodified SDK: Run.update_state (a refused transition raises, an
allowed one returns True), and a project named with a space that wandb.init creates, read back.

argv[1]: {"entity", "refused": run path, "allowed": run path, "project": a name with a space}
"""
import wandb

from common import api, args, attempt, emit, run_fields

opts = args()


def update(path, state):
    run = api().run(path)
    done = run.update_state(state)
    return {"returned": done, "local_state": run.state, "server_state": api().run(path).state}


def spaced():
    run = wandb.init(entity=opts["entity"], project=opts["project"], settings=wandb.Settings(x_disable_stats=True, console="off"))
    for step in range(2):
        run.log({"acc": step / 2})
    run.finish()
    a = api()
    read = a.run(f"{opts['entity']}/{opts['project']}/{run.id}")
    project = a.project(opts["project"], opts["entity"])
    return {
        "sdk_url": run.url,
        "run": run_fields(read),
        "runs": [r.id for r in a.runs(f"{opts['entity']}/{opts['project']}")],
        "project": {"name": project.name, "path": project.path, "url": project.url},
    }


emit({
    "refused": attempt(lambda: update(opts["refused"], "pending")),
    "allowed": attempt(lambda: update(opts["allowed"], "pending")),
    "spaced": attempt(spaced),
})
