"""api.projects per entity, and api.project fields."""
from common import api, args, attempt, emit


def fields(p):
    return {
        "name": p.name,
        "entity": p.entity,
        "path": p.path,
        "url": p.url,
        "id": p.id,
        "created_at": p.created_at,
        "is_benchmark": p.is_benchmark,
    }


def main():
    a = api()
    emit({
        "projects": {e: attempt(lambda e=e: [fields(p) for p in a.projects(e, per_page=2)]) for e in args()["entities"]},
        "project": {
            f"{e}/{n}": attempt(lambda e=e, n=n: fields(a.project(n, e))) for e, n in args()["projects"]
        },
    })


main()
