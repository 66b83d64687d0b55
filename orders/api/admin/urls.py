"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from orders.api.admin.views import AdminCustomerWithOrdersViewSet, AdminOrderViewSet

routes = [
    ("orders", AdminOrderViewSet, "order"),
    ("customers", AdminCustomerWithOrdersViewSet, "customer"),
]
urlpatterns: list = []
