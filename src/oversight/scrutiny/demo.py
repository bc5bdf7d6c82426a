"""The scrutiny demo: the West Mercia Police and Crime Panel and its meeting of 10 September 2019
(seed 001), seed 000's item, the A&A meetings, ad-hoc requests and HMICFRS reports of seed 003,
all transcribed into demo_data/west-mercia-scrutiny.yaml and loaded through the public YAML
importer; then the minutes, the action log and the HMICFRS summary are written beside the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oversight.core.render import FORMATS, write

from .actions import import_scrutiny
from .documents import action_log_document, hmicfrs_document, minutes_document
from .importers import read_scrutiny
from .models import Body, Meeting

DATA = Path(__file__).parent / "demo_data"
PANEL = "west-mercia-pcp"
MINUTES_DATE = "2019-09-10"


def load(*, plan: Any = None, out_dir: Path, by: str) -> list[Path]:
    for path in sorted(DATA.glob("*.yaml")):
        import_scrutiny(read_scrutiny(path), by=by)
    panel = Body.objects.get(slug=PANEL)
    meeting = Meeting.objects.get(body=panel, date=MINUTES_DATE)
    written = []
    minutes = minutes_document(meeting)
    for fmt in FORMATS:
        written.append(write(minutes, fmt, out_dir / f"minutes-{PANEL}-{MINUTES_DATE}.{fmt}"))
    log = action_log_document(panel)
    for fmt in FORMATS:
        written.append(write(log, fmt, out_dir / f"action-log-{PANEL}.{fmt}"))
    summary = hmicfrs_document()
    for fmt in FORMATS:
        written.append(write(summary, fmt, out_dir / f"hmicfrs-summary.{fmt}"))
    return written
