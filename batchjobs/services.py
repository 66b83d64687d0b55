"""Batch jobs' lifecycle: create, confirm, cancel, and the worker's steps. One transaction each.

    created → pre_processed → confirmed → processing → completed
                     (any of these) → canceled;  a step that breaks → failed

A job created with `dry_run: false` is confirmed by the worker right after its pre-processing,
as in Medusa v1; with `dry_run: true` it waits in `pre_processed` for `confirm`. Status changes
are compare-and-set UPDATEs (`_move`), so a cancel and a worker never both win.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from batchjobs import dispatch, jobs, progress
from batchjobs.exceptions import BatchJobNotAllowed, BatchJobNotFound, SheetError
from batchjobs.models import BatchJob, BatchJobStatus, BatchJobType
from commerce.events import Event, EventType, emit
from commerce.exceptions import CommerceError
from saleschannels.scope import ChannelScope, scoped_or_raise, staff_scope

logger = logging.getLogger(__name__)

S = BatchJobStatus
_AT = {
    S.PRE_PROCESSED: "pre_processed_at",
    S.CONFIRMED: "confirmed_at",
    S.PROCESSING: "processing_at",
    S.COMPLETED: "completed_at",
    S.CANCELED: "canceled_at",
    S.FAILED: "failed_at",
}
_EVENTS = {
    S.CREATED: EventType.BATCH_JOB_CREATED,
    S.PRE_PROCESSED: EventType.BATCH_JOB_PRE_PROCESSED,
    S.CONFIRMED: EventType.BATCH_JOB_CONFIRMED,
    S.COMPLETED: EventType.BATCH_JOB_COMPLETED,
    S.CANCELED: EventType.BATCH_JOB_CANCELED,
    S.FAILED: EventType.BATCH_JOB_FAILED,
}


def _event(job: BatchJob, status: str) -> None:
    event_type = _EVENTS.get(BatchJobStatus(status))
    if event_type is not None:
        emit(
            Event(
                type=event_type,
                data={"id": job.pk, "type": job.type, "status": status},
                sales_channel_ids=list(job.sales_channel_ids or []),
            )
        )


def _move(job: BatchJob, frm: tuple[str, ...], to: str, **fields: Any) -> bool:
    """Set the status when it is one of `frm` (compare and set); emit its event. In a transaction."""
    now = timezone.now()
    values = {"status": to, "updated_at": now, **fields}
    at_field = _AT.get(BatchJobStatus(to))
    if at_field is not None:
        values[at_field] = now
    moved = BatchJob.objects.filter(pk=job.pk, status__in=frm).update(**values)
    if moved:
        for name, value in values.items():
            setattr(job, name, value)
        _event(job, to)
    return bool(moved)


def _job_for(job_id: str, scope: ChannelScope) -> BatchJob:
    return scoped_or_raise(BatchJob.objects.all(), scope, job_id, BatchJobNotFound(job_id))


@transaction.atomic
def batch_job_create(
    *,
    type: str,
    context: dict[str, Any] | None = None,
    dry_run: bool = False,
    user: Any = None,
    scope: ChannelScope,
) -> BatchJob:
    """Check the context (400 when bad), record the job and hand it to a worker."""
    context = dict(context or {})
    channel_ids = jobs.context_check(type, context, scope)
    job = BatchJob.objects.create(
        type=type,
        context=context,
        dry_run=dry_run,
        created_by=user if getattr(user, "pk", None) else None,
        sales_channel_ids=channel_ids,
    )
    _event(job, S.CREATED)
    transaction.on_commit(lambda: dispatch.hand_over(job.pk))
    return job


@transaction.atomic
def batch_job_confirm(*, job_id: str, scope: ChannelScope) -> BatchJob:
    job = _job_for(job_id, scope)
    if not _move(job, (S.PRE_PROCESSED,), S.CONFIRMED):
        raise BatchJobNotAllowed(
            "Cannot confirm processing for a batch job that is not pre processed"
        )
    transaction.on_commit(lambda: dispatch.hand_over(job.pk))
    return job


def batch_job_cancel(*, job_id: str, scope: ChannelScope) -> BatchJob:
    """Cancel a job that has not ended. A running job stops at its next chunk; an import rolls back.

    The cancel flag goes to the cache before the transaction: on SQLite (one writer) the status
    change waits for a running import's transaction, which the flag ends at its next chunk.
    """
    job = _job_for(job_id, scope)
    if job.status == S.CANCELED:
        return job
    if job.is_final:
        raise BatchJobNotAllowed(f"Cannot cancel a {job.status} batch job")
    progress.cancel_request(job.pk)
    with transaction.atomic():
        live = (S.CREATED, S.PRE_PROCESSED, S.CONFIRMED, S.PROCESSING)
        if not _move(job, live, S.CANCELED):
            job.refresh_from_db()
            raise BatchJobNotAllowed(f"Cannot cancel a {job.status} batch job")
    return job


def job_completed_in_transaction(job: BatchJob) -> None:
    """Mark an import completed inside its own transaction (all or nothing with its writes)."""
    if not _move(job, (S.PROCESSING,), S.COMPLETED, result=job.result):
        raise jobs.Canceled


# ---- the worker's side ----


def _reporter(job: BatchJob, *, in_transaction: bool):
    def report(done: int, count: int) -> None:
        progress.progress_set(job.pk, advancement_count=done, count=count)
        if not in_transaction:
            result = {**(job.result or {}), "count": count, "advancement_count": done}
            BatchJob.objects.filter(pk=job.pk, status=S.PROCESSING).update(result=result)

    return report


def _fail(job: BatchJob, message: str, errors: list[dict[str, Any]] | None = None) -> None:
    result = {
        **(job.result or {}),
        "errors": errors or [{"message": message, "code": "invalid_data"}],
    }
    with transaction.atomic():
        _move(job, (S.CREATED, S.PRE_PROCESSED, S.CONFIRMED, S.PROCESSING), S.FAILED, result=result)


def batch_job_step(*, job_id: str) -> None:
    """Advance a job as far as it can go: pre-process, confirm (not a dry run), process.

    Safe to run twice (a redelivered message): a job already past a step skips it, and a job
    found `processing` (its worker died) runs its processing again — an import's writes were
    rolled back with its transaction, the other types are idempotent.
    """
    job = BatchJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.is_final:
        return
    scope = staff_scope(job.created_by) if job.created_by else ChannelScope()
    try:
        if job.status == S.CREATED:
            run = jobs.Run(job, scope, _reporter(job, in_transaction=False))
            result = _pre_process(run)
            with transaction.atomic():
                if not _move(job, (S.CREATED,), S.PRE_PROCESSED, result=result):
                    return
            if result.get("errors"):
                _fail(job, "The sheet has errors", result["errors"])
                return
            if job.dry_run:
                return
            with transaction.atomic():
                if not _move(job, (S.PRE_PROCESSED,), S.CONFIRMED):
                    return
        if job.status in (S.CONFIRMED, S.PROCESSING):
            with transaction.atomic():
                if not _move(job, (S.CONFIRMED, S.PROCESSING), S.PROCESSING):
                    return
            _process(job, scope)
    except jobs.Canceled:
        logger.info("Batch job %s was canceled while it ran", job_id)
    except (SheetError, CommerceError) as error:
        _fail(job, error.message)
    except Exception:
        logger.exception("Batch job %s failed", job_id)
        _fail(job, "An unknown error occurred.")
    finally:
        if job.is_final:
            progress.forget(job.pk)


def _pre_process(run: jobs.Run) -> dict[str, Any]:
    job = run.job
    if job.type == BatchJobType.PRODUCT_EXPORT:
        return jobs.export_run(run, count_only=True)
    if job.type == BatchJobType.PRODUCT_IMPORT:
        return jobs.import_run(run, dry_run=True)
    return jobs.channel_products_run(run, count_only=True)


def _process(job: BatchJob, scope: ChannelScope) -> None:
    if job.type == BatchJobType.PRODUCT_IMPORT:
        run = jobs.Run(job, scope, _reporter(job, in_transaction=True))
        result = jobs.import_run(run, dry_run=False)
        if job.status != S.COMPLETED:  # rolled back: a row failed (pre-processing passed)
            _fail(job, "The import failed", result.get("errors"))
        return
    run = jobs.Run(job, scope, _reporter(job, in_transaction=False))
    if job.type == BatchJobType.PRODUCT_EXPORT:
        result = jobs.export_run(run, count_only=False)
    else:
        result = jobs.channel_products_run(run, count_only=False)
    result = {**(job.result or {}), **result}
    with transaction.atomic():
        if not _move(job, (S.PROCESSING,), S.COMPLETED, result=result):
            raise jobs.Canceled
