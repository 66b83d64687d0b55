from batchjobs.models import BatchJob
from commerce.api.filters import (
    CharInFilter,
    ContractFilterSet,
    ContractOrderingFilter,
    date_fields,
)


class AdminBatchJobFilter(ContractFilterSet):
    """Medusa v1's filters: `id`, `type[]`, `status[]`, `created_by`, and the dates."""

    id = CharInFilter(help_text="Only these job ids.")
    type = CharInFilter(
        help_text="Only these job types (product-export, product-import, sales-channel-products).",
    )
    status = CharInFilter(help_text="Only these statuses.")
    created_by = CharInFilter(
        field_name="created_by_id", help_text="Only jobs these users created."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "id", "status", "type"), default=("-created_at",)
    )

    class Meta:
        model = BatchJob
        fields = date_fields(
            "created_at",
            "updated_at",
            "pre_processed_at",
            "confirmed_at",
            "completed_at",
            "canceled_at",
            "failed_at",
        )
