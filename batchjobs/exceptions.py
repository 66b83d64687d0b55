"""Batch-job errors."""

from commerce.exceptions import CommerceError, InvalidData, NotAllowed, NotFound


class BatchJobNotFound(NotFound, template="Batch job with id {job_id} was not found"): ...


class BatchJobNotAllowed(NotAllowed):
    """A transition the job's status does not allow (Medusa's words)."""


class UploadTooLarge(InvalidData, status=413):
    """An uploaded file above BATCH_JOBS_UPLOAD_MAX_BYTES: 413."""


class FileKeyNotFound(NotFound, template="File with key {key} was not found"): ...


class SheetError(CommerceError, type="invalid_data"):
    """A sheet that cannot be read at all (encoding, missing column): the job fails, nothing written."""
