"""Logging beyond one full version, with the unmodified SDK: an incremental version (only the changed
files are sent; the server merges them onto the latest version), a distributed version (three runs
upsert parts of one pending version; the last finishes it), a deduplicated re-log from a second run
(which still lists it among its logged artifacts) and an unknown storage region (refused).
Each part is reported on its own ({"ok": ...} or {"error": ...}), files as {path: md5 hex}."""
import hashlib
import os

import wandb

from common import args, attempt, emit

SETTINGS = wandb.Settings(mode="online", x_disable_stats=True, console="off")


def write(name, text):
    path = os.path.join(opts["root"], "src", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def files_of(artifact):
    root = artifact.download(root=os.path.join(opts["root"], "dl", artifact.name.replace(":", "-")))
    out = {}
    for path in artifact.manifest.entries:
        with open(os.path.join(root, path), "rb") as f:
            out[path] = hashlib.md5(f.read()).hexdigest()
    return out


def init(run_id):
    return wandb.init(entity=opts["entity"], project=opts["project"], id=run_id, settings=SETTINGS)


def path(name):
    return f"{opts['entity']}/{opts['project']}/{name}"


def incremental():
    """v0 is whole; v1 sends only a changed and a new file."""
    run = init("incremental")
    full = wandb.Artifact("inc-data", type="dataset")
    full.add_file(write("inc/a.txt", "a0\n"), name="a.txt")
    full.add_file(write("inc/b.txt", "b0\n"), name="b.txt")
    v0 = run.log_artifact(full)
    v0.wait()
    part = wandb.Artifact("inc-data", type="dataset", incremental=True)
    part.add_file(write("inc/a2.txt", "a1\n"), name="a.txt")
    part.add_file(write("inc/c.txt", "c1\n"), name="c.txt")
    v1 = run.log_artifact(part)
    v1.wait()
    run.finish()
    logged = wandb.Api().artifact(path("inc-data:v1"))
    return {"versions": [v0.version, v1.version], "files": files_of(logged), "digest": logged.digest}


def distributed():
    """Three runs contribute to one version under one distributed id; the last finishes it."""
    for i in range(3):
        run = init(f"part-{i}")
        art = wandb.Artifact("dist-data", type="dataset")
        art.add_file(write(f"dist/part-{i}.txt", f"part {i}\n"), name=f"part-{i}.txt")
        if i < 2:
            run.upsert_artifact(art, distributed_id="shard-job")
        else:
            run.finish_artifact(art, distributed_id="shard-job")
        run.finish()
    api = wandb.Api()
    return {
        "versions": [a.version for a in api.artifacts("dataset", path("dist-data"))],
        "files": files_of(api.artifact(path("dist-data:latest"))),
    }


def dedup():
    """A second run logs the same bytes: no new version, but the version is that run's output too."""
    ids = []
    for run_id in ["first-logger", "second-logger"]:
        run = init(run_id)
        art = wandb.Artifact("same-data", type="dataset")
        art.add_file(write("same/x.txt", "same bytes\n"), name="x.txt")
        logged = run.log_artifact(art)
        logged.wait()
        ids.append(logged.id)
        run.finish()
    api = wandb.Api()
    outputs = {r: [a.id for a in api.run(path(r)).logged_artifacts()] for r in ["first-logger", "second-logger"]}
    return {"ids": ids, "outputs": outputs}


def region():
    """An unknown storage region is refused (the wait raises)."""
    run = init("region")
    try:
        art = wandb.Artifact("region-data", type="dataset", storage_region="nowhere-1")
        art.add_file(write("region/r.txt", "r\n"), name="r.txt")
        run.log_artifact(art).wait()
        return "logged"
    finally:
        run.finish()


opts = args()
emit(
    {
        "incremental": attempt(incremental),
        "incremental_expected": {"a.txt": md5("a1\n"), "b.txt": md5("b0\n"), "c.txt": md5("c1\n")},
        "distributed": attempt(distributed),
        "distributed_expected": {f"part-{i}.txt": md5(f"part {i}\n") for i in range(3)},
        "dedup": attempt(dedup),
        "region": attempt(region),
    }
)
