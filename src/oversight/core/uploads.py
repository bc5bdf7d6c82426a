"""Uploads stop being kept once they pass the import size limit (OVERSIGHT_MAX_IMPORT_BYTES).

The first upload handler passes each chunk on to Django's own handlers until the file passes the
limit; after that it drops the chunks (so nothing more reaches memory or disk) and only counts
them. The form then sees an empty `OversizeUpload` of the true size and says how big it was.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from oversight.lib.inputs import too_big


class OversizeUpload(UploadedFile):
    """A file that was over the limit: its name and size, and none of its bytes."""

    def __init__(self, name: str | None, size: int, content_type: str | None):
        super().__init__(io.BytesIO(), name, content_type, size)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.OVERSIGHT_MAX_IMPORT_BYTES:
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > settings.OVERSIGHT_MAX_IMPORT_BYTES:
            return OversizeUpload(self.file_name, self.received, self.content_type)
        return None  # within the limit: Django's own handlers give the file


def size_error(upload) -> str | None:
    """The form error for an upload over the limit, or None."""
    limit = settings.OVERSIGHT_MAX_IMPORT_BYTES
    if upload is None or upload.size <= limit:
        return None
    text = too_big(upload.size, limit)
    return f"{text[0].upper()}{text[1:]}."
