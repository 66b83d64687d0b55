"""Row locks on the catalogue: channels (for membership edits), variants and product↔channel links.

Every write path takes its locks in ONE order (docs/reliability.md, "Lock order"):

    idempotency key → store → channels (pk order; saleschannels.locks) → cart → variants (pk order)
        → product↔channel links (channel, then product order)

and takes the weakest lock that keeps its promise:

- rows that are updated but never re-keyed or deleted (a channel edited in a batch, a variant whose
  stock is counted down) take FOR NO KEY UPDATE, which lets the foreign-key checks of other
  transactions' commits (FOR KEY SHARE: a line item or an order item pointing at the variant, a
  link pointing at the channel) through. Plain FOR UPDATE blocks them, and a transaction that
  waits on such a check while holding something the locker wants next is a deadlock;
- link rows that a checkout only needs to exist until it commits take FOR KEY SHARE: it blocks
  the DELETE of a removal, and no two checkouts block each other;
- link rows about to be deleted are locked FOR UPDATE in the same (channel, product) order first,
  so a removal and a checkout never hold each other's next row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet

from catalog.models import (
    Product,
    ProductCategory,
    ProductCollection,
    ProductSalesChannel,
    ProductVariant,
)
from commerce.locks import values_locked


def variants_qs_for_update() -> QuerySet[ProductVariant]:
    """Return variants (deleted ones too) locked FOR NO KEY UPDATE, in pk order."""
    return ProductVariant.all_objects.select_for_update(of=("self",), no_key=True).order_by("pk")


def channel_links_hold(
    *, channel_id: str, product_ids: Iterable[str], condition: Q | None = None
) -> dict[str, datetime | None]:
    """Return product id → `available_for_purchase_at` of the channel's links meeting `condition`.

    The links stay held until commit.

    FOR KEY SHARE in product order: an admin cannot remove the product from the channel before
    this transaction ends, while other checkouts holding the same links go on.
    """
    queryset = (
        ProductSalesChannel.objects.filter(
            condition or Q(), sales_channel_id=channel_id, product_id__in=product_ids
        )
        .order_by("product_id")
        .values_list("product_id", "available_for_purchase_at")
    )
    return dict(values_locked(queryset, "KEY SHARE", flat=False))


def channel_links_for_delete(
    *, channel_ids: Iterable[str], product_ids: Iterable[str]
) -> list[int]:
    """Lock the links of these products to these channels FOR UPDATE, in (channel, product) order.

    Return their pks, for the DELETE that follows. Locking in the order the checkouts hold them
    keeps a removal and a checkout from each holding the row the other waits for.
    """
    queryset = (
        ProductSalesChannel.objects.filter(
            sales_channel_id__in=list(channel_ids), product_id__in=list(product_ids)
        )
        .order_by("sales_channel_id", "product_id")
        .values_list("pk", flat=True)
    )
    return values_locked(queryset, "UPDATE")


def products_qs_for_update() -> QuerySet[Product]:
    """Return live products locked FOR NO KEY UPDATE (a product edit; before the cart)."""
    return Product.objects.select_for_update(of=("self",), no_key=True)


def collections_qs_for_update() -> QuerySet[ProductCollection]:
    """Return live collections locked FOR UPDATE (a collection's own edits)."""
    return ProductCollection.objects.select_for_update(of=("self",))


def categories_qs_for_update() -> QuerySet[ProductCategory]:
    """Return categories locked FOR UPDATE; a move locks the category and its parent in pk order."""
    return ProductCategory.objects.select_for_update(of=("self",))
