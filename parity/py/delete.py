"""create_run then Run.delete; a fresh Api then looks for every run in `check` and counts the project's runs."""
from common import api, args, attempt, emit


def main():
    a = args()
    entity, project, run_id = a["entity"], a["project"], a["run_id"]
    api().create_run(run_id=run_id, project=project, entity=entity)
    api().run(f"{entity}/{project}/{run_id}").delete()
    fresh = api()
    emit({
        "missing": {rid: attempt(lambda rid=rid: fresh.run(f"{entity}/{project}/{rid}").id) for rid in a["check"]},
        "count": attempt(lambda: len(fresh.runs(f"{entity}/{project}"))),
    })


main()
