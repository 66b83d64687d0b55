"""Store customers: the people who shop, with or without an account. Never staff (`commerce.User`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password
from django.db import models

from commerce.models import SoftDeleteModel, address_field, unique_live
from saleschannels import scope

if TYPE_CHECKING:
    from commerce.models import Address


class Customer(SoftDeleteModel):
    """A shopper. A guest checkout makes one without an account; registering makes one with.

    As in Medusa v1 an email has at most one guest row and one account row (live ones): the
    account does not take over the guest's orders. `password` holds a Django password hash
    (empty without an account) and never leaves this model through any serializer.
    """

    id_prefix = "cus"
    # A staff user scoped to channels sees the customers who ordered or have a cart in one of
    # them (the relations belong to orders and carts, above this app: named, not imported).
    channel_scope_rule = scope.ScopeRule.any_of("orders", "carts")

    email = models.EmailField()  # stored lower-cased by the services
    first_name = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    last_name = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    password = models.CharField(max_length=128, blank=True, default="", editable=False)
    has_account = models.BooleanField(default=False)
    billing_address = address_field()
    shipping_addresses: models.ManyToManyField[Address, CustomerAddress]
    shipping_addresses = models.ManyToManyField(
        "commerce.Address", through="CustomerAddress", related_name="+", blank=True
    )

    class Meta:
        constraints = [
            unique_live("email", "has_account", name="customer_email_has_account_unique")
        ]
        indexes = [models.Index(fields=["email"], name="customer_email_idx")]

    def __str__(self) -> str:
        return self.email

    def check_password(self, raw: str) -> bool:
        """Compare in constant time through Django's hashers; no password never matches."""
        return bool(self.has_account and self.password) and check_password(raw, self.password)


def customer_field(*, related_name: str) -> models.ForeignKey[Customer | None, Customer | None]:
    """Return the foreign key of a cart's or an order's customer.

    Optional (a cart may have none yet) and cleared if the customer row ever goes: the record
    keeps its own email and addresses.
    """
    return models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class CustomerAddress(models.Model):
    """A saved shipping address of a customer: each address belongs to one customer."""

    id = models.BigAutoField(primary_key=True)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    address = models.OneToOneField(
        "commerce.Address", on_delete=models.CASCADE, related_name="customer_link"
    )

    def __str__(self) -> str:
        return f"{self.address_id} of {self.customer_id}"
