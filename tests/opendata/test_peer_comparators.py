"""A force-wide rate fed from police.uk fills its own comparators and rank: the rates of England
and Wales, of its region and of its most similar group (where the office gives one), each over the
forces with data, and its rank by rate among the forces of England and Wales; what it cannot fill
it says."""

import csv
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from oversight.opendata.queries import population_for, population_table

from conftest import shared_path

PLAN = """\
plan: {slug: wm, title: Test plan, force: West Mercia, starts: 2018-04-01, ends: 2021-03-31}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - code: "1.1"
        name: Burglaries per thousand residents
        unit: rate
        polarity: down
        target: {kind: monitor}
        opendata: {force: west-mercia, crime_types: [Burglary], statistic: rate}
"""
MONTHS = ("2018-10", "2018-11", "2018-12")


def burglaries(folder, force: str) -> int:
    """Counted from the police.uk files with the csv module (an independent count)."""
    n = 0
    for month in MONTHS:
        with open(folder / f"{month}-{force}-street.csv", encoding="utf-8", newline="") as fh:
            n += sum(1 for r in csv.DictReader(fh) if r["Crime type"] == "Burglary")
    return n


def test_a_police_uk_rate_gets_national_and_regional_rates_and_its_rank(
    db, settings, tmp_path, write
):
    from datetime import date

    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan
    from oversight.plans.models import Observation

    settings.OPENDATA_DIR = tmp_path / "opendata"
    street = shared_path("police_uk", "street_geoinformation_in_society")
    call_command("opendata", "import", str(street), "--quiet", stdout=StringIO())
    import_plan(read_plan(write("plan.yaml", PLAN)), by="test")
    out, err = StringIO(), StringIO()
    call_command("opendata", "refresh", "--plan", "wm", stdout=out, stderr=err)

    q3 = Observation.objects.get(measure__code="1.1", period__code="2018/19 Q3")
    crimes = {f: burglaries(street, f) for f in ("west-mercia", "warwickshire")}
    table = population_table()
    people = {f: population_for(table[f], date(2018, 11, 15)).population for f in crimes}
    both = (Decimal(sum(crimes.values())) * 1000 / Decimal(sum(people.values()))).quantize(
        Decimal("0.001")
    )
    by_name = {c.name: c for c in q3.comparator_list}
    assert by_name["national"].value == both
    assert by_name["national"].label == "England and Wales (2 of 43 forces with data)"
    assert by_name["region"].value == both  # both forces are in the West Midlands region
    assert by_name["region"].label == "West Midlands region (2 of 4 forces with data)"
    rates = {f: crimes[f] / people[f] for f in crimes}
    expected_rank = 1 if rates["west-mercia"] < rates["warwickshire"] else 2
    assert (q3.rank, q3.rank_of) == (expected_rank, 2)
    assert q3.rank_words.endswith("of 2 forces in England and Wales by rate (1 = lowest)")
    # no most similar group is shipped: it says so rather than invent one
    assert "msg" not in by_name
    assert "no most similar group is given for west-mercia" in err.getvalue()
    assert "ranked among the 2 forces of England and Wales" in err.getvalue()
