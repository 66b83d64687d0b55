from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = "Store and regions"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        # Registers the OpenAPI descriptions of our authentication classes.
        from commerce.api import schema  # noqa: F401
        from commerce.api.cors import origin_allowed_for_surface

        # STORE_CORS / ADMIN_CORS decide which origins django-cors-headers answers (see there).
        check_request_enabled.connect(origin_allowed_for_surface, dispatch_uid="surface_cors")
