"""Run the extraction on a Dask cluster: for corpora larger than one machine handles.

``chitieu extract PATH... --scheduler tcp://HOST:8786`` sends each file to a worker of a running
Dask cluster (started as Dask documents it: ``dask scheduler`` on one machine, ``dask worker
tcp://HOST:8786`` on each other); ``--scheduler local:N`` starts a ``LocalCluster`` of N worker
processes on this machine. Workers run :func:`pipeline.run.process_file` — the same reading,
document model and extractors as a local run — on a path every worker can see (a local path on
a shared folder: NFS, SMB or a cluster file system mounted at the same place on every machine),
and send back the rows; the one writer of the database stays on the machine that runs
``chitieu extract``, so the database is written exactly as by a local run (same rows, same
order, same transactions). Why one writer and not shards merged at the end: SQLite has one
writer anyway, the rows of a file are small next to the CPU it takes to make them, and a single
writer keeps the skip-unchanged and replace-on-change logic in one place.

Files are submitted in a bounded window (``WINDOW_PER_WORKER`` per worker) and their results
taken in file order, so memory stays flat and the database is the same as a local run's. A
worker that dies mid-file has that file retried on another worker (``RETRIES``); a file that
still fails becomes an ``errors`` row (stage ``worker``), never a lost or doubled file.
"""
from __future__ import annotations

from collections import deque
from typing import Iterator

RETRIES = 2
WINDOW_PER_WORKER = 8


class SchedulerError(ValueError):
    """A --scheduler value that is not ``tcp://HOST:PORT`` (or another Dask address) nor ``local:N``."""


def check_scheduler(scheduler: str) -> None:
    """Raise SchedulerError for a --scheduler value that cannot work, before any file is read."""
    if scheduler.startswith("local:"):
        n = scheduler.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise SchedulerError(f"--scheduler {scheduler!r}: local:N needs a number of workers (1 or more)")
    elif "://" not in scheduler:
        raise SchedulerError(f"--scheduler {scheduler!r}: expected tcp://HOST:PORT or local:N")
    try:
        import distributed  # noqa: F401
    except ImportError as e:  # the optional extra is not installed
        raise SchedulerError("--scheduler needs Dask: pip install 'chitieu[dask]' "
                             "(or pip install 'dask[distributed]')") from e


def open_client(scheduler: str):
    """A ``distributed.Client`` for ``scheduler``: ``local:N`` starts a LocalCluster of N processes."""
    check_scheduler(scheduler)
    from distributed import Client, LocalCluster

    if scheduler.startswith("local:"):
        cluster = LocalCluster(n_workers=int(scheduler.split(":", 1)[1]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster)
    return Client(scheduler)


def _failed(path: str, e: BaseException):
    from chitieu.pipeline.run import FileResult

    res = FileResult(path)
    res.errors.append(("worker", f"{type(e).__name__}: {e} (after {RETRIES} retries on other workers)"))
    return res


def dask_results(files: list[str], rules: str, scheduler: str, budget=None, read: dict | None = None) -> Iterator:
    """``FileResult`` of each file, in file order, computed on the Dask cluster ``scheduler``."""
    from chitieu.pipeline.run import process_file

    client = open_client(scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
        window = WINDOW_PER_WORKER * workers
        pending: deque = deque()
        it = iter(files)

        def submit_one() -> bool:
            path = next(it, None)
            if path is None:
                return False
            # pure=False: a file is re-read on every run (its bytes may have changed)
            from chitieu.pipeline.run import DEFAULT_BUDGET

            args = (path, rules, budget or DEFAULT_BUDGET, read)
            pending.append((path, client.submit(process_file, *args, pure=False, retries=RETRIES)))
            return True

        while len(pending) < window and submit_one():
            pass
        while pending:
            path, fut = pending.popleft()
            try:
                yield fut.result()
            except Exception as e:  # a worker died on it every time, or the cluster went away
                yield _failed(path, e)
            finally:
                fut.release()
            submit_one()
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
