"""Medusa v1's product sheet: its columns, a product's rows, and a sheet's rows read back.

One row per variant (a product without variants has one row with empty variant cells), `;` as
the delimiter, UTF-8. Prices are integers in minor units, as everywhere in the API. The dynamic
columns: `Price <CUR>` (a currency price) and `Price <Region name> [<CUR>]` (a region's price),
`Option N Name` / `Option N Value`, `Image N Url`, and our channels as Medusa v1 writes them,
`Sales Channel N Name` / `Sales Channel N Description` / `Sales Channel N Id`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from catalog.selectors import loaded

DELIMITER = ";"

PRODUCT_COLUMNS: list[tuple[str, str]] = [
    ("Product Id", "id"),
    ("Product Handle", "handle"),
    ("Product Title", "title"),
    ("Product Subtitle", "subtitle"),
    ("Product Description", "description"),
    ("Product Status", "status"),
    ("Product Thumbnail", "thumbnail"),
    ("Product Weight", "weight"),
    ("Product Length", "length"),
    ("Product Width", "width"),
    ("Product Height", "height"),
    ("Product HS Code", "hs_code"),
    ("Product Origin Country", "origin_country"),
    ("Product MID Code", "mid_code"),
    ("Product Material", "material"),
    ("Product Collection Title", "collection_title"),
    ("Product Collection Handle", "collection_handle"),
    ("Product Type", "type"),
    ("Product Tags", "tags"),
    ("Product Discountable", "discountable"),
    ("Product External Id", "external_id"),
    ("Product Profile Name", "profile_name"),
    ("Product Profile Type", "profile_type"),
]
VARIANT_COLUMNS: list[tuple[str, str]] = [
    ("Variant Id", "id"),
    ("Variant Title", "title"),
    ("Variant SKU", "sku"),
    ("Variant Barcode", "barcode"),
    ("Variant Inventory Quantity", "inventory_quantity"),
    ("Variant Allow Backorder", "allow_backorder"),
    ("Variant Manage Inventory", "manage_inventory"),
    ("Variant Weight", "weight"),
    ("Variant Length", "length"),
    ("Variant Width", "width"),
    ("Variant Height", "height"),
    ("Variant HS Code", "hs_code"),
    ("Variant Origin Country", "origin_country"),
    ("Variant MID Code", "mid_code"),
    ("Variant Material", "material"),
]
FIXED_COLUMNS = [name for name, _ in PRODUCT_COLUMNS + VARIANT_COLUMNS]
# A sheet without these cannot be read: the import fails before anything is written.
REQUIRED_COLUMNS = ("Product Id", "Product Handle", "Product Title", "Variant Id", "Variant Title")

PRICE_COLUMN = re.compile(
    r"^Price (?:(?P<region>.+) \[(?P<bracketed>[A-Za-z]{3})\]|(?P<code>[A-Za-z]{3}))$"
)
OPTION_COLUMN = re.compile(r"^Option (?P<n>\d+) (?P<part>Name|Value)$")
IMAGE_COLUMN = re.compile(r"^Image (?P<n>\d+) Url$")
CHANNEL_COLUMN = re.compile(r"^Sales Channel (?P<n>\d+) (?P<part>Name|Description|Id)$")
PHYSICAL_INTEGERS = ("weight", "length", "width", "height")
PHYSICAL_TEXTS = ("hs_code", "origin_country", "mid_code", "material")


def price_column(currency_code: str, region_name: str | None) -> str:
    code = currency_code.upper()
    return f"Price {region_name} [{code}]" if region_name else f"Price {code}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


@dataclass
class ExportRow:
    """One row before its header is known: fixed cells plus the dynamic parts."""

    cells: list[str]
    prices: dict[str, str] = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    channels: list[tuple[str, str, str]] = field(default_factory=list)


def product_rows(product: Any, region_names: dict[str, str]) -> list[ExportRow]:
    """Return the rows of a product loaded with `EXPORT_RELATIONS` (`product_page_load_for_admin`)."""
    collection = product.collection
    values = {
        "collection_title": collection.title if collection else None,
        "collection_handle": collection.handle if collection else None,
        "type": product.type.value if product.type else None,
        "tags": ",".join(tag.value for tag in loaded(product, "tags")),
        "profile_name": None,
        "profile_type": None,
    }
    product_cells = [
        _text(values[attr] if attr in values else getattr(product, attr))
        for _, attr in PRODUCT_COLUMNS
    ]
    options = loaded(product, "options")
    images = [image.url for image in loaded(product, "images")]
    channels = [
        (channel.name, channel.description or "", channel.pk)
        for channel in loaded(product, "sales_channels")
    ]
    variants = loaded(product, "variants")
    if not variants:
        return [
            ExportRow(
                product_cells + [""] * len(VARIANT_COLUMNS),
                options=[(option.title, "") for option in options],
                images=images,
                channels=channels,
            )
        ]
    rows = []
    for variant in variants:
        by_option = {value.option_id: value.value for value in loaded(variant, "options")}
        prices = {
            price_column(price.currency_code, region_names.get(price.region_id or "")): str(
                price.amount
            )
            for price in loaded(variant, "prices")
        }
        rows.append(
            ExportRow(
                product_cells + [_text(getattr(variant, attr)) for _, attr in VARIANT_COLUMNS],
                prices=prices,
                options=[(option.title, by_option.get(option.pk, "")) for option in options],
                images=images,
                channels=channels,
            )
        )
    return rows


@dataclass
class Header:
    """The dynamic columns an export needs, grown as rows are seen."""

    prices: dict[str, None] = field(default_factory=dict)
    options: int = 0
    images: int = 0
    channels: int = 0

    def see(self, row: ExportRow) -> None:
        for name in row.prices:
            self.prices.setdefault(name, None)
        self.options = max(self.options, len(row.options))
        self.images = max(self.images, len(row.images))
        self.channels = max(self.channels, len(row.channels))

    def columns(self) -> list[str]:
        columns = list(FIXED_COLUMNS)
        columns += sorted(self.prices)
        for n in range(1, self.options + 1):
            columns += [f"Option {n} Name", f"Option {n} Value"]
        columns += [f"Image {n} Url" for n in range(1, self.images + 1)]
        for n in range(1, self.channels + 1):
            columns += [
                f"Sales Channel {n} Name",
                f"Sales Channel {n} Description",
                f"Sales Channel {n} Id",
            ]
        return columns

    def cells(self, row: ExportRow) -> list[str]:
        cells = list(row.cells)
        cells += [row.prices.get(name, "") for name in sorted(self.prices)]
        for n in range(self.options):
            cells += list(row.options[n]) if n < len(row.options) else ["", ""]
        cells += [row.images[n] if n < len(row.images) else "" for n in range(self.images)]
        for n in range(self.channels):
            cells += list(row.channels[n]) if n < len(row.channels) else ["", "", ""]
        return cells


def row_dict(header: Header, row: ExportRow) -> dict[str, str]:
    return dict(zip(header.columns(), header.cells(row), strict=True))


# ---- reading a sheet ----


class RowError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class SheetLayout:
    """What the header says: which optional parts the sheet carries."""

    columns: tuple[str, ...]
    prices: tuple[tuple[str, str, str | None], ...]  # (column, currency, region name)
    options: tuple[int, ...]
    images: tuple[int, ...]
    channels: tuple[int, ...]

    @property
    def has_channels(self) -> bool:
        return bool(self.channels)


def layout_read(columns: list[str]) -> SheetLayout:
    """Check a header; raise RowError naming the first required column missing."""
    stripped = [column.strip() for column in columns]
    for required in REQUIRED_COLUMNS:
        if required not in stripped:
            raise RowError(f'Missing column "{required}"')
    prices, options, images, channels = [], set(), set(), set()
    for column in stripped:
        if match := PRICE_COLUMN.match(column):
            code = (match["bracketed"] or match["code"]).lower()
            prices.append((column, code, match["region"]))
        elif match := OPTION_COLUMN.match(column):
            options.add(int(match["n"]))
        elif match := IMAGE_COLUMN.match(column):
            images.add(int(match["n"]))
        elif match := CHANNEL_COLUMN.match(column):
            channels.add(int(match["n"]))
    return SheetLayout(
        tuple(stripped),
        tuple(prices),
        tuple(sorted(options)),
        tuple(sorted(images)),
        tuple(sorted(channels)),
    )


@dataclass
class VariantSpec:
    line: int
    id: str
    title: str
    fields: dict[str, Any]
    prices: dict[tuple[str, str | None], int] | None  # (currency, region name) -> amount
    option_values: list[str]


@dataclass
class ProductSpec:
    """A product as a sheet describes it (the rows of one product, in order)."""

    line: int
    id: str
    handle: str
    fields: dict[str, Any]
    collection_handle: str
    type: str
    tags: list[str]
    options: list[str]
    images: list[str] | None
    channels: list[tuple[str, str]] | None  # (id, name) as written; None: no channel columns
    variants: list[VariantSpec]


def _integer(value: str, column: str, *, minimum: int | None = 0) -> int | None:
    value = value.strip()
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise RowError(f'{column} must be a whole number, not "{value}"') from None
    if minimum is not None and number < minimum:
        raise RowError(f"{column} must not be less than {minimum}")
    return number


def _boolean(value: str, column: str, default: bool) -> bool:
    value = value.strip().lower()
    if value == "":
        return default
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise RowError(f'{column} must be TRUE or FALSE, not "{value}"')


def _optional(value: str) -> str | None:
    return value if value != "" else None


def _physical(
    row: dict[str, str], layout: SheetLayout, columns: list[tuple[str, str]]
) -> dict[str, Any]:
    """Return the physical fields (weight, ..., material) of whichever columns the sheet has."""
    fields: dict[str, Any] = {}
    for column, attr in columns:
        if column not in layout.columns:
            continue
        if attr in PHYSICAL_INTEGERS:
            fields[attr] = _integer(row.get(column, ""), column)
        elif attr in PHYSICAL_TEXTS:
            fields[attr] = _optional(row.get(column, "").strip())
    return fields


def _product_key(row: dict[str, str]) -> str:
    return row.get("Product Id", "").strip() or row.get("Product Handle", "").strip()


def product_spec(rows: list[tuple[int, dict[str, str]]], layout: SheetLayout) -> ProductSpec:
    """Read one product's rows (line, cells). Raise RowError(line-tagged) on a bad cell."""
    line, first = rows[0]
    try:
        fields: dict[str, Any] = {
            "title": first.get("Product Title", "").strip(),
            "subtitle": _optional(first.get("Product Subtitle", "")),
            "description": _optional(first.get("Product Description", "")),
            "thumbnail": _optional(first.get("Product Thumbnail", "").strip()),
            "discountable": _boolean(
                first.get("Product Discountable", ""), "Product Discountable", True
            ),
        }
        status = first.get("Product Status", "").strip()
        if status:
            fields["status"] = status
        fields |= _physical(first, layout, PRODUCT_COLUMNS)
        if not fields["title"]:
            raise RowError("Product Title must not be empty")
        options = [
            first.get(f"Option {n} Name", "").strip()
            for n in layout.options
            if first.get(f"Option {n} Name", "").strip()
        ]
        images = (
            [
                first[f"Image {n} Url"].strip()
                for n in layout.images
                if first.get(f"Image {n} Url", "").strip()
            ]
            if layout.images
            else None
        )
        channels = None
        if layout.has_channels:
            channels = []
            for n in layout.channels:
                cid = first.get(f"Sales Channel {n} Id", "").strip()
                name = first.get(f"Sales Channel {n} Name", "").strip()
                if cid or name:
                    channels.append((cid, name))
        tags = [tag.strip() for tag in first.get("Product Tags", "").split(",") if tag.strip()]
    except RowError as error:
        raise LineError(line, error.message) from None
    variants = []
    for row_line, row in rows:
        try:
            variant = _variant_spec(row_line, row, layout, options)
        except RowError as error:
            raise LineError(row_line, error.message) from None
        if variant is not None:
            variants.append(variant)
    return ProductSpec(
        line=line,
        id=first.get("Product Id", "").strip(),
        handle=first.get("Product Handle", "").strip(),
        fields=fields,
        collection_handle=first.get("Product Collection Handle", "").strip(),
        type=first.get("Product Type", "").strip(),
        tags=tags,
        options=options,
        images=images,
        channels=channels,
        variants=variants,
    )


def _variant_spec(
    line: int, row: dict[str, str], layout: SheetLayout, options: list[str]
) -> VariantSpec | None:
    variant_id = row.get("Variant Id", "").strip()
    title = row.get("Variant Title", "").strip()
    if not variant_id and not title:
        return None  # a product row without a variant
    if not title:
        raise RowError("Variant Title must not be empty")
    fields: dict[str, Any] = {
        "sku": _optional(row.get("Variant SKU", "").strip()),
        "barcode": _optional(row.get("Variant Barcode", "").strip()),
    }
    if "Variant Inventory Quantity" in layout.columns:
        fields["inventory_quantity"] = (
            _integer(row.get("Variant Inventory Quantity", ""), "Variant Inventory Quantity") or 0
        )
    if "Variant Allow Backorder" in layout.columns:
        fields["allow_backorder"] = _boolean(
            row.get("Variant Allow Backorder", ""), "Variant Allow Backorder", False
        )
    if "Variant Manage Inventory" in layout.columns:
        fields["manage_inventory"] = _boolean(
            row.get("Variant Manage Inventory", ""), "Variant Manage Inventory", True
        )
    fields |= _physical(row, layout, VARIANT_COLUMNS)
    prices = None
    if layout.prices:
        prices = {}
        for column, currency, region in layout.prices:
            amount = _integer(row.get(column, ""), column)
            if amount is not None:
                prices[(currency, region)] = amount
    values = [row.get(f"Option {n} Value", "").strip() for n in layout.options][: len(options)]
    return VariantSpec(line, variant_id, title, fields, prices, values)


class LineError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


def product_groups(
    records: Iterable[tuple[int, dict[str, str]]],
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """Group consecutive rows of one product (same Product Id, else same Product Handle)."""
    group: list[tuple[int, dict[str, str]]] = []
    key = None
    for line, row in records:
        row_key = _product_key(row)
        if group and row_key and row_key == key:
            group.append((line, row))
            continue
        if group:
            yield group
        group, key = [(line, row)], row_key
    if group:
        yield group
