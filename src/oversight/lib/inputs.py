"""The size limit every imported file is held to, checked before a byte of it is read."""

from __future__ import annotations

import math
from pathlib import Path

from .problems import ImportRefused, Problem

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 25 * MB  # the default of the setting OVERSIGHT_MAX_IMPORT_BYTES
SETTING = "OVERSIGHT_MAX_IMPORT_BYTES"


def size_text(n: int) -> str:
    """A size as a person reads it, rounded up so a file just over a limit never reads as equal:
    "25 MB", "25.1 MB", "12 KB", "900 bytes"."""
    if n >= MB // 10:
        tenths = math.ceil(n * 10 / MB)
        return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"
    if n >= 1024:
        return f"{math.ceil(n / 1024)} KB"
    return f"{n} bytes"


def too_big(size: int, limit: int) -> str:
    """The one wording of the refusal, shared by the commands and the upload forms."""
    return f"the file is {size_text(size)}; the limit is {size_text(limit)} ({SETTING})"


def check_file(path: Path, max_bytes: int) -> None:
    """Raise ImportRefused when the file is missing or larger than `max_bytes`."""
    if not path.is_file():
        raise ImportRefused([Problem(path.name, None, None, "file not found")])
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused([Problem(path.name, None, None, too_big(size, max_bytes))])
