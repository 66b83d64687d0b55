"""What each job type does: check its context, pre-process (dry run), process.

- `product-export`: the products matching `filterable_fields`, in Medusa v1's sheet
  (batchjobs.sheets), streamed chunk by chunk to a file in the storage.
- `product-import`: a sheet (`fileKey`) read row by row; every product goes through the catalogue
  services (product_create / product_update / variant_create / variant_update). Pre-processing
  runs the whole sheet through the services in a transaction that is rolled back, a savepoint per
  product, and reports every row error with its line; processing runs it in ONE transaction.
- `sales-channel-products` (ours): add to or remove from one channel every product matching
  `filterable_fields`, or named by handle in a sheet (`fileKey`), a chunk at a time through
  `sales_channel_products_add` / `_remove` (a constant number of statements per chunk).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from batchjobs import files, progress, sheets
from batchjobs.exceptions import SheetError
from batchjobs.models import BatchJob, BatchJobStatus, BatchJobType
from batchjobs.product_filter import products_matching
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.models import Product, ProductCollection, ProductStatus, ProductVariant
from commerce.exceptions import CommerceError, InvalidData
from commerce.models import Region
from saleschannels.exceptions import SalesChannelNotFound
from saleschannels.models import SalesChannel
from saleschannels.scope import ChannelScope, restrict

EXPORT_RELATIONS = (
    "variants",
    "variants.prices",
    "variants.options",
    "options",
    "sales_channels",
    "collection",
    "images",
    "tags",
    "type",
)


class Canceled(Exception):
    """The job was canceled while it ran: stop, roll back what is not committed."""


@dataclass
class Run:
    """A job being run: its row, the acting scope, and a progress reporter."""

    job: BatchJob
    scope: ChannelScope
    report: Callable[[int, int], None]

    def check_canceled(self) -> None:
        """Stop when the job was canceled. Called once per chunk (after the chunk's pause)."""
        if settings.BATCH_JOBS_CHUNK_PAUSE_SECONDS:
            time.sleep(settings.BATCH_JOBS_CHUNK_PAUSE_SECONDS)
        if progress.cancel_requested(self.job.pk) or (
            BatchJob.objects.filter(pk=self.job.pk, status=BatchJobStatus.CANCELED).exists()
        ):
            raise Canceled


def chunk_size() -> int:
    return int(settings.BATCH_JOBS_CHUNK_SIZE)


def _file_key(context: dict[str, Any]) -> str:
    key = context.get("fileKey") or context.get("file_key")
    if not isinstance(key, str) or not key:
        raise InvalidData("context.fileKey is required")
    return key


# ---- context checks (at creation, in the request) ----


def context_check(job_type: str, context: dict[str, Any], scope: ChannelScope) -> list[str]:
    """Refuse a bad context (400); return the channels the job concerns (empty: every channel)."""
    if job_type == BatchJobType.PRODUCT_EXPORT:
        products_matching(context.get("filterable_fields"), scope)  # validates
        wanted = (context.get("filterable_fields") or {}).get("sales_channel_id")
        if scope.restricted:
            return sorted(scope.channel_ids or [])
        return sorted(wanted) if isinstance(wanted, list) else ([wanted] if wanted else [])
    if job_type == BatchJobType.PRODUCT_IMPORT:
        files.file_open(_file_key(context)).close()
        return sorted(scope.channel_ids or []) if scope.restricted else []
    if job_type == BatchJobType.SALES_CHANNEL_PRODUCTS:
        channel_id = context.get("sales_channel_id")
        if not isinstance(channel_id, str) or not channel_id:
            raise InvalidData("context.sales_channel_id is required")
        if context.get("action") not in ("add", "remove"):
            raise InvalidData("context.action must be one of the following values: add, remove")
        channel = restrict(SalesChannel.objects.all(), scope).filter(pk=channel_id).first()
        if channel is None:
            raise SalesChannelNotFound(channel_id)
        if "fileKey" in context or "file_key" in context:
            files.file_open(_file_key(context)).close()
        else:
            products_matching(context.get("filterable_fields"), scope)
        return [channel_id]
    raise InvalidData("type must be one of the following values: " + ", ".join(BatchJobType.values))


# ---- reading sheets ----


def sheet_records(key: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Open a sheet; return its header and an iterator of (line, row) — streamed, UTF-8 only."""
    raw = files.file_open(key)
    size = files.file_size(key)
    if size > files.upload_max_bytes():
        raw.close()
        raise SheetError(files.too_large(size).message)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raw.close()
        raise SheetError(
            "The file is not UTF-8 text (line 1); save the sheet as CSV UTF-8"
        ) from None
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    if not [h for h in header if h.strip()]:
        raw.close()
        raise SheetError("The file is empty")

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(text, delimiter=delimiter)
        line = 2
        try:
            for cells in reader:
                end = reader.line_num + 1
                if any(cell.strip() for cell in cells):
                    yield line, dict(zip(header, cells, strict=False))
                line = end + 1
        except UnicodeDecodeError:
            raise SheetError(
                f"The file is not UTF-8 text (after line {line}); save the sheet as CSV UTF-8"
            ) from None
        except csv.Error as error:
            raise SheetError(f"line {line}: {error}") from None
        finally:
            raw.close()

    return [h.strip() for h in header], records()


# ---- export ----


def export_run(run: Run, *, count_only: bool) -> dict[str, Any]:
    products = products_matching(run.job.context.get("filterable_fields"), run.scope)
    count = products.count()
    described = {
        "key": "product-export-count",
        "name": "Product count to export",
        "message": f"There will be {count} products exported by this action",
    }
    if count_only:
        return {"count": count, "advancement_count": 0, "stat_descriptors": [described]}
    regions = dict(Region.all_objects.values_list("pk", "name"))
    header = sheets.Header()
    done = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as rows_file:
        for ids in _id_chunks(run, products):
            page = list(
                catalog_selectors.product_qs_for_admin(relations=EXPORT_RELATIONS, scope=run.scope)
                .filter(pk__in=ids)
                .order_by("pk")
            )
            catalog_selectors.product_page_load_for_admin(
                page, relations=EXPORT_RELATIONS, scope=run.scope
            )
            for product in page:
                for row in sheets.product_rows(product, regions):
                    header.see(row)
                    rows_file.write(
                        json.dumps([row.cells, row.prices, row.options, row.images, row.channels])
                    )
                    rows_file.write("\n")
            done += len(ids)
            run.report(done, count)
        rows_file.seek(0)
        with tempfile.TemporaryFile("w+b") as out:
            text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            writer = csv.writer(text, delimiter=sheets.DELIMITER)
            writer.writerow(header.columns())
            for line in rows_file:
                cells, prices, options, images, channels = json.loads(line)
                row = sheets.ExportRow(
                    cells, prices, [tuple(o) for o in options], images, [tuple(c) for c in channels]
                )
                writer.writerow(header.cells(row))
            text.flush()
            out.seek(0)
            key = files.export_save(run.job.pk, out)
            text.detach()
    return {
        "count": count,
        "advancement_count": done,
        "file_key": key,
        "file_size": files.file_size(key),
        "stat_descriptors": [described],
    }


# ---- import ----


@dataclass
class ImportTally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append({"line": line, "message": message, "code": "invalid_data"})


class Lookups:
    """Channels, regions and collections by the names a sheet uses (small tables, read once)."""

    def __init__(self, scope: ChannelScope) -> None:
        self.scope = scope
        channels = list(SalesChannel.objects.values_list("pk", "name"))
        self.channel_ids = {pk for pk, _ in channels}
        self.channels_by_name: dict[str, str] = {}
        for pk, name in channels:
            self.channels_by_name.setdefault(name, pk)
        self.regions = {name: pk for pk, name in Region.objects.values_list("pk", "name")}
        self.collections = dict(ProductCollection.objects.values_list("handle", "pk"))

    def channel(self, channel_id: str, name: str) -> str:
        found = channel_id if channel_id in self.channel_ids else self.channels_by_name.get(name)
        if found is None:
            shown = f"id {channel_id}" if channel_id else f'name "{name}"'
            raise sheets.RowError(
                f"Sales channel with {shown} was not found; an import never creates channels"
            )
        if not self.scope.includes(found):
            raise sheets.RowError(f"Sales channel {name or found} is not one of your channels")
        return found


def _price_inputs(
    prices: dict[tuple[str, str | None], int], lookups: Lookups
) -> list[catalog_services.PriceInput]:
    result = []
    for (currency, region), amount in prices.items():
        region_id = None
        if region:
            region_id = lookups.regions.get(region)
            if region_id is None:
                raise sheets.RowError(f'Region "{region}" was not found')
        result.append(catalog_services.PriceInput(currency, amount, region_id))
    return result


def _spec_check(spec: sheets.ProductSpec, lookups: Lookups) -> list[str] | None:
    """Check the cells that need the database's names; return the product's channel ids."""
    status = spec.fields.get("status")
    if status is not None and status not in ProductStatus.values:
        raise sheets.LineError(
            spec.line,
            "Product Status must be one of the following values: "
            + ", ".join(ProductStatus.values),
        )
    if spec.collection_handle and spec.collection_handle not in lookups.collections:
        raise sheets.LineError(
            spec.line, f'Product collection with handle "{spec.collection_handle}" was not found'
        )
    channel_ids = None
    if spec.channels is not None:
        try:
            channel_ids = list(
                dict.fromkeys(lookups.channel(cid, name) for cid, name in spec.channels)
            )
        except sheets.RowError as error:
            raise sheets.LineError(spec.line, error.message) from None
    for variant in spec.variants:
        try:
            _price_inputs(variant.prices or {}, lookups)
        except sheets.RowError as error:
            raise sheets.LineError(variant.line, error.message) from None
    return channel_ids


def _current(
    product: Product, layout: sheets.SheetLayout, regions: dict[str, str]
) -> sheets.ProductSpec:
    """Return the product as it stands, read back as a sheet would describe it."""
    rows = sheets.product_rows(product, regions)
    header = sheets.Header()
    for row in rows:
        header.see(row)
    columns = header.columns()
    own = sheets.layout_read(columns)
    return sheets.product_spec(
        [(0, dict(zip(columns, header.cells(row), strict=True))) for row in rows], own
    )


def _changes(
    spec: sheets.ProductSpec,
    now: sheets.ProductSpec,
    channel_ids: list[str] | None,
    current_channels: list[str],
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, value in spec.fields.items():
        if now.fields.get(name) != value:
            changes[name] = value
    if spec.handle and spec.handle != now.handle:
        changes["handle"] = spec.handle
    return changes


def _variant_fields(variant: sheets.VariantSpec) -> dict[str, Any]:
    return {"title": variant.title, **variant.fields}


@dataclass
class Known:
    """The products a chunk of the sheet names, read in a fixed number of queries."""

    by_id: dict[str, Product]
    by_handle: dict[str, Product]
    taken_handles: set[str]  # live handles the scope cannot see

    @classmethod
    def load(cls, specs: list[sheets.ProductSpec], scope: ChannelScope) -> Known:
        ids = [spec.id for spec in specs if spec.id]
        handles = [spec.handle for spec in specs if not spec.id and spec.handle]
        products = catalog_selectors.product_qs_for_admin(relations=EXPORT_RELATIONS, scope=scope)
        by_id = {p.pk: p for p in products.filter(pk__in=ids)} if ids else {}
        by_handle = {p.handle: p for p in products.filter(handle__in=handles)} if handles else {}
        catalog_selectors.product_page_load_for_admin(
            [*by_id.values(), *by_handle.values()], relations=EXPORT_RELATIONS, scope=scope
        )
        taken = set()
        if handles:
            live = Product.objects.filter(handle__in=handles).values_list("handle", flat=True)
            taken = set(live) - set(by_handle)
        return cls(by_id, by_handle, taken)


def _product_apply(
    spec: sheets.ProductSpec,
    known: Known,
    layout: sheets.SheetLayout,
    lookups: Lookups,
    tally: ImportTally,
    regions_by_id: dict[str, str],
    scope: ChannelScope,
    *,
    savepoint: bool,
) -> None:
    """Create or update one product through the services (raises CommerceError / LineError).

    An unchanged product costs no query. `savepoint`: wrap the writes, so that a refused product
    leaves the others' writes in place (the dry run, which reports every error, then rolls back).
    """
    channel_ids = _spec_check(spec, lookups)
    product = None
    if spec.id:
        product = known.by_id.get(spec.id)
        if product is None:
            raise sheets.LineError(spec.line, f"Product with id {spec.id} was not found")
    elif spec.handle:
        product = known.by_handle.get(spec.handle)
        if product is None and spec.handle in known.taken_handles:
            raise sheets.LineError(spec.line, f"Product with handle {spec.handle} already exists")
    atomic = transaction.atomic if savepoint else contextlib.nullcontext
    if product is None:
        with atomic():
            _product_create(spec, lookups, channel_ids, scope)
        tally.created += 1
        return
    _product_update(
        spec, product, layout, lookups, tally, regions_by_id, scope, atomic, channel_ids
    )


def _product_create(
    spec: sheets.ProductSpec, lookups: Lookups, channel_ids: list[str] | None, scope: ChannelScope
) -> None:
    collection_id = (
        lookups.collections.get(spec.collection_handle) if spec.collection_handle else None
    )
    physical = {
        k: v
        for k, v in spec.fields.items()
        if k in sheets.PHYSICAL_INTEGERS + sheets.PHYSICAL_TEXTS
    }
    catalog_services.product_create(
        title=spec.fields["title"],
        handle=spec.handle or None,
        subtitle=spec.fields["subtitle"],
        description=spec.fields["description"],
        status=spec.fields.get("status", ProductStatus.DRAFT),
        thumbnail=spec.fields["thumbnail"],
        discountable=spec.fields["discountable"],
        collection_id=collection_id,
        options=spec.options,
        variants=[
            catalog_services.VariantInput(
                title=v.title,
                sku=v.fields.get("sku"),
                inventory_quantity=v.fields.get("inventory_quantity", 0),
                manage_inventory=v.fields.get("manage_inventory", True),
                allow_backorder=v.fields.get("allow_backorder", False),
                prices=_price_inputs(v.prices or {}, lookups),
                option_values=v.option_values,
                extra={
                    k: val
                    for k, val in v.fields.items()
                    if k not in ("sku", "inventory_quantity", "manage_inventory", "allow_backorder")
                },
            )
            for v in spec.variants
        ],
        sales_channel_ids=channel_ids,
        images=spec.images or [],
        tags=[catalog_services.TagInput(value=value) for value in spec.tags],
        type=catalog_services.TagInput(value=spec.type) if spec.type else None,
        physical=physical,
        scope=scope,
    )


def _product_update(
    spec: sheets.ProductSpec,
    product: Product,
    layout: sheets.SheetLayout,
    lookups: Lookups,
    tally: ImportTally,
    regions_by_id: dict[str, str],
    scope: ChannelScope,
    atomic: Any,
    channel_ids: list[str] | None,
) -> None:
    collection_id = (
        lookups.collections.get(spec.collection_handle) if spec.collection_handle else None
    )
    tags = [catalog_services.TagInput(value=value) for value in spec.tags]
    product_type = catalog_services.TagInput(value=spec.type) if spec.type else None
    now = _current(product, layout, regions_by_id)
    current_channels = sorted(
        channel.pk for channel in catalog_selectors.loaded(product, "sales_channels")
    )
    changes = _changes(spec, now, channel_ids, current_channels)
    extra: dict[str, Any] = {}
    if channel_ids is not None and sorted(channel_ids) != current_channels:
        extra["sales_channel_ids"] = channel_ids
    if spec.images is not None and spec.images != (now.images or []):
        extra["images"] = spec.images
    if sorted(spec.tags) != sorted(now.tags):
        extra["tags"] = tags
    if spec.type != now.type:
        extra["type"] = product_type
    if spec.collection_handle != now.collection_handle:
        changes["collection_id"] = collection_id
    current_variants = {v.id: v for v in now.variants}
    variant_writes: list[Callable[[], object]] = []  # each a service call; results unused
    for variant in spec.variants:
        if variant.id:
            had = current_variants.get(variant.id)
            if had is None:
                raise sheets.LineError(
                    variant.line, f"Variant with id {variant.id} is not a variant of this product"
                )
            fields = {
                k: v
                for k, v in _variant_fields(variant).items()
                if (had.title if k == "title" else had.fields.get(k)) != v
            }
            prices = None
            if variant.prices is not None:
                sheet_keys = {(c, r) for _, c, r in layout.prices}
                merged = {k: v for k, v in (had.prices or {}).items() if k not in sheet_keys}
                merged.update(variant.prices)
                if merged != (had.prices or {}):
                    prices = _price_inputs(merged, lookups)
            if fields or prices is not None:
                variant_writes.append(
                    partial(
                        catalog_services.variant_update,
                        variant_id=variant.id,
                        prices=prices,
                        **fields,
                    )
                )
        else:

            def create(v: sheets.VariantSpec = variant) -> object:  # prices read when it runs
                return catalog_services.variant_create(
                    product_id=product.pk,
                    variant=catalog_services.VariantInput(
                        title=v.title,
                        sku=v.fields.get("sku"),
                        inventory_quantity=v.fields.get("inventory_quantity", 0),
                        prices=_price_inputs(v.prices or {}, lookups),
                        option_values=v.option_values,
                    ),
                )

            variant_writes.append(create)
    if not changes and not extra and not variant_writes:
        tally.unchanged += 1
        return
    with atomic():
        # The product's update checks the scope (all its channels) before any variant is touched.
        catalog_services.product_update(product_id=product.pk, scope=scope, **extra, **changes)
        for write in variant_writes:
            write()
    tally.updated += 1


def import_run(run: Run, *, dry_run: bool) -> dict[str, Any]:
    """Run the sheet through the services. Dry run: report, roll back. Else: all or nothing."""
    columns, records = sheet_records(_file_key(run.job.context))
    try:
        layout = sheets.layout_read(columns)
    except sheets.RowError as error:
        raise SheetError(error.message) from None
    lookups = Lookups(run.scope)
    unknown_regions = sorted(
        {region for _, _, region in layout.prices if region and region not in lookups.regions}
    )
    if unknown_regions:
        raise SheetError(f'Region "{unknown_regions[0]}" was not found (price columns)')
    regions_by_id = {pk: name for name, pk in lookups.regions.items()}
    tally = ImportTally()
    seen_handles: dict[str, int] = {}
    total = int((run.job.result or {}).get("count") or 0)

    def each_chunk(groups: list[list[tuple[int, dict[str, str]]]]) -> None:
        run.check_canceled()
        specs: list[sheets.ProductSpec] = []
        for group in groups:
            try:
                spec = sheets.product_spec(group, layout)
                if spec.handle:
                    if spec.handle in seen_handles:
                        raise sheets.LineError(
                            spec.line,
                            f"Product Handle {spec.handle} is also used at line "
                            f"{seen_handles[spec.handle]}; a product's rows must be consecutive",
                        )
                    seen_handles[spec.handle] = spec.line
                specs.append(spec)
            except sheets.LineError as error:
                tally.error(error.line, error.message)
                if not dry_run:
                    raise
        known = Known.load(specs, run.scope)
        for spec in specs:
            try:
                _product_apply(
                    spec,
                    known,
                    layout,
                    lookups,
                    tally,
                    regions_by_id,
                    run.scope,
                    savepoint=dry_run,
                )
            except sheets.LineError as error:
                tally.error(error.line, error.message)
                if not dry_run:
                    raise
            except CommerceError as error:
                tally.error(spec.line, error.message)
                if not dry_run:
                    raise sheets.LineError(spec.line, error.message) from None
        tally.rows += sum(len(group) for group in groups)
        run.report(tally.rows, max(total, tally.rows))

    def each_product() -> None:
        chunk: list[list[tuple[int, dict[str, str]]]] = []
        rows = 0
        for group in sheets.product_groups(records):
            chunk.append(group)
            rows += len(group)
            if rows >= chunk_size():
                each_chunk(chunk)
                chunk, rows = [], 0
        if chunk:
            each_chunk(chunk)

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            each_product()
            if dry_run or tally.errors:
                raise _Rollback
            result = _import_result(tally, final=True)
            run.job.result = result
            # Written in the import's transaction: the job is completed exactly when its
            # products are (a worker killed before this commit leaves nothing written).
            from batchjobs import services

            services.job_completed_in_transaction(run.job)
    except _Rollback:
        pass
    except sheets.LineError:
        pass  # the transaction is rolled back; the tally says why
    return _import_result(tally, final=not dry_run)


def _import_result(tally: ImportTally, *, final: bool) -> dict[str, Any]:
    verb = "were" if final else "will be"
    return {
        "count": tally.rows,
        "advancement_count": tally.rows if final else 0,
        "errors": sorted(tally.errors, key=lambda error: error["line"]),
        "stat_descriptors": [
            {
                "key": "product-import-count",
                "name": "Products to import",
                "message": (
                    f"{tally.created} products {verb} created, {tally.updated} updated, "
                    f"{tally.unchanged} unchanged ({tally.rows} rows"
                    + (f", {len(tally.errors)} errors)" if tally.errors else ")")
                ),
            }
        ],
        "created": tally.created,
        "updated": tally.updated,
        "unchanged": tally.unchanged,
    }


# ---- sales-channel-products ----


def _handles_sheet(run: Run) -> Iterator[tuple[int, str]]:
    columns, records = sheet_records(_file_key(run.job.context))
    column = next((c for c in columns if c in ("Product Handle", "handle")), None)
    if column is None:
        raise SheetError('Missing column "Product Handle"')
    for line, row in records:
        handle = row.get(column, "").strip()
        if handle:
            yield line, handle


def channel_products_run(run: Run, *, count_only: bool) -> dict[str, Any]:
    context = run.job.context
    channel_id, action = context["sales_channel_id"], context["action"]
    uses_sheet = "fileKey" in context or "file_key" in context
    errors: list[dict[str, Any]] = []
    if uses_sheet:
        count = 0
        for chunk in _chunks(_handles_sheet(run)):
            found = _handle_ids(chunk, run.scope)
            for line, handle in chunk:
                if handle not in found:
                    errors.append(
                        {
                            "line": line,
                            "message": f"Product with handle {handle} was not found",
                            "code": "invalid_data",
                        }
                    )
            count += len(chunk)
    else:
        products = products_matching(context.get("filterable_fields"), run.scope)
        count = products.count()
    verb = "added to" if action == "add" else "removed from"
    described = {
        "key": "sales-channel-products-count",
        "name": "Products to move",
        "message": f"{count} products will be {verb} the sales channel",
    }
    if count_only or errors:
        return {
            "count": count,
            "advancement_count": 0,
            "errors": errors,
            "stat_descriptors": [described],
        }
    service = (
        catalog_services.sales_channel_products_add
        if action == "add"
        else catalog_services.sales_channel_products_remove
    )
    done = 0
    if uses_sheet:
        for chunk in _chunks(_handles_sheet(run)):
            run.check_canceled()
            ids = list(_handle_ids(chunk, run.scope).values())
            service(channel_id=channel_id, product_ids=ids, scope=run.scope)
            done += len(chunk)
            run.report(done, count)
    else:
        for ids in _id_chunks(run, products):
            service(channel_id=channel_id, product_ids=ids, scope=run.scope)
            done += len(ids)
            run.report(done, count)
    return {
        "count": count,
        "advancement_count": done,
        "errors": [],
        "stat_descriptors": [described],
    }


def _id_chunks(run: Run, products: QuerySet[Product]) -> Iterator[list[str]]:
    """Yield the products' ids in pk order, a chunk at a time (keyset pages).

    Checks for a cancel before each chunk.
    """
    ids_query = products.order_by("pk").values_list("pk", flat=True)
    last = ""
    while True:
        run.check_canceled()
        ids = list(ids_query.filter(pk__gt=last)[: chunk_size()])
        if not ids:
            return
        last = ids[-1]
        yield ids


def _chunks(items: Iterator[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= chunk_size():
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _handle_ids(chunk: list[tuple[int, str]], scope: ChannelScope) -> dict[str, str]:
    handles = [handle for _, handle in chunk]
    return dict(
        restrict(Product.objects.filter(handle__in=handles), scope).values_list("handle", "pk")
    )


def variant_exists(variant_id: str) -> bool:
    return ProductVariant.objects.filter(pk=variant_id).exists()
