"""Where independent tasks run: this process, a process pool, or Dask.

A :class:`Backend` is what ``--workers N`` and ``--scheduler local|processes|tcp://HOST:PORT``
choose (``framescope build``, ``freq``, ``keyness``, ``collocates``):

``local`` (default)
    No Dask, no set-up. ``workers=1`` runs every task in this process; ``workers=N`` in a
    pool of N processes (``concurrent.futures``, *spawn* start method, so no state leaks
    from the parent).
``processes``
    Dask's multiprocessing scheduler on this machine (``workers`` processes, default: the
    number of CPUs).
``tcp://HOST:PORT`` (any ``dask.distributed`` address)
    a running Dask cluster (``dask scheduler`` + ``dask worker``). Workers need framescope
    installed and the input files at the same paths (a shared file system).

Two operations, both deterministic whatever the backend:

* :meth:`Backend.map` — ``fn(task, context)`` for every task, results yielded **in task
  order**, with a bounded number of tasks in flight so that memory does not grow with the
  number of tasks;
* :meth:`Backend.map_reduce` — the same, folded with ``merge(list_of_results)`` in an
  order-preserving tree. ``merge`` must be associative and exact (sums of integer count
  tables, ordered concatenation), so the result does not depend on the tree's shape, the
  number of workers or the order tasks finish in.

``fn`` and ``merge`` must be module-level functions (they are pickled by reference).
A :class:`Session` (``with backend.session() as run:``) keeps one pool or client open
across several calls.
"""
from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from framescope.corpus.errors import FramescopeError

SCHEDULERS = ("local", "processes")
_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://\S+$")
#: merge fan-in of the Dask reduction trees
SPLIT_EVERY = 8


def check_scheduler(scheduler: str) -> str:
    """Check a scheduler: ``local``, ``processes`` or a dask.distributed address.

    Parameters
    ----------
    scheduler : str
        The ``--scheduler`` value (empty: ``local``).

    Returns
    -------
    str
        The scheduler, stripped.

    Raises
    ------
    FramescopeError
        For anything else.
    """
    scheduler = (scheduler or "local").strip()
    if scheduler in SCHEDULERS or _ADDRESS.match(scheduler):
        return scheduler
    raise FramescopeError(f"--scheduler must be local, processes or a Dask address such as "
                          f"tcp://HOST:8786, not {scheduler!r}")


@dataclass(frozen=True)
class Backend:
    """How tasks run (see the module docstring).

    Parameters
    ----------
    workers : int, default 1
        Processes (``local``: 1 runs in this process; ``processes``: default the CPUs).
    scheduler : str, default "local"
        ``local``, ``processes`` or a dask.distributed address.
    window : int, optional
        Tasks in flight (default 2 per worker).
    """

    workers: int = 1
    scheduler: str = "local"
    window: int | None = None

    def __post_init__(self):
        if int(self.workers) < 1:
            raise FramescopeError(f"--workers must be at least 1, not {self.workers}")
        object.__setattr__(self, "workers", int(self.workers))
        object.__setattr__(self, "scheduler", check_scheduler(self.scheduler))
        if self.window is not None and self.window < 1:
            raise FramescopeError("window must be at least 1")

    @property
    def in_process(self) -> bool:
        """True when every task runs in this process (no pool, no Dask)."""
        return self.scheduler == "local" and self.workers == 1

    @property
    def uses_dask(self) -> bool:
        """True when Dask runs the tasks (``processes`` or a cluster address)."""
        return self.scheduler != "local"

    def describe(self) -> dict[str, Any]:
        """Describe the backend for manifests and result metadata (it never changes a result).

        Returns
        -------
        dict
            ``workers`` and ``scheduler``.
        """
        return {"workers": self.workers, "scheduler": self.scheduler}

    def _processes(self) -> int:
        if self.scheduler == "processes" and self.workers == 1:
            return os.cpu_count() or 1
        return self.workers

    def session(self) -> "Session":
        """Open a session: a context manager holding the pool or Dask client for several calls.

        Returns
        -------
        Session
            Use as ``with backend.session() as run:``.
        """
        return Session(self)

    def map(self, fn: Callable, tasks: Iterable, context: Any = None) -> Iterator:
        """Run ``fn(task, context)`` for each task; results in task order, bounded in flight.

        Parameters
        ----------
        fn : callable
            A module-level function ``fn(task, context)``.
        tasks : iterable
            The tasks; a generator is consumed only as results are taken.
        context : object, optional
            Passed to every call (keep it small).

        Yields
        ------
        object
            ``fn``'s results, in task order.
        """
        with self.session() as run:
            yield from run.map(fn, tasks, context)

    def map_reduce(self, fn: Callable, tasks: Iterable, merge: Callable[[list], Any],
                   context: Any = None) -> Any:
        """Run ``fn(task, context)`` over all tasks and fold the results with ``merge``, in task order.

        Parameters
        ----------
        fn : callable
            A module-level function ``fn(task, context)``.
        tasks : iterable
            The tasks.
        merge : callable
            ``merge(list_of_results)``: associative and exact.
        context : object, optional
            Passed to every call.

        Returns
        -------
        object
            The merged result (None if there is no task).
        """
        with self.session() as run:
            return run.map_reduce(fn, tasks, merge, context)


class Session:
    """A :class:`Backend` with its pool or client open (created on first use).

    ``context`` travels with every task (pickled per task in a pool, scattered once per
    call to a Dask cluster): keep it small.

    Parameters
    ----------
    backend : Backend
        Where the tasks run.
    """

    def __init__(self, backend: Backend):
        self.backend = backend
        self._pool: ProcessPoolExecutor | None = None
        self._client = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.backend._processes(),
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def client(self):
        if self._client is None:
            self._client = _client(self.backend.scheduler)
        return self._client

    # --- map ---------------------------------------------------------------------------------

    def map(self, fn: Callable, tasks: Iterable, context: Any = None) -> Iterator:
        """See :meth:`Backend.map`."""
        b = self.backend
        if b.in_process:
            for task in tasks:
                yield fn(task, context)
        elif b.scheduler == "local":
            yield from self._map_pool(fn, tasks, context)
        elif b.scheduler == "processes":
            yield from self._map_dask_processes(fn, tasks, context)
        else:
            yield from self._map_distributed(fn, tasks, context)

    def _map_pool(self, fn, tasks, context):
        window = self.backend.window or 2 * self.backend.workers
        pool = self.pool()
        yield from _bounded_results((pool.submit(fn, task, context) for task in tasks), window)

    def _map_dask_processes(self, fn, tasks, context):
        import dask

        window = self.backend.window or 2 * self.backend._processes()
        chunk: list = []
        for task in _chain(tasks, [_END]):
            if task is not _END:
                chunk.append(task)
            if chunk and (len(chunk) >= window or task is _END):
                graph = [dask.delayed(fn, pure=False)(t, context) for t in chunk]
                yield from dask.compute(*graph, scheduler="processes", pool=self.pool())
                chunk = []

    def _map_distributed(self, fn, tasks, context):
        client = self.client()
        window = self.backend.window or 2 * max(1, sum(client.nthreads().values()))
        ctx = client.scatter(context, broadcast=True, hash=False) if context is not None else None
        yield from _bounded_results((client.submit(fn, task, ctx, pure=False) for task in tasks), window)

    # --- map + reduce ------------------------------------------------------------------------

    def map_reduce(self, fn: Callable, tasks: Iterable, merge: Callable[[list], Any],
                   context: Any = None) -> Any:
        """See :meth:`Backend.map_reduce`.

        In this process and in a local pool the results are folded into a running total as
        they arrive (:func:`fold_tree`: two results held at a time); with Dask the tree (fan-in :data:`SPLIT_EVERY`) runs on the workers and only
        the final result comes back.
        """
        b = self.backend
        if b.scheduler == "local":
            return fold_tree(self.map(fn, tasks, context), merge)
        tasks = list(tasks)
        if not tasks:
            return None
        if b.scheduler == "processes":
            import dask

            level = [dask.delayed(fn, pure=False)(t, context) for t in tasks]
            while len(level) > 1:
                level = [dask.delayed(_merge_args, pure=False)(merge, *level[i:i + SPLIT_EVERY])
                         for i in range(0, len(level), SPLIT_EVERY)]
            (result,) = dask.compute(level[0], scheduler="processes", pool=self.pool())
            return result
        client = self.client()
        ctx = client.scatter(context, broadcast=True, hash=False) if context is not None else None
        level = [client.submit(fn, t, ctx, pure=False) for t in tasks]
        while len(level) > 1:
            level = [client.submit(_merge_args, merge, *level[i:i + SPLIT_EVERY], pure=False)
                     for i in range(0, len(level), SPLIT_EVERY)]
        return level[0].result()


def fold_tree(results: Iterable, merge: Callable[[list], Any]) -> Any:
    """Fold results in order, each into the running total: ``merge([total, next])``.

    Equal to ``merge(list(results))`` for an associative, order-preserving ``merge``, while
    holding two results at a time. (A balanced tree would hold log₂(n) partial results,
    each about as large as the whole vocabulary once the vocabulary saturates: 8 of them
    for 150 partitions, which made counting memory grow with the corpus; issue 7.)

    Parameters
    ----------
    results : iterable
        The results, in order.
    merge : callable
        ``merge([a, b])``: associative and order-preserving.

    Returns
    -------
    object
        The total (None when there is no result).
    """
    total: Any = None
    seen = False
    for value in results:
        total = merge([total, value]) if seen else value
        seen = True
    return total


def add_backend_arguments(parser) -> None:
    """Add ``--workers`` and ``--scheduler`` to a subcommand's parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    g = parser.add_argument_group("parallel and distributed")
    g.add_argument("--workers", type=int, default=1, metavar="N",
                   help="processes on this machine (default 1; the results do not change)")
    g.add_argument("--scheduler", default="local", metavar="local|processes|tcp://HOST:PORT",
                   help="local (default: no Dask), processes (Dask on this machine) or the "
                        "address of a Dask cluster's scheduler")


def backend_from_args(args) -> Backend:
    """Build the :class:`Backend` that ``--workers`` and ``--scheduler`` chose.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments (missing options take their defaults).

    Returns
    -------
    Backend
        The backend.
    """
    return Backend(workers=getattr(args, "workers", 1), scheduler=getattr(args, "scheduler", "local"))


# --- helpers run in workers ----------------------------------------------------------------------

_END = object()

#: Most threads a vectorised kernel uses (its chunks are memory-bound: more rarely help).
MAX_KERNEL_THREADS = 4


def kernel_threads() -> int:
    """Threads a vectorised kernel (numpy, Arrow) may use in this process.

    ``FRAMESCOPE_THREADS`` if set (1 turns threading off), else the CPUs this process may
    run on, at most :data:`MAX_KERNEL_THREADS`. Threads never change a result: chunks are
    combined in their order. A build uses a second thread when this is above 1 (Parquet
    writes and MinHash arithmetic beside the segmentation).

    Returns
    -------
    int
        At least 1.

    Raises
    ------
    FramescopeError
        ``FRAMESCOPE_THREADS`` is not a positive integer.
    """
    raw = os.environ.get("FRAMESCOPE_THREADS", "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise FramescopeError(f"FRAMESCOPE_THREADS must be a positive integer, not {raw!r}")
        return int(raw)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_KERNEL_THREADS))


def thread_map(fn: Callable[[Any], Any], items: Iterable, threads: int | None = None) -> Iterator:
    """``fn(item)`` for every item on a thread pool, results in the items' order.

    For numpy and Arrow kernels, which release the GIL: at most ``threads`` + 1 items are
    taken from ``items`` and not yet yielded, so memory stays that of a few chunks however
    many there are. With one thread everything runs in the calling thread.

    Parameters
    ----------
    fn : callable
        Applied to each item.
    items : iterable
        Read lazily.
    threads : int, optional
        Default :func:`kernel_threads`.

    Yields
    ------
    object
        ``fn(item)``, in the order of ``items``.
    """
    threads = kernel_threads() if threads is None else max(1, int(threads))
    if threads == 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="framescope-kernel") as pool:
        yield from _bounded_results((pool.submit(fn, item) for item in items), threads + 1)


def _bounded_results(futures, window: int):
    """Results of lazily submitted futures in submission order, with at most ``window``
    submitted and not yet collected (bounds memory and keeps the order of the tasks)."""
    pending: deque = deque()
    try:
        for future in futures:
            pending.append(future)
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def _chain(*iterables):
    for it in iterables:
        yield from it


def _merge_args(merge, *parts):
    return merge(list(parts))


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise FramescopeError("--scheduler tcp://... needs the 'distributed' package") from None
    try:
        return Client(address, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise FramescopeError(f"cannot reach the Dask scheduler at {address}: {exc}") from None

