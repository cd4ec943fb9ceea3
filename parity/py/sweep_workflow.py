"""A whole sweep driven by the unmodified SDK: wandb.sweep(config) (optionally with prior_runs), then
wandb.agent(sweep_id, function=train, count=N) where train calls wandb.init(), reads wandb.config
and logs a few metrics. Then wandb.Api() reads the sweep back: its fields, its runs with their
configs, the best run and (through the public Sweep.get with a query) its prior runs.

argv[1]: {"entity", "project", "config", "count" (or null: run until the server says exit),
          "prior_runs" (run ids or null), "heartbeat_seconds"}
"""
import wandb
from wandb.agents import pyagent
from wandb.apis.public import Sweep

from common import api, args, attempt, emit, run_fields

opts = args()
# The agent's heartbeat period: pyagent documents it as the knob tests turn down (default 5 s). The
# heartbeat protocol itself is unchanged.
pyagent.Agent.HEARTBEAT_SLEEP_SECONDS = opts["heartbeat_seconds"]

seen = []


def loss_of(config, step):
    """A loss that depends on every parameter, so the sweep's best run is well defined."""
    beta = config.get("opt", {}).get("beta", 1)
    return round(config["lr"] * beta * (3 - step) + 0.001 * len(seen), 6)


def train():
    run = wandb.init(settings=wandb.Settings(x_disable_stats=True, console="off"))
    config = dict(wandb.config)
    seen.append({"id": run.id, "config": config, "sweep_id": run.sweep_id})
    for step in range(3):
        run.log({"loss": loss_of(config, step), "step_seen": step})
    run.finish()


PRIOR_QUERY = """
query SweepWithPriorRuns($entity: String, $project: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    sweep(sweepName: $name) {
      id name state config runCountExpected
      priorRuns { edges { node { name } } }
    }
  }
}
"""


def read(entity, project, sweep_id):
    a = api()
    s = a.sweep(f"{entity}/{project}/{sweep_id}")
    runs = sorted(s.runs, key=lambda r: r.id)
    best = s.best_run()
    prior = Sweep.get(a, entity, project, sweep_id, query=PRIOR_QUERY)
    return {
        "id": s.id,
        "name": s.name,
        "state": s.state,
        "best_loss": s.best_loss,
        "method": s.config.get("method"),
        "expected_run_count": s.expected_run_count,
        "order": s.order,
        "url": s.url,
        "runs": [{"id": r.id, "state": r.state, "config": r.config, "loss": r.summary_metrics.get("loss"), "sweep_name": r.sweep_name} for r in runs],
        "best_run": run_fields(best) if best else None,
        "prior_runs": sorted(e["node"]["name"] for e in prior._attrs["priorRuns"]["edges"]),
    }


def main():
    entity, project = opts["entity"], opts["project"]
    sweep_id = wandb.sweep(opts["config"], entity=entity, project=project, prior_runs=opts.get("prior_runs"))
    before = attempt(lambda: api().sweep(f"{entity}/{project}/{sweep_id}").state)
    wandb.agent(sweep_id, function=train, entity=entity, project=project, count=opts.get("count"))
    emit({"sweep_id": sweep_id, "state_before_agent": before, "trained": seen, "read": attempt(lambda: read(entity, project, sweep_id))})


main()
