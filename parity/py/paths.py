"""api.run with every path form, api.from_path with project and run forms, api.runs path forms."""
from common import api, args, attempt, emit


def main():
    a = api()
    run_id = args()["run_id"]

    def run_path(path):
        run = a.run(path)
        return {"path": run.path, "id": run.id, "display_name": run.display_name}

    def from_path(path):
        obj = a.from_path(path)
        kind = type(obj).__name__
        if kind == "Project":
            return {"kind": "project", "path": obj.path, "id": obj.id}
        return {"kind": "run", "path": obj.path, "id": obj.id}

    def runs_path(path):
        runs = a.runs(path, per_page=10)
        return {"count": len(runs)}

    emit({
        "run": {p: attempt(lambda p=p: run_path(p)) for p in args()["run_paths"]},
        "from_path": {p: attempt(lambda p=p: from_path(p)) for p in args()["from_paths"]},
        "runs": {p: attempt(lambda p=p: runs_path(p)) for p in args()["runs_paths"]},
    })


main()
