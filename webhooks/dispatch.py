"""Hand events and deliveries to whatever runs them, per `WEBHOOKS_DELIVERY_MODE`.

- `celery` (production): Celery tasks on the broker (`webhooks.tasks`); beat runs the sweep.
- `thread` (`make run`): a small pool of threads in this process, and a sweeper thread; no
  broker, nothing else to start.
- `sync` (tests): in the caller's thread, right away; retries wait for `services.sweep()`.

A hand-over that fails (broker down) is logged and left to the sweep: the outbox row or the
delivery row is already committed, so nothing is lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_sweeper: threading.Thread | None = None
_stop = threading.Event()


def _mode() -> str:
    return settings.WEBHOOKS_DELIVERY_MODE


def events_committed(sender: Any, event_ids: list[str], **kwargs: Any) -> None:
    """Receive `commerce.events.event_committed`: fan the new events out."""
    _hand_over("fan_out", event_ids=event_ids)


def delivery_schedule(delivery_id: str, *, delay: float = 0) -> None:
    """Attempt a delivery now or after `delay` seconds."""
    _hand_over("deliver", delay=delay, delivery_id=delivery_id)


def _hand_over(step: str, *, delay: float = 0, **kwargs: Any) -> None:
    mode = _mode()
    try:
        if mode == "celery":
            from webhooks import tasks

            task = tasks.fan_out if step == "fan_out" else tasks.deliver
            task.apply_async(
                kwargs=kwargs, countdown=delay or None, queue=settings.CELERY_TASK_DEFAULT_QUEUE
            )
        elif mode == "thread":
            _thread_submit(step, delay, kwargs)
        elif delay == 0:  # sync: now, in this thread; later attempts wait for the sweep
            _run(step, kwargs)
    except Exception:
        logger.exception("Could not hand over webhook %s %s; the sweep will", step, kwargs)


def _run(step: str, kwargs: dict[str, Any]) -> None:
    from webhooks import services

    if step == "fan_out":
        services.events_fan_out(**kwargs)
    elif step == "deliver":
        services.delivery_attempt(**kwargs)
    else:
        services.sweep()


# ---- thread mode ----


def _in_thread(function: Callable[[], None]) -> None:
    close_old_connections()
    try:
        function()
    except Exception:
        logger.exception("Webhook work failed in the local thread")
    finally:
        connection.close()


def _pool() -> ThreadPoolExecutor:
    global _executor, _sweeper
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webhooks")
        if _sweeper is None or not _sweeper.is_alive():
            _stop.clear()
            _sweeper = threading.Thread(target=_sweep_forever, name="webhooks-sweep", daemon=True)
            _sweeper.start()
        return _executor


def _thread_submit(step: str, delay: float, kwargs: dict[str, Any]) -> None:
    pool = _pool()

    def submit() -> None:
        pool.submit(_in_thread, lambda: _run(step, kwargs))

    if delay:
        timer = threading.Timer(delay, submit)
        timer.daemon = True
        timer.start()
    else:
        submit()


def _sweep_forever() -> None:
    while not _stop.wait(settings.WEBHOOKS_SWEEP_INTERVAL_SECONDS):
        if _mode() != "thread":
            return
        _in_thread(lambda: _run("sweep", {}))


def thread_mode_stop() -> None:
    """Stop the sweeper and wait for the pool's work to finish (tests; process exit)."""
    global _executor, _sweeper
    with _lock:
        executor, sweeper = _executor, _sweeper
        _executor = _sweeper = None
        _stop.set()
    if sweeper is not None:
        sweeper.join()
    if executor is not None:
        executor.shutdown(wait=True)
