"""Run service calls on real, separate database connections at the same moment.

Each worker runs in its own thread, so Django gives it its own connection (and transaction);
a barrier releases them together, and every thread closes its connection when it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.db import connection

JOIN_TIMEOUT_SECONDS = 30
PAUSE_TIMEOUT_SECONDS = 5


@dataclass
class Outcome:
    """What one worker got back: a value or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def run_concurrently(*workers: Callable[[], Any]) -> list[Outcome]:
    """Start every worker at once on its own connection; return their outcomes in order.

    A worker still running after JOIN_TIMEOUT_SECONDS fails the test (a hang or an undetected
    deadlock); PostgreSQL's own deadlock detector turns real deadlocks into exceptions, which the
    caller then sees in the outcomes.
    """
    barrier = threading.Barrier(len(workers))
    outcomes = [Outcome() for _ in workers]

    def run(index: int, worker: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT_SECONDS)
            outcomes[index].value = worker()
        except BaseException as exc:  # noqa: BLE001  (reported to the test, which asserts on it)
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, w), name=f"race-worker-{i}", daemon=True)
        for i, w in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"workers still running after {JOIN_TIMEOUT_SECONDS}s: {stuck}"
    return outcomes


def errors_of(outcomes: list[Outcome]) -> list[BaseException]:
    return [o.error for o in outcomes if o.error is not None]


@contextmanager
def pause_before(table: str, barrier: threading.Barrier) -> Iterator[None]:
    """Hold this thread at `barrier` just before its first SQL statement that touches `table`.

    Nothing is mocked: the statement then runs for real. Two workers that each pause before their
    critical statement fire those statements together, which is the interleaving a lock must
    survive. A worker that never reaches the table (it failed earlier) leaves the other to go on
    after PAUSE_TIMEOUT_SECONDS.
    """
    waited = False

    def wrapper(execute, sql, params, many, context):
        nonlocal waited
        if not waited and table in sql:
            waited = True
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=PAUSE_TIMEOUT_SECONDS)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
