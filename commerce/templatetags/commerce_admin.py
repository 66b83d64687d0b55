"""Template filters for the admin screens."""

from django import template

from commerce.admin_base import money as format_money

register = template.Library()


@register.filter
def money(amount: int | None, currency_code: str) -> str:
    """`{{ amount|money:currency_code }}`: minor units for people ("1,234.56 USD")."""
    return format_money(amount, currency_code)
