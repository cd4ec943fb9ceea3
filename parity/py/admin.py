"""Users and teams: api.users/user/create_user, api.team/create_team, Team.invite,
Team.create_service_account, Member.delete; the caller's key decides what is allowed."""
from common import api, args, attempt, emit


def user_fields(u):
    if u is None:
        return None
    return {
        "username": u.username,
        "email": u.email,
        "name": u.name,
        "admin": u.admin,
        "entity": u.entity,
        "teams": sorted(u.teams),
        "api_key_count": len(u.api_keys),
    }


def created_fields(u):
    return {"username": u.username, "email": u.email, "name": u.name, "admin": u.admin}


def team_fields(t):
    return {
        "name": t.name,
        "is_team": t.is_team,
        "members": [
            {"username": m.username, "email": m.email, "admin": m.admin, "pending": m.pending, "account_type": m.account_type}
            for m in t.members
        ],
    }


def main():
    a = api()
    p = args()
    if p.get("as_outsider"):
        emit({
            "users": attempt(lambda: [user_fields(u) for u in a.users("example.com")]),
            "team": attempt(lambda: team_fields(a.team("vision-team"))),
        })
        return
    out = {
        "users": attempt(lambda: [user_fields(u) for u in a.users("example.com")]),
        "user": attempt(lambda: user_fields(a.user("carol"))),
        "missing": attempt(lambda: user_fields(a.user("nobody-here"))),
        "team": attempt(lambda: team_fields(a.team("vision-team"))),
        # create_user's answer carries only id, name, username, email and admin (UserInfoFragment).
        "created": attempt(lambda: created_fields(a.create_user(p["email"]))),
        "new_team": attempt(lambda: team_fields(a.create_team(p["team"], admin_username="carol"))),
    }
    team = a.team(p["team"])
    out["invite"] = attempt(lambda: team.invite("bob"))
    bot = team.create_service_account("CI bot")
    out["service_account"] = {"account_type": bot.account_type, "pending": bot.pending, "name": bot.name, "has_key": bool(bot.api_key)}
    team.load(True)
    out["after"] = team_fields(team)
    invite = next(m for m in team.members if m.username == "bob")
    out["delete"] = attempt(invite.delete)
    out["final"] = team_fields(a.team(p["team"]))
    emit(out)


main()
