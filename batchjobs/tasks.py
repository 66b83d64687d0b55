"""Celery task: a thin wrapper around `batchjobs.services.batch_job_step` (safe to run twice)."""

from celery import shared_task

from batchjobs import services


@shared_task(name="batchjobs.step", acks_late=True, ignore_result=True)
def step(*, job_id: str) -> None:
    services.batch_job_step(job_id=job_id)
