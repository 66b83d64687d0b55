"""Reads of batch jobs, with a running job's progress from the cache."""

from __future__ import annotations

from django.db.models import QuerySet

from batchjobs import progress
from batchjobs.exceptions import BatchJobNotFound
from batchjobs.models import BatchJob, BatchJobStatus
from commerce.lookups import first_or_raise
from saleschannels.scope import ChannelScope, restrict


def batch_job_list(*, scope: ChannelScope) -> QuerySet[BatchJob]:
    return restrict(BatchJob.objects.all(), scope)


def batch_job_get(*, job_id: str, scope: ChannelScope) -> BatchJob:
    return first_or_raise(batch_job_list(scope=scope).filter(pk=job_id), BatchJobNotFound(job_id))


def with_progress(job: BatchJob) -> BatchJob:
    """Overlay the cache's progress on a job that is running (the row has the committed one)."""
    if job.status in (BatchJobStatus.PROCESSING, BatchJobStatus.CREATED):
        found = progress.progress_get(job.pk)
        if found is not None:
            done, count = found
            job.result = {**(job.result or {}), "advancement_count": done, "count": count}
    result = job.result or {}
    count = result.get("count") or 0
    if job.result is not None:
        done = result.get("advancement_count") or 0
        job.result = {**result, "progress": round(100 * done / count, 2) if count else 0}
    return job


def job_for_file_key(*, key: str, scope: ChannelScope) -> BatchJob | None:
    """Return the job (in scope) whose context or result names this file, if any."""
    jobs = batch_job_list(scope=scope)
    return (
        jobs.filter(result__file_key=key).first()
        or jobs.filter(context__fileKey=key).first()
        or jobs.filter(context__file_key=key).first()
    )
