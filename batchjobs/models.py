"""Batch jobs (Medusa v1's BatchJob): a CSV export or import, or a bulk channel move, run by a worker."""

from __future__ import annotations

from django.db import models

from commerce.models import SoftDeleteModel, staff_user_field
from saleschannels import scope


class BatchJobType(models.TextChoices):
    PRODUCT_EXPORT = "product-export", "Product export"
    PRODUCT_IMPORT = "product-import", "Product import"
    SALES_CHANNEL_PRODUCTS = "sales-channel-products", "Sales channel products"


class BatchJobStatus(models.TextChoices):
    CREATED = "created"
    PRE_PROCESSED = "pre_processed", "Pre-processed"
    CONFIRMED = "confirmed"
    PROCESSING = "processing"
    COMPLETED = "completed"
    CANCELED = "canceled"
    FAILED = "failed"


FINAL_STATUSES = (BatchJobStatus.COMPLETED, BatchJobStatus.CANCELED, BatchJobStatus.FAILED)


class BatchJob(SoftDeleteModel):
    """One job: what to do (`type`, `context`), where it stands (`status`, the `*_at` moments, `result`).

    `sales_channel_ids` are the channels the job reads or writes (empty: every channel); a staff
    user scoped to channels sees a job only when all of them are theirs.
    """

    id_prefix = "batch"
    channel_scope_rule = scope.ScopeRule.json_all("sales_channel_ids")

    type = models.CharField(max_length=40, choices=BatchJobType.choices)
    status = models.CharField(
        max_length=20, choices=BatchJobStatus.choices, default=BatchJobStatus.CREATED
    )
    created_by = staff_user_field(related_name="batch_jobs")
    context = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)
    result = models.JSONField(null=True, blank=True)
    sales_channel_ids = models.JSONField(default=list, blank=True)
    pre_processed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    processing_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="batchjob_owner_created_idx"),
            models.Index(fields=["status", "-created_at"], name="batchjob_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES
