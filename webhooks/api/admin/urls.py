"""Routes of this surface: `(prefix, viewset, basename)` for the router."""

from webhooks.api.admin.views import AdminWebhookDeliveryViewSet, AdminWebhookViewSet

routes = [
    ("webhooks", AdminWebhookViewSet, "webhook"),
    (
        r"webhooks/(?P<webhook_id>[^/.]+)/deliveries",
        AdminWebhookDeliveryViewSet,
        "webhook-delivery",
    ),
]
