"""Admin for batch jobs: start an export, an import or a channel move; watch it; confirm or cancel.

The same job machinery as the API (`batchjobs.services`): a job started here is a BatchJob
like any other, run by the workers, with its preview (dry run), row errors, progress and files.
The product list and a channel's page link here (templates/admin/catalog/product/change_list.html,
templates/admin/saleschannels/saleschannel/change_form.html).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from batchjobs import files, selectors, services
from batchjobs.models import BatchJob, BatchJobStatus, BatchJobType
from catalog.models import ProductCollection, ProductStatus
from commerce import permissions
from commerce.admin_base import PermissionAdminMixin, describe
from commerce.exceptions import CommerceError
from saleschannels.admin import ChannelScopedAdminMixin, scoped_channels
from saleschannels.models import SalesChannel
from saleschannels.scope import staff_scope

PROGRESS_JS = "batchjobs/progress.js"
ERRORS_SHOWN = 500


class NewJobForm(forms.Form):
    type = forms.ChoiceField(choices=BatchJobType.choices, label="Job")
    file = forms.FileField(
        required=False,
        label="Sheet (CSV)",
        help_text="Import: a sheet in Medusa's columns (an export is one). Channel move: a "
        "column 'Product Handle' (leave empty to move every product matching the filters).",
    )
    sales_channel = forms.ModelChoiceField(
        queryset=SalesChannel.objects.order_by("name", "id"),
        required=False,
        help_text="Export: only this channel's products. Channel move: the channel.",
    )
    action = forms.ChoiceField(
        choices=[("add", "Add to the channel"), ("remove", "Remove from the channel")],
        required=False,
        label="Channel move",
    )
    status = forms.MultipleChoiceField(
        choices=ProductStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only products with status",
    )
    collection = forms.ModelChoiceField(
        queryset=ProductCollection.objects.order_by("title", "id"), required=False
    )
    q = forms.CharField(required=False, label="Only products matching")
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Preview first",
        help_text="Show what would change and every row error; nothing is written until you "
        "confirm.",
    )

    def context(self, file_key: str | None) -> dict[str, Any]:
        data = self.cleaned_data
        filters: dict[str, Any] = {}
        if data["status"]:
            filters["status"] = list(data["status"])
        if data["collection"]:
            filters["collection_id"] = [data["collection"].pk]
        if data["q"]:
            filters["q"] = data["q"]
        channel = data["sales_channel"]
        if data["type"] == BatchJobType.PRODUCT_EXPORT:
            if channel:
                filters["sales_channel_id"] = [channel.pk]
            return {"filterable_fields": filters}
        if data["type"] == BatchJobType.PRODUCT_IMPORT:
            return {"fileKey": file_key}
        context: dict[str, Any] = {
            "sales_channel_id": channel.pk if channel else None,
            "action": data["action"] or "add",
        }
        if file_key:
            context["fileKey"] = file_key
        else:
            context["filterable_fields"] = filters
        return context


def progress_bar(job: BatchJob) -> str:
    result = job.result or {}
    percent = result.get("progress") or 0
    done, count = result.get("advancement_count") or 0, result.get("count") or 0
    return format_html(
        '<div class="bj-progress" data-batch-job="{}" data-status="{}">'
        '<progress max="100" value="{}"></progress> <span class="bj-label">{} · {} / {}</span>'
        "</div>",
        job.pk,
        job.status,
        percent,
        job.get_status_display(),
        done,
        count,
    )


@admin.register(BatchJob)
class BatchJobAdmin(ChannelScopedAdminMixin, PermissionAdminMixin, admin.ModelAdmin):
    list_display = ("id", "type", "progress_display", "result_link", "created_by", "created_at")
    list_filter = ("type", "status")
    ordering = ("-created_at", "-id")
    list_select_related = ("created_by",)

    class Media:
        js = (PROGRESS_JS,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        rule = permissions.ADMIN_API[("batch-job-list", "POST")]
        return permissions.missing_permission(request.user, rule.needs) is None

    @admin.display(description="Progress")
    def progress_display(self, job: BatchJob) -> str:
        return progress_bar(selectors.with_progress(job))

    @admin.display(description="Result file")
    def result_link(self, job: BatchJob) -> str:
        key = (job.result or {}).get("file_key")
        if not key:
            return "—"
        return format_html('<a href="{}">Download CSV</a>', files.file_url(key))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("progress/", wrap(self.progress_view), name="batchjobs_batchjob_progress"),
            path(
                "<str:job_id>/confirm/", wrap(self.confirm_view), name="batchjobs_batchjob_confirm"
            ),
            path("<str:job_id>/cancel/", wrap(self.cancel_view), name="batchjobs_batchjob_cancel"),
            *super().get_urls(),
        ]

    # ---- the JSON the progress bars poll ----

    def progress_view(self, request: HttpRequest) -> JsonResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        ids = request.GET.getlist("id")[:100]
        jobs = selectors.batch_job_list(scope=staff_scope(request.user)).filter(pk__in=ids)
        answer = {}
        for job in jobs:
            job = selectors.with_progress(job)
            result = job.result or {}
            answer[job.pk] = {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": result.get("progress") or 0,
                "advancement_count": result.get("advancement_count") or 0,
                "count": result.get("count") or 0,
            }
        return JsonResponse({"batch_jobs": answer})

    # ---- starting a job ----

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        channels = scoped_channels(request, SalesChannel.objects.order_by("name", "id"))
        if request.method == "POST":
            form = NewJobForm(request.POST, request.FILES)
        else:
            initial: dict[str, Any] = {
                "type": request.GET.get("type") or BatchJobType.PRODUCT_EXPORT
            }
            if request.GET.get("sales_channel"):
                initial["sales_channel"] = request.GET["sales_channel"]
            initial["dry_run"] = initial["type"] != BatchJobType.PRODUCT_EXPORT
            form = NewJobForm(initial=initial)
        cast(forms.ModelChoiceField, form.fields["sales_channel"]).queryset = channels
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    upload = form.cleaned_data["file"]
                    key = files.upload_store(upload, name=upload.name) if upload else None
                    job = services.batch_job_create(
                        type=form.cleaned_data["type"],
                        context=form.context(key),
                        dry_run=form.cleaned_data["dry_run"],
                        user=request.user,
                        scope=staff_scope(request.user),
                    )
            except CommerceError as error:
                messages.error(request, describe(error))
            else:
                messages.success(request, "The job is running; this page follows it.")
                return HttpResponseRedirect(
                    reverse("admin:batchjobs_batchjob_change", args=[job.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "New batch job",
            "form": form,
            "media": self.media + form.media,
        }
        return render(request, "admin/batchjobs/batchjob/new_job.html", context)

    # ---- following a job ----

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ):
        job = self.get_queryset(request).filter(pk=object_id).first()
        if job is None or not self.has_view_permission(request):
            raise Http404
        job = selectors.with_progress(job)
        result = job.result or {}
        errors = result.get("errors") or []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "bar": progress_bar(job),
            "stats": result.get("stat_descriptors") or [],
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            "file_url": files.file_url(result["file_key"]) if result.get("file_key") else None,
            "can_confirm": job.status == BatchJobStatus.PRE_PROCESSED
            and self.has_change_permission(request)
            and self.has_add_permission(request),
            "can_cancel": not job.is_final and self.has_change_permission(request),
            "media": self.media,
        }
        return render(request, "admin/batchjobs/batchjob/job.html", context)

    def _act(self, request: HttpRequest, job_id: str, service: Any, done: str) -> HttpResponse:
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        try:
            service(job_id=job_id, scope=staff_scope(request.user))
        except CommerceError as error:
            messages.error(request, describe(error))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:batchjobs_batchjob_change", args=[job_id]))

    def confirm_view(self, request: HttpRequest, job_id: str) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self._act(request, job_id, services.batch_job_confirm, "Confirmed: the job runs.")

    def cancel_view(self, request: HttpRequest, job_id: str) -> HttpResponse:
        return self._act(request, job_id, services.batch_job_cancel, "The job was canceled.")
