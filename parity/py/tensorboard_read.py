"""Reads a synced TensorBoard run back with the unmodified wandb.Api: state, summary, every
history row (scan_history) and the run's file names.

argv[1]: {"path": "entity/project/run_id"}
"""
from common import api, args, emit


def main():
    run = api().run(args()["path"])
    emit(
        {
            "state": run.state,
            "summary": dict(run.summary_metrics),
            "scan": list(run.scan_history()),
            "files": sorted(f.name for f in run.files()),
        }
    )


main()
