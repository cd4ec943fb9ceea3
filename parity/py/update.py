"""Run.update after assigning name, tags, a config key and a summary key; then a fresh Api re-reads."""
from common import api, args, attempt, emit, run_fields


def main():
    a = args()
    run = api().run(a["path"])
    run.name = a["name"]
    run.tags = a["tags"]
    run.config["lr"] = a["lr"]
    run.summary["x"] = a["x"]
    run.update()
    # A new Api: wandb.Api caches the runs it has loaded.
    emit({"read": attempt(lambda: run_fields(api().run(a["path"])))})


main()
