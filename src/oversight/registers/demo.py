"""The demo registers: the decisions, grants, contracts, bids and estate disposals named in
seeds 002 and 003 (seed 004's are in `reports/demos/seed004/`), transcribed into
`demo_data/*.csv` (see its README) and loaded through the public importer; then the 360Giving
package and flattened CSV and the publication tracker are written beside the demo report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused, Problem
from oversight.plans.models import Plan

from . import threesixty, tracker
from .actions import import_register, publish_items
from .importers import read_register
from .models import Grant
from .queries import today

DATA = Path(__file__).parent / "demo_data"
ORDER = ["programmes", "decisions", "grants", "contracts", "bids", "disposals"]


def load(*, plan: Plan, out_dir: Path, by: Any) -> list[Path]:
    for kind in ORDER:
        path = DATA / f"{kind}.csv"
        import_register(kind, read_register(kind, path, plan), by=by, file_name=path.name)
        publish_items(kind, by=by)  # the seeds are public papers
    return write_open_data(Path(out_dir), by=by)


def write_open_data(out_dir: Path, *, by: Any = None) -> list[Path]:
    """The grants as 360Giving JSON and flattened CSV (refused if the package breaks the
    standard), and the publication tracker as CSV and JSON, in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = threesixty.package(
        Grant.objects.for_audience(Audience.PUBLIC)
        .select_related("programme")
        .prefetch_related("objectives__plan"),
        issued=today(),
    )
    errors = threesixty.validate(doc)
    if errors:
        raise ImportRefused([Problem("360Giving export", None, None, e) for e in errors])
    giving_json = out_dir / "grants-360giving.json"
    giving_json.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    giving_csv = out_dir / "grants-360giving.csv"
    giving_csv.write_text(threesixty.flat_csv(doc), encoding="utf-8")
    reports = tracker.build(audience=Audience.PUBLIC)
    tracker_csv = out_dir / "publication-tracker.csv"
    tracker_csv.write_text(tracker.as_csv(reports), encoding="utf-8")
    tracker_json = out_dir / "publication-tracker.json"
    tracker_json.write_text(json.dumps(tracker.as_json(reports), indent=2), encoding="utf-8")
    return [giving_json, giving_csv, tracker_csv, tracker_json]
