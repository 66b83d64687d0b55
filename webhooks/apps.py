from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from commerce.events import event_committed
        from webhooks import dispatch

        event_committed.connect(dispatch.events_committed, dispatch_uid="webhooks-fan-out")
