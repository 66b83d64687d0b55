from django_filters import rest_framework as filters

from commerce.api.filters import ContractOrderingFilter
from orders.api.admin.filters import AdminOrderFilter


class CustomerOrderFilter(AdminOrderFilter):
    """Medusa's filters of `GET /store/customers/me/orders`: the admin's, plus cart and currency.

    `sales_channel_id` also narrows the request's channel scope (see the view).
    """

    cart_id = filters.CharFilter(help_text="Only the order of this cart.")
    currency_code = filters.CharFilter(
        lookup_expr="iexact", help_text="Only orders in this currency."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "display_id", "total", "id"), default=("-created_at",)
    )
