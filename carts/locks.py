"""Row locks for carts. Lock the cart before anything it contains (lock order: catalog.locks)."""

from django.db.models import QuerySet

from carts.models import Cart


def cart_qs_for_update() -> QuerySet[Cart]:
    """Return live carts locked FOR NO KEY UPDATE, in pk order.

    NO KEY: a cart write changes columns, never the cart's id, and the rows pointing at the cart
    (items, shipping methods, sessions, the order) are written under this very lock, so nothing
    needs to hold off their foreign-key checks (FOR KEY SHARE).
    """
    return Cart.objects.select_for_update(of=("self",), no_key=True).order_by("pk")
