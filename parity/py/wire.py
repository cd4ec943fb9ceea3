"""Wire shapes, federated identity and the server behind a proxy, as the unmodified wandb.Api sees
them. Values whose Python type matters are reported as "<type>:<repr>" (common.clean would turn a
float NaN and the string 'NaN' into the same text)."""
import base64
import json
import os
import tempfile

import wandb

from common import api, args, attempt, emit


def typed(value):
    return f"{type(value).__name__}:{value!r}"


def nan_forms(rows, key):
    """The distinct non-finite values under `key`, typed: float nan vs the string 'NaN'."""
    return sorted({typed(r[key]) for r in rows if key in r and repr(r[key]) in ("nan", "inf", "-inf", "'NaN'", "'Infinity'", "'-Infinity'")})


def shapes(a, p):
    q = a.run_queue("demo", "gpu-queue")
    q.id  # Python loads external_links with the rest of the metadata
    registry = a.registry("model", organization="demo-org")
    out = {
        "viewer_teams": a.viewer.teams,
        "user_teams": {name: a.user(name).teams for name in ("bob", "carol")},
        "external_links": {"type": type(q.external_links).__name__, "value": q.external_links},
        "registry_internal_id": base64.b64decode(registry.internal_id).decode(),
        "org_feature_flags": a._service_api.org_feature_flags("demo-org", "registry-search-v2", "old-ramp", "missing"),
        "nan": {},
    }
    for path in p["nan_runs"]:
        run = a.run(path)
        out["nan"][path] = {
            "history": nan_forms(run.history(samples=100000, pandas=False), "loss"),
            "history_keys": nan_forms(run.history(samples=100000, keys=["loss"], pandas=False), "loss"),
            "scan": nan_forms(list(run.scan_history()), "loss"),
            "scan_keys": nan_forms(list(run.scan_history(keys=["loss"])), "loss"),
        }
    return out


def identity(a, p):
    runs = a.runs(p["project"])
    return {
        "api_key": a.api_key,
        "viewer": a.viewer.username,
        "default_entity": a.default_entity,
        "runs": sorted(r.name for r in runs),
    }


def proxied(a, p):
    run = a.run(p["run"])
    files = {f.name: f for f in run.files()}
    hello = files["hello.txt"]
    root = tempfile.mkdtemp()
    with open(hello.download(root=root, replace=True).name) as fh:
        downloaded = fh.read()
    up = os.path.join(root, "up.txt")
    with open(up, "w") as fh:
        fh.write("uploaded by python")
    run.upload_file(up, root=root)
    uploaded = {f.name: f.size for f in run.files()}
    return {
        "url": hello.url,
        "direct_url": hello.direct_url,
        "downloaded": downloaded,
        "uploaded_size": uploaded.get("up.txt"),
        "scan": [row["loss"] for row in run.scan_history(keys=["loss"])],
    }


def main():
    p = args()
    case = p["case"]
    if case == "identity_bad":
        try:
            wandb.Api(timeout=60).viewer
            emit({"ok": True})
        except Exception as error:  # noqa: BLE001 - the scenario reports the failure
            emit({"error": type(error).__name__, "message": str(error)})
        return
    a = api()
    run = {"shapes": shapes, "identity": identity, "proxied": proxied}[case]
    emit(attempt(lambda: run(a, p)))


main()
