from commerce.exceptions import CommerceError, InvalidData, NotAllowed, NotFound


class BatchJobNotFound(NotFound):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"Batch job with id {job_id} was not found")


class BatchJobNotAllowed(NotAllowed):
    """A transition the job's status does not allow (Medusa's words)."""


class UploadTooLarge(InvalidData):
    """An uploaded file above BATCH_JOBS_UPLOAD_MAX_BYTES: 413."""

    status = 413


class FileKeyNotFound(NotFound):
    def __init__(self, key: str) -> None:
        super().__init__(f"File with key {key} was not found")


class SheetError(CommerceError):
    """A sheet that cannot be read at all (encoding, missing column): the job fails, nothing written."""

    type = "invalid_data"
