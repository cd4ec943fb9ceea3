"""The core read paths with the unmodified wandb.Api against a server of W&B's schema of April
2023 (startServer({ schema: 'w&b-2023' })): each as {"ok": result} where Python supports it there,
or {"error": …} where it does not."""
import hashlib
import os
import tempfile

from common import api, args, attempt, emit

P = "demo/mnist-classifier"


def tree(root):
    """{relative posix path: md5 hex} of every file under root, sorted."""
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            full = os.path.join(folder, name)
            with open(full, "rb") as f:
                out[os.path.relpath(full, root).replace(os.sep, "/")] = hashlib.md5(f.read()).hexdigest()
    return dict(sorted(out.items()))


def main():
    a = api()
    run_path = f"{P}/{args()['run']}"
    download = tempfile.mkdtemp()
    emit({
        "viewer": attempt(lambda: a.viewer.username),
        "projects": attempt(lambda: sorted(p.name for p in a.projects("demo"))),
        "project": attempt(lambda: a.project("mnist-classifier", "demo").name),
        "runs": attempt(lambda: [r.id for r in a.runs(P, filters={"state": "finished"}, order="-summary_metrics.accuracy", per_page=7)]),
        "run": attempt(lambda: {"summary": dict(a.run(run_path).summary), "config": a.run(run_path).config, "state": a.run(run_path).state}),
        "history": attempt(lambda: a.run(run_path).history(samples=20, keys=["loss"], pandas=False)),
        "scan": attempt(lambda: list(a.run(run_path).scan_history(keys=["loss"], min_step=3, max_step=40, page_size=10))),
        "files": attempt(lambda: sorted(f.name for f in a.run(run_path).files())),
        "artifact": attempt(lambda: (lambda art: {"name": art.name, "version": art.version, "aliases": art.aliases, "digest": art.digest})(a.artifact(f"{P}/mnist-cnn:best"))),
        "artifact_files": attempt(lambda: sorted(f.name for f in a.artifact(f"{P}/mnist-dataset:v2").files())),
        "download": attempt(lambda: tree(a.artifact(f"{P}/mnist-cnn:v2").download(root=download))),
        "registries": attempt(lambda: [r.name for r in a.registries()]),
    })


main()
