"""The delivery engine in the caller's thread (test settings: WEBHOOKS_DELIVERY_MODE=sync),
against a real HTTP receiver on loopback."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from commerce.models import OutboxEvent
from saleschannels import services as channel_services
from tests.saleschannels.factories import SalesChannelFactory
from tests.webhooks.factories import webhook
from tests.webhooks.receiver import verify
from webhooks import services, transport
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookDeliveryAttempt

pytestmark = pytest.mark.django_db


def test_a_committed_change_is_posted_signed(receiver, django_capture_on_commit_callbacks):
    # given
    hook = webhook(receiver.url)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        channel = channel_services.sales_channel_create(name="Marketplace")

    # then: one POST, with the documented body, headers and a valid signature
    (request,) = receiver.wait_for(1)
    event = OutboxEvent.objects.get(type="sales_channel.created", data__id=channel.pk)
    assert request.path == "/hooks"
    assert request.headers["content-type"] == "application/json"
    assert request.json == {
        "id": event.pk,
        "type": "sales_channel.created",
        "created_at": event.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "data": {
            "id": channel.pk,
            "name": "Marketplace",
            "description": None,
            "is_disabled": False,
            "metadata": None,
        },
    }
    assert request.headers["x-webhook-id"] == event.pk
    assert request.headers["x-webhook-event"] == "sales_channel.created"
    assert verify(hook.secret, request.headers["x-webhook-signature"], request.body)
    assert not verify("whsec_other", request.headers["x-webhook-signature"], request.body)
    assert not verify(hook.secret, request.headers["x-webhook-signature"], request.body + b" ")
    delivery = WebhookDelivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.SUCCEEDED,
        1,
        200,
    )
    assert delivery.delivered_at is not None
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_a_rolled_back_change_sends_nothing(receiver, django_capture_on_commit_callbacks):
    webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # noqa: SIM117
        with pytest.raises(RuntimeError):  # noqa: PT012  (the failure follows the service)
            with transaction.atomic():
                channel_services.sales_channel_create(name="Never")
                raise RuntimeError("rolled back")
    assert callbacks == []
    time.sleep(0.2)
    assert receiver.received == []
    assert WebhookDelivery.objects.exists() is False


def test_only_subscribed_types_and_channels_are_sent(
    make_receiver, django_capture_on_commit_callbacks
):
    web, outlet = SalesChannelFactory(), SalesChannelFactory()
    all_channels, web_only, other_type = make_receiver(), make_receiver(), make_receiver()
    webhook(all_channels.url, events=["sales_channel.updated"])
    webhook(web_only.url, events=["sales_channel.updated"], sales_channel_ids=[web.pk])
    webhook(other_type.url, events=["product.created"])

    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_update(channel_id=web.pk, name="Web shop")
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_update(channel_id=outlet.pk, name="Outlet shop")

    assert [r.json["data"]["id"] for r in all_channels.wait_for(2)] == [web.pk, outlet.pk]
    assert [r.json["data"]["id"] for r in web_only.wait_for(1)] == [web.pk]
    time.sleep(0.2)
    assert len(web_only.received) == 1
    assert other_type.received == []


def test_500_three_times_then_200_is_sent_four_times_and_logged(
    make_receiver, settings, django_capture_on_commit_callbacks
):
    # given: retries due at once for the sweep (the backoff itself is 25-200 ms here)
    settings.WEBHOOKS_SWEEP_GRACE_SECONDS = 0
    receiver = make_receiver([500, 500, 500])
    webhook(receiver.url)

    # when: the first attempt right after commit, the retries each time the sweep finds them due
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Retry me")
    delivery = WebhookDelivery.objects.get()
    for _ in range(50):
        delivery.refresh_from_db()
        if delivery.status != DeliveryStatus.PENDING:
            break
        time.sleep(0.1)
        services.sweep()

    # then
    requests = receiver.wait_for(4)
    assert len(requests) == 4  # once more than it failed
    assert len({r.json["id"] for r in requests}) == 1  # the same event id, for de-duplication
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.SUCCEEDED,
        4,
        200,
    )
    log = list(delivery.attempt_log.order_by("number").values_list("number", "response_status"))
    assert log == [(1, 500), (2, 500), (3, 500), (4, 200)]
    assert delivery.attempt_log.get(number=1).error == "HTTP 500: ok"


def test_gives_up_after_the_attempt_limit(
    make_receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_SWEEP_GRACE_SECONDS = 0
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    receiver = make_receiver([503] * 10)
    webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Down")
    delivery = WebhookDelivery.objects.get()
    for _ in range(50):
        delivery.refresh_from_db()
        if delivery.status != DeliveryStatus.PENDING:
            break
        time.sleep(0.1)
        services.sweep()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED,
        3,
        None,
    )
    assert len(receiver.received) == 3


def test_a_4xx_is_final_and_a_connection_error_is_retried(
    make_receiver, settings, django_capture_on_commit_callbacks
):
    gone = make_receiver([410])
    webhook(gone.url)
    webhook("http://127.0.0.1:9/nobody-listens")
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Either")
    final = WebhookDelivery.objects.get(subscription__url=gone.url)
    retried = WebhookDelivery.objects.get(subscription__url="http://127.0.0.1:9/nobody-listens")
    assert (final.status, final.attempts, final.response_status) == (
        DeliveryStatus.FAILED,
        1,
        410,
    )
    assert retried.status == DeliveryStatus.PENDING
    assert retried.attempts == 1
    assert retried.next_attempt_at is not None
    assert retried.last_error.startswith("Connection failed")


def test_retry_service_resends_a_succeeded_delivery(receiver, django_capture_on_commit_callbacks):
    hook = webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Again")
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_retry(webhook_id=hook.pk, delivery_id=delivery.pk)
    requests = receiver.wait_for(2)
    assert requests[0].json == requests[1].json
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)


def test_sweep_fans_out_an_event_nobody_handed_over(receiver, settings):
    # given: an event committed while the hand-over failed (no on-commit callbacks ran here)
    settings.WEBHOOKS_SWEEP_GRACE_SECONDS = 0
    webhook(receiver.url)
    channel = channel_services.sales_channel_create(name="Lost hand-over")
    assert receiver.received == []

    # when
    handed = services.sweep()

    # then
    assert handed["events"] >= 1
    (request,) = receiver.wait_for(1)
    assert request.json["data"]["id"] == channel.pk


def test_fan_out_twice_creates_one_delivery(receiver):
    webhook(receiver.url)
    channel_services.sales_channel_create(name="Twice")
    event = OutboxEvent.objects.filter(type="sales_channel.created").latest("created_at")
    first = services.events_fan_out(event_ids=[event.pk])
    second = services.events_fan_out(event_ids=[event.pk])
    assert len(first) == 1
    assert second == []
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    assert len(receiver.wait_for(1)) == 1


def test_private_addresses_are_refused_at_delivery_too(
    receiver, settings, django_capture_on_commit_callbacks
):
    # given: a loopback subscription made while allowed, then the guard on (as in production)
    webhook(receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False

    with django_capture_on_commit_callbacks(execute=True):
        channel_services.sales_channel_create(name="Guarded")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error == (
        "Refused: url host 127.0.0.1 resolves to a private address (127.0.0.1)"
    )
    assert receiver.received == []


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("http://93.184.216.34/hook", True),
        ("https://[2606:2800:220:1:248:1893:25c8:1946]/hook", True),
        ("http://127.0.0.1/hook", False),
        ("http://10.0.0.1/hook", False),
        ("http://192.168.1.1/hook", False),
        ("http://169.254.169.254/latest/meta-data", False),  # cloud metadata
        ("http://[::1]/hook", False),
        ("http://[::ffff:127.0.0.1]/hook", False),
        ("http://0.0.0.0/hook", False),
    ],
)
def test_ssrf_guard(settings, url, public):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    if public:
        assert transport.url_check(url)[2]
    else:
        with pytest.raises(transport.UrlRefused, match="private address"):
            transport.url_check(url)


def test_sweep_prunes_old_finished_events_only(receiver, settings):
    # given: three events 31 days old: delivered, still pending, never dispatched
    settings.OUTBOX_RETENTION_DAYS = 30
    hook = webhook(receiver.url)
    old = timezone.now() - timedelta(days=31)
    delivered, pending, undispatched = (
        OutboxEvent.objects.create(type="order.placed", created_at=old, dispatched_at=dispatched)
        for dispatched in (old, old, None)
    )
    done = WebhookDelivery.objects.create(
        event=delivered, subscription=hook, max_attempts=3, status=DeliveryStatus.SUCCEEDED
    )
    WebhookDeliveryAttempt.objects.create(delivery=done, number=1, response_status=200)
    WebhookDelivery.objects.create(
        event=pending,
        subscription=hook,
        max_attempts=3,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    recent = channel_services.sales_channel_create(name="Recent")

    # when
    purged = services.outbox_purge(now=timezone.now())

    # then
    assert purged == 1
    assert OutboxEvent.objects.filter(pk=delivered.pk).exists() is False
    assert WebhookDelivery.objects.filter(pk=done.pk).exists() is False
    assert WebhookDeliveryAttempt.objects.filter(delivery_id=done.pk).exists() is False
    assert OutboxEvent.objects.filter(pk__in=[pending.pk, undispatched.pk]).count() == 2
    assert OutboxEvent.objects.filter(data__id=recent.pk).exists()
    settings.OUTBOX_RETENTION_DAYS = 0
    assert services.outbox_purge(now=timezone.now() + timedelta(days=3650)) == 0
