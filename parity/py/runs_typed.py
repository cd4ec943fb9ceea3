"""api.runs with the typed filters of parity/typed-runs.test.ts: what Python sends (the filters
and order variables of its Runs query), the ids in order, len(), and each run's typed fields."""
import json

from common import api, args, attempt, emit


def main():
    a = api()
    out = []
    for case in args()["cases"]:
        def query(case=case):
            runs = a.runs(case["path"], filters=case.get("filters"), order=case.get("order", "+created_at"), lazy=False)
            rows = [
                {"id": r.id, "lr": r.config.get("lr"), "optimizer": (r.config.get("optimizer") or {}).get("name"), "accuracy": r.summary.get("accuracy")}
                for r in runs
            ]
            # The JSON Python sends, re-printed compact (its json.dumps puts a space after , and :).
            sent = {"filters": json.dumps(json.loads(runs.variables["filters"]), separators=(",", ":")), "order": runs.variables["order"]}
            return {"count": len(runs), "rows": rows, "sent": sent}

        out.append(attempt(query))
    emit(out)


main()
