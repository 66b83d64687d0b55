from rest_framework import serializers

from batchjobs.models import BatchJob, BatchJobType
from commerce.api.serializers import (
    ContractModelSerializer,
    MillisecondDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictInputSerializer,
)

BATCH_JOB_FIELDS = [
    "id",
    "type",
    "status",
    "created_by",
    "context",
    "dry_run",
    "result",
    "pre_processed_at",
    "processing_at",
    "confirmed_at",
    "completed_at",
    "canceled_at",
    "failed_at",
    "created_at",
    "updated_at",
    "deleted_at",
]


class AdminBatchJobSerializer(ContractModelSerializer):
    created_by = serializers.CharField(source="created_by_id", read_only=True, allow_null=True)
    context = serializers.JSONField(read_only=True)  # type: ignore[assignment]  # the stubs type the field, not its declaration
    result = serializers.JSONField(read_only=True, allow_null=True)
    pre_processed_at = MillisecondDateTimeField(read_only=True, allow_null=True)
    processing_at = MillisecondDateTimeField(read_only=True, allow_null=True)
    confirmed_at = MillisecondDateTimeField(read_only=True, allow_null=True)
    completed_at = MillisecondDateTimeField(read_only=True, allow_null=True)
    canceled_at = MillisecondDateTimeField(read_only=True, allow_null=True)
    failed_at = MillisecondDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = BatchJob
        fields = BATCH_JOB_FIELDS


class AdminBatchJobCreateInputSerializer(StrictInputSerializer):
    type = serializers.ChoiceField(choices=BatchJobType.values)
    context = serializers.DictField(required=False)  # type: ignore[assignment]  # the stubs type the field, not its declaration
    dry_run = StrictBooleanField(required=False, default=False)


class AdminBatchJobActionInputSerializer(StrictInputSerializer):
    """No properties: the body is empty (or `{}`)."""


class AdminUploadSerializer(serializers.Serializer):
    url = serializers.CharField()
    key = serializers.CharField()


class AdminUploadsResponseSerializer(serializers.Serializer):
    uploads = AdminUploadSerializer(many=True)


class AdminDownloadUrlInputSerializer(StrictInputSerializer):
    file_key = StrictCharField(max_length=500)


class AdminDownloadUrlResponseSerializer(serializers.Serializer):
    download_url = serializers.CharField()
