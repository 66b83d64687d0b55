"""Hand a job to whatever runs it, per `BATCH_JOBS_RUN_MODE` (as webhooks.dispatch does).

- `celery` (production): the `batchjobs.step` task on the broker; a request never waits.
- `thread` (`make run`): one background thread of the web process; nothing else to start.
- `sync` (tests): right away, in the caller's thread.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def hand_over(job_id: str) -> None:
    mode = settings.BATCH_JOBS_RUN_MODE
    try:
        if mode == "celery":
            from batchjobs import tasks

            tasks.step.apply_async(
                kwargs={"job_id": job_id}, queue=settings.CELERY_TASK_DEFAULT_QUEUE
            )
        elif mode == "thread":
            _pool().submit(_in_thread, job_id)
        else:
            _run(job_id)
    except Exception:
        logger.exception("Could not hand batch job %s over", job_id)


def _run(job_id: str) -> None:
    from batchjobs import services

    services.batch_job_step(job_id=job_id)


def _in_thread(job_id: str) -> None:
    close_old_connections()
    try:
        _run(job_id)
    except Exception:
        logger.exception("Batch job %s failed in the local thread", job_id)
    finally:
        connection.close()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            # One job at a time: jobs are long and SQLite has one writer.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batchjobs")
        return _executor
