"""api.runs with filters and orders: the ids in order and len()."""
from common import api, args, attempt, emit


def main():
    a = api()
    out = []
    for case in args()["cases"]:
        def query(case=case):
            runs = a.runs(case["path"], filters=case.get("filters"), order=case.get("order", "+created_at"), per_page=case.get("per_page", 50))
            return {"count": len(runs), "ids": [r.id for r in runs]}

        out.append(attempt(query))
    emit(out)


main()
