"""A running job's progress and cancel requests, kept in the cache.

An import writes everything in one transaction (all or nothing), so its progress cannot be
committed to the job's row while it runs; the cache carries it (the cache every process
shares: Redis in production, see docs/batch-jobs.md). Cancelling sets a flag there first, so a
worker sees it at its next chunk even when the database would make the request wait (SQLite).
"""

from __future__ import annotations

from django.core.cache import cache

_TTL = 24 * 3600


def _key(job_id: str, what: str) -> str:
    return f"batchjobs:{job_id}:{what}"


def progress_set(job_id: str, *, advancement_count: int, count: int) -> None:
    cache.set(_key(job_id, "progress"), (advancement_count, count), _TTL)


def progress_get(job_id: str) -> tuple[int, int] | None:
    return cache.get(_key(job_id, "progress"))


def cancel_request(job_id: str) -> None:
    cache.set(_key(job_id, "cancel"), True, _TTL)


def cancel_requested(job_id: str) -> bool:
    return bool(cache.get(_key(job_id, "cancel")))


def forget(job_id: str) -> None:
    cache.delete_many([_key(job_id, "progress"), _key(job_id, "cancel")])
