"""Launch: run_queue (metadata, config, template variables, items), queued_run waits, create_run_queue,
upsert_run_queue, list_jobs, job, job.call — against the demo seed's queues and jobs."""
import json

from common import api, args, attempt, emit


def decode(value):
    return json.loads(value) if isinstance(value, str) else value


def queue_fields(q):
    # Python's external_links exists only after another property loaded the metadata (here: id).
    q.id
    return {
        "name": q.name,
        "entity": q.entity,
        "type": q.type,
        "access": q.access,
        "prioritization_mode": q.prioritization_mode,
        "default_resource_config": decode(q.default_resource_config),
        "template_variables": [{"name": t["name"], "schema": decode(t["schema"])} for t in (q.template_variables or [])],
        "external_links": q.external_links,
    }


def job_versions(conn):
    edges = conn["edges"]
    return {
        "name": edges[0]["node"]["artifactSequence"]["name"] if edges else None,
        "versions": sorted(sorted(a["alias"] for a in e["node"]["aliases"]) for e in edges),
        "states": sorted(e["node"]["state"] for e in edges),
    }


def main():
    a = api()
    p = args()
    out = {
        "external_links_before_load": attempt(lambda: a.run_queue("demo", "gpu-queue").external_links),
        "gpu": attempt(lambda: queue_fields(a.run_queue("demo", "gpu-queue"))),
        "default": attempt(lambda: queue_fields(a.run_queue("demo", "default"))),
        "items": attempt(lambda: [[i.id, i.state, i.project] for i in a.run_queue("demo", "default").items]),
        "missing_queue": attempt(lambda: a.run_queue("demo", "nope").type),
    }
    claimed = p["claimed"]
    qr = a.queued_run("demo", "mnist-classifier", "default", claimed, project_queue="model-registry")
    out["claimed_state"] = attempt(lambda: qr.state)
    out["claimed_run"] = attempt(lambda: [qr.wait_until_running().id, qr.project])
    out["queued_run_default_project_queue"] = attempt(lambda: a.queued_run("demo", "mnist-classifier", "default", claimed).state)

    out["create"] = attempt(
        lambda: queue_fields(
            a.create_run_queue(
                "py-queue", "kubernetes", entity="demo", prioritization_mode="V0",
                config={"namespace": "ml"},
                template_variables={"gpus": {"description": "GPUs", "schema": {"type": "integer", "minimum": 1, "maximum": 4}}},
            )
        )
    )
    out["create_read_back"] = attempt(lambda: queue_fields(a.run_queue("demo", "py-queue")))
    out["create_bad_type"] = attempt(lambda: a.create_run_queue("py-bad", "docker", entity="demo"))
    a.upsert_run_queue("py-upsert", {"cmd": "run.sh"}, "local-process", entity="demo", external_links={"Docs": "https://docs.example.com"})
    out["upsert_read_back"] = attempt(lambda: queue_fields(a.run_queue("demo", "py-upsert")))

    out["list_jobs"] = attempt(lambda: sorted((job_versions(c) for c in a.list_jobs("demo", "mnist-classifier")), key=lambda j: j["name"] or ""))
    out["list_jobs_missing_project"] = attempt(lambda: a.list_jobs("demo", "no-such-project"))

    def job():
        j = a.job("demo/mnist-classifier/job-train:v1")
        info = j._job_info
        return {"name": j.name, "source_type": info.get("source_type"), "entrypoint": j._entrypoint, "runtime": info.get("runtime"), "partial": j._partial}

    out["job"] = attempt(job)
    out["job_bad_name"] = attempt(lambda: a.job("demo/job-train:v1"))

    def call():
        j = a.job("demo/mnist-classifier/job-train:v1")
        q = j.call({"lr": 0.02, "epochs": 3, "optimizer": "adam"}, project="mnist-classifier", queue="py-queue", resource="kubernetes", template_variables={"gpus": 2})
        return q.id

    out["call"] = attempt(call)
    out["call_bad_type"] = attempt(lambda: a.job("demo/mnist-classifier/job-train:v1").call({"lr": "fast"}, project="mnist-classifier", queue="py-queue"))
    emit(out)


main()
