"""Sales channels and the publishable API keys that scope a storefront to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commerce.models import BaseModel, SoftDeleteModel, staff_user_field, unique
from saleschannels import scope


class SalesChannel(SoftDeleteModel):
    """A place the store sells through (web shop, app, B2B portal...). Soft-deleted."""

    id_prefix = "sc"
    channel_scope_rule = scope.SELF

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    is_disabled = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["name"], name="sales_channel_name_idx"),
            models.Index(fields=["-created_at", "id"], name="sales_channel_created_idx"),
        ]
        permissions = [
            (
                "manage_saleschannel_products",
                "Can add products to and remove products from a sales channel",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PublishableApiKey(BaseModel):
    """A storefront key. Its id (`pk_…`) is the value sent in `x-publishable-api-key`. Hard-deleted."""

    id_prefix = "pk"
    channel_scope_rule = scope.ScopeRule.all("channel_links")

    title = models.CharField(max_length=255)
    created_by = staff_user_field()
    revoked_by = staff_user_field()
    revoked_at = models.DateTimeField(null=True, blank=True)
    sales_channels: models.ManyToManyField[SalesChannel, PublishableApiKeySalesChannel]
    sales_channels = models.ManyToManyField(
        SalesChannel,
        through="PublishableApiKeySalesChannel",
        related_name="publishable_keys",
        blank=True,
    )

    class Meta:
        verbose_name = "publishable API key"
        permissions = [("revoke_publishableapikey", "Can revoke a publishable API key")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class PublishableApiKeySalesChannel(models.Model):
    publishable_key = models.ForeignKey(
        PublishableApiKey, on_delete=models.CASCADE, related_name="channel_links"
    )
    sales_channel = models.ForeignKey(
        SalesChannel, on_delete=models.CASCADE, related_name="key_links"
    )

    class Meta:
        constraints = [
            unique("publishable_key", "sales_channel", name="publishable_key_channel_unique")
        ]
        indexes = [
            models.Index(
                fields=["sales_channel", "publishable_key"], name="key_channel_by_channel_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publishable_key_id} → {self.sales_channel_id}"


class StaffChannelScope(BaseModel):
    """Restricts a staff user, or every member of a group, to some sales channels.

    No scope row for a user or any of their groups: every channel (the default). Rows for the
    user and for their groups add up: the user may work in the union of their channels. A row with
    no channel restricts to nothing. Superusers are never restricted. `saleschannels.scope`
    applies it.
    """

    id_prefix = "scope"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel_scope",
    )
    group = models.OneToOneField(
        "auth.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="channel_scope"
    )
    sales_channels = models.ManyToManyField(SalesChannel, blank=True, related_name="+")

    class Meta:
        verbose_name = "staff channel scope"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, group__isnull=True)
                | models.Q(user__isnull=True, group__isnull=False),
                name="staff_channel_scope_user_xor_group",
            )
        ]

    def __str__(self) -> str:
        return f"Channel scope of {self.user or self.group}"
