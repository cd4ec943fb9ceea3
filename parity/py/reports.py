"""api.reports(path): len and each report's id, name, display name, description, spec and url."""
from common import api, args, attempt, emit


def fields(r):
    return {
        "id": r.id,
        "name": r.name,
        "display_name": r.display_name,
        "description": r.description,
        "spec": r.spec,
        "url": r.url,
    }


def main():
    a = api()

    def listing(path):
        reports = a.reports(path)
        return {"len": len(reports), "reports": [fields(r) for r in reports]}

    emit({path: attempt(lambda path=path: listing(path)) for path in args()["paths"]})


main()
