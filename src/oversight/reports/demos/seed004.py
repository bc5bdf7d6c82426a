"""The seed 004 demo: Lancashire's Police & Crime Plan Performance Monitoring Report for 2018/19 Q2
(the Lancashire Police and Crime Panel's meeting of 10 December 2018), rebuilt from the record in
its own layout. Every figure the record can hold is transcribed into its register (a grant summary,
three bids, a contract and its review meetings, two meetings, two HMICFRS reports) and the rest of
the paper into the narrative; see `seed004/README.md` for what the paper does not give. Loaded
through the public importers, then published (the paper is public)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from oversight.commissioning import actions as commissioning
from oversight.commissioning.importers import read_commissioning
from oversight.commissioning.models import ContractReview
from oversight.plans import actions as plans
from oversight.plans.importers import read_narrative, read_plan
from oversight.plans.models import Plan
from oversight.registers.actions import import_register, publish_items
from oversight.registers.importers import read_register
from oversight.scrutiny.actions import import_scrutiny
from oversight.scrutiny.importers import read_scrutiny

DATA = Path(__file__).parent / "seed004"
SLUG = "lancashire-2016"
PERIOD = "2018/19 Q2"
STEM = "police-and-crime-plan-report-2018-19-q2"
LAYOUT = "seed-004"
REGISTERS = ["programmes", "grants", "contracts", "bids"]  # in the order they refer to each other


def load(*, by: Any) -> Plan:
    """Import the plan, the registers, the scrutiny and commissioning records and the narrative of
    seed 004, publish them, and return the plan. Safe to run twice."""
    plan, _ = plans.import_plan(read_plan(DATA / f"{SLUG}.yaml"), by=by)
    for kind in REGISTERS:
        path = DATA / f"{kind}.csv"
        import_register(kind, read_register(kind, path, plan), by=by, file_name=path.name)
        publish_items(kind, _ids(path), by=by)  # its own items only: the paper is public
    import_scrutiny(read_scrutiny(DATA / "scrutiny.yaml"), by=by)
    reviews = DATA / "reviews.csv"
    rows = read_commissioning("reviews", reviews, plan)
    commissioning.import_commissioning(plan, "reviews", rows, by=by, file_name=reviews.name)
    for period in sorted({r.values["period"] for r in rows}):
        if ContractReview.objects.filter(period=period, state="draft").exists():
            commissioning.publish_period(period, by=by)
    for md in sorted(DATA.glob("narrative-*.md")):
        plans.import_narrative(plan, read_narrative(md, plan), by=by)
    # Another office's plan: published, but not the plan the public site opens on.
    plans.publish_plan(plan, by=by)
    plans.publish_period(plan, PERIOD, by=by)
    return plan


def _ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row["id"] for row in csv.DictReader(f)]
