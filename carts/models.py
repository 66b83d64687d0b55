"""Carts, their line items, shipping method and payment sessions."""

from django.db import models

from commerce.models import BaseModel, SoftDeleteModel, address_field, at_least, unique
from customers.models import customer_field
from saleschannels import scope


class ReturnedJSONField(models.JSONField):
    """A JSON column that its INSERT reads back (RETURNING), as a fresh read would give it.

    The instance then holds what the database stored (PostgreSQL's jsonb reorders keys), so a new cart renders without being read again (docs/speed-layer.md, "Written carts render
    as held"). The column is a plain JSONField: migrations see Django's class.
    """

    db_returning = True  # Django's own switch (Options.db_returning_fields), as AutoField sets it

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class CartType(models.TextChoices):
    DEFAULT = "default"


class Cart(SoftDeleteModel):
    """A shopping cart. It belongs to at most one sales channel; only that channel's products go in."""

    id_prefix = "cart"
    channel_scope_rule = scope.ScopeRule.fk("sales_channel_id")

    email = models.EmailField(null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    region = models.ForeignKey("commerce.Region", on_delete=models.PROTECT, related_name="carts")
    sales_channel = models.ForeignKey(
        "saleschannels.SalesChannel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carts",
    )
    customer = customer_field(related_name="carts")
    shipping_address = address_field()
    billing_address = address_field()
    type = models.CharField(max_length=20, choices=CartType.choices, default=CartType.DEFAULT)
    completed_at = models.DateTimeField(null=True, blank=True)
    payment_authorized_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    context = ReturnedJSONField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sales_channel", "-created_at"], name="cart_channel_created_idx")
        ]

    def __str__(self) -> str:
        return self.id

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LineItem(BaseModel):
    id_prefix = "item"

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(
        "catalog.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255)
    description = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    thumbnail = models.URLField(max_length=500, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    should_merge = models.BooleanField(default=True)

    class Meta:
        constraints = [
            at_least("quantity", 1, prefix="line_item"),
            at_least("unit_price", 0, prefix="line_item"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"


class ShippingMethod(BaseModel):
    id_prefix = "sm"

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="shipping_methods")
    shipping_option = models.ForeignKey(
        "commerce.ShippingOption", on_delete=models.PROTECT, related_name="+"
    )
    price = models.BigIntegerField()
    data = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.shipping_option_id} ({self.price})"


class PaymentSessionStatus(models.TextChoices):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    REQUIRES_MORE = "requires_more", "Requires more"
    ERROR = "error"
    CANCELED = "canceled"


class PaymentSession(BaseModel):
    id_prefix = "ps"

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="payment_sessions")
    provider = models.ForeignKey(
        "commerce.PaymentProvider", on_delete=models.PROTECT, related_name="+"
    )
    is_selected = models.BooleanField(null=True, blank=True)
    is_initiated = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=PaymentSessionStatus.choices, default=PaymentSessionStatus.PENDING
    )
    amount = models.BigIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)

    class Meta:
        constraints = [unique("cart", "provider", name="payment_session_cart_provider_unique")]

    def __str__(self) -> str:
        return f"{self.provider_id} for {self.cart_id}"
