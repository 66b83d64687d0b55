from batchjobs.models import BatchJob
from commerce.api.filters import CharInFilter, ContractFilterSet, date_filters


class AdminBatchJobFilter(ContractFilterSet):
    """Medusa v1's filters: `id`, `type[]`, `status[]`, `created_by`, and the dates."""

    id = CharInFilter(field_name="id", lookup_expr="in")
    type = CharInFilter(field_name="type", lookup_expr="in")
    status = CharInFilter(field_name="status", lookup_expr="in")
    created_by = CharInFilter(field_name="created_by_id", lookup_expr="in")
    locals().update(
        date_filters(
            "created_at",
            "updated_at",
            "pre_processed_at",
            "confirmed_at",
            "completed_at",
            "canceled_at",
            "failed_at",
        )
    )

    class Meta:
        model = BatchJob
        fields = ["id", "type", "status", "created_by"]
