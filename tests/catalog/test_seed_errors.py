"""`manage.py seed` with a bad file: one error naming the file, the JSON path and the problem;
nothing written. Also the channel rules the services enforce, through the seed."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.models import Price, Product, ProductCollection, ProductSalesChannel, ProductVariant
from commerce.models import Region, ShippingOption, Store, User
from saleschannels.models import PublishableApiKey, SalesChannel
from tests.catalog.factories import ProductFactory, ProductVariantFactory

pytestmark = pytest.mark.django_db


def database_state() -> dict:
    store = Store.objects.get()
    return {
        "store": (
            store.name,
            store.default_currency_code,
            store.default_sales_channel_id,
            sorted(store.currencies.values_list("code", flat=True)),
        ),
        "channels": sorted(
            SalesChannel.all_objects.values_list("pk", "name", "description", "is_disabled")
        ),
        "users": User.objects.count(),
        "regions": Region.all_objects.count(),
        "shipping": ShippingOption.all_objects.count(),
        "collections": ProductCollection.all_objects.count(),
        "products": Product.all_objects.count(),
        "variants": ProductVariant.all_objects.count(),
        "prices": Price.objects.count(),
        "links": ProductSalesChannel.objects.count(),
        "keys": PublishableApiKey.objects.count(),
    }


def product(title: str = "Mug", **extra) -> dict:
    return {
        "title": title,
        "variants": [{"title": "One size", "prices": [{"currency_code": "usd", "amount": 1000}]}],
        **extra,
    }


def seed_error(tmp_path, content) -> tuple[str, str]:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(CommandError) as raised:
        call_command("seed", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return str(path), str(raised.value)


VALID_REGION = {"id": "na", "name": "North America", "currency_code": "usd", "tax_rate": 0}

CASES = [
    pytest.param(
        {
            "products": [
                product("A"),
                product("B"),
                product("C"),
                product(
                    "D",
                    variants=[
                        {
                            "title": "One size",
                            "prices": [
                                {"currency_code": "usd", "amount": 1000},
                                {"currency_code": "eur", "amount": -5},
                            ],
                        }
                    ],
                ),
            ]
        },
        "products[3].variants[0].prices[1].amount: must not be less than 0, got -5",
        id="negative-amount",
    ),
    pytest.param(
        {
            "products": [
                product(
                    variants=[
                        {"title": "S", "prices": [{"currency_code": "usd", "amount": "12.50"}]}
                    ]
                )
            ]
        },
        'products[0].variants[0].prices[0].amount: must be an integer number, got "12.50"',
        id="amount-as-string",
    ),
    pytest.param(
        {"products": [{"handle": "no-title"}]},
        "products[0].title: is required",
        id="missing-title",
    ),
    pytest.param(
        {"regions": {"name": "Europe"}},
        "regions: must be an array, got an object",
        id="wrong-type",
    ),
    pytest.param(
        {"products": [product(sales_channel=["Web Shop"])]},
        "products[0].sales_channel: is not a known key here",
        id="unknown-key",
    ),
    pytest.param(
        {"product": []},
        "product: is not a known key here",
        id="unknown-top-level-key",
    ),
    pytest.param(
        {
            "sales_channels": [{"name": "Web Shop"}],
            "products": [product(sales_channels=["Web Shop", "Wholesale"])],
        },
        'products[0].sales_channels[1]: unknown sales channel "Wholesale": not in sales_channels '
        "and not in the database",
        id="unknown-product-channel",
    ),
    pytest.param(
        {"publishable_api_keys": [{"title": "Key", "sales_channels": ["Nowhere"]}]},
        'publishable_api_keys[0].sales_channels[0]: unknown sales channel "Nowhere": not in '
        "sales_channels and not in the database",
        id="unknown-key-channel",
    ),
    pytest.param(
        {
            "regions": [VALID_REGION],
            "shipping_options": [{"name": "Standard", "region_id": "eu", "amount": 500}],
        },
        'shipping_options[0].region_id: unknown region "eu": no entry of regions has this id and '
        "no region in the database has it",
        id="unknown-region-placeholder",
    ),
    pytest.param(
        {
            "products": [
                product(
                    variants=[{"title": "S", "prices": [{"region_id": "nowhere", "amount": 100}]}]
                )
            ]
        },
        'products[0].variants[0].prices[0].region_id: unknown region "nowhere": no entry of '
        "regions has this id and no region in the database has it",
        id="unknown-price-region",
    ),
    pytest.param(
        {"products": [product("Mug"), product("Mug 2", handle="mug")]},
        'products[1].handle: handle "mug" is already used by products[0].title',
        id="duplicate-handle",
    ),
    pytest.param(
        {
            "products": [
                {
                    "title": "Tee",
                    "options": [{"title": "Size"}, {"title": "Color"}],
                    "variants": [
                        {"title": "S / Black", "options": [{"value": "S"}, {"value": "Black"}]},
                        {"title": "M", "options": [{"value": "M"}]},
                    ],
                }
            ]
        },
        "products[0].variants[1].options: must give one value per product option (2, in the order "
        "of products[0].options), got 1",
        id="variant-options-mismatch",
    ),
    pytest.param(
        {"sales_channels": [{"name": "A", "default": True}, {"name": "B", "default": True}]},
        "sales_channels[1].default: only one sales channel can be the default; sales_channels[0] "
        "already is",
        id="two-defaults",
    ),
    pytest.param(
        {"regions": [{**VALID_REGION, "currency_code": "xyz"}]},
        'regions[0].currency_code: unknown currency "xyz"',
        id="unknown-currency",
    ),
    pytest.param(
        {"regions": [{**VALID_REGION, "tax_rate": 120}]},
        "regions[0].tax_rate: must not be greater than 100, got 120",
        id="tax-rate-out-of-range",
    ),
    pytest.param(
        {"users": [{"email": "not-an-email", "password": "x"}]},
        'users[0].email: must be an email, got "not-an-email"',
        id="bad-email",
    ),
    pytest.param(
        {"products": [product(status="live")]},
        "products[0].status: must be one of the following values: draft, proposed, published, "
        'rejected, got "live"',
        id="bad-status",
    ),
    pytest.param(
        {"products": [product(variants=[{"title": "S", "inventory_quantity": 2**31}])]},
        "products[0].variants[0].inventory_quantity: must not be greater than 2147483647, "
        "got 2147483648",
        id="inventory-out-of-range",
    ),
    pytest.param(
        {"products": [product(variants=[{"title": "S" * 256}])]},
        "products[0].variants[0].title: must be shorter than or equal to 255 characters, got a "
        "string",
        id="variant-title-too-long",  # the admin API's own rule (its input serializer)
    ),
    pytest.param(
        {"products": [product(sales_channels=["Web Shop", ""])]},
        "products[0].sales_channels[1]: must not be empty",
        id="empty-channel-name",
    ),
    pytest.param(
        {"publishable_api_keys": [{"title": "Key", "sales_channels": [7]}]},
        "publishable_api_keys[0].sales_channels[0]: must be a string, got a number",
        id="channel-name-not-a-string",
    ),
    pytest.param(
        {"store": {"default_sales_channel_id": "sc_123"}},
        "store.default_sales_channel_id: is not accepted; mark a channel of sales_channels with "
        '"default": true instead',
        id="store-default-channel-id",
    ),
]


@pytest.mark.parametrize(("content", "problem"), CASES)
def test_malformed_file_names_file_path_and_problem_and_writes_nothing(tmp_path, content, problem):
    # given
    before = database_state()

    # when
    path, message = seed_error(tmp_path, content)

    # then
    assert message == f"Invalid seed file {path}: {problem} (nothing was written)"
    assert database_state() == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(
            '{"products": [}',
            "not valid JSON: Expecting value (line 1, column 15)",
            id="bad-json",
        ),
        pytest.param("[]", "the top level must be a JSON object, got an array", id="not-object"),
    ],
)
def test_unreadable_file_is_refused(tmp_path, content, problem):
    before = database_state()

    path, message = seed_error(tmp_path, content)

    assert message == f"Invalid seed file {path}: {problem}"
    assert database_state() == before


def test_missing_file_is_refused(tmp_path):
    path = tmp_path / "missing.json"

    with pytest.raises(CommandError) as raised:
        call_command("seed", str(path), stdout=io.StringIO())

    assert str(raised.value) == f"Invalid seed file {path}: the file does not exist"


def test_sku_already_in_the_database_is_refused(tmp_path):
    # given
    ProductVariantFactory(sku="TAKEN")
    before = database_state()
    content = {
        "products": [
            product("First", variants=[{"title": "A", "sku": "FREE"}]),
            product("Second", variants=[{"title": "A", "sku": "TAKEN"}]),
        ]
    }

    # when
    path, message = seed_error(tmp_path, content)

    # then
    assert message == (
        f'Invalid seed file {path}: products[1].variants[0].sku: "TAKEN" is already used by a '
        "variant in the database (nothing was written)"
    )
    assert database_state() == before


def test_a_late_failure_rolls_back_everything_written_before_it(tmp_path, default_channel):
    # given: the default channel is in use, so the file's default is created, then set. The
    # service refuses a disabled default after the store, a user and a channel were written.
    ProductFactory(sales_channels=[default_channel])
    before = database_state()
    content = {
        "store": {"name": "Renamed"},
        "users": [{"email": "someone@example.com", "password": "pw"}],
        "sales_channels": [
            {"name": "Web Shop"},
            {"name": "Outlet", "is_disabled": True, "default": True},
        ],
        "products": [product()],
    }

    # when
    path, message = seed_error(tmp_path, content)

    # then
    assert message == (
        f"Invalid seed file {path}: sales_channels[1].default: The default sales channel must be "
        'enabled; "Outlet" is disabled (nothing was written)'
    )
    assert database_state() == before
    assert Store.objects.get().name == "Medusa Store"


def test_the_default_channel_cannot_be_disabled_through_the_seed(tmp_path, default_channel):
    # given: a fresh store, whose empty default channel the seed would rename
    before = database_state()
    content = {"sales_channels": [{"name": "Outlet", "is_disabled": True, "default": True}]}

    # when
    path, message = seed_error(tmp_path, content)

    # then
    assert message == (
        f"Invalid seed file {path}: sales_channels[0]: You cannot disable the default sales "
        "channel (nothing was written)"
    )
    assert database_state() == before
    default_channel.refresh_from_db(fields=["name", "is_disabled"])
    assert (default_channel.name, default_channel.is_disabled) == ("Default Sales Channel", False)


def test_with_the_channels_feature_off_channel_keys_are_refused(tmp_path, flags_off):
    # given
    flags_off("sales_channels")
    before = database_state()

    # when
    path, message = seed_error(tmp_path, {"sales_channels": [{"name": "Web Shop"}]})

    # then
    assert message == (
        f"Invalid seed file {path}: sales_channels[0]: Sales channels are not enabled "
        "(nothing was written)"
    )
    assert database_state() == before
