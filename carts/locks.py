"""Row locks for carts. Lock the cart before anything it contains."""

from django.db.models import QuerySet

from carts.models import Cart


def cart_qs_for_update() -> QuerySet[Cart]:
    """Return live carts locked for update, in pk order."""
    return Cart.objects.select_for_update(of=("self",)).order_by("pk")
