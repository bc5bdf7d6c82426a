"""Measures fed from police.uk (figures with their source, in the report; hand-entered figures
kept), peer comparison with the exact Poisson test and a funnel plot, local areas."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from scipy.stats import poisson

from oversight.lib.audience import Audience

from conftest import HEADER, shared_path

PLAN = """\
plan: {slug: wm, title: Test plan, force: West Mercia, starts: 2018-04-01, ends: 2021-03-31}
areas:
  - {code: hfd, name: Herefordshire}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - code: "1.1"
        name: Domestic burglary
        unit: count
        polarity: down
        target: {kind: monitor}
        opendata: {force: west-mercia, crime_types: [Burglary], compare: all}
      - code: "1.2"
        name: Crime in Herefordshire
        unit: count
        polarity: down
        target: {kind: monitor}
        opendata: {force: west-mercia, area: Herefordshire}
      - code: "1.3"
        name: Burglaries with no suspect identified
        unit: percent
        polarity: down
        target: {kind: monitor}
        opendata:
          force: west-mercia
          crime_types: [Burglary]
          statistic: outcome_rate
          outcomes: [Investigation complete; no suspect identified]
"""


@pytest.fixture
def imported(db, settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "opendata"
    street = shared_path("police_uk", "street_geoinformation_in_society")
    call_command("opendata", "import", str(street), "--quiet", stdout=StringIO())
    return street


@pytest.fixture
def plan(imported, write):
    from oversight.plans.actions import import_plan, publish_plan
    from oversight.plans.importers import read_plan

    p, _ = import_plan(read_plan(write("plan.yaml", PLAN)), by="test")
    return publish_plan(p, by="test")


def csv_rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def refresh(*args):
    out, err = StringIO(), StringIO()
    call_command("opendata", "refresh", "--plan", "wm", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_refresh_writes_months_and_whole_quarters_with_their_source(plan, imported):
    from oversight.plans.models import Observation

    out, _ = refresh()
    assert out.startswith("3 measures fed from police.uk:")
    burglary = {
        o.period.code: o
        for o in Observation.objects.filter(measure__code="1.1", area__code="force").select_related(
            "period"
        )
    }
    # five months and the one quarter whose three months are all imported (Oct–Dec 2018)
    assert sorted(burglary) == ["2018-10", "2018-11", "2018-12", "2018/19 Q3", "2019-01", "2019-02"]
    by_month = {}
    for m in ("2018-10", "2018-11", "2018-12"):
        by_month[m] = sum(
            1
            for r in csv_rows(imported / f"{m}-west-mercia-street.csv")
            if r["Crime type"] == "Burglary"
        )
        assert burglary[m].value == by_month[m]
    assert burglary["2018/19 Q3"].value == sum(by_month.values())
    assert burglary["2018-10"].source.startswith("police.uk street-level crime, imported ")
    herefordshire = Observation.objects.get(
        measure__code="1.2", area__code="hfd", period__code="2019-01"
    )
    rows = csv_rows(imported / "2019-01-west-mercia-street.csv")
    assert herefordshire.value == sum(
        1
        for r in rows
        if r["LSOA name"].startswith("Herefordshire ")
        and r["Crime type"] != "Anti-social behaviour"
    )
    rate = Observation.objects.get(measure__code="1.3", period__code="2019-01", area__code="force")
    burglaries = [r for r in rows if r["Crime type"] == "Burglary"]
    no_suspect = [
        r
        for r in burglaries
        if r["Last outcome category"] == "Investigation complete; no suspect identified"
    ]
    assert (rate.numerator, rate.denominator) == (len(no_suspect), len(burglaries))
    # running it again changes nothing
    out, _ = refresh()
    assert "0 figures written" in out


def test_a_hand_entered_figure_is_kept_and_listed_unless_replaced(plan, write):
    from oversight.plans.actions import import_observations
    from oversight.plans.importers import read_observations
    from oversight.plans.models import Observation

    import_observations(
        plan,
        read_observations(write("o.csv", HEADER + "1.1,2019-01,,999,,,,,,,,,,\n"), plan),
        by="analyst",
    )
    out, err = refresh()
    assert "1.1 2019-01: kept 999" in err and "1 hand-entered figures kept" in out
    assert (
        Observation.objects.get(
            measure__code="1.1", period__code="2019-01", area__code="force"
        ).value
        == 999
    )
    refresh("--replace")
    assert (
        Observation.objects.get(
            measure__code="1.1", period__code="2019-01", area__code="force"
        ).value
        != 999
    )


def test_the_report_shows_the_imported_figure_with_its_source(plan):
    from oversight.core.render import render
    from oversight.plans.models import Observation
    from oversight.reports.compose import compose_report

    refresh()
    q3 = Observation.objects.get(measure__code="1.1", period__code="2018/19 Q3", area__code="force")
    html = " ".join(
        render(compose_report(plan, "2018/19 Q3", audience=Audience.STAFF), "html").decode().split()
    )
    assert "Measures from police.uk open data" in html
    assert f"{int(q3.value):,}" in html and q3.source in html
    assert "West Mercia Police ranks 2 of 2" in html  # compared with every force imported
    assert (
        "1.1 Domestic burglary, local policing areas: too few months imported (3; 12 needed)"
        in html
    )


def test_a_bad_police_uk_source_in_the_plan_is_refused(db, write):
    from oversight.lib.problems import ImportRefused
    from oversight.plans.importers import read_plan

    bad = PLAN.replace("crime_types: [Burglary], compare: all", "crime_types: [Burglarly]")
    with pytest.raises(ImportRefused, match=r"opendata.*unknown crime type\(s\) Burglarly"):
        read_plan(write("bad.yaml", bad))


def test_peer_comparison_uses_the_exact_poisson_test_and_draws_a_funnel(
    imported, settings, tmp_path
):
    from oversight.opendata.compare import compare, funnel

    # TEST-ONLY populations, made up for this test (the shipped file has none: see its README)
    pops = tmp_path / "populations.csv"
    pops.write_text(
        "force,name,population,year,source\n"
        "west-mercia,West Mercia Police,1000000,test,made up for the test\n"
        "warwickshire,Warwickshire Police,500000,test,made up for the test\n"
    )
    settings.OPENDATA_POPULATIONS = str(pops)
    result = compare("2018/19 Q3", ["Burglary"])
    wm, wa = result.row("west-mercia"), result.row("warwickshire")
    group_rate = (wm.crimes + wa.crimes) / 1_500_000 * 1000
    assert result.group_rate == pytest.approx(group_rate)
    expected = group_rate * 1_000_000 / 1000
    p = min(1, 2 * min(poisson.cdf(wm.crimes, expected), poisson.sf(wm.crimes - 1, expected)))
    assert wm.p_value == pytest.approx(p)
    assert [r.force for r in result.rows] == sorted(
        ["west-mercia", "warwickshire"], key=lambda f: result.row(f).rate
    )
    chart = funnel(result, "west-mercia")
    assert chart.svg.lstrip().startswith("<?xml") and "99.8%" in chart.alt


def test_without_populations_the_comparison_ranks_by_count_and_says_why(imported):
    from oversight.opendata.compare import compare, funnel

    result = compare("2019-01", [])
    assert result.group_rate is None and funnel(result) is None
    assert any("populations file" in n for n in result.notes)
    assert [r.rank for r in result.rows] == [1, 2]


def test_each_local_policing_area_gets_its_monthly_counts(imported):
    import json

    out = StringIO()
    call_command(
        "opendata",
        "areas",
        "--force",
        "west-mercia",
        "--crime-type",
        "Burglary",
        "--format",
        "json",
        stdout=out,
    )
    areas = {a["area"]: a for a in json.loads(out.getvalue())}
    assert set(areas) == {
        "Herefordshire",
        "Shropshire",
        "Telford and Wrekin",
        "North Worcestershire",
        "South Worcestershire",
    }
    rows = csv_rows(imported / "2019-01-west-mercia-street.csv")
    north = {"Bromsgrove", "Redditch", "Wyre Forest"}
    assert areas["North Worcestershire"]["crimes"][3] == sum(
        1
        for r in rows
        if r["Crime type"] == "Burglary" and r["LSOA name"].rsplit(" ", 1)[0] in north
    )
    assert areas["Herefordshire"]["variation"] is None  # five months: too few for icons


def test_comparison_groups_region_england_and_wales_and_the_offices_most_similar_group(
    db, settings, tmp_path
):
    from oversight.opendata.groups import GroupError, resolve

    members, label = resolve("region", "west-mercia")
    assert members == ["staffordshire", "warwickshire", "west-mercia", "west-midlands"]
    assert label == "West Midlands region"
    assert resolve("region", "gwent")[1] == "Wales"
    members, label = resolve("england-and-wales", "west-mercia")
    assert len(members) == 43 and "btp" not in members and label == "England and Wales"
    assert resolve("all", "west-mercia") == (None, "all forces imported")
    assert resolve(["warwickshire"], "west-mercia")[0] == ["warwickshire", "west-mercia"]
    with pytest.raises(GroupError, match="no most similar group for west-mercia"):
        resolve("msg", "west-mercia")
    with pytest.raises(GroupError, match="unknown force id.*west-mercai"):
        resolve("west-mercai,warwickshire", "west-mercia")
    # the office supplies its most similar group (TEST-ONLY list, not a real one)
    msg = tmp_path / "msg.csv"
    msg.write_text("force,peer\nwest-mercia,warwickshire\nwest-mercia,norfolk\n")
    settings.OPENDATA_MOST_SIMILAR_GROUPS = str(msg)
    assert resolve("msg", "west-mercia") == (
        ["norfolk", "warwickshire", "west-mercia"],
        "most similar group",
    )


def test_compare_with_the_region_names_the_forces_without_data(imported):
    from oversight.opendata.compare import compare
    from oversight.opendata.groups import resolve

    members, label = resolve("region", "west-mercia")
    result = compare("2018/19 Q3", ["Burglary"], members, label)
    counted = {  # counted from the CSVs themselves
        force: sum(
            csv_counts(imported, m, force)["Burglary"] for m in ("2018-10", "2018-11", "2018-12")
        )
        for force in ("west-mercia", "warwickshire")
    }
    assert [(r.force, r.crimes) for r in result.rows] == sorted(counted.items(), key=lambda i: i[1])
    assert result.group_label == "West Midlands region"
    assert any("staffordshire, west-midlands" in n for n in result.notes)
    out = compare_command("--crime-type", "Burglary", "--group", "region")
    assert "ranks" in out and "(West Midlands region, 2018/19 Q3)" in out
    with pytest.raises(Exception, match="no most similar group for west-mercia"):
        compare_command("--group", "msg")


def compare_command(*options: str) -> str:
    out = StringIO()
    call_command(
        "opendata",
        "compare",
        "--force",
        "west-mercia",
        "--period",
        "2018/19 Q3",
        *options,
        stdout=out,
    )
    return out.getvalue()


def test_the_compare_page_offers_the_groups_and_explains_a_missing_one(imported, client):
    query = {"period": "2018/19 Q3", "crime_type": "Burglary", "force": "west-mercia"}
    page = client.get("/open-data/compare/", query | {"group": "region"})
    assert page.status_code == 200 and b"West Midlands region" in page.content
    data = client.get("/open-data/compare.json", query | {"group": "region"}).json()
    assert data["group"] == "West Midlands region"
    missing = client.get("/open-data/compare/", query | {"group": "msg"})
    assert (
        missing.status_code == 200
        and b"No most similar group has been given for west-mercia" in missing.content
    )
    assert (
        b"Choose a force"
        in client.get("/open-data/compare/", {"period": "2018/19 Q3", "group": "region"}).content
    )
    assert client.get("/open-data/compare/", query | {"group": "everyone"}).status_code == 404
    assert client.get("/open-data/compare/", query | {"force": "nowhere"}).status_code == 404


def test_a_measure_compared_with_its_region_says_so_in_the_report(imported, write):
    from oversight.core.render import render
    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan
    from oversight.reports.compose import compose_report

    text = PLAN.replace("compare: all", "compare: region")
    plan, _ = import_plan(read_plan(write("plan.yaml", text)), by="test")
    refresh()
    html = " ".join(
        render(compose_report(plan, "2018/19 Q3", audience=Audience.STAFF), "html").decode().split()
    )
    assert "West Mercia Police ranks" in html and "of 2 (West Midlands region;" in html


def test_the_public_measure_page_says_how_the_force_compares(imported, write, client):
    from oversight.plans.actions import import_plan, publish_period, publish_plan
    from oversight.plans.importers import read_plan
    from oversight.plans.models import Measure

    text = PLAN.replace("compare: all", "compare: region")
    plan, _ = import_plan(read_plan(write("plan.yaml", text)), by="test")
    refresh()
    publish_plan(plan, by="test")
    publish_period(plan, "2018/19 Q3", by="test")
    measure = Measure.objects.get(plan=plan, code="1.1")
    page = " ".join(client.get(f"/measures/{measure.pk}/").content.decode().split())
    assert "Compared with other forces, 2018/19 Q3" in page
    assert "West Mercia Police ranks" in page and "(West Midlands region; 1 = lowest)" in page
    assert "group=region" in page and "crime_type=Burglary" in page
    data = client.get(f"/measures/{measure.pk}.json").json()
    assert "West Midlands region" in data["compared_with_other_forces"]
    other = Measure.objects.get(plan=plan, code="1.2")  # asks for no comparison
    assert "Compared with other forces" not in client.get(f"/measures/{other.pk}/").content.decode()


def test_the_local_policing_area_page_charts_each_area_and_its_twins_give_every_month(
    imported, client
):
    months = ["2018-10", "2018-11", "2018-12", "2019-01", "2019-02"]
    expected = areas_from_the_csvs(imported, months, "Burglary")
    page = client.get("/open-data/west-mercia/areas/", {"crime_type": "Burglary"})
    text = " ".join(page.content.decode().split())
    assert page.status_code == 200 and "West Mercia Police: burglary by local policing area" in text
    for area, series in expected.items():
        assert f'<h2 class="govuk-heading-m">{area}</h2>' in text
        assert f"{series[months[-1]]} in {months[-1]}" in text and "its monthly average of" in text
    records = client.get("/open-data/west-mercia/areas.json", {"crime_type": "Burglary"}).json()
    got = {(r["area"], r["month"]): r["crimes"] for r in records["items"]}
    assert got == {(a, m): n for a, s in expected.items() for m, n in s.items()}
    chart = client.get(
        "/open-data/west-mercia/areas/chart.svg",
        {"area": "Herefordshire", "crime_type": "Burglary"},
    )
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    assert (
        client.get("/open-data/west-mercia/areas/chart.svg", {"area": "Atlantis"}).status_code
        == 404
    )
    assert client.get("/open-data/nowhere/areas/").status_code == 404


def test_the_funnel_plot_is_an_image_beside_the_comparison(imported, client, settings, tmp_path):
    query = {"period": "2018/19 Q3", "crime_type": "Burglary", "force": "west-mercia"}
    assert client.get("/open-data/compare/chart.svg", query).status_code == 404  # no populations
    pops = tmp_path / "populations.csv"  # TEST-ONLY populations, made up for this test
    pops.write_text(
        "force,name,population,year,source\n"
        "west-mercia,West Mercia Police,1000000,test,made up for the test\n"
        "warwickshire,Warwickshire Police,500000,test,made up for the test\n"
    )
    settings.OPENDATA_POPULATIONS = str(pops)
    page = client.get("/open-data/compare/", query).content.decode()
    assert '<img class="site-chart" src="/open-data/compare/chart.svg?period=' in page
    chart = client.get("/open-data/compare/chart.svg", query)
    assert chart.status_code == 200 and b"<svg" in chart.content


def test_the_api_compares_a_force_with_its_group_and_gives_each_areas_series(imported, client):
    query = {"force": "west-mercia", "period": "2018/19 Q3", "crime_type": "Burglary"}
    data = client.get("/api/v1/opendata/compare", query | {"group": "region"}).json()
    assert data["group"] == "West Midlands region"
    assert {f["force"] for f in data["forces"]} == {"west-mercia", "warwickshire"}
    refused = client.get("/api/v1/opendata/compare", query | {"group": "msg"})
    assert refused.status_code == 400 and "no most similar group" in refused.json()["detail"]
    assert (
        client.get("/api/v1/opendata/compare", query | {"group": "all-of-them"}).status_code == 400
    )
    months = ["2018-10", "2018-11", "2018-12", "2019-01", "2019-02"]
    expected = areas_from_the_csvs(imported, months, "Burglary")
    areas = client.get(
        "/api/v1/opendata/areas", {"force": "west-mercia", "crime_type": "Burglary"}
    ).json()
    assert {a["area"]: {m["month"]: m["crimes"] for m in a["months"]} for a in areas} == expected


def test_a_missing_group_reads_plainly_in_public_and_a_missing_file_breaks_nothing(
    imported, write, client, settings, tmp_path
):
    from oversight.plans.actions import import_plan, publish_period, publish_plan
    from oversight.plans.importers import read_plan
    from oversight.plans.models import Measure

    plan, _ = import_plan(
        read_plan(write("plan.yaml", PLAN.replace("compare: all", "compare: msg"))), by="t"
    )
    refresh()
    publish_plan(plan, by="test")
    publish_period(plan, "2018/19 Q3", by="test")
    url = f"/measures/{Measure.objects.get(plan=plan, code='1.1').pk}/"
    page = " ".join(client.get(url).content.decode().split())
    assert "No comparison: no most similar group has been given for west-mercia." in page
    assert "README" not in page and "force,peer" not in page
    settings.OPENDATA_MOST_SIMILAR_GROUPS = str(tmp_path / "not-there.csv")
    page = client.get(url, {"area": "force"})
    assert page.status_code == 200
    assert b"the comparison groups are unavailable" in page.content


def csv_counts(folder, month: str, force: str):
    """Crimes by type in one police.uk file, counted with the csv module (an independent count)."""
    from collections import Counter

    with open(folder / f"{month}-{force}-street.csv", encoding="utf-8", newline="") as fh:
        return Counter(row["Crime type"] for row in csv.DictReader(fh))


def areas_from_the_csvs(folder, months: list[str], crime_type: str) -> dict[str, dict[str, int]]:
    """West Mercia's crimes of a type by local policing area and month, from the CSVs and the
    shipped area table, with the csv module: local authority = the LSOA name less its code."""
    from oversight.opendata.storage import SHIPPED

    with open(SHIPPED / "force_areas.csv", encoding="utf-8", newline="") as fh:
        lpa = {
            r["local_authority"]: r["local_policing_area"]
            for r in csv.DictReader(fh)
            if r["force"] == "west-mercia"
        }
    out = {area: dict.fromkeys(months, 0) for area in set(lpa.values())}
    for month in months:
        with open(folder / f"{month}-west-mercia-street.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                la = row["LSOA name"].rsplit(" ", 1)[0] if row["LSOA name"] else None
                if row["Crime type"] == crime_type and la in lpa:
                    out[lpa[la]][month] += 1
    return out


STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def test_the_report_names_an_area_unusually_high_in_the_periods_last_month(
    db, settings, tmp_path, write
):
    """SYNTHETIC files for a made-up force: Northtown steady at about 20 burglaries a month for a
    year, then 60; Southtown steady throughout. The report finds Northtown, not a reader."""
    from oversight.core.render import render
    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan
    from oversight.reports.compose import compose_report

    settings.OPENDATA_DIR = tmp_path / "opendata"
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "force,local_authority,local_policing_area\n"
        "testshire,Northtown,Northtown\ntestshire,Southtown,Southtown\n"
    )
    settings.OPENDATA_FORCE_AREAS = str(areas)
    months = [f"2017-{m:02d}" for m in range(10, 13)] + [f"2018-{m:02d}" for m in range(1, 13)]
    archive = tmp_path / "archive"
    for i, month in enumerate(months):
        north = 60 if month == "2018-12" else 18 + (i * 7) % 5
        south = 30 + (i * 3) % 4
        rows = [
            f"{month}-{town}-{n},{month},Testshire Police,Testshire Police,-2.0,52.0,"
            f"On or near High Street,E01000001,{town} 001A,Burglary,Under investigation,\n"
            for town, count in (("Northtown", north), ("Southtown", south))
            for n in range(count)
        ]
        (archive / month).mkdir(parents=True)
        (archive / month / f"{month}-testshire-street.csv").write_text(
            STREET_HEADER + "".join(rows)
        )
    call_command("opendata", "import", str(archive), "--quiet", stdout=StringIO())
    text = (
        "plan: {slug: t, title: T, force: Testshire, starts: 2018-04-01, ends: 2021-03-31}\n"
        "objectives:\n  - code: '1'\n    title: Reduce crime\n    measures:\n"
        "      - {code: '1.1', name: Burglary, unit: count, polarity: down, target: {kind: monitor},"
        " opendata: {force: testshire, crime_types: [Burglary]}}\n"
    )
    plan, _ = import_plan(read_plan(write("plan.yaml", text)), by="test")
    html = " ".join(
        render(compose_report(plan, "2018/19 Q3", audience=Audience.STAFF), "html").decode().split()
    )
    assert (
        "1.1 Burglary, local policing areas: special cause variation of concern in Northtown "
        "(60 in 2018-12; its monthly average" in html
    )
    assert "Southtown (" not in html
