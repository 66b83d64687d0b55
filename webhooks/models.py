"""Webhook subscriptions and their deliveries (with one row per attempt)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commerce.models import BaseModel, unique
from saleschannels import scope


class WebhookSubscription(BaseModel):
    """An integrator's endpoint: which event types it wants, optionally for some channels only."""

    id_prefix = "wh"
    # In a staff user's scope when it names channels, all of them theirs (empty: every channel).
    channel_scope_rule = scope.ScopeRule.json_all("sales_channel_ids")

    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, help_text="Event types, e.g. sales_channel.created.")
    sales_channel_ids = models.JSONField(
        default=list, blank=True, help_text="Only events concerning these channels; empty: all."
    )
    description = models.CharField(max_length=255, blank=True, default="")
    # Kept in clear: it signs every delivery. The API shows it once, when the webhook is created.
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.url

    def wants(self, *, event_type: str, sales_channel_ids: list[str]) -> bool:
        """Return whether an event of this type, concerning these channels, goes to this endpoint."""
        if not self.is_active or event_type not in self.events:
            return False
        if not self.sales_channel_ids:
            return True
        return bool(set(self.sales_channel_ids) & set(sales_channel_ids))


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WebhookDelivery(BaseModel):
    """One event for one subscription: at least once, retried with backoff, then failed.

    A worker claims a due delivery by setting `locked_until` (a lease longer than the HTTP
    timeout); a worker that dies mid-attempt leaves the lease to expire, and the sweep hands the
    delivery to another worker.
    """

    id_prefix = "whd"
    channel_scope_rule = scope.ScopeRule.via("subscription")  # follows its subscription

    event = models.ForeignKey("commerce.OutboxEvent", on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField()
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        constraints = [
            unique("event", "subscription", name="webhook_delivery_event_subscription_uniq")
        ]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_sub_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}"


class WebhookDeliveryAttempt(BaseModel):
    """One HTTP attempt of a delivery: what the receiver answered, or why there was no answer."""

    id_prefix = "wha"

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    response_status = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [unique("delivery", "number", name="webhook_attempt_delivery_number_uniq")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
