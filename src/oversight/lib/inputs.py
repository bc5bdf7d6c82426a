"""The size limit every imported file is held to, checked before a byte of it is read."""

from __future__ import annotations

import codecs
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


# Byte-order marks, longest first (UTF-32's little-endian mark begins with UTF-16's).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
ENCODINGS = "save it as UTF-8 (in Excel: CSV UTF-8), or as UTF-16 with its byte-order mark"


def text_encoding(path: Path) -> str:
    """The codec a text file is read with: the one its byte-order mark names (Excel's "Unicode
    text" is UTF-16 with a mark), else UTF-8. The mark itself is never read as text."""
    with path.open("rb") as f:
        head = f.read(4)
    return next((codec for bom, codec in BOMS if head.startswith(bom)), "utf-8-sig")


def not_text(exc: UnicodeDecodeError) -> str:
    """The refusal for a file that is not text in the encoding it was read as, saying what to do."""
    codec = exc.encoding.upper().removesuffix("-SIG").removesuffix("-LE").removesuffix("-BE")
    return (
        f"cannot read the file: it is not {codec} text (it has the byte "
        f"0x{exc.object[exc.start]:02x}): {ENCODINGS}"
    )


def read_text(path: Path) -> str:
    """A whole text file in the encoding its byte-order mark names (else UTF-8); a file that is
    not text in that encoding raises ImportRefused saying how to save it."""
    try:
        return path.read_bytes().decode(text_encoding(path))
    except UnicodeDecodeError as exc:
        raise ImportRefused([Problem(path.name, None, None, not_text(exc))]) from None


def check_file(path: Path, max_bytes: int) -> None:
    """Raise ImportRefused when the file is missing, is a folder, or is larger than `max_bytes`."""
    if path.is_dir():
        raise ImportRefused(
            [Problem(path.name, None, None, "this is a folder, not a file: give the file's path")]
        )
    if not path.is_file():
        raise ImportRefused([Problem(path.name, None, None, "file not found")])
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused([Problem(path.name, None, None, too_big(size, max_bytes))])
