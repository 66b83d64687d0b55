from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


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

        post_migrate.connect(role_groups_after_migrate, sender=self)


def role_groups_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Keep the role groups (Admin, Member, Developer) and their permissions in sync.

    Every app's permissions are created first (the other apps' post-migrate may run later).
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from commerce.services import role_groups_sync

    if using != "default":
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    role_groups_sync()
