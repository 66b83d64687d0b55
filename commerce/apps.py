from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = "Store and regions"

    def ready(self) -> None:
        # Registers the OpenAPI descriptions of our authentication classes.
        from commerce.api import schema  # noqa: F401
