"""Delivery by real workers: a Celery worker and beat (subprocesses) on the machine's Redis, and
the local thread mode of `make run`. The data is committed (transactional tests), as in life.

The Celery tests need Redis (CELERY_BROKER_URL; db 15 by default in the test settings). They
skip, saying why, only when it does not answer; `.ci/run` starts it, so in CI they always run.
"""

import time

import pytest
from django.db import connection

from tests.webhooks.factories import webhook
from tests.webhooks.receiver import verify
from tests.webhooks.worker import CeleryProcesses, redis_unreachable_reason
from webhooks import dispatch
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import INTERRUPTED

# serialized_rollback: each test starts from the data `migrate` left (the store, its default
# channel, currencies), and the module puts it back at the end (`_restore_migration_data`).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHANNELS = "/api/admin/sales-channels"


def _delivery_when_final(timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = WebhookDelivery.objects.first()
        if delivery is not None and delivery.status != DeliveryStatus.PENDING:
            return delivery
        time.sleep(0.1)
    raise AssertionError(f"no final delivery: {list(WebhookDelivery.objects.values())}")


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data(django_db_blocker):
    """Leave the database as `migrate` left it for the tests that run after this module."""
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def celery(settings, tmp_path):
    reason = redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    processes = CeleryProcesses(tmp_path)
    settings.WEBHOOKS_DELIVERY_MODE = "celery"
    settings.CELERY_TASK_DEFAULT_QUEUE = processes.queue
    yield processes
    processes.stop()


def test_celery_worker_delivers_a_channel_created_through_the_api(
    celery, receiver, admin_api_client
):
    # given
    celery.start_worker()
    hook = webhook(receiver.url)

    # when
    response = admin_api_client.post(CHANNELS, {"name": "Marketplace"})

    # then
    channel_id = response.json()["sales_channel"]["id"]
    (request,) = receiver.wait_for(1, timeout=20)
    assert request.json["type"] == "sales_channel.created"
    assert request.json["data"]["id"] == channel_id
    assert verify(hook.secret, request.headers["x-webhook-signature"], request.body)
    delivery = _delivery_when_final()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.SUCCEEDED,
        1,
        200,
    )


def test_celery_retries_500_three_times_then_200(celery, make_receiver, admin_api_client):
    receiver = make_receiver([500, 500, 500])
    celery.start_worker()
    webhook(receiver.url)

    admin_api_client.post(CHANNELS, {"name": "Flaky receiver"})

    requests = receiver.wait_for(4, timeout=20)
    delivery = _delivery_when_final()
    assert len(requests) == 4
    assert len({r.json["id"] for r in requests}) == 1
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 4)
    log = list(delivery.attempt_log.order_by("number").values_list("number", "response_status"))
    assert log == [(1, 500), (2, 500), (3, 500), (4, 200)]
    time.sleep(0.5)
    assert len(receiver.received) == 4  # and no more


def test_a_worker_killed_mid_delivery_loses_nothing(celery, make_receiver, admin_api_client):
    # given: a receiver that holds the first request open; a worker and beat (the sweep)
    receiver = make_receiver(hold_first=True)
    celery.start_worker()
    celery.start_beat()
    hook = webhook(receiver.url)

    # when: the worker dies while its POST is in flight, and a new one starts
    admin_api_client.post(CHANNELS, {"name": "Crash test"})
    assert receiver.got_first.wait(20), celery.logs()
    celery.kill_worker()
    receiver.release.set()
    celery.start_worker()

    # then: once its lease expires, the sweep hands the delivery over again, and it arrives
    requests = receiver.wait_for(2, timeout=30)
    delivery = _delivery_when_final()
    assert requests[0].json == requests[1].json  # the same event id: receivers de-duplicate
    assert verify(hook.secret, requests[1].headers["x-webhook-signature"], requests[1].body)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    log = list(
        delivery.attempt_log.order_by("number").values_list("number", "response_status", "error")
    )
    assert log == [(1, None, INTERRUPTED), (2, 200, "")]


def test_thread_mode_of_make_run_delivers_without_a_broker(settings, receiver, admin_api_client):
    # given: no Celery at all, as in `make run`
    settings.WEBHOOKS_DELIVERY_MODE = "thread"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens: never used
    hook = webhook(receiver.url)
    try:
        # when
        started = time.monotonic()
        response = admin_api_client.post(CHANNELS, {"name": "Local"})
        answered = time.monotonic() - started

        # then: the request does not wait for the receiver; the POST arrives right after
        (request,) = receiver.wait_for(1, timeout=10)
        assert response.status_code == 200
        assert answered < 2
        assert request.json["data"]["id"] == response.json()["sales_channel"]["id"]
        assert verify(hook.secret, request.headers["x-webhook-signature"], request.body)
        delivery = _delivery_when_final()
        assert delivery.status == DeliveryStatus.SUCCEEDED
    finally:
        dispatch.thread_mode_stop()
