"""Lifecycle events for integrators. Sent only after the transaction that caused them commits.

Every signal is sent with `sender=` the model class and keyword `id` (the entity id). The
`products_added` / `products_removed` signals also carry `product_ids` (a list of the ids asked for).

    from saleschannels.signals import sales_channel_created

    @receiver(sales_channel_created)
    def on_created(sender, id, **kwargs): ...
"""

from django.dispatch import Signal

sales_channel_created = Signal()
sales_channel_updated = Signal()
sales_channel_deleted = Signal()
sales_channel_products_added = Signal()
sales_channel_products_removed = Signal()
publishable_api_key_created = Signal()
publishable_api_key_revoked = Signal()

# Not an integrator's event: sent INSIDE the transaction of a change to what a channel row
# shows (name, description, disabled, metadata, deleted), with `id`, so that the layers above
# whose cached output shows channels (catalog: products' `sales_channels`,
# `catalog.versions.touch_channel_products`) bump their versions in the same transaction.
sales_channel_rendered_changed = Signal()

EVENT_NAMES = {
    sales_channel_created: "sales_channel.created",
    sales_channel_updated: "sales_channel.updated",
    sales_channel_deleted: "sales_channel.deleted",
    sales_channel_products_added: "sales_channel.products_added",
    sales_channel_products_removed: "sales_channel.products_removed",
    publishable_api_key_created: "publishable_api_key.created",
    publishable_api_key_revoked: "publishable_api_key.revoked",
}
