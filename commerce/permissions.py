"""Who may do what: the one declaration of the permission every admin action needs.

Both doors use this module. The admin API's permission class (`commerce.api.authentication.
AdminPermission`) looks each request up in `ADMIN_API` by its URL name and HTTP method; the Django
admin's `has_*_permission` methods and bulk actions (`commerce.admin_base.PermissionAdminMixin`)
ask `user_can()` with the same permission names. So the two cannot disagree.

The rules (see docs/permissions.md):

- Reads need `<app>.view_<model>`, writes `add_` / `change_` / `delete_`, and actions that are not a
  plain model write need a named permission (declared in the model's `Meta.permissions`, listed
  below).
- A request acts as its user, whether it came with a session or an API token. Active superusers
  may do everything.
- **Fail closed**: an admin API route and method without a declaration here is refused to everyone
  but superusers. `tests/security/test_permissions.py` walks the URL configuration and fails for
  every route without a declaration, so a new route cannot ship undeclared.

Adding a route is one line per method in `ADMIN_API`:

    ("thing-detail", "DELETE"): "things.delete_thing",

and a router resource's five (list GET and POST, detail GET, POST and DELETE) are one line:
`**_routes("thing", _crud("things.thing"))`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from commerce.models import User

# ---- the named permissions (each declared in its model's Meta.permissions) ----

MANAGE_CHANNEL_PRODUCTS = "saleschannels.manage_saleschannel_products"
REVOKE_PUBLISHABLE_KEY = "saleschannels.revoke_publishableapikey"
CHANGE_DEFAULT_CHANNEL = "commerce.change_store_default_sales_channel"
MANAGE_CHANNEL_LOCATIONS = "inventory.manage_saleschannel_locations"

NAMED_PERMISSIONS = {
    MANAGE_CHANNEL_PRODUCTS: "Can add products to and remove products from a sales channel",
    REVOKE_PUBLISHABLE_KEY: "Can revoke a publishable API key",
    CHANGE_DEFAULT_CHANNEL: "Can change the store's default sales channel",
    MANAGE_CHANNEL_LOCATIONS: "Can link stock locations to sales channels",
}


def acting_user(request: Any) -> User:
    """Return the signed-in staff user of an admin request (the admin surfaces let no one else in).

    `request.user` is typed "a user or AnonymousUser"; the services record the staff user.
    """
    return request.user


@dataclass(frozen=True)
class Rule:
    """What one admin API route and method needs.

    `needs`: every permission named here. `when_body`: more permissions needed only when the
    request body carries the property (e.g. `default_sales_channel_id` on the store update).
    `staff`: any active staff user may (their own account, signing out). `public`: no user at all
    (the login, which checks credentials itself).
    """

    needs: tuple[str, ...] = ()
    when_body: Mapping[str, str] = field(default_factory=dict)
    staff: bool = False
    public: bool = False

    def permissions_for(self, body: Any) -> tuple[str, ...]:
        extra: tuple[str, ...] = ()
        if self.when_body and isinstance(body, Mapping):
            extra = tuple(perm for name, perm in self.when_body.items() if name in body)
        return self.needs + extra


STAFF = Rule(staff=True)
PUBLIC = Rule(public=True)


def _needs(*perms: str, **when_body: str) -> Rule:
    return Rule(needs=perms, when_body=when_body)


# What each model action needs, in both doors. A write that answers (or shows) the object needs
# its view permission too: you cannot change what you may not see.
MODEL_ACTIONS = {
    "view": ("view",),
    "add": ("view", "add"),
    "change": ("view", "change"),
    "delete": ("delete",),
}


def model_action_permissions(app_label: str, model_name: str, action: str) -> tuple[str, ...]:
    """Return the permissions a model action needs: `("catalog.view_product", "catalog.change_product")`."""
    return tuple(f"{app_label}.{verb}_{model_name}" for verb in MODEL_ACTIONS[action])


def _crud(app_model: str) -> dict[str, Rule]:
    app, model = app_model.split(".")
    return {
        action: Rule(needs=model_action_permissions(app, model, action)) for action in MODEL_ACTIONS
    }


def _with_body(rule: Rule, **when_body: str) -> Rule:
    return Rule(needs=rule.needs, when_body=when_body)


def _routes(basename: str, rules: dict[str, Rule]) -> dict[tuple[str, str], Rule]:
    """Return the rules of a router resource: its list (GET, POST) and detail (GET, POST, DELETE)."""
    return {
        (f"{basename}-list", "GET"): rules["view"],
        (f"{basename}-list", "POST"): rules["add"],
        (f"{basename}-detail", "GET"): rules["view"],
        (f"{basename}-detail", "POST"): rules["change"],
        (f"{basename}-detail", "DELETE"): rules["delete"],
    }


def _add_remove(url_name: str, rule: Rule) -> dict[tuple[str, str], Rule]:
    """Return one rule for both methods of an add/remove route: POST adds, DELETE removes."""
    return {(url_name, "POST"): rule, (url_name, "DELETE"): rule}


_channel = _crud("saleschannels.saleschannel")
_key = _crud("saleschannels.publishableapikey")
_product = _crud("catalog.product")
_order = _crud("orders.order")
_region = _crud("commerce.region")
_shipping = _crud("commerce.shippingoption")
_user = _crud("commerce.user")
_collection = _crud("catalog.productcollection")
_category = _crud("catalog.productcategory")
_customer = _crud("customers.customer")
_webhook = _crud("webhooks.webhooksubscription")
_location = _crud("inventory.stocklocation")
_item = _crud("inventory.inventoryitem")
_level = _crud("inventory.inventorylevel")
_batch = _crud("batchjobs.batchjob")
# Running a job is writing what it writes: an import creates and changes products and their
# channels, a channel job moves products; an export only reads products. Files are uploaded for
# imports and downloaded from jobs (a scoped user: only their jobs' files, batchjobs.api).
_BATCH_JOB_CREATE = _needs(
    *_batch["add"].needs,
    "catalog.view_product",
    "catalog.add_product",
    "catalog.change_product",
    MANAGE_CHANNEL_PRODUCTS,
)

# (URL name in the `admin-api` namespace, HTTP method) -> Rule. HEAD uses GET's rule; OPTIONS
# (the route's description, no data) is open to active staff.
ADMIN_API: dict[tuple[str, str], Rule] = {
    # auth: the login checks credentials; who-am-I and sign-out are every staff user's own
    ("auth", "POST"): PUBLIC,
    ("auth", "GET"): STAFF,
    ("auth", "DELETE"): STAFF,
    # the store and its default channel
    ("store", "GET"): _needs("commerce.view_store"),
    ("store", "POST"): _needs(
        "commerce.view_store",
        "commerce.change_store",
        default_sales_channel_id=CHANGE_DEFAULT_CHANNEL,
    ),
    # sales channels and their products
    **_routes("sales-channel", _channel),
    **_add_remove(
        "sales-channel-products-batch", _needs(*_channel["view"].needs, MANAGE_CHANNEL_PRODUCTS)
    ),
    # stock locations, the channels that sell from them, inventory items and levels (issue 20)
    **_add_remove(
        "sales-channel-stock-locations", _needs(*_channel["view"].needs, MANAGE_CHANNEL_LOCATIONS)
    ),
    **_routes("stock-location", _location),
    ("inventory-item-list", "GET"): _item["view"],
    ("inventory-item-detail", "GET"): _item["view"],
    ("inventory-item-location-levels", "GET"): _item["view"],
    ("inventory-item-location-levels", "POST"): _needs(*_item["view"].needs, *_level["add"].needs),
    ("inventory-item-location-level", "POST"): _needs(
        *_item["view"].needs, *_level["change"].needs
    ),
    ("inventory-item-location-level", "DELETE"): _needs(
        *_item["view"].needs, *_level["delete"].needs
    ),
    ("variant-inventory", "GET"): _needs("catalog.view_product", *_item["view"].needs),
    # publishable keys
    **_routes("publishable-api-key", _key),
    ("publishable-api-key-revoke", "POST"): _needs(*_key["view"].needs, REVOKE_PUBLISHABLE_KEY),
    ("publishable-api-key-sales-channel-list", "GET"): _needs(
        "saleschannels.view_publishableapikey", "saleschannels.view_saleschannel"
    ),
    **_add_remove("publishable-api-key-sales-channel-batch", _key["change"]),
    # products (choosing a product's channels is managing those channels' products)
    ("product-list", "GET"): _product["view"],
    ("product-list", "POST"): _with_body(_product["add"], sales_channels=MANAGE_CHANNEL_PRODUCTS),
    ("product-detail", "GET"): _product["view"],
    ("product-detail", "POST"): _with_body(
        _product["change"], sales_channels=MANAGE_CHANNEL_PRODUCTS
    ),
    ("product-detail", "DELETE"): _product["delete"],
    # a product's listings in channels (docs/listings.md): setting one is managing that
    # channel's products; reading them and the availability diagnosis, viewing both
    ("product-channel-listings", "GET"): _needs(
        *_product["view"].needs, "saleschannels.view_saleschannel"
    ),
    ("product-channel-listings", "POST"): _needs(
        *_product["view"].needs, "saleschannels.view_saleschannel", MANAGE_CHANNEL_PRODUCTS
    ),
    ("product-availability", "GET"): _needs(
        *_product["view"].needs, "saleschannels.view_saleschannel"
    ),
    # orders
    ("order-list", "GET"): _order["view"],
    ("order-detail", "GET"): _order["view"],
    # regions and shipping options
    **_routes("region", _region),
    **_routes("shipping-option", _shipping),
    # staff users (granting a role also needs that role's permissions: commerce.services)
    **_routes("user", _user),
    ("user-me", "GET"): STAFF,
    # collections and categories (putting products in them changes the products)
    **_routes("collection", _collection),
    **_add_remove(
        "collection-products-batch", _needs(*_collection["view"].needs, "catalog.change_product")
    ),
    **_routes("product-category", _category),
    **_add_remove(
        "product-category-products-batch",
        _needs(*_category["view"].needs, "catalog.change_product"),
    ),
    # store customers
    ("customer-list", "GET"): _customer["view"],
    ("customer-list", "POST"): _customer["add"],
    ("customer-detail", "GET"): _customer["view"],
    ("customer-detail", "POST"): _customer["change"],
    # webhook subscriptions and their deliveries (a retry changes the delivery)
    **_routes("webhook", _webhook),
    ("webhook-delivery-list", "GET"): _needs(
        *_webhook["view"].needs, "webhooks.view_webhookdelivery"
    ),
    ("webhook-delivery-detail", "GET"): _needs(
        *_webhook["view"].needs, "webhooks.view_webhookdelivery"
    ),
    # batch jobs and their files (one rule for every type: see _BATCH_JOB_CREATE)
    ("batch-job-list", "GET"): _batch["view"],
    ("batch-job-list", "POST"): _BATCH_JOB_CREATE,
    ("batch-job-detail", "GET"): _batch["view"],
    ("batch-job-confirm", "POST"): _needs(*_batch["change"].needs, *_BATCH_JOB_CREATE.needs),
    ("batch-job-cancel", "POST"): _batch["change"],
    ("upload", "POST"): _BATCH_JOB_CREATE,
    ("upload-download-url", "POST"): _batch["view"],
    ("webhook-delivery-retry", "POST"): _needs(
        *_webhook["view"].needs, "webhooks.view_webhookdelivery", "webhooks.change_webhookdelivery"
    ),
}


def admin_api_rule(url_name: str | None, method: str) -> Rule | None:
    """Return the declared rule of an admin API route and method, or None (superusers only)."""
    method = method.upper()
    if method == "OPTIONS":
        return STAFF
    if method == "HEAD":
        method = "GET"
    return ADMIN_API.get((url_name or "", method))


def user_can(user: Any, perm: str) -> bool:
    """Whether an active user holds a permission (superusers hold them all)."""
    return bool(user and user.is_active and user.has_perm(perm))


def missing_permission(user: Any, perms: tuple[str, ...]) -> str | None:
    """Return the first of `perms` the user lacks, or None when they hold them all."""
    return next((perm for perm in perms if not user_can(user, perm)), None)


def model_action_allowed(user: Any, model: Any, action: str) -> bool:
    """Whether the user may view / add / change / delete rows of `model` (`MODEL_ACTIONS`)."""
    opts = model._meta
    perms = model_action_permissions(opts.app_label, opts.model_name, action)
    return missing_permission(user, perms) is None


def refusal_message(perm: str) -> str:
    return f"You need the permission {perm} to do this"


UNDECLARED_MESSAGE = "This action declares no permission; only superusers may use it"


# ---- ROLES: Medusa's `role`, as Django groups ----

ROLE_ADMIN, ROLE_MEMBER, ROLE_DEVELOPER = "admin", "member", "developer"
ROLES = (ROLE_ADMIN, ROLE_MEMBER, ROLE_DEVELOPER)
# The group that carries each role's permissions (kept in sync after every `migrate`).
ROLE_GROUPS = {ROLE_ADMIN: "Admin", ROLE_MEMBER: "Member", ROLE_DEVELOPER: "Developer"}
OUR_APPS = tuple(settings.LOCAL_APPS)
_CATALOG_MODELS: tuple[str, ...] = (
    "product",
    "productvariant",
    "price",
    "productoption",
    "productoptionvalue",
)
_CATALOG_MODELS += ("productcollection", "productcategory", "image", "producttag", "producttype")


def _role_admin(perm: str) -> bool:
    app, codename = perm.split(".")
    return app in OUR_APPS or (app == "auth" and codename.endswith("_group"))


def _role_member(perm: str) -> bool:
    app, codename = perm.split(".")
    if app not in OUR_APPS:
        return False
    verb, _, model = codename.partition("_")
    writes_catalog = app == "catalog" and verb in ("add", "change") and model in _CATALOG_MODELS
    counts_stock = app == "inventory" and verb in ("add", "change") and model == "inventorylevel"
    runs_jobs = app == "batchjobs" and verb in ("add", "change")
    return (
        verb == "view"
        or writes_catalog
        or counts_stock
        or runs_jobs
        or perm == MANAGE_CHANNEL_PRODUCTS
    )


def _role_developer(perm: str) -> bool:
    app, codename = perm.split(".")
    if app not in OUR_APPS:
        return False
    verb, _, model = codename.partition("_")
    return (
        verb == "view"
        or (app, model)
        in (
            ("saleschannels", "publishableapikey"),
            ("commerce", "apitoken"),
            ("webhooks", "webhooksubscription"),
            ("webhooks", "webhookdelivery"),
        )
        or perm == REVOKE_PUBLISHABLE_KEY
    )


# Which of the existing permissions each role's group holds.
ROLE_PERMISSIONS = {
    ROLE_ADMIN: _role_admin,  # everything in the shop, users and groups included
    ROLE_MEMBER: _role_member,  # sees everything; edits the catalogue and channels' products
    ROLE_DEVELOPER: _role_developer,  # sees everything; publishable keys and API tokens
}
