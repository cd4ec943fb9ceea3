"""api.viewer and api.default_entity."""
from common import api, emit


def main():
    a = api()
    v = a.viewer
    emit({
        "default_entity": a.default_entity,
        "viewer": {
            "id": v.id,
            "name": v.name,
            "username": v.username,
            "email": v.email,
            "admin": v.admin,
            "entity": v.entity,
            "teams": v.teams,
        },
    })


main()
