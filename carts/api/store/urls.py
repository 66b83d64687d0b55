"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from carts.api.store.views import CartShippingOptionViewSet, CartViewSet
from commerce.api.paths import action_paths

routes = [
    ("carts", CartViewSet, "cart"),
    ("shipping-options", CartShippingOptionViewSet, "shipping-option"),
]
urlpatterns = action_paths(
    CartViewSet,
    "cart",
    [
        (
            "carts/<str:pk>/line-items/<str:line_id>",
            {"post": "line_item_update", "delete": "line_item_delete"},
            "cart-line-item",
        ),
        ("carts/<str:pk>/discounts/<str:code>", {"delete": "discount_delete"}, "cart-discount"),
    ],
)
