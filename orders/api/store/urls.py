"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from orders.api.store.views import CartCompletionViewSet, CustomerOrderViewSet, OrderViewSet

routes: list = []
urlpatterns = [
    path(
        "carts/<str:pk>/complete",
        CartCompletionViewSet.as_view({"post": "complete"}, basename="cart-completion"),
        name="cart-complete",
    ),
    path(
        "customers/me/orders",
        CustomerOrderViewSet.as_view({"get": "list"}, basename="customer-order"),
        name="customer-orders",
    ),
    path("orders", OrderViewSet.as_view({"get": "lookup"}, basename="order"), name="order-lookup"),
    path(
        "orders/cart/<str:cart_id>",
        OrderViewSet.as_view({"get": "cart"}, basename="order"),
        name="order-cart",
    ),
    path(
        "orders/<str:pk>",
        OrderViewSet.as_view({"get": "retrieve"}, basename="order"),
        name="order-detail",
    ),
]
