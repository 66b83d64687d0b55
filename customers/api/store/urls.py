"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from customers.api.store import views

routes: list = []
urlpatterns = [
    path("customers", views.StoreCustomerView.as_view(), name="customer-create"),
    path("customers/me", views.StoreCustomerMeView.as_view(), name="customer-me"),
    path(
        "customers/me/addresses",
        views.StoreCustomerAddressesView.as_view(),
        name="customer-addresses",
    ),
    path(
        "customers/me/addresses/<str:address_id>",
        views.StoreCustomerAddressView.as_view(),
        name="customer-address",
    ),
    path(
        "customers/password-token",
        views.StorePasswordTokenView.as_view(),
        name="customer-password-token",
    ),
    path(
        "customers/password-reset",
        views.StorePasswordResetView.as_view(),
        name="customer-password-reset",
    ),
    path("auth", views.StoreAuthView.as_view(), name="auth"),
    path("auth/token", views.StoreAuthTokenView.as_view(), name="auth-token"),
    path("auth/<str:email>", views.StoreAuthEmailView.as_view(), name="auth-email"),
]
