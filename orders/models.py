"""Orders and their items: snapshots of a completed cart that outlive products and channels."""

from django.db import models

from commerce.models import BaseModel, address_field, at_least, unique
from customers.models import customer_field
from saleschannels import scope


class OrderStatus(models.TextChoices):
    PENDING = "pending"
    COMPLETED = "completed"
    ARCHIVED = "archived"
    CANCELED = "canceled"
    REQUIRES_ACTION = "requires_action", "Requires action"


class FulfillmentStatus(models.TextChoices):
    NOT_FULFILLED = "not_fulfilled", "Not fulfilled"
    FULFILLED = "fulfilled"
    SHIPPED = "shipped"
    CANCELED = "canceled"


class PaymentStatus(models.TextChoices):
    NOT_PAID = "not_paid", "Not paid"
    AWAITING = "awaiting"
    CAPTURED = "captured"
    REFUNDED = "refunded"
    CANCELED = "canceled"


class OrderDisplayId(models.Model):
    """A portable sequence: inserting a row hands out the next display id, safely under concurrency."""

    id = models.BigAutoField(primary_key=True)

    def __str__(self) -> str:
        return str(self.id)


class Order(BaseModel):
    id_prefix = "order"
    channel_scope_rule = scope.ScopeRule.fk("sales_channel_id")

    display_id = models.PositiveBigIntegerField(unique=True)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    fulfillment_status = models.CharField(
        max_length=20, choices=FulfillmentStatus.choices, default=FulfillmentStatus.NOT_FULFILLED
    )
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.AWAITING
    )
    email = models.EmailField()
    region = models.ForeignKey("commerce.Region", on_delete=models.PROTECT, related_name="orders")
    currency_code = models.CharField(max_length=3)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # No database constraint: the order keeps its channel id even if the channel row ever goes away.
    sales_channel = models.ForeignKey(
        "saleschannels.SalesChannel",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="orders",
    )
    customer = customer_field(related_name="orders")
    cart = models.OneToOneField(
        "carts.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="order"
    )
    shipping_address = address_field()
    billing_address = address_field()
    shipping_option_name = models.CharField(max_length=255, blank=True, default="")
    subtotal = models.BigIntegerField(default=0)
    shipping_total = models.BigIntegerField(default=0)
    tax_total = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    canceled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            at_least("total", 0, prefix="order"),
            # One order per idempotency key, kept by the database even for writes that bypass
            # `cart_complete` (whose advisory lock makes a second caller see the first order).
            unique(
                "idempotency_key",
                name="order_idempotency_key_unique",
                idempotency_key__isnull=False,
            ),
        ]
        indexes = [
            models.Index(fields=["sales_channel", "-created_at"], name="order_channel_created_idx"),
            models.Index(fields=["-created_at", "id"], name="order_created_idx"),
            models.Index(fields=["email"], name="order_email_idx"),
            models.Index(
                fields=["customer", "sales_channel", "-created_at"],
                name="order_customer_channel_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="order_status_created_idx"),
            models.Index(fields=["region", "-created_at"], name="order_region_created_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.display_id}"


class OrderItem(BaseModel):
    """A snapshot of a cart line: title, variant, price and quantity at the time of purchase."""

    id_prefix = "item"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(
        "catalog.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001  (snapshot, not a key)
    title = models.CharField(max_length=255)
    variant_title = models.CharField(max_length=255, blank=True, default="")
    sku = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    thumbnail = models.URLField(max_length=500, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [at_least("quantity", 1, prefix="order_item")]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


class Payment(BaseModel):
    """The payment of an order, made at completion from the cart's selected payment session.

    It records what the provider authorized: provider, amount and currency, and the provider's
    `data`. Capturing and canceling are not modelled yet, so `captured_at`/`canceled_at` stay null.
    """

    id_prefix = "pay"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    cart = models.ForeignKey(
        "carts.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider = models.ForeignKey(
        "commerce.PaymentProvider", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(help_text="Minor units of `currency_code`.")
    currency_code = models.CharField(max_length=3)
    amount_refunded = models.BigIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)

    class Meta:
        constraints = [
            at_least("amount", 0, prefix="payment"),
            at_least("amount_refunded", 0, prefix="payment"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.amount} {self.currency_code.upper()}"
