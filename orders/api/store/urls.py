"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from commerce.api.paths import action_paths
from orders.api.store.views import CartCompletionViewSet, CustomerOrderViewSet, OrderViewSet

routes: list = []
urlpatterns = [
    *action_paths(
        CartCompletionViewSet,
        "cart-completion",
        [("carts/<str:pk>/complete", {"post": "complete"}, "cart-complete")],
    ),
    *action_paths(
        CustomerOrderViewSet,
        "customer-order",
        [("customers/me/orders", {"get": "list"}, "customer-orders")],
    ),
    *action_paths(
        OrderViewSet,
        "order",
        [
            ("orders", {"get": "lookup"}, "order-lookup"),
            ("orders/cart/<str:cart_id>", {"get": "cart"}, "order-cart"),
            ("orders/<str:pk>", {"get": "retrieve"}, "order-detail"),
        ],
    ),
]
