"""Seed 003's engagement, communications and casework figures (§72–77, May to October 2023,
reported in 2023/24 Q2), transcribed into `demo_data/*.csv` with a source note on every row and
loaded through the public importer. Nothing is invented: casework closed and open are not in the
paper and stay empty; the themes carry no counts (the paper gives none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oversight.plans.models import Plan

from .actions import import_engagement, publish_span
from .importers import read_engagement
from .models import Span

DATA = Path(__file__).parent / "demo_data"
SEED_003 = [
    ("vocabulary", "vocabulary.csv"),
    ("counts", "counts-2023-05-to-10.csv"),
    ("casework", "casework-2023-05-to-10.csv"),
    ("themes", "themes-2023-05-to-10.csv"),
]


def load_seed003(plan: Plan, *, by: Any, publish: bool = True) -> list[Span]:
    for table, name in SEED_003:
        path = DATA / name
        import_engagement(plan, table, read_engagement(table, path), by=by, file_name=name)
    spans = list(Span.objects.filter(plan=plan, period="2023/24 Q2"))
    if publish:
        for span in spans:
            if span.state != "published":
                publish_span(span, by=by)
    return spans
