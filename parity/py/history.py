"""Run.history (sampled) and Run.scan_history (every row) for several runs and options."""
from common import api, args, attempt, emit


def main():
    a = api()
    out = {}
    for path in args()["runs"]:
        run = a.run(path)
        out[path] = {
            "last_step": run.lastHistoryStep,
            "history": attempt(lambda: run.history(samples=100000, pandas=False)),
            "history_keys": attempt(lambda: run.history(samples=100000, keys=["loss"], pandas=False)),
            "history_system": attempt(lambda: run.history(samples=100000, stream="system", pandas=False)),
            "scan": attempt(lambda: list(run.scan_history())),
            "scan_keys": attempt(lambda: list(run.scan_history(keys=["val_loss"]))),
            "scan_two_keys": attempt(lambda: list(run.scan_history(keys=["loss", "val_loss"], page_size=37))),
            "scan_window": attempt(lambda: list(run.scan_history(min_step=5, max_step=250, page_size=50))),
        }
    emit(out)


main()
