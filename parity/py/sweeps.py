"""api.sweep fields and best_run for each path, and project.sweeps() names and len."""
from common import api, args, attempt, emit, run_fields


def fields(s):
    return {
        "id": s.id,
        "name": s.name,
        "config": s.config,
        "method": s.method,
        "state": s.state,
        "expected_run_count": s.expected_run_count,
        "order": s.order,
        "path": s.path,
        "url": s.url,
    }


def best(s):
    run = s.best_run()
    return run_fields(run) if run else None


def main():
    a = api()
    sweeps = {}
    for path in args()["paths"]:
        s = a.sweep(path)
        sweeps[path] = {"fields": attempt(lambda s=s: fields(s)), "best_run": attempt(lambda s=s: best(s))}
    entity, project = args()["project"].split("/")

    def listing():
        found = a.project(project, entity).sweeps()
        return {"len": len(found), "names": [s.name for s in found], "ids": [s.id for s in found]}

    emit({"sweeps": sweeps, "project_sweeps": attempt(listing)})


main()
