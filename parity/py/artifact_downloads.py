"""Artifact.download / file / verify / delete and ArtifactCollection.delete through the unmodified
wandb.Api; args()["phase"] picks the scenario. Downloaded folders are reported as {path: md5 hex}."""
import hashlib
import os

from common import api, args, attempt, emit


def listing(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as data:
                out[os.path.relpath(full, root).replace(os.sep, "/")] = hashlib.md5(data.read()).hexdigest()
    return out


def download(a, opts):
    out = {}
    for spec in opts["downloads"]:
        art = a.artifact(spec["path"])
        root = spec["root"]

        def run(spec=spec, art=art, root=root):
            for prefix in spec.get("prefixes") or [None]:
                art.download(root=root, allow_missing_references=spec.get("allow_missing", False), path_prefix=prefix)
            return listing(root)

        out[spec["key"]] = attempt(run)
    return out


def file(a, opts):
    out = {}
    for spec in opts["files"]:
        art = a.artifact(spec["path"])
        root = spec["root"]

        def run(art=art, root=root):
            local = art.file(root)
            with open(local, "rb") as data:
                return {"path": os.path.relpath(local, root).replace(os.sep, "/"), "md5": hashlib.md5(data.read()).hexdigest()}

        out[spec["key"]] = attempt(run)
    return out


def verify(a, opts):
    return {spec["key"]: attempt(lambda spec=spec: a.artifact(spec["path"]).verify(spec["root"])) for spec in opts["verify"]}


def delete(a, opts):
    out = {}
    for spec in opts["delete"]:
        out[spec["path"]] = attempt(lambda spec=spec: a.artifact(spec["path"]).delete(delete_aliases=spec["delete_aliases"]))
    return out


def collection_delete(a, opts):
    out = {}
    for spec in opts["collections"]:
        out[spec["path"]] = attempt(lambda spec=spec: a.artifact_collection(spec["type"], spec["path"]).delete())
    return out


def exists(a, opts):
    return {
        "artifacts": {p: a.artifact_exists(p) for p in opts.get("artifacts", [])},
        "collections": {c["path"]: a.artifact_collection_exists(c["path"], c["type"]) for c in opts.get("collections", [])},
        "versions": {c["path"]: attempt(lambda c=c: sorted(x.version for x in a.artifacts(c["type"], c["path"]))) for c in opts.get("versions", [])},
    }


PHASES = {"download": download, "file": file, "verify": verify, "delete": delete, "collection_delete": collection_delete, "exists": exists}


def main():
    opts = args()
    emit(PHASES[opts["phase"]](api(), opts))


main()
