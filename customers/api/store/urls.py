"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from commerce.api.paths import view_paths
from customers.api.store import views

routes: list = []
urlpatterns = view_paths(
    [
        ("customers", views.StoreCustomerView, "customer-create"),
        ("customers/me", views.StoreCustomerMeView, "customer-me"),
        ("customers/me/addresses", views.StoreCustomerAddressesView, "customer-addresses"),
        (
            "customers/me/addresses/<str:address_id>",
            views.StoreCustomerAddressView,
            "customer-address",
        ),
        ("customers/password-token", views.StorePasswordTokenView, "customer-password-token"),
        ("customers/password-reset", views.StorePasswordResetView, "customer-password-reset"),
        ("auth", views.StoreAuthView, "auth"),
        ("auth/token", views.StoreAuthTokenView, "auth-token"),
        ("auth/<str:email>", views.StoreAuthEmailView, "auth-email"),
    ]
)
