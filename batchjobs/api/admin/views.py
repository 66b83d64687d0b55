from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from batchjobs import files, selectors, services
from batchjobs.api.admin.filters import AdminBatchJobFilter
from batchjobs.api.admin.serializers import (
    AdminBatchJobActionInputSerializer,
    AdminBatchJobCreateInputSerializer,
    AdminBatchJobSerializer,
    AdminDownloadUrlInputSerializer,
    AdminDownloadUrlResponseSerializer,
    AdminUploadsResponseSerializer,
)
from batchjobs.exceptions import FileKeyNotFound
from batchjobs.models import BatchJob
from commerce.api.mixins import validated_input
from commerce.api.parsers import LimitedJSONParser
from commerce.api.schema import envelope, operation
from commerce.api.viewsets import ContractCreateMixin, ContractRetrieveMixin, contract_schema
from commerce.exceptions import InvalidData
from saleschannels.scope import staff_scope

BatchJobEnvelope = envelope("AdminBatchJobResponse", AdminBatchJobSerializer, key="batch_job")


@contract_schema(
    BatchJobEnvelope,
    list=operation("List batch jobs", errors=(400, 401)),
    retrieve=operation("Get a batch job, with its progress while it runs", errors=(401, 404)),
    create=operation(
        "Create a batch job (product-export, product-import, sales-channel-products)",
        errors=(400, 401, 404),
        description=(
            "The job is pre-processed by a worker (`pre_processed`, with `result.stat_descriptors` "
            "and every row error); `dry_run: true` waits there for `confirm`, otherwise it goes on "
            "to `processing` and `completed`. See docs/batch-jobs.md."
        ),
    ),
    confirm=operation(
        "Confirm a pre-processed batch job",
        errors=(400, 401, 404),
        request=AdminBatchJobActionInputSerializer,
    ),
    cancel=operation(
        "Cancel a batch job (a running import rolls back)",
        errors=(400, 401, 404),
        request=AdminBatchJobActionInputSerializer,
    ),
)
class AdminBatchJobViewSet(
    ContractCreateMixin, ContractRetrieveMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    envelope_singular, envelope_plural = "batch_job", "batch_jobs"
    default_limit = 10
    serializer_class = AdminBatchJobSerializer
    create_input_serializer_class = AdminBatchJobCreateInputSerializer
    detail_context = {}
    filterset_class = AdminBatchJobFilter

    def get_queryset(self) -> QuerySet[BatchJob]:
        return selectors.batch_job_list(scope=staff_scope(self.request.user))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return [selectors.with_progress(job) for job in page] if page is not None else page

    def get_detail_object(self, pk: str) -> BatchJob:
        job = selectors.batch_job_get(job_id=pk, scope=staff_scope(self.request.user))
        return selectors.with_progress(job)

    def perform_create(self, data: dict[str, Any]) -> BatchJob:
        user = self.request.user
        return services.batch_job_create(user=user, scope=staff_scope(user), **data)

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._job_action(pk, services.batch_job_confirm)

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._job_action(pk, services.batch_job_cancel)

    def _job_action(self, pk: str, service: Callable[..., Any]) -> Response:
        # No properties: an empty body, or `{}`.
        validated_input(AdminBatchJobActionInputSerializer, self.request.data or {})
        service(job_id=pk, scope=staff_scope(self.request.user))
        return self.detail_response(pk)


class _LimitedMultiPartParser(MultiPartParser):
    """Refuse a body above BATCH_JOBS_UPLOAD_MAX_BYTES (413) before reading it."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        if length > files.upload_max_bytes():
            raise files.too_large(length)
        return super().parse(stream, media_type, parser_context)


class AdminUploadView(APIView):
    """`POST /uploads` (multipart, field `files`): `{uploads: [{url, key}]}`."""

    # JSON too, so that a JSON body gets the same answers as elsewhere (CSRF, 400), not a 415.
    parser_classes = [_LimitedMultiPartParser, LimitedJSONParser]

    @operation(
        "Upload files (multipart, field `files`) for a batch job",
        errors=(400, 401, 413),
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                },
            }
        },
        answer=AdminUploadsResponseSerializer,
    )
    def post(self, request: Request) -> Response:
        uploaded = request.FILES.getlist("files") or request.FILES.getlist("file")
        if not uploaded:
            raise InvalidData("files should not be empty")
        uploads = []
        for file in uploaded:
            key = files.upload_store(file, name=file.name)
            uploads.append({"url": request.build_absolute_uri(files.file_url(key)), "key": key})
        return Response({"uploads": uploads})


class AdminDownloadUrlView(APIView):
    """`POST /uploads/download-url {file_key}`: `{download_url}`."""

    @operation(
        "Get a URL to download a file (a job's sheet or result)",
        errors=(400, 401, 404),
        request=AdminDownloadUrlInputSerializer,
        answer=AdminDownloadUrlResponseSerializer,
    )
    def post(self, request: Request) -> Response:
        payload = validated_input(AdminDownloadUrlInputSerializer, request.data)
        key = payload["file_key"]
        scope = staff_scope(request.user)
        # A user limited to some channels downloads only the files of jobs they can see.
        if scope.restricted and selectors.job_for_file_key(key=key, scope=scope) is None:
            raise FileKeyNotFound(key)
        return Response({"download_url": request.build_absolute_uri(files.file_url(key))})
