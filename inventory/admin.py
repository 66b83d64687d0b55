"""Admin for stock: locations, a variant's levels, a channel's locations and their priority.

Every write goes through `inventory.services`. The channel page gets its locations from a
`ChannelAdminPart` (saleschannels.admin composes the one channel admin from the apps' parts).
The variant page (catalog.admin) shows per-channel availability and links to its stock page.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from catalog import admin as catalog_admin
from catalog.models import ProductVariant
from commerce.admin_base import (
    OptionalJSONField,
    ServiceAdmin,
    ServiceDeleteMixin,
    SoftDeleteAdminMixin,
    adopt,
)
from inventory import selectors, services
from inventory.models import InventoryItem, InventoryLevel, SalesChannelLocation, StockLocation
from saleschannels.admin import ChannelAdminPart, ChannelScopedAdminMixin, channel_admin_part
from saleschannels.scope import staff_scope

# The request a change page is rendered for: read-only field callables get only the object, and
# the availability shown is the user's channels' (per thread/task, never shared between requests).
_request: ContextVar[HttpRequest | None] = ContextVar("inventory_admin_request", default=None)


def availability_table(variant_id: str, request: HttpRequest | None) -> str:
    """Return a table of what each of the user's channels can sell of the variant."""
    if request is None:
        return "—"
    rows = selectors.variant_sales_channel_availability(
        variant_id=variant_id, scope=staff_scope(request.user)
    )
    if not rows:
        return "—"
    return format_html(
        "<table><thead><tr><th>Channel</th><th>Available</th></tr></thead><tbody>{}</tbody></table>",
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            ((row["channel_name"], row["available_quantity"]) for row in rows),
        ),
    )


# ---- STOCK LOCATIONS ----


class StockLocationForm(forms.ModelForm):
    metadata = OptionalJSONField(required=False)

    class Meta:
        model = StockLocation
        fields = ("name", "metadata")


@admin.register(StockLocation)
class StockLocationAdmin(
    ChannelScopedAdminMixin, SoftDeleteAdminMixin, ServiceDeleteMixin, ServiceAdmin
):
    """Warehouses. The channels that sell from each are edited on the channel's page."""

    form = StockLocationForm
    list_display = ("name", "channels_display", "created_at")
    search_fields = ("name", "=id")
    readonly_fields = ("id", "channels_display", "created_at", "updated_at")
    ordering = ("-created_at", "-id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StockLocation]:
        return super().get_queryset(request).prefetch_related("channel_links__sales_channel")

    @admin.display(description="sold in")
    def channels_display(self, obj: StockLocation) -> str:
        names = sorted(link.sales_channel.name for link in obj.channel_links.all())
        return ", ".join(names) or "— (no channel sells from it)"

    def save_model(self, request: HttpRequest, obj: StockLocation, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in ("name", "metadata")}
        if change:
            adopt(obj, services.stock_location_update(location_id=obj.pk, changes=data))
        else:
            adopt(obj, services.stock_location_create(**data))

    def delete_one(self, request: HttpRequest, pk: str) -> None:
        services.stock_location_delete(location_id=pk)


# ---- A VARIANT'S STOCK (its inventory item and levels) ----


class InventoryLevelInline(admin.TabularInline):
    model = InventoryLevel
    extra = 0
    fields = ("location", "stocked_quantity", "incoming_quantity", "reserved_quantity")
    readonly_fields = ("reserved_quantity",)
    ordering = ("created_at", "id")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        location_field = cast(forms.ModelChoiceField, formset.form.base_fields["location"])
        location_field.queryset = StockLocation.objects.order_by("name")
        return formset

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.parent_admin_allowed(request, "view")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.parent_admin_allowed(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.parent_admin_allowed(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.parent_admin_allowed(request, "delete")

    def parent_admin_allowed(self, request: HttpRequest, action: str) -> bool:
        from commerce import permissions

        return permissions.model_action_allowed(request.user, InventoryLevel, action)


@admin.register(InventoryItem)
class InventoryItemAdmin(ServiceAdmin):
    """A variant's stock page: its level at each location (editable), and what channels can sell."""

    inlines = (InventoryLevelInline,)
    list_display = ("variant", "sku", "stocked_display")
    list_select_related = ("variant",)
    search_fields = ("sku", "=id", "variant__title", "=variant__id")
    fields = ("variant", "sku", "availability_display")
    readonly_fields = ("variant", "sku", "availability_display")
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made with their variant

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[InventoryItem]:
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description="stocked (all locations)")
    def stocked_display(self, obj: InventoryItem) -> int:
        return sum(level.stocked_quantity for level in obj.levels.all())

    @admin.display(description="available per sales channel")
    def availability_display(self, obj: InventoryItem) -> str:
        return availability_table(obj.variant_id, _request.get())

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        _request.set(request)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: InventoryItem, form: Any, change: bool) -> None:
        pass  # nothing of the item itself is editable; its levels are saved below

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # fills new/changed/deleted_objects for the admin log only
        item = form.instance
        for level in formset.deleted_objects:
            services.inventory_level_delete(item_id=item.pk, location_id=level.location_id)
        for level_form in formset.forms:
            data = level_form.cleaned_data
            if not data or formset._should_delete_form(level_form) or not level_form.has_changed():
                continue
            if level_form.instance.pk:
                services.inventory_level_update(
                    item_id=item.pk,
                    location_id=level_form.instance.location_id,
                    stocked_quantity=data["stocked_quantity"],
                    incoming_quantity=data["incoming_quantity"],
                )
            else:
                services.inventory_level_create(
                    item_id=item.pk,
                    location_id=data["location"].pk,
                    stocked_quantity=data["stocked_quantity"],
                    incoming_quantity=data["incoming_quantity"],
                )


@catalog_admin.variant_panel
@admin.display(description="stock per sales channel")
def stock_display(obj: ProductVariant, request: HttpRequest | None) -> str:
    """Show the variant's availability per sales channel and a link to its stock levels."""
    if obj is None or obj.pk is None:
        return "—"
    item = InventoryItem.objects.filter(variant_id=obj.pk).first()
    link = ""
    if item is not None:
        url = reverse("admin:inventory_inventoryitem_change", args=[item.pk])
        link = format_html('<p><a href="{}">Edit stock levels per location</a></p>', url)
    return format_html("{}{}", availability_table(obj.pk, request), link)


# ---- A CHANNEL'S LOCATIONS ----


class ChannelLocationInline(admin.TabularInline):
    """The locations a channel sells from; lower priority sells first at checkout."""

    model = SalesChannelLocation
    fk_name = "sales_channel"
    extra = 0
    fields = ("location", "priority")
    ordering = ("priority", "location_id")
    verbose_name = "stock location"
    verbose_name_plural = "stock locations (lower priority sells first)"

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        location_field = cast(forms.ModelChoiceField, formset.form.base_fields["location"])
        location_field.queryset = StockLocation.objects.order_by("name")
        return formset

    def _allowed(self, request: HttpRequest) -> bool:
        from commerce import permissions

        return permissions.user_can(request.user, permissions.MANAGE_CHANNEL_LOCATIONS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from commerce import permissions

        return permissions.model_action_allowed(request.user, StockLocation, "view")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


@channel_admin_part
class ChannelLocationsPart(ChannelAdminPart):
    """The channel admin's stock locations: an inline of the locations it sells from."""

    inlines = (ChannelLocationInline,)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> bool:
        if formset.model is not SalesChannelLocation:
            return False
        formset.save(commit=False)  # fills new/changed/deleted_objects for the admin log only
        channel = form.instance
        for link in formset.deleted_objects:
            services.sales_channel_location_remove(
                channel_id=channel.pk, location_id=link.location_id
            )
        for link_form in formset.forms:
            data = link_form.cleaned_data
            if not data or formset._should_delete_form(link_form) or not link_form.has_changed():
                continue
            if link_form.instance.pk and "location" in link_form.changed_data:
                services.sales_channel_location_remove(
                    channel_id=channel.pk, location_id=link_form.initial["location"]
                )
            services.sales_channel_location_add(
                channel_id=channel.pk, location_id=data["location"].pk, priority=data["priority"]
            )
        return True
