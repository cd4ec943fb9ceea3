"""Run.upload_file, Run.console_logs, Run.wait_until_finished, Runs.histories and Api.flush through
the unmodified wandb.Api; args()["phase"] picks the scenario."""
import datetime
import hashlib
import os
import signal

from common import api, args, attempt, emit


def line(entry):
    """A console line with the timestamp as our ISO form (UTC, milliseconds, `Z`)."""
    ts = entry.timestamp
    if ts is not None:
        ts = ts.astimezone(datetime.timezone.utc)
        ts = ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"
    return {"number": entry.number, "timestamp": ts, "level": entry.level, "label": entry.label, "content": entry.content}


def sha256(path):
    with open(path, "rb") as data:
        return hashlib.sha256(data.read()).hexdigest()


def upload(a, opts):
    run = a.run(opts["path"])
    local = os.path.join(opts["dir"], opts["name"])
    os.makedirs(os.path.dirname(local), exist_ok=True)
    with open(local, "wb") as out:
        out.write(bytes.fromhex(opts["hex"]))
    uploaded = run.upload_file(local, root=opts["dir"])
    return {"name": uploaded.name, "size": uploaded.size}


def listing(a, opts):
    run = a.run(opts["path"])
    out = {}
    for f in run.files():
        if f.name in opts["names"]:
            root = os.path.join(opts["root"], "py")
            f.download(root=root, replace=True).close()
            out[f.name] = {"size": f.size, "md5": f.md5, "sha256": sha256(os.path.join(root, f.name))}
    return out


def logs(a, opts):
    run = a.run(opts["path"])
    return {
        "all": [line(x) for x in run.console_logs()],
        "paged": [line(x) for x in run.console_logs(per_page=2)],
        "last": [line(x) for x in run.console_logs(last=3)],
    }


class StillWaiting(BaseException):
    """Not an Exception, so wandb's normalize_exceptions lets it through."""


def wait(a, opts):
    """wait_until_finished; with `alarm` seconds, reports whether it was still waiting then."""
    run = a.run(opts["path"])
    if opts.get("alarm"):
        def stop(*_):
            raise StillWaiting()
        signal.signal(signal.SIGALRM, stop)
        signal.alarm(opts["alarm"])
    try:
        run.wait_until_finished()
    except StillWaiting:
        return {"returned": False, "state": run.state}
    signal.alarm(0)
    return {"returned": True, "state": run.state}


def histories(a, opts):
    runs = a.runs(opts["path"], filters=opts.get("filters"))
    return {
        "all": attempt(lambda: runs.histories(samples=opts["samples"])),
        "keys": attempt(lambda: a.runs(opts["path"], filters=opts.get("filters")).histories(samples=opts["samples"], keys=opts["keys"])),
    }


def flush(a, opts):
    """api.run is cached per path until api.flush(): tags before a change (made through another Api),
    after it, and after flush."""
    seen = [sorted(a.run(opts["path"]).tags)]
    other = api().run(opts["path"])
    other.tags = opts["tags"]
    other.update()
    seen.append(sorted(a.run(opts["path"]).tags))
    a.flush()
    seen.append(sorted(a.run(opts["path"]).tags))
    return seen


def main():
    opts = args()
    a = api()
    emit({"upload": upload, "listing": listing, "logs": logs, "wait": wait, "histories": histories, "flush": flush}[opts["phase"]](a, opts))


main()
