"""Shared kernel models: the base model, users and API tokens, the store, regions and shipping."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from commerce.ids import generate_id

if TYPE_CHECKING:
    from django.db.models import Model


ID_COLLATION = "C"  # docs/speed-layer.md "Ids in the `\"C\"` collation"


class PrefixedIdField(models.CharField):
    """A `<prefix>_<ULID>` primary key, generated on save and on bulk_create from the model's `id_prefix`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        # On PostgreSQL ids (and, through Django's ForeignKey.db_parameters, every foreign key
        # to them) use the "C" collation: bytewise comparisons, which is ULID order, instead of
        # the database's locale. Joins, sorts and index descents on ids cost about half (a
        # channel's deep product page: 40 -> 22 ms of SQL). Other databases keep their default.
        # Existing columns are converted by commerce.db.collation (a migration in each app).
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = ID_COLLATION
        return params

    def get_default(self) -> None:
        # Unsaved instances have no id (not ""), so save() and bulk_create() ask for one below.
        return None

    def get_pk_value_on_save(self, instance: Model) -> str:
        return generate_id(instance.id_prefix)  # type: ignore[attr-defined]  # a BaseModel


def at_least(field: str, minimum: int, *, prefix: str) -> models.CheckConstraint:
    """Return the check `field >= minimum`, named `<prefix>_<field>_gte_<minimum>`."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": minimum}), name=f"{prefix}_{field}_gte_{minimum}"
    )


def unique(*fields: str, name: str, **lookups: Any) -> models.UniqueConstraint:
    """Return uniqueness of `fields` among all rows (or only those matching `lookups`)."""
    return models.UniqueConstraint(
        fields=list(fields), condition=Q(**lookups) if lookups else None, name=name
    )


def unique_live(*fields: str, name: str, **lookups: Any) -> models.UniqueConstraint:
    """Return uniqueness among the rows not soft-deleted (and matching `lookups`)."""
    return unique(*fields, name=name, deleted_at__isnull=True, **lookups)


class BaseModel(models.Model):
    """Prefixed ULID id, timestamps and free-form metadata, as every Medusa entity has."""

    id_prefix: ClassVar[str] = ""
    _loaded_attnames: ClassVar[tuple[str, ...]]  # set by from_db, once per model class

    id = PrefixedIdField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    metadata = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        """Load a row as Django does, without `__init__`'s per-field `setattr` (issue 7).

        Speed layer: docs/speed-layer.md "BaseModel.from_db".

        Django's `from_db` calls `cls(*values)`, whose generic argument handling was the
        largest Python cost of loading a list page (~370 instances for 50 admin orders). With
        every concrete column present, in order, and no `pre_init`/`post_init` receiver for
        the model, the instance gets the values in its `__dict__` directly, which is where
        `__init__` puts them too (the attnames' descriptors only intercept writes to clear a
        related-object cache, which a new instance does not have). Anything else (deferred
        columns, a receiver) goes through Django's own `from_db`.
        """
        attnames = cls.__dict__.get("_loaded_attnames")
        if attnames is None:
            attnames = tuple(field.attname for field in cls._meta.concrete_fields)
            cls._loaded_attnames = attnames
        if (
            len(values) != len(attnames)
            or pre_init.has_listeners(cls)
            or post_init.has_listeners(cls)
        ):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        new.__dict__.update(zip(attnames, values, strict=True))
        new._state = state
        return new


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self) -> SoftDeleteQuerySet:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> SoftDeleteQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]  # Django's generated manager class
    """The default manager of soft-deletable models: deleted rows are invisible."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(BaseModel):
    """A model whose deletes only set `deleted_at`. `objects` hides them; `all_objects` does not.

    Forward foreign keys use Django's base manager, so an order still reaches its deleted channel.
    """

    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LiveManager()
    all_objects = models.Manager.from_queryset(SoftDeleteQuerySet)()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


# ---- USERS ----


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    """A person who signs in with an email address. Staff use the Django admin and the admin API."""

    id_prefix = "usr"

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email


def staff_user_field(*, related_name: str = "+") -> models.ForeignKey[User | None, User | None]:
    """Return the foreign key of the staff user who acted on a row (who created a job, revoked a key).

    Optional, and cleared if the user is deleted: the row outlives its author.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def hash_api_token(raw: str) -> str:
    """Return the stored form of an API token (SHA-256; tokens are long random strings)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(BaseModel):
    """A staff user's admin API token, sent as `x-medusa-access-token`. Only its hash is stored."""

    id_prefix = "tok"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, default="")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        max_length=12, editable=False, help_text="The first characters, to tell tokens apart."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    def matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.token_hash, hash_api_token(raw))


# ---- STORE, CURRENCIES, REGIONS ----


class Currency(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    symbol = models.CharField(max_length=8)
    symbol_native = models.CharField(max_length=8)
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return self.code.upper()


class PaymentProvider(models.Model):
    """A payment provider a region may use. `manual` is the only one built in."""

    id = models.CharField(max_length=50, primary_key=True)
    is_installed = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.id


class Store(BaseModel):
    """The one store. Its default sales channel is where channel-less products and carts go."""

    id_prefix = "store"

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    name = models.CharField(max_length=255, default="Medusa Store")
    default_currency_code = models.CharField(max_length=3, default="usd")
    currencies = models.ManyToManyField(Currency, blank=True, related_name="stores")
    default_sales_channel = models.OneToOneField(
        "saleschannels.SalesChannel",
        null=True,
        blank=True,
        help_text="Products and carts created without a channel go here. Only enabled channels.",
        on_delete=models.SET_NULL,
        related_name="default_for_store",
    )
    swap_link_template = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    payment_link_template = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    invite_link_template = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="store_is_singleton")
        ]
        permissions = [
            ("change_store_default_sales_channel", "Can change the store's default sales channel")
        ]

    def __str__(self) -> str:
        return self.name


class Region(SoftDeleteModel):
    id_prefix = "reg"

    name = models.CharField(max_length=255)
    currency_code = models.CharField(max_length=3)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    tax_code = models.CharField(max_length=50, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    countries = models.JSONField(
        default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes, lower case."
    )
    payment_providers = models.ManyToManyField(PaymentProvider, blank=True, related_name="regions")
    automatic_taxes = models.BooleanField(default=True)
    includes_tax = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lte=100), name="region_tax_rate_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShippingOptionPriceType(models.TextChoices):
    FLAT_RATE = "flat_rate", "Flat rate"


class ShippingOption(SoftDeleteModel):
    id_prefix = "so"

    name = models.CharField(max_length=255)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="shipping_options")
    price_type = models.CharField(
        max_length=20,
        choices=ShippingOptionPriceType.choices,
        default=ShippingOptionPriceType.FLAT_RATE,
    )
    amount = models.BigIntegerField(default=0, help_text="Minor units of the region's currency.")
    provider = models.ForeignKey(
        PaymentProvider, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_return = models.BooleanField(default=False)
    admin_only = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [at_least("amount", 0, prefix="shipping_option")]

    def __str__(self) -> str:
        return self.name


class Address(BaseModel):
    """A postal address of a cart or an order. Unset parts are null, as in the contract."""

    id_prefix = "addr"

    first_name = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    last_name = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    company = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    address_1 = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    address_2 = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    city = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    country_code = models.CharField(max_length=2, null=True, blank=True)  # noqa: DJ001
    province = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    postal_code = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        parts = [self.address_1, self.postal_code, self.city, (self.country_code or "").upper()]
        return ", ".join(p for p in parts if p) or self.id


def address_field() -> models.ForeignKey[Address | None, Address | None]:
    """Return the foreign key of a row's own address: a cart's, an order's, a customer's, a location's.

    Optional, cleared if the address row goes, and with no reverse accessor on `Address`.
    """
    return models.ForeignKey(
        "commerce.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


# ---- OUTBOX ----


class OutboxEvent(BaseModel):
    """An event for the outside world, written by a service in the transaction of its change.

    A rolled-back change leaves no row, a committed one always does: the outbox pattern. The
    `webhooks` app fans each row out to its subscriptions and records `dispatched_at`; rows it has
    not dispatched yet (a worker died, the broker was down) are found again by a periodic sweep.
    """

    id_prefix = "evt"

    type = models.CharField(max_length=100)
    sales_channel_ids = models.JSONField(
        default=list, blank=True, help_text="The channels the event concerns."
    )
    data = models.JSONField(default=dict, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(dispatched_at__isnull=True),
                name="outbox_undispatched_idx",
            ),
            models.Index(fields=["type", "-created_at"], name="outbox_type_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"
