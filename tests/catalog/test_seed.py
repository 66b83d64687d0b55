"""`manage.py seed`: the demo file, Medusa's own shape, our channel keys, idempotency, credentials."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Price, Product, ProductCollection, ProductSalesChannel, ProductVariant
from commerce.models import ApiToken, Region, ShippingOption, Store, User
from saleschannels.models import PublishableApiKey, SalesChannel
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

SEED_FILES = Path(__file__).parent / "seed_files"


def run_seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def channel_names(product: Product) -> list[str]:
    return sorted(
        SalesChannel.objects.filter(product_links__product=product).values_list("name", flat=True)
    )


def key_channel_names(title: str) -> list[str]:
    key = PublishableApiKey.objects.get(title=title)
    return sorted(key.sales_channels.values_list("name", flat=True))


def report(created: dict[str, int], found: dict[str, int], products_detail: str = "") -> list[str]:
    kinds = [
        "sales channels",
        "users",
        "regions",
        "shipping options",
        "product collections",
        "product categories",
        "products",
        "publishable API keys",
    ]
    lines = []
    for kind in kinds:
        line = f"  {kind:<20}  {created.get(kind, 0):>4} created, {found.get(kind, 0):>4} found"
        if kind == "products" and products_detail:
            line += f"  {products_detail}"
        lines.append(line)
    return lines


DEMO_COUNTS = {
    "sales channels": 4,
    "users": 1,
    "regions": 3,
    "shipping options": 9,
    "product collections": 4,
    "product categories": 10,
    "products": 18,
    "publishable API keys": 2,
}


def test_demo_file_seeds_a_store_with_visible_channel_behaviour():
    # when
    out = run_seed()

    # then: the report
    assert out.splitlines() == [
        "Seeded data/seed.json:",
        *report(DEMO_COUNTS, {}, "(43 variants, 129 prices)"),
        "  store                 updated",
        "Default sales channel: Web Shop",
        'Note: sales_channels[0]: the empty "Default Sales Channel" was renamed "Web Shop" '
        "(it stays the store default)",
    ]
    # then: the rows
    store = Store.objects.get()
    assert store.name == "Ridgeline Supply Co."
    assert store.default_sales_channel.name == "Web Shop"
    assert sorted(SalesChannel.objects.values_list("name", "is_disabled")) == [
        ("B2B Portal", False),
        ("Mobile App", False),
        ("Outlet", True),
        ("Web Shop", False),
    ]
    assert Product.objects.count() == 18
    assert ProductVariant.objects.count() == 43
    assert Price.objects.count() == 129
    assert sorted(Region.objects.values_list("name", "currency_code")) == [
        ("Europe", "eur"),
        ("North America", "usd"),
        ("United Kingdom", "gbp"),
    ]
    assert ShippingOption.objects.count() == 9
    # then: channel assignments that show the channel rules
    assert channel_names(Product.objects.get(handle="last-season-rain-jacket")) == ["Outlet"]
    assert channel_names(Product.objects.get(handle="rental-fleet-tent-4p-pack-5")) == [
        "B2B Portal"
    ]
    assert channel_names(Product.objects.get(handle="camp-stove-duo")) == [
        "B2B Portal",
        "Web Shop",
    ]
    # a product without sales_channels goes to the default channel
    assert channel_names(Product.objects.get(handle="pour-over-coffee-kit")) == ["Web Shop"]
    assert key_channel_names("Web Shop storefront") == ["Web Shop"]
    assert key_channel_names("B2B Portal storefront") == ["B2B Portal"]
    admin = User.objects.get(email="admin@example.com")
    assert (admin.is_staff, admin.is_superuser, admin.check_password("supersecret")) == (
        True,
        True,
        True,
    )


def test_second_run_creates_nothing_and_reports_what_it_found():
    # given
    run_seed()
    before = {
        "products": Product.objects.count(),
        "variants": ProductVariant.objects.count(),
        "prices": Price.objects.count(),
        "channels": SalesChannel.all_objects.count(),
        "links": ProductSalesChannel.objects.count(),
        "keys": PublishableApiKey.objects.count(),
        "users": User.objects.count(),
        "regions": Region.all_objects.count(),
        "shipping": ShippingOption.all_objects.count(),
        "collections": ProductCollection.all_objects.count(),
    }

    # when
    out = run_seed()

    # then
    assert out.splitlines() == [
        "Seeded data/seed.json:",
        *report({}, DEMO_COUNTS),
        "  store                 unchanged",
        "Default sales channel: Web Shop",
    ]
    assert before == {
        "products": 18,
        "variants": 43,
        "prices": 129,
        "channels": 4,
        "links": 32,
        "keys": 2,
        "users": 1,
        "regions": 3,
        "shipping": 9,
        "collections": 4,
    }
    assert {
        "products": Product.objects.count(),
        "variants": ProductVariant.objects.count(),
        "prices": Price.objects.count(),
        "channels": SalesChannel.all_objects.count(),
        "links": ProductSalesChannel.objects.count(),
        "keys": PublishableApiKey.objects.count(),
        "users": User.objects.count(),
        "regions": Region.all_objects.count(),
        "shipping": ShippingOption.all_objects.count(),
        "collections": ProductCollection.all_objects.count(),
    } == before


def test_found_entries_are_left_as_they_are():
    # given: a product and a channel the file also names, changed since the first run
    run_seed(str(SEED_FILES / "channels.json"))
    mug = Product.objects.get(handle="everywhere-mug")
    ProductSalesChannel.objects.filter(product=mug).delete()
    SalesChannel.objects.filter(name="B2B Portal").update(description="Changed")

    # when
    run_seed(str(SEED_FILES / "channels.json"))

    # then
    assert channel_names(mug) == []
    assert SalesChannel.objects.get(name="B2B Portal").description == "Changed"


def test_extension_keys_create_channels_default_and_assignments(default_channel):
    # given: the default channel already sells something, so it is kept and a new default is set
    ProductFactory(handle="existing", sales_channels=[default_channel])
    path = str(SEED_FILES / "channels.json")

    # when
    out = run_seed(path)

    # then
    assert out.splitlines() == [
        f"Seeded {path}:",
        *report(
            {"sales channels": 3, "regions": 1, "products": 4, "publishable API keys": 3},
            {},
            "(4 variants, 4 prices)",
        ),
        "Default sales channel: Web Shop",
    ]
    web = SalesChannel.objects.get(name="Web Shop")
    assert (web.description, web.metadata, web.is_disabled) == (
        "The web shop.",
        {"team": "web"},
        False,
    )
    assert SalesChannel.objects.get(name="Outlet").is_disabled is True
    assert Store.objects.get().default_sales_channel_id == web.pk
    assert SalesChannel.objects.filter(pk=default_channel.pk).exists()
    assert channel_names(Product.objects.get(handle="everywhere-mug")) == ["B2B Portal", "Web Shop"]
    assert channel_names(Product.objects.get(handle="trade-case")) == ["B2B Portal"]
    assert channel_names(Product.objects.get(handle="old-stock")) == ["Outlet"]
    assert channel_names(Product.objects.get(handle="no-channel-given")) == ["Web Shop"]
    assert key_channel_names("Web key") == ["Web Shop"]
    assert key_channel_names("Trade key") == ["B2B Portal", "Outlet"]
    assert key_channel_names("Default key") == ["Web Shop"]
    region = Region.objects.get(name="Europe")
    assert list(
        Price.objects.filter(variant__sku="CASE-24").values_list(
            "currency_code", "amount", "region_id"
        )
    ) == [("eur", 24000, region.pk)]


def test_product_channels_may_name_channels_already_in_the_database(tmp_path):
    # given
    channel = SalesChannel.objects.create(name="Marketplace")
    path = tmp_path / "seed.json"
    path.write_text(
        json.dumps(
            {
                "products": [{"title": "Listed", "sales_channels": ["Marketplace"]}],
                "publishable_api_keys": [{"title": "Feed", "sales_channels": ["Marketplace"]}],
            }
        )
    )

    # when
    run_seed(str(path))

    # then
    assert channel_names(Product.objects.get(handle="listed")) == ["Marketplace"]
    assert key_channel_names("Feed") == ["Marketplace"]
    assert SalesChannel.objects.filter(name="Marketplace").get().pk == channel.pk


def test_medusa_seed_file_without_our_keys_uses_the_default_channel(default_channel):
    # given
    path = str(SEED_FILES / "medusa_v1.json")

    # when
    out = run_seed(path)

    # then
    assert out.splitlines() == [
        f"Seeded {path}:",
        *report(
            {
                "users": 1,
                "regions": 1,
                "shipping options": 1,
                "product collections": 1,
                "products": 2,
                "publishable API keys": 1,
            },
            {},
            "(3 variants, 4 prices)",
        ),
        "  store                 updated",
        "Default sales channel: Default Sales Channel",
        "Note: users[*].role: ignored (not supported here)",
        'Note: regions[*].payment_providers: "stripe" is not installed here; ignored',
        'Note: store.currencies: the store default currency "usd" is not listed; "eur" becomes '
        "the default",
    ]
    tee = Product.objects.get(handle="organic-cotton-tee")
    gift = Product.objects.get(handle="gift-card")
    assert (tee.status, tee.collection.handle) == ("published", "basics")
    # Medusa's images (URLs) become the product's images, the first one its thumbnail
    assert tee.thumbnail == tee.images.order_by("rank").first().url
    assert tee.weight is not None
    assert (gift.status, gift.is_giftcard) == ("draft", True)
    assert channel_names(tee) == ["Default Sales Channel"]
    assert channel_names(gift) == ["Default Sales Channel"]
    assert key_channel_names("Storefront") == ["Default Sales Channel"]
    # variant options[i].value maps to the product's options by index
    small = tee.variants.get(title="S / White")
    assert sorted(small.options.values_list("option__title", "value")) == [
        ("Color", "White"),
        ("Size", "S"),
    ]
    region = Region.objects.get(name="Scandinavia")
    assert sorted(small.prices.values_list("currency_code", "amount", "region_id")) == [
        ("eur", 2400, region.pk),
        ("eur", 2500, None),
    ]
    assert list(region.payment_providers.values_list("id", flat=True)) == ["manual"]
    assert (region.countries, str(region.tax_rate)) == (["dk", "se", "no"], "25.00")
    assert list(region.shipping_options.values_list("name", "amount")) == [("PostNord", 900)]
    store = Store.objects.get()
    assert (store.default_currency_code, list(store.currencies.values_list("code", flat=True))) == (
        "eur",
        ["eur"],
    )
    owner = User.objects.get(email="owner@medusa-shop.test")
    assert (owner.is_staff, owner.first_name, owner.check_password("medusa-password")) == (
        True,
        "Shop",
        True,
    )
    assert Store.objects.get().default_sales_channel_id == default_channel.pk


def test_dry_run_reports_without_writing():
    # given
    products_before = Product.objects.count()
    channels_before = list(SalesChannel.all_objects.values_list("pk", "name"))

    # when
    out = run_seed("--dry-run")

    # then
    assert out.splitlines()[:2] == [
        "Dry run of data/seed.json: checked and rolled back, nothing was written. It would give:",
        report(DEMO_COUNTS, {})[0],
    ]
    assert Product.objects.count() == products_before == 0
    assert list(SalesChannel.all_objects.values_list("pk", "name")) == channels_before
    assert User.objects.exists() is False


def test_if_empty_skips_a_database_with_products():
    # given
    ProductFactory()

    # when
    out = run_seed("--if-empty")

    # then
    assert out == "Not seeding data/seed.json: the database already has products (--if-empty).\n"
    assert Product.objects.count() == 1
    assert User.objects.exists() is False


def test_if_empty_seeds_an_empty_database():
    out = run_seed("--if-empty")

    assert out.splitlines()[0] == "Seeded data/seed.json:"
    assert Product.objects.count() == 18


def test_print_credentials_issues_a_token_only_when_it_seeded():
    # when: first start
    out = run_seed("--if-empty", "--print-credentials", "--base-url", "http://127.0.0.1:9000")

    # then
    token = ApiToken.objects.get()
    web_key = PublishableApiKey.objects.get(title="Web Shop storefront")
    b2b_key = PublishableApiKey.objects.get(title="B2B Portal storefront")
    lines = out.splitlines()
    credentials = lines[lines.index("The store is ready:") :]
    raw = credentials[5].split()[3]
    assert token.matches(raw)
    assert (token.user.email, token.name) == ("admin@example.com", "make run (seeded)")
    assert credentials == [
        "The store is ready:",
        "  Django admin     http://127.0.0.1:9000/admin/",
        "  Admin API        http://127.0.0.1:9000/api/admin/   (docs: http://127.0.0.1:9000/api/docs/)",
        "  Store API        http://127.0.0.1:9000/api/store/",
        "  Login            admin@example.com / supersecret   (demo only, from data/seed.json)",
        f"  Admin API token  {raw}   (header x-medusa-access-token; shown once, issued because "
        "this run seeded the store)",
        f"  Storefront keys  {web_key.pk}   Web Shop storefront -> Web Shop",
        f"                   {b2b_key.pk}   B2B Portal storefront -> B2B Portal",
        "                   (send one as the x-publishable-api-key header)",
    ]

    # when: a later start, after the password was changed
    admin = User.objects.get(email="admin@example.com")
    admin.set_password("changed-it")
    admin.save(update_fields=["password"])
    out = run_seed("--if-empty", "--print-credentials")

    # then: no second token
    assert ApiToken.objects.count() == 1
    assert out.splitlines()[:7] == [
        "Not seeding data/seed.json: the database already has products (--if-empty).",
        "",
        "The store is ready:",
        "  Django admin     http://127.0.0.1:8000/admin/",
        "  Admin API        http://127.0.0.1:8000/api/admin/   (docs: http://127.0.0.1:8000/api/docs/)",
        "  Store API        http://127.0.0.1:8000/api/store/",
        "  Login            admin@example.com (password changed since seeding)",
    ]
    assert out.splitlines()[7] == (
        "  Admin API token  issued only on the first run; for a new one: "
        "`manage.py create_admin_token admin@example.com`"
    )


# ---- categories, pictures, tags, types ----


def test_demo_file_ships_pictures_copied_into_the_storage(settings, tmp_path, api_client):
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = str(tmp_path)
    run_seed()

    products = Product.objects.filter(status="published")
    assert products.count() == 17
    for product in products:
        image = product.images.get()
        assert image.url.startswith("/media/products/img_")
        assert product.thumbnail == image.url
        assert default_storage.exists(image.url.removeprefix("/media/"))
    assert len(list((tmp_path / "products").iterdir())) == 18

    backpack = Product.objects.get(handle="ridgeline-trail-backpack-28l")
    assert backpack.type.value == "Backpack"
    assert sorted(backpack.tags.values_list("value", flat=True)) == ["daypack", "hiking"]
    assert sorted(backpack.categories.values_list("handle", flat=True)) == [
        "hiking",
        "packs-bags",
    ]
    assert (backpack.weight, backpack.origin_country) == (1150, "vn")

    # the store shows the tree without the internal category
    response = api_client.get(
        "/api/store/product-categories?parent_category_id=null&include_descendants_tree=true"
    )
    tree = {
        row["handle"]: [child["handle"] for child in row["category_children"]]
        for row in response.json()["product_categories"]
    }
    assert tree == {
        "packs-bags": [],
        "clothing": ["jackets", "socks-hats"],
        "camp": ["kitchen", "shelter-sleep", "light"],
        "hiking": [],
    }


def test_second_run_copies_no_picture_twice(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    run_seed()
    run_seed()
    assert len(list((tmp_path / "products").iterdir())) == 18


def test_dry_run_copies_no_picture(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    run_seed("--dry-run")
    assert list(tmp_path.iterdir()) == []
    assert Product.objects.exists() is False


def test_a_missing_or_bad_picture_is_reported_at_its_path(settings, tmp_path):
    from django.core.management.base import CommandError

    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    path = tmp_path / "seed.json"
    for image, problem in [
        ("missing.png", 'products[0].images[0]: no file "missing.png" next to the seed file'),
        ("../secret.png", 'products[0].images[0]: no file "../secret.png" next to the seed file'),
        (
            "broken.png",
            "products[0].images[0]: products[0].images[0] is not an image (JPEG, PNG, WebP or "
            "GIF are accepted)",
        ),
    ]:
        path.write_text(json.dumps({"products": [{"title": "Mug", "images": [image]}]}))
        with pytest.raises(CommandError) as raised:
            run_seed(str(path))
        assert str(raised.value) == f"Invalid seed file {path}: {problem} (nothing was written)"
        assert Product.objects.exists() is False


def test_unknown_category_of_a_product_is_refused(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"products": [{"title": "Mug", "categories": [{"id": "nope"}]}]}))
    with pytest.raises(CommandError) as raised:
        run_seed(str(path))
    assert 'products[0].categories[0]: unknown category "nope"' in str(raised.value)
