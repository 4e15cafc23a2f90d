"""Document extraction as tasks on Dask distributed, for corpora past one machine.

``brief extract --executor dask`` starts a ``LocalCluster`` (one process per
job); ``--executor dask=tcp://host:8786`` sends the documents to a running
scheduler instead, whose workers must have tracebrief installed and see the
corpus at the same path. Each task reads one document and returns its
facts; the store stays single-writer, in the client. Dask is an optional
extra (``pip install 'tracebrief[dask]'``), imported only here, only when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import TypeVar

from extract.errors import ExtractError

A = TypeVar("A")
B = TypeVar("B")
R = TypeVar("R")


def parse_executor(value: str) -> tuple[str, str | None]:
    """``local``, ``dask`` or ``dask=ADDRESS`` as (kind, address).

    >>> parse_executor("dask=tcp://10.0.0.5:8786")
    ('dask', 'tcp://10.0.0.5:8786')
    """
    kind, _, address = value.partition("=")
    if kind not in ("local", "dask") or (kind == "local" and address):
        raise ExtractError(
            "--executor",
            f"unknown executor {value!r}; use 'local', 'dask' or 'dask=SCHEDULER_ADDRESS'",
        )
    return kind, address or None


def run_on_dask(
    task: Callable[[A, B], R],
    shared: A,
    items: Sequence[B],
    jobs: int,
    address: str | None = None,
) -> Iterator[R]:
    """``task(shared, item)`` for every item as a Dask task; results in order.

    Without an ``address``, on a LocalCluster of ``jobs`` worker processes.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ExtractError(
            "--executor",
            "the dask executor needs Dask distributed: pip install 'tracebrief[dask]'",
        ) from None
    with ExitStack() as stack:
        if address is None:
            workers = max(1, min(jobs, len(items)))
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            stack.enter_context(cluster)
            client = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise ExtractError(
                    address, f"cannot reach the Dask scheduler ({exc})"
                ) from None
        stack.enter_context(client)
        futures = client.map(task, [shared] * len(items), list(items), pure=False)
        for future in futures:
            yield future.result()
