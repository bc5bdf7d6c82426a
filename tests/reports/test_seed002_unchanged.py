"""The seed 002 layout gives the report the composer gave before report layouts existed: the demo
report's HTML and Word text are compared with copies taken from the composer before the change.

When a change to the report is meant, write the copies again and review the difference:
OVERSIGHT_WRITE_BASELINE=1 pytest tests/reports/test_seed002_unchanged.py"""

import difflib
import hashlib
import io
import os
import re
from pathlib import Path

from docx import Document as Word

from conftest import REPORT_STEM

BASELINE = Path(__file__).parent / "baseline"


def normalised_html(text: str) -> str:
    """The page with each chart's SVG replaced by a digest of it: as exact, far shorter."""
    return re.sub(
        r"<svg.*?</svg>",
        lambda m: f"<svg sha256={hashlib.sha256(m[0].encode()).hexdigest()[:16]}/>",
        text,
        flags=re.S,
    )


def docx_text(data: bytes) -> str:
    """Each paragraph with its style, each table row, each page section's orientation and size."""
    word = Word(io.BytesIO(data))
    lines = [f"[{p.style.name}] {p.text}" for p in word.paragraphs]
    lines += [" | ".join(c.text for c in r.cells) for t in word.tables for r in t.rows]
    lines += [f"section {s.orientation} {s.page_width} {s.page_height}" for s in word.sections]
    return "\n".join(lines) + "\n"


def difference_from_baseline(name: str, text: str) -> str:
    """The lines that differ from the kept copy, as a unified diff; empty when they are the same."""
    path = BASELINE / name
    if os.environ.get("OVERSIGHT_WRITE_BASELINE"):
        path.write_text(text, encoding="utf-8")
    kept = path.read_text(encoding="utf-8")
    diff = difflib.unified_diff(
        kept.splitlines(), text.splitlines(), "baseline", "now", n=1, lineterm=""
    )
    return "\n".join(diff)


def test_the_seed_002_report_html_is_the_report_composed_before_layouts(demo):
    html = (demo / f"{REPORT_STEM}.html").read_text(encoding="utf-8")
    assert difference_from_baseline("seed-002-demo.html", normalised_html(html)) == ""


def test_the_seed_002_report_docx_is_the_report_composed_before_layouts(demo):
    data = (demo / f"{REPORT_STEM}.docx").read_bytes()
    assert difference_from_baseline("seed-002-demo.docx.txt", docx_text(data)) == ""
