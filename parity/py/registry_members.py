"""Registries as an organization's users see them, in steps run with different API keys:
- `admin` (demo, admin of demo-org): links a version logged in a private project into a registry,
  manages the model registry's members (add a user and a team, change roles, remove), creates a
  restricted registry, and reads a legacy model-registry path and version orders;
- `reader` (bob, an org member who cannot read the private source project): reads the linked version
  and tries the restricted registry; `invite` (demo) adds bob to it; `member` (bob) reads it then.
Each value is {"ok": ...} or {"error": ...}."""
import wandb

from common import args, attempt, emit

opts = args()
step = opts["step"]
api = wandb.Api()
LINKED = "demo-org-entity/wandb-registry-model/llm-models:v0"


def members(registry):
    return {
        "users": sorted([m.user.username, m.role] for m in registry.user_members()),
        "teams": sorted([m.team.name, m.role] for m in registry.team_members()),
    }


def source(a):
    return {"entity": a.entity, "project": a.project, "name": a.name, "source_entity": a.source_entity, "source_project": a.source_project, "is_link": a.is_link}


out = {}
if step == "admin":
    run = wandb.init(entity="demo", project="llm-finetune", id="private-logger", settings=wandb.Settings(mode="online", x_disable_stats=True, console="off"))
    art = wandb.Artifact("llm-weights", type="model")
    with art.new_file("weights.txt") as f:
        f.write("private weights\n")
    logged = run.log_artifact(art)
    logged.wait()
    logged.link("wandb-registry-model/llm-models")
    run.finish()
    out["linked_by_owner"] = attempt(lambda: source(api.artifact(LINKED)))

    registry = api.registry("model", organization="demo-org")
    out["before"] = attempt(lambda: members(registry))
    out["add"] = attempt(lambda: members(registry.add_members(opts["bob"], opts["team"])))
    out["update"] = attempt(lambda: members(registry.update_member(opts["bob"], "viewer").update_member(opts["team"], "admin")))
    out["bad_role"] = attempt(lambda: registry.update_member(opts["bob"], "owner"))
    out["remove"] = attempt(lambda: members(registry.remove_members(opts["team"])))

    secret = api.create_registry("secret", visibility="restricted", organization="demo-org", artifact_types=["model"])
    out["secret"] = attempt(lambda: {"visibility": secret.visibility, **members(secret)})

    out["legacy"] = attempt(lambda: source(api.artifact("demo/model-registry/mnist-models:production")))
    out["order_up"] = attempt(lambda: [a.version for a in api.artifacts("model", "demo/mnist-classifier/mnist-cnn", order="version_index")])
    out["order_down"] = attempt(lambda: [a.version for a in api.artifacts("model", "demo/mnist-classifier/mnist-cnn", order="-version_index")])
elif step == "reader":
    out["linked"] = attempt(lambda: source(api.artifact(LINKED)))
    out["secret"] = attempt(lambda: api.registry("secret", organization="demo-org").name)
    out["registries"] = attempt(lambda: sorted(r.name for r in api.registries(organization="demo-org")))
    out["manage"] = attempt(lambda: api.registry("model", organization="demo-org").add_members(opts["bob"]))
elif step == "invite":
    out["invite"] = attempt(lambda: members(api.registry("secret", organization="demo-org").add_members(opts["bob"])))
elif step == "member":
    out["secret"] = attempt(lambda: api.registry("secret", organization="demo-org").name)
    out["registries"] = attempt(lambda: sorted(r.name for r in api.registries(organization="demo-org")))
emit(out)
