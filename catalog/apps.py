from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from catalog import versions
        from saleschannels.signals import sales_channel_rendered_changed

        sales_channel_rendered_changed.connect(
            versions.touch_channel_products, dispatch_uid="catalog.versions.channel"
        )
