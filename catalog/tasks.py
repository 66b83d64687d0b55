"""Celery tasks of the catalogue: thin wrappers around `catalog.services`."""

from celery import shared_task

from catalog import services


@shared_task(name="catalog.channel_counts_compact", acks_late=True, ignore_result=True)
def channel_counts_compact() -> None:
    """Fold the channels' kept count rows (safe to run twice, or beside writers)."""
    services.channel_counts_compact()
