"""api.create_project and api.create_run, then reading what was created."""
from common import api, args, attempt, emit, run_fields


def main():
    a = api()
    entity, project, run_id = args()["entity"], args()["project"], args()["run_id"]
    a.create_project(project, entity)
    p = a.project(project, entity)
    created = a.create_run(run_id=run_id, project=project, entity=entity)
    emit({
        "project": {"name": p.name, "entity": p.entity, "path": p.path},
        "created": {"id": created.id, "state": created.state, "path": created.path, "entity": created.entity, "project": created.project},
        "read": attempt(lambda: run_fields(a.run(f"{entity}/{project}/{run_id}"))),
    })


main()
