"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from carts.api.store.views import CartShippingOptionViewSet, CartViewSet

routes = [
    ("carts", CartViewSet, "cart"),
    ("shipping-options", CartShippingOptionViewSet, "shipping-option"),
]
urlpatterns = [
    path(
        "carts/<str:pk>/line-items/<str:line_id>",
        CartViewSet.as_view(
            {"post": "line_item_update", "delete": "line_item_delete"}, basename="cart"
        ),
        name="cart-line-item",
    ),
    path(
        "carts/<str:pk>/discounts/<str:code>",
        CartViewSet.as_view({"delete": "discount_delete"}, basename="cart"),
        name="cart-discount",
    ),
]
