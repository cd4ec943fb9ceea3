"""Run properties, both from api.run (full) and from api.runs (lazy, loading on access)."""
from common import api, args, attempt, emit, run_fields


def main():
    a = api()
    path = args()["path"]
    wanted = set(args()["ids"])
    listed = {r.id: run_fields(r) for r in a.runs(path, per_page=50) if r.id in wanted}
    emit({
        "run": {i: attempt(lambda i=i: run_fields(a.run(f"{path}/{i}"))) for i in args()["ids"]},
        "runs": listed,
    })


main()
