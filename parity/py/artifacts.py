"""Parity scenario: artifacts, types, collections, files, manifests and registries read through
the unmodified wandb.Api; with {"phase": "mutate"} it first saves and links through Python."""
from common import api, args, attempt, emit

P = "demo/mnist-classifier"


def props(a):
    ttl = a.ttl
    return {
        "id": a.id,
        "entity": a.entity,
        "project": a.project,
        "name": a.name,
        "qualified_name": a.qualified_name,
        "version": a.version,
        "source_entity": a.source_entity,
        "source_project": a.source_project,
        "source_name": a.source_name,
        "source_version": a.source_version,
        "source_qualified_name": a.source_qualified_name,
        "is_link": a.is_link,
        "type": a.type,
        "description": a.description,
        "metadata": a.metadata,
        "aliases": sorted(a.aliases),
        "tags": sorted(a.tags),
        "ttl": None if ttl is None else ttl.total_seconds(),
        "state": a.state,
        "size": a.size,
        "digest": a.digest,
        "commit_hash": a.commit_hash,
        "file_count": a.file_count,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "history_step": a.history_step,
        "url": a.url,
    }


def coll(c):
    return {"name": c.name, "type": c.type, "entity": c.entity, "project": c.project, "description": c.description,
            "tags": sorted(c.tags), "is_sequence": c.is_sequence()}


def registry(r):
    return {"name": r.name, "full_name": r.full_name, "entity": r.entity, "organization": r.organization,
            "description": r.description, "visibility": r.visibility, "allow_all_artifact_types": r.allow_all_artifact_types,
            "artifact_types": sorted(r.artifact_types)}


def main():
    a = api()
    opts = args() or {}
    if opts.get("phase") == "mutate":
        v1 = a.artifact(f"{P}/mnist-cnn:v1")
        v1.aliases.append("py-alias")
        v1.description = "saved by python"
        v1.metadata = {"by": "python", "epochs": 3}
        v1.tags = ["py-tag"]
        v1.save()
        v1.link("wandb-registry-model/mnist-models", aliases=["py-link"])
    paths = [
        f"{P}/mnist-cnn:best",
        f"{P}/mnist-cnn:v1",
        "mnist-classifier/mnist-dataset:latest",
        f"{P}/mnist-dataset:v0",
        "demo-org/wandb-registry-model/mnist-models:production",
        "wandb-registry-model/mnist-models:v0",
        "wandb-registry-model/mnist-models:py-link",
        "wandb-registry-model/mnist-models:ts-link",
    ]
    out = {"artifacts": {p: attempt(lambda p=p: props(a.artifact(p))) for p in paths}}
    out["exists"] = {p: a.artifact_exists(p) for p in [f"{P}/mnist-cnn:v9", f"{P}/mnist-cnn:v3", f"{P}/nope:latest"]}
    out["type_mismatch"] = attempt(lambda: a.artifact(f"{P}/mnist-cnn:v1", type="dataset").name)
    samples = a.artifact(f"{P}/mnist-samples:v0")
    out["files"] = {"count": len(samples.files()), "names": sorted(f.name for f in samples.files(per_page=64))}
    ds = a.artifact(f"{P}/mnist-dataset:v2")
    out["dataset_files"] = sorted([f.name, f.size, f.md5] for f in ds.files())
    out["manifest"] = {p: {"digest": e.digest, "ref": e.ref, "size": e.size} for p, e in ds.manifest.entries.items()}
    out["types"] = sorted(t.name for t in a.artifact_types(P))
    out["type_collections"] = sorted(c.name for c in a.artifact_type("model", P).collections())
    cols = a.artifact_collections(P, "dataset")
    out["collections"] = {"count": len(cols), "items": sorted((coll(c) for c in cols), key=lambda c: c["name"])}
    out["collection"] = coll(a.artifact_collection("model", f"{P}/mnist-cnn"))
    out["collection_aliases"] = sorted(a.artifact_collection("model", f"{P}/mnist-cnn").aliases)
    out["collection_exists"] = [a.artifact_collection_exists(f"{P}/mnist-cnn", "model"), a.artifact_collection_exists(f"{P}/nope", "model")]
    versions = a.artifacts("model", f"{P}/mnist-cnn")
    out["versions"] = {"count": len(versions), "items": sorted([x.name, x.version, sorted(x.aliases)] for x in versions)}
    out["tagged"] = sorted(x.version for x in a.artifacts("dataset", f"{P}/mnist-dataset", tags="clean"))
    out["registries"] = sorted(registry(r)["name"] for r in a.registries())
    out["registries_named"] = [registry(r) for r in a.registries(filter={"name": "model"})]
    out["registry_collections"] = sorted(c.name for c in a.registries().collections())
    out["registry_versions"] = sorted(
        [v.name, v.source_name, v.version, sorted(v.aliases)] for v in a.registries().versions(filter={"alias": "production"})
    )
    out["registry"] = registry(a.registry("model"))
    out["registry_bad_filter"] = attempt(lambda: list(a.registries(filter={"tag": "x"})))
    emit(out)


main()
