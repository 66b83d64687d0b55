"""Celery tasks: thin wrappers around the delivery engine in `webhooks.services`.

Every task is safe to run twice: fan-out is idempotent and a delivery is claimed with a lease
before its POST, so a redelivered message (acks_late, a worker lost) sends nothing twice at once.
"""

from celery import shared_task

from webhooks import services


@shared_task(name="webhooks.fan_out", acks_late=True, ignore_result=True)
def fan_out(*, event_ids: list[str]) -> None:
    services.events_fan_out(event_ids=event_ids)


@shared_task(name="webhooks.deliver", acks_late=True, ignore_result=True)
def deliver(*, delivery_id: str) -> None:
    services.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep", acks_late=True, ignore_result=True)
def sweep() -> None:
    services.sweep()
