"""Listeners. The post-migrate hook gives every database its store and default channel."""

from typing import Any

from django.apps import apps as global_apps

from saleschannels.services import ensure_default_sales_channel


def ensure_default_after_migrate(
    sender: Any, apps: Any = None, using: str = "default", **kwargs: Any
) -> None:
    """Create the store and its default channel after `migrate`, unless the tables are not there."""
    apps = apps or global_apps  # `flush` (TransactionTestCase teardown) sends no `apps`
    try:
        apps.get_model("commerce", "Store")
        apps.get_model("saleschannels", "SalesChannel")
        apps.get_model("commerce", "OutboxEvent")  # creating the channel writes an event
    except LookupError:  # migrated backwards past these tables
        return
    if using != "default":
        return
    ensure_default_sales_channel()
