from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SalesChannelsConfig(AppConfig):
    name = "saleschannels"
    verbose_name = "Sales channels"

    def ready(self) -> None:
        from saleschannels import receivers

        post_migrate.connect(receivers.ensure_default_after_migrate, sender=self)
