"""Run.files (all, by names, by pattern, len), Run.file fields, and File.download bytes (as sha256)."""
import hashlib
import os

from common import api, args, attempt, emit


def fields(f):
    return {"id": f.id, "name": f.name, "size": f.size, "md5": f.md5, "mimetype": f.mimetype, "updated_at": f.updated_at}


def download(f, root):
    handle = f.download(root=root, replace=True)
    handle.close()
    with open(os.path.join(root, f.name), "rb") as data:
        return hashlib.sha256(data.read()).hexdigest()


def main():
    a = api()
    run = a.run(args()["path"])
    root = args()["root"]
    files = run.files()
    emit({
        "count": len(files),
        "all": [fields(f) for f in files],
        "names": attempt(lambda: [fields(f) for f in run.files(names=["output.log", "model.pt"])]),
        "names_len": attempt(lambda: len(run.files(names=["output.log"]))),
        "pattern": attempt(lambda: [f.name for f in run.files(pattern="%.json")]),
        "file": attempt(lambda: fields(run.file("wandb-metadata.json"))),
        "sha256": {f.name: attempt(lambda f=f: download(f, root)) for f in files},
    })


main()
