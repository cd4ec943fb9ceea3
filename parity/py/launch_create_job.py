"""Creating a Launch job as a user does (`wandb job create` calls wandb.sdk.launch.create_job): a code
job from a folder with train.py and requirements.txt. The SDK creates the code and job versions with
its own createArtifact first, then logs them through the saver with the same client ids; a run that
uses the partial job then records its config types on it. Reports what Python reads back: the job,
its artifact, the bytes of its files and the code artifact its wandb-job.json points at.

`quirk` shows why a downloaded wandb-job.json can hold the bytes of requirements.frozen.txt: after a
download(skip_cache=True), the SDK's file cache keeps that destination as the path of every later
download in the process, so the job's two files (fetched in parallel threads) pass through one file."""
import hashlib
import json
import os

import wandb
from wandb.sdk.launch import manage_wandb_config
from wandb.sdk.launch.create_job import create_job

from common import args, attempt, emit


def read(path):
    with open(path, "rb") as f:
        return f.read()


def listing(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            out[os.path.relpath(full, root).replace(os.sep, "/")] = hashlib.md5(read(full)).hexdigest()
    return dict(sorted(out.items()))


opts = args()
entity, project, root = opts["entity"], opts["project"], opts["root"]
src = os.path.join(root, "src")
os.makedirs(src, exist_ok=True)
with open(os.path.join(src, "train.py"), "w") as f:
    f.write("import wandb\nrun = wandb.init()\nrun.log({'loss': 0.5})\nrun.finish()\n")
with open(os.path.join(src, "requirements.txt"), "w") as f:
    f.write("wandb\nnumpy==1.26.4\n")

created = create_job(
    path=src,
    job_type="code",
    entity=entity,
    project=project,
    name="py-job",
    description="made by create_job",
    aliases=["first"],
    entrypoint="python train.py",
    runtime="3.11",
)
api = wandb.Api()
job_path = f"{entity}/{project}/py-job:latest"


def job():
    j = api.job(job_path, path=os.path.join(root, "job-files"))
    return {"info": j._job_info, "partial": j._partial, "entrypoint": j._entrypoint}


def artifact():
    a = api.artifact(job_path)
    dl = a.download(root=os.path.join(root, "job-dl"))
    raw = read(os.path.join(dl, "wandb-job.json")).decode()
    code_ref = json.loads(raw)["source"]["artifact"]
    code = api._artifact_from_id(code_ref.rsplit("/", 1)[-1])
    return {
        "id": a.id,
        "version": a.version,
        "state": a.state,
        "aliases": sorted(a.aliases),
        "description": a.description,
        "metadata": a.metadata,
        "files": listing(dl),
        "wandb_job_json": raw,
        "requirements": read(os.path.join(dl, "requirements.frozen.txt")).decode(),
        "code": {"id": code.id, "name": code.name, "state": code.state, "metadata": code.metadata, "files": listing(code.download(root=os.path.join(root, "code-dl")))},
        "versions": [v.version for v in api.artifacts("code", f"{entity}/{project}/code-py-job")],
    }


def use_partial_job():
    """A run that uses the partial job: at its end the SDK writes the run's config types onto the job."""
    run = wandb.init(entity=entity, project=project, config={"lr": 0.1, "epochs": 3}, settings=wandb.Settings(mode="online", x_disable_stats=True, console="off", disable_job_creation=False))
    manage_wandb_config()
    run.use_artifact("py-job:latest")
    run.finish()
    a = wandb.Api().artifact(job_path)
    return {"metadata": a.metadata, "versions": [v.version for v in wandb.Api().artifacts("job", f"{entity}/{project}/py-job")]}


def quirk():
    code = api.artifact(f"{entity}/{project}/code-py-job:v0")
    skip_root = os.path.join(root, "skip-dl")
    code.download(root=skip_root, skip_cache=True)
    before = listing(skip_root)
    api.artifact(job_path).download(root=os.path.join(root, "job-dl-after-skip"))
    return {"before": before, "after": listing(skip_root)}


emit(
    {
        "created": created.name if created else None,
        "job": attempt(job),
        "artifact": attempt(artifact),
        "use_partial_job": attempt(use_partial_job),
        "quirk": attempt(quirk),
        "source": {"requirements": read(os.path.join(src, "requirements.txt")).decode(), "files": listing(src)},
    }
)
