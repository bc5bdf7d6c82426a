"""Seed 003's period: the Safer West Mercia Plan's 2023/24 Q2 report to the West Mercia Police
and Crime Panel (17 November 2023), transcribed from the paper into the record and loaded through
the public importers, then published (the paper is public).

What goes where (see `seed003/README.md`): the plan, its four objectives and the measures whose
figures the paper states (`seed003/safer-west-mercia.yaml`, `observations-2023-24-q2.csv`); the
delivery activities whose status the paper states (`delivery-2023-24-q2.csv`); the finance,
engagement and casework, and commissioned services' figures (each app's own `demo_data`, loaded by
its `load_seed003`); the grants, bids, contracts, disposals and decision (the registers' demo
data, linked here to the objectives the paper reports them under); the paper's words for everything else
(`narrative-2023-24-q2.md`). Every file and row says which paragraph it comes from; nothing is
invented."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from oversight.commissioning import demo as commissioning_demo
from oversight.delivery.actions import import_delivery, set_state
from oversight.delivery.importers import read_delivery
from oversight.delivery.models import State
from oversight.engagement import demo as engagement_demo
from oversight.finance import demo as finance_demo
from oversight.lib.problems import Refused
from oversight.plans.actions import (
    import_narrative,
    import_observations,
    import_plan,
    publish_period,
    publish_plan,
)
from oversight.plans.importers import read_narrative, read_observations, read_plan
from oversight.plans.models import Plan
from oversight.registers import demo as registers_demo
from oversight.registers.actions import import_register, publish_items
from oversight.registers.importers import read_register

DATA = Path(__file__).parent / "seed003"
SLUG = "safer-west-mercia"
PERIOD = "2023/24 Q2"
STEM = "police-and-crime-plan-report-2023-24-q2"
LAYOUT = "seed-003"
# Periods the paper gives figures for: the report's quarter, and 2023/24 Q1 (§28's deployments).
PERIODS = ["2023/24 Q1", PERIOD]


def load(*, by: Any) -> Plan:
    """Load seed 003's plan, period and records and publish them; safe to run twice."""
    plan, _ = import_plan(read_plan(DATA / "safer-west-mercia.yaml"), by=by)
    for path in sorted(DATA.glob("observations-*.csv")):
        import_observations(plan, read_observations(path, plan), by=by, file_name=path.name)
    delivery = DATA / "delivery-2023-24-q2.csv"
    import_delivery(plan, read_delivery(delivery, plan), by=by, file_name=delivery.name)
    for md in sorted(DATA.glob("narrative-*.md")):
        import_narrative(plan, read_narrative(md, plan), by=by)
    # The register items first: the finance and commissioning figures name them.
    register_items(plan, by=by)
    finance_demo.load_seed003(plan, by=by, publish=True)
    engagement_demo.load_seed003(plan, by=by, publish=True)
    commissioning_demo.load_seed003(plan, by=by, publish=True)
    # The Panel's paper is public: the plan, its periods and its delivery plan are published.
    # The seed 002 plan stays the one the public site opens on.
    publish_plan(plan, by=by)
    for period in PERIODS:
        publish_period(plan, period, by=by)
    set_state(plan, "activities", State.PUBLISHED, by=by)
    return plan


def register_items(plan: Plan, *, by: Any) -> None:
    """The registers' seed 003 items (their rows in the registers' demo data, which `oversight
    demo` has loaded already), imported through the registers' importer with each linked to the
    objective the paper reports it under (`register-objectives.csv`, with its paragraph), and
    published. Their other fields are the registers' rows, unchanged."""
    wanted: dict[str, dict[str, str]] = {}
    with (DATA / "register-objectives.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            wanted.setdefault(row["register"], {})[row["id"]] = row["objectives"]
    with tempfile.TemporaryDirectory() as folder:
        for kind in registers_demo.ORDER:
            if kind not in wanted:
                continue
            text = (registers_demo.DATA / f"{kind}.csv").read_text(encoding="utf-8")
            rows = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] in wanted[kind]]
            missing = set(wanted[kind]) - {r["id"] for r in rows}
            if missing:
                raise Refused(f"not in the registers' demo {kind}: {', '.join(sorted(missing))}")
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({**r, "objectives": wanted[kind][r["id"]]} for r in rows)
            path = Path(folder) / f"{kind}.csv"
            path.write_text(buf.getvalue(), encoding="utf-8")
            import_register(kind, read_register(kind, path, plan), by=by, file_name=path.name)
            # The paper is public: its items are published, and only those (every draft of the
            # register would publish whatever else the office holds unpublished).
            publish_items(kind, sorted(wanted[kind]), by=by)
