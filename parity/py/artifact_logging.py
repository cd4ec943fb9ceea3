"""Logging an artifact with the unmodified SDK: wandb.init (online) + run.log_artifact of a folder,
twice (the second time unchanged, which W&B dedupes), then a changed version. Reports what the
SDK saw and the local files as {path: md5 hex}, so the test can read the versions back with ours."""
import hashlib
import os

import wandb

from common import args, emit


def listing(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as data:
                out[os.path.relpath(full, root).replace(os.sep, "/")] = hashlib.md5(data.read()).hexdigest()
    return out


def log(run, root, aliases):
    art = wandb.Artifact(opts["name"], type="dataset", metadata={"source": "python"})
    art.add_dir(root)
    logged = run.log_artifact(art, aliases=aliases)
    logged.wait()
    return {"id": logged.id, "version": logged.version, "digest": logged.digest, "aliases": sorted(logged.aliases)}


opts = args()
root = opts["root"]
os.makedirs(os.path.join(root, "sub"), exist_ok=True)
with open(os.path.join(root, "a.txt"), "w") as f:
    f.write("hello artifact\n")
with open(os.path.join(root, "sub", "b.bin"), "wb") as f:
    f.write(bytes((i * 7919) % 251 for i in range(200_000)))

run = wandb.init(entity=opts["entity"], project=opts["project"], settings=wandb.Settings(mode="online", x_disable_stats=True, console="off"))
first = log(run, root, ["best"])
files_v0 = listing(root)
same = log(run, root, [])
with open(os.path.join(root, "a.txt"), "w") as f:
    f.write("hello again\n")
changed = log(run, root, ["candidate"])
files_v1 = listing(root)
run.finish()
emit({"first": first, "same": same, "changed": changed, "files_v0": files_v0, "files_v1": files_v1, "run": run.id})
