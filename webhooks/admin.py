"""Admin for webhooks: subscriptions (writes through the services) and the deliveries log."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from commerce.admin_base import ReadOnlyAdminMixin, ServiceAdmin, ServiceDeleteMixin, adopt
from commerce.events import EventType
from saleschannels.admin import ChannelScopedAdminMixin, badge, channels_field, scoped_channels
from saleschannels.scope import staff_scope
from webhooks import services
from webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookSubscription,
)


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="URL")
    events = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    channels = channels_field(
        "Only events concerning these channels. None: every event of the chosen types."
    )

    class Meta:
        model = WebhookSubscription
        fields = ("url", "events", "description", "is_active")
        labels = {"is_active": "Active"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["channels"].initial = list(self.instance.sales_channel_ids)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ChannelScopedAdminMixin, ServiceDeleteMixin, ServiceAdmin):
    """Subscriptions: the signing secret is shown once, in a message, when one is created.

    A user scoped to channels sees the subscriptions naming only channels of theirs, and is
    offered only their channels (they must pick at least one: none means every channel).
    """

    form = WebhookSubscriptionForm
    list_display = ("url", "events_display", "channels_display", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    ordering = ("-created_at", "-id")
    readonly_fields = ("id", "created_at", "deliveries_link")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change, **kwargs)
        if staff_scope(request.user).restricted:
            field = copy.deepcopy(form_class.base_fields["channels"])
            field.queryset = scoped_channels(request, field.queryset)
            field.required = True
            field.help_text = "Only events concerning these channels (at least one of yours)."
            form_class.base_fields["channels"] = field
        return form_class

    def get_fields(self, request: HttpRequest, obj: WebhookSubscription | None = None):
        fields = ["url", "events", "channels", "description", "is_active"]
        if obj is not None:
            fields = ["id", *fields, "created_at", "deliveries_link"]
        return fields

    @admin.display(description="events")
    def events_display(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.events)

    @admin.display(description="sales channels")
    def channels_display(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.sales_channel_ids) or "All"

    @admin.display(description="deliveries")
    def deliveries_link(self, obj: WebhookSubscription) -> str:
        url = reverse("admin:webhooks_webhookdelivery_changelist")
        return format_html(
            '<a href="{}?subscription__id__exact={}">Deliveries log</a>', url, obj.pk
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        channel_ids = [channel.pk for channel in data.get("channels") or []]
        fields: dict[str, Any] = {
            "url": data["url"],
            "events": data["events"],
            "sales_channel_ids": channel_ids,
            "description": data.get("description", ""),
            "is_active": data.get("is_active", True),
            "scope": staff_scope(request.user),
        }
        if not change:
            saved = services.webhook_create(**fields)
            self.message_user(
                request,
                f"Signing secret of this webhook: {saved.secret} — copy it now, it is not shown "
                "again.",
                messages.WARNING,
            )
        else:
            saved = services.webhook_update(webhook_id=obj.pk, **fields)
        adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing: the channels were saved by the service."""

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.webhook_delete(webhook_id=pk, scope=staff_scope(request.user))


class WebhookDeliveryAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebhookDeliveryAttempt
    fields = ("number", "created_at", "finished_at", "response_status", "error")
    readonly_fields = fields
    ordering = ("number",)
    extra = 0
    verbose_name = "attempt"


STATUS_KIND: dict[str, str] = {
    DeliveryStatus.PENDING: "default",
    DeliveryStatus.SUCCEEDED: "enabled",
    DeliveryStatus.FAILED: "disabled",
}


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ChannelScopedAdminMixin, ReadOnlyAdminMixin, ServiceAdmin):
    """The deliveries log, with every attempt; "Resend" goes through the retry service."""

    list_display = (
        "event_type",
        "subscription",
        "status_display",
        "attempts",
        "response_status",
        "last_error_short",
        "created_at",
        "next_attempt_at",
    )
    list_select_related = ("event", "subscription")
    # Only the subscriptions of the (scoped) deliveries are offered.
    list_filter = ("status", ("subscription", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=id", "=event__id", "event__type")
    ordering = ("-created_at", "-id")
    fields = (
        "id",
        "event",
        "subscription",
        "status",
        "attempts",
        "max_attempts",
        "response_status",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    )
    readonly_fields = fields
    inlines = (WebhookDeliveryAttemptInline,)
    actions = ("resend_selected",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookDelivery]:
        return super().get_queryset(request).defer("event__data")

    @admin.display(description="event", ordering="event__type")
    def event_type(self, obj: WebhookDelivery) -> str:
        return obj.event.type

    @admin.display(description="status", ordering="status")
    def status_display(self, obj: WebhookDelivery) -> str:
        return badge(obj.get_status_display(), STATUS_KIND[obj.status])

    @admin.display(description="last error")
    def last_error_short(self, obj: WebhookDelivery) -> str:
        return obj.last_error[:80]

    @admin.display(description="body sent")
    def payload(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", services.event_body(obj.event).decode())

    @admin.action(description="Resend selected deliveries now")
    def resend_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        rows = list(queryset.order_by("pk").values_list("pk", "subscription_id"))
        scope = staff_scope(request.user)

        def write() -> None:
            for delivery_id, webhook_id in rows:
                services.webhook_delivery_retry(
                    webhook_id=webhook_id, delivery_id=delivery_id, scope=scope
                )

        count = len(rows)
        self.run_service(
            request, write, success=f"Resending {count} deliver{'y' if count == 1 else 'ies'}."
        )
