import pytest

from carts.exceptions import (
    CartCompleted,
    InsufficientInventory,
    LineItemVariantsNotFound,
    ProductsNotInCartChannel,
)
from carts.models import Cart, LineItem
from carts.services import (
    ItemInput,
    cart_create,
    cart_line_item_update,
    cart_line_items_add,
    cart_update,
)
from commerce.exceptions import PropertyShouldNotExist
from saleschannels.exceptions import (
    PublishableApiKeyMultipleChannels,
    SalesChannelDisabled,
    SalesChannelNotFound,
    SalesChannelOutsideKeyScope,
)
from saleschannels.selectors import KeyScope
from tests.carts.factories import CartFactory, LineItemFactory
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return RegionFactory(currency_code="usd")


def _variant_in(*channels, title="Tee", **kwargs):
    return ProductVariantFactory(
        product=ProductFactory(title=title, sales_channels=list(channels)), **kwargs
    )


def test_cart_without_channel_gets_the_store_default(region, default_channel):
    cart = cart_create(region_id=region.pk)
    assert cart.sales_channel_id == default_channel.pk


def test_cart_takes_the_explicit_channel(region):
    b2b = SalesChannelFactory()
    assert cart_create(region_id=region.pk, sales_channel_id=b2b.pk).sales_channel_id == b2b.pk


def test_cart_takes_the_single_channel_of_the_key(region):
    b2b = SalesChannelFactory()
    cart = cart_create(
        region_id=region.pk, key_scope=KeyScope(key_id="pk_1", sales_channel_ids=(b2b.pk,))
    )
    assert cart.sales_channel_id == b2b.pk


def test_key_with_several_channels_needs_an_explicit_one(region):
    b2b, app = SalesChannelFactory(), SalesChannelFactory()
    scope = KeyScope(key_id="pk_1", sales_channel_ids=(b2b.pk, app.pk))
    with pytest.raises(PublishableApiKeyMultipleChannels) as error:
        cart_create(region_id=region.pk, key_scope=scope)
    assert error.value.type == "invalid_data"
    assert error.value.message == (
        "The PublishableApiKey provided in the request header has multiple associated sales channels."
    )
    assert Cart.objects.exists() is False
    assert (
        cart_create(region_id=region.pk, key_scope=scope, sales_channel_id=app.pk).sales_channel_id
        == app.pk
    )


def test_explicit_channel_outside_the_key_scope_is_refused(region, default_channel):
    b2b = SalesChannelFactory()
    with pytest.raises(SalesChannelOutsideKeyScope) as error:
        cart_create(
            region_id=region.pk,
            sales_channel_id=default_channel.pk,
            key_scope=KeyScope(key_id="pk_1", sales_channel_ids=(b2b.pk,)),
        )
    assert error.value.errors == [
        f"Provided sales channel id param: {default_channel.pk} is not associated with the Publishable API Key "
        "passed in the header of the request."
    ]
    assert Cart.objects.exists() is False


def test_unknown_channel_is_not_found(region):
    with pytest.raises(SalesChannelNotFound) as error:
        cart_create(region_id=region.pk, sales_channel_id="sc_nope")
    assert (error.value.type, error.value.message) == (
        "not_found",
        "Sales channel with id: sc_nope was not found",
    )
    assert Cart.objects.exists() is False


def test_disabled_channel_is_refused(region):
    outlet = SalesChannelFactory(name="Outlet", is_disabled=True)
    with pytest.raises(SalesChannelDisabled) as error:
        cart_create(region_id=region.pk, sales_channel_id=outlet.pk)
    assert (error.value.type, error.value.message) == (
        "invalid_data",
        'Unable to assign the cart to a disabled Sales Channel "Outlet"',
    )
    assert Cart.objects.exists() is False


def test_flag_off_gives_no_channel_and_refuses_one(region, flags_off):
    flags_off("sales_channels")
    assert cart_create(region_id=region.pk).sales_channel_id is None
    with pytest.raises(PropertyShouldNotExist) as error:
        cart_create(region_id=region.pk, sales_channel_id="sc_1")
    assert error.value.message == "property sales_channel_id should not exist"


def test_adding_products_outside_the_channel_is_refused_naming_them(region):
    web, b2b = SalesChannelFactory(), SalesChannelFactory()
    inside = _variant_in(b2b, title="Tee")
    hoodie = _variant_in(web, title="Hoodie")
    mug = _variant_in(web, title="Mug")
    cart = CartFactory(region=region, sales_channel=b2b)

    with pytest.raises(ProductsNotInCartChannel) as error:
        cart_line_items_add(
            cart_id=cart.pk,
            items=[ItemInput(inside.pk, 1), ItemInput(hoodie.pk, 1), ItemInput(mug.pk, 2)],
        )

    assert error.value.message == (
        "The products [Hoodie - Mug] must belong to the sales channel on which the cart has been created."
    )
    assert LineItem.objects.exists() is False


def test_adding_items_merges_lines_and_prices_them(region):
    b2b = SalesChannelFactory()
    tee = _variant_in(b2b, price__amount=1950)
    cart = cart_create(region_id=region.pk, sales_channel_id=b2b.pk, items=[ItemInput(tee.pk, 1)])
    cart_line_items_add(cart_id=cart.pk, items=[ItemInput(tee.pk, 2)])
    line = LineItem.objects.get(cart=cart)
    assert (line.quantity, line.unit_price, line.title) == (3, 1950, "Tee")


def test_create_with_items_checks_the_channel(region):
    b2b, web = SalesChannelFactory(), SalesChannelFactory()
    foreign = _variant_in(web, title="Hoodie")
    with pytest.raises(ProductsNotInCartChannel):
        cart_create(region_id=region.pk, sales_channel_id=b2b.pk, items=[ItemInput(foreign.pk, 1)])
    assert Cart.objects.exists() is False


def test_unknown_variant_is_refused_with_medusas_words(region):
    cart = CartFactory(region=region)
    with pytest.raises(LineItemVariantsNotFound) as error:
        cart_line_items_add(cart_id=cart.pk, items=[ItemInput("variant_nope", 1)])
    assert error.value.type == "invalid_data"
    assert (
        error.value.message
        == "Unable to generate the line items, some variant has not been found: variant_nope"
    )


def test_inventory_is_checked(region):
    b2b = SalesChannelFactory()
    tee = _variant_in(b2b, inventory_quantity=2)
    cart = CartFactory(region=region, sales_channel=b2b)
    with pytest.raises(InsufficientInventory):
        cart_line_items_add(cart_id=cart.pk, items=[ItemInput(tee.pk, 3)])
    assert LineItem.objects.exists() is False


def test_changing_channel_drops_items_the_new_channel_lacks(region):
    web, b2b = SalesChannelFactory(), SalesChannelFactory()
    both = _variant_in(web, b2b, title="Tee")
    web_only = _variant_in(web, title="Hoodie")
    cart = CartFactory(region=region, sales_channel=web)
    kept = LineItemFactory(cart=cart, variant=both)
    LineItemFactory(cart=cart, variant=web_only)

    cart_update(cart_id=cart.pk, sales_channel_id=b2b.pk)

    cart.refresh_from_db()
    assert cart.sales_channel_id == b2b.pk
    assert list(LineItem.objects.filter(cart=cart).values_list("pk", flat=True)) == [kept.pk]


def test_changing_to_a_disabled_channel_is_refused_and_keeps_items(region):
    web = SalesChannelFactory()
    outlet = SalesChannelFactory(name="Outlet", is_disabled=True)
    cart = CartFactory(region=region, sales_channel=web)
    LineItemFactory(cart=cart, variant=_variant_in(web))
    with pytest.raises(SalesChannelDisabled):
        cart_update(cart_id=cart.pk, sales_channel_id=outlet.pk)
    cart.refresh_from_db()
    assert cart.sales_channel_id == web.pk
    assert LineItem.objects.filter(cart=cart).count() == 1


def test_quantity_zero_removes_the_line(region):
    cart = CartFactory(region=region)
    line = LineItemFactory(cart=cart)
    cart_line_item_update(cart_id=cart.pk, line_id=line.pk, quantity=0)
    assert LineItem.objects.exists() is False


def test_completed_cart_cannot_change(region):
    cart = CartFactory(region=region, completed_at="2026-01-01T00:00:00Z")
    with pytest.raises(CartCompleted):
        cart_update(cart_id=cart.pk, email="x@example.com")
