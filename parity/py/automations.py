"""Automations: Python's wandb.automations builders and Api.create_automation / automations /
automation / update_automation / delete_automation, integrations, create_custom_chart and
organization, against the same server as ours. Modes: "create" makes the shared list of
automations (names prefixed "py-"), "read" lists those of three entities, "edit" updates and
deletes the other client's, "errors" tries what the server refuses, "fire" does what automations
watch with the SDK itself (wandb.init + run.log, a failed run, Artifact.save with a new alias)."""
import wandb
from common import api, args, attempt, emit
from wandb.automations import (
    ArtifactEvent,
    DoNothing,
    OnAddArtifactAlias,
    OnAddArtifactTag,
    OnCreateArtifact,
    OnLinkArtifact,
    OnRemoveCollectionTag,
    OnRunMetric,
    OnRunState,
    OnUnlinkArtifact,
    RunEvent,
    SendNotification,
    SendWebhook,
)
from wandb.automations._generated import CREATE_GENERIC_WEBHOOK_INTEGRATION_GQL

ENTITIES = ["vision-team", "demo", "demo-org-entity"]


def specs(a, hook, slack):
    """The automations both clients create (parity/automations.test.ts builds the same ones)."""
    project = a.project("segmentation", entity="vision-team")
    coll = a.artifact_collection("model", "demo/mnist-classifier/mnist-cnn")
    registry = a.registry("model", organization="demo-org")
    return [
        (OnRunMetric(scope=project, filter=RunEvent.metric("loss").avg(5).gt(0.5)) >> SendWebhook.from_integration(hook, payload={"text": "${event_type}", "n": [1, 2]}), {"description": "d1"}),
        (OnRunMetric(scope=project, filter=(RunEvent.metric("acc").zscore(30) < -3) & RunEvent.name.contains("sweep")) >> DoNothing(), {}),
        (OnRunMetric(scope=project, filter=RunEvent.metric("loss").changes_by(frac=0.25)) >> SendNotification.from_integration(slack, title="Loss", text="${run_name}", level="WARN"), {}),
        (OnRunState(scope=project, filter=RunEvent.state.in_(["finished", "failed"])) >> DoNothing(), {"enabled": False}),
        (OnAddArtifactAlias(scope=coll, filter=ArtifactEvent.alias.eq("prod") | ArtifactEvent.alias.matches_regex("^rc-")) >> SendWebhook.from_integration(hook), {}),
        (OnLinkArtifact(scope=registry, filter=ArtifactEvent.alias.eq("staging")) >> DoNothing(), {}),
        (OnCreateArtifact(scope=coll) >> DoNothing(), {}),
        (OnAddArtifactTag(scope=coll, filter=ArtifactEvent.tag.in_(["x", "y"])) >> DoNothing(), {}),
        (OnRemoveCollectionTag(scope=project, filter=~ArtifactEvent.tag.eq("y")) >> DoNothing(), {}),
        (OnUnlinkArtifact(scope=registry) >> DoNothing(), {}),
    ]


def automation_fields(x):
    """An automation as both clients read it, in one neutral form."""
    action = x.action
    fields = {"type": action.action_type.value}
    if fields["type"] == "GENERIC_WEBHOOK":
        fields.update(integration=action.integration.id, payload=action.request_payload)
    elif fields["type"] == "NOTIFICATION":
        fields.update(integration=action.integration.id, title=action.title, message=action.message, severity=action.severity.value)
    return {
        "id": x.id,
        "name": x.name,
        "description": x.description,
        "enabled": x.enabled,
        "scope": {"type": x.scope.typename__, "id": x.scope.id, "name": x.scope.name},
        "event_type": x.event.event_type.value,
        "action": fields,
    }


def main():
    a = api()
    p = args()
    mode = p["mode"]
    if mode == "create":
        a._service_api.execute_graphql(
            CREATE_GENERIC_WEBHOOK_INTEGRATION_GQL,
            variables={"input": {"entityName": "vision-team", "name": "py-hook", "urlEndpoint": p["url"]}},
        )
        hook = next(h for h in a.webhook_integrations(entity="vision-team") if h.name == "py-hook")
        slack = next(a.slack_integrations(entity="vision-team"))
        created = [
            a.create_automation(new, name=f"py-{i + 1}", **extra).id for i, (new, extra) in enumerate(specs(a, hook, slack))
        ]
        emit({
            "created": created,
            "webhooks": sorted(h.name for h in a.webhook_integrations(entity="vision-team")),
            "slack": [{"id": s.id, "team": s.team_name, "channel": s.channel_name} for s in a.slack_integrations(entity="vision-team")],
            "integration_types": sorted(type(i).__name__ for i in a.integrations(entity="vision-team")),
            "chart": a.create_custom_chart("vision-team", "py-chart", "Py chart", "vega2", "private", {"mark": "bar", "data": {"name": "wandb"}}),
            "organization": attempt(lambda: {"id": a.organization().id, "name": a.organization("demo-org").name, "entity": a.organization().org_entity.name}),
        })
    elif mode == "read":
        emit({
            "by_entity": {e: [automation_fields(x) for x in a.automations(entity=e)] for e in ENTITIES},
            "all": sorted(x.name for x in a.automations()),
            "one": automation_fields(a.automation(name=p["name"])),
        })
    elif mode == "edit":
        mine = a.automation(name=p["update"], entity="vision-team")
        mine.enabled = False
        mine.description = "edited by python"
        updated = a.update_automation(mine)
        deleted = a.delete_automation(a.automation(name=p["delete"]))
        emit({"updated": automation_fields(updated), "deleted": deleted})
    elif mode == "fire":
        run = wandb.init(entity="demo", project="mnist-classifier", id=p["run_id"], settings=wandb.Settings(x_disable_stats=True, console="off"))
        for loss in p["losses"]:
            run.log({"loss": loss})
        run.finish(exit_code=1)
        art = a.artifact("demo/mnist-classifier/mnist-cnn:v0")
        art.aliases.append("prod")
        art.save()
        emit({"run": run.id})
    elif mode == "errors":
        project = a.project("segmentation", entity="vision-team")
        new = OnRunState(scope=project, filter=RunEvent.state.eq("failed")) >> DoNothing()
        emit({
            "taken": attempt(lambda: a.create_automation(new, name=p["taken"]).id),
            "fetch_existing": attempt(lambda: a.create_automation(new, name=p["taken"], fetch_existing=True).name),
            "none": attempt(lambda: a.automation(name="no-such-automation").id),
            "outsider_create": attempt(lambda: a.create_automation(new, name="by-outsider").id) if p.get("outsider") else None,
        })


main()
