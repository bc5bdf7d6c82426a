"""The demo plan: West Mercia Police and Crime Plan 2013-2017 and its 2013/14 Q1 figures and
narrative, transcribed from seed 002 and loaded through the public importers."""

from __future__ import annotations

from pathlib import Path

from .actions import (
    import_narrative,
    import_observations,
    import_plan,
    publish_period,
    publish_plan,
)
from .importers import read_narrative, read_observations, read_plan
from .models import Plan

DATA = Path(__file__).parent / "demo_data"
SLUG = "west-mercia-2013"
PERIOD = "2013/14 Q1"


def load(*, by: str) -> Plan:
    plan, _ = import_plan(read_plan(DATA / "west-mercia-2013.yaml"), by=by)
    for csv in sorted(DATA.glob("observations-*.csv")):
        import_observations(plan, read_observations(csv, plan), by=by, file_name=csv.name)
    for md in sorted(DATA.glob("narrative-*.md")):
        import_narrative(plan, read_narrative(md, plan), by=by)
    # The Panel's paper is public, so the demo plan and its period are published.
    publish_plan(plan, by=by, current=True)
    publish_period(plan, PERIOD, by=by)
    return plan
