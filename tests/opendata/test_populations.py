"""Force populations: the shipped table (sourced figures, year and source on every row), and the
comparison of a synthetic all-force archive checked against calculations written here — the
group's rate, each force's exact Poisson p-value and its 95% and 99.8% funnel limits — with the
population's year and source named in every output."""

import csv
import importlib.util
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from scipy.optimize import brentq
from scipy.special import gammainc, gammaincc
from scipy.stats import poisson

from conftest import shared_path

SHIPPED = Path(__file__).parents[2] / "src" / "oversight" / "opendata" / "data"
MID_YEAR, CENSUS = "ONS mid-year estimate", "ONS 2011 Census (usual residents)"
# The three forces whose mid-year estimates fail the cross-check with the Census (PROVENANCE.md)
CENSUS_ONLY = {"metropolitan", "thames-valley", "nottinghamshire"}
WALES = {"dyfed-powys", "gwent", "north-wales", "south-wales"}


def shipped_rows() -> list[dict[str, str]]:
    with open(SHIPPED / "populations.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def territorial() -> set[str]:
    with open(SHIPPED / "force_regions.csv", encoding="utf-8", newline="") as fh:
        return {row["force"] for row in csv.DictReader(fh)}


def test_every_territorial_force_has_a_figure_with_its_year_and_source():
    rows = shipped_rows()
    with_figure = [r for r in rows if r["population"]]
    assert {r["force"] for r in with_figure} == territorial()
    assert len(territorial()) == 43
    assert all(r["year"].isdigit() and r["source"] in (MID_YEAR, CENSUS) for r in with_figure)
    keys = [(r["force"], r["year"]) for r in with_figure]
    assert len(keys) == len(set(keys))  # one figure a force a year
    # the Census stands in only where no mid-year estimate can be trusted, and only for 2011
    census = {r["force"] for r in with_figure if r["source"] == CENSUS}
    assert census == CENSUS_ONLY | WALES
    assert {r["year"] for r in with_figure if r["source"] == CENSUS} == {"2011"}
    assert not [r for r in with_figure if r["force"] in census and r["source"] == MID_YEAR]
    btp = [r for r in rows if r["force"] == "btp"]
    assert btp and not any(r["population"] for r in btp)  # no resident population: none made up


def test_the_shipped_figures_are_the_sourced_ones_unchanged():
    folder = shared_path("populations")
    with open(folder / "census_2011_usual_residents.csv", encoding="utf-8", newline="") as fh:
        census = {r["force"]: r["population"] for r in csv.DictReader(fh)}
    with open(
        folder / "mid_year_estimates_england_2009_2019.csv", encoding="utf-8", newline=""
    ) as fh:
        mid_year = {(r["force"], r["year"]): r["population"] for r in csv.DictReader(fh)}
    for r in shipped_rows():
        if r["source"] == CENSUS:
            assert r["population"] == census[r["force"]], r
        elif r["source"] == MID_YEAR:
            assert r["population"] == mid_year[(r["force"], r["year"])], r
    shipped = {(r["force"], r["year"]) for r in shipped_rows() if r["source"] == MID_YEAR}
    # every mid-year estimate is shipped except the three forces' that fail the cross-check …
    assert shipped == {k for k in mid_year if k[0] not in CENSUS_ONLY}
    # … which is this: the mid-2011 estimate within 0.6% of the Census count
    for force in {f for f, _ in shipped}:
        gap = abs(int(mid_year[(force, "2011")]) / int(census[force]) - 1)
        assert gap < 0.006, force
    for force in CENSUS_ONLY:
        assert abs(int(mid_year[(force, "2011")]) / int(census[force]) - 1) > 0.05


def bench():
    path = Path(__file__).parents[2] / "benchmarks" / "bench_opendata.py"
    spec = importlib.util.spec_from_file_location("bench_opendata", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nearest(force: str, year: int) -> tuple[int, str, str]:
    """(population, year, source) of the shipped row whose year is nearest `year`."""
    rows = [r for r in shipped_rows() if r["force"] == force and r["population"]]
    row = min(rows, key=lambda r: (abs(int(r["year"]) - year), -int(r["year"])))
    return int(row["population"]), row["year"], row["source"]


@pytest.fixture
def synthetic(db, settings, tmp_path):
    """SYNTHETIC: the benchmark's archive at small scale — every police.uk force, one month
    (2016-01), each force's rows about 0.04 per 1,000 residents times a spread of 0.6–1.4 (20
    at least, so the City of London has crimes), so some forces differ from the group and some
    do not."""
    module = bench()
    ids = module.force_ids()
    sizes = {}
    for i, force in enumerate(ids):
        if force in territorial():
            spread = 0.6 + 0.8 * ((i * 7919) % 100) / 100
            sizes[force] = max(20, round(nearest(force, 2016)[0] * 0.04 / 1000 * spread))
    root = tmp_path / "archive"
    module.generate(root, len(ids), 1, 40, sizes)
    settings.OPENDATA_DIR = tmp_path / "opendata"
    call_command("opendata", "import", str(root), "--quiet", stdout=StringIO())
    counts = {}  # crimes per force, counted from the CSVs themselves (ASB is not a crime)
    for path in (root / "2016-01").glob("*-street.csv"):
        force = path.name.removeprefix("2016-01-").removesuffix("-street.csv")
        with open(path, encoding="utf-8", newline="") as fh:
            counts[force] = sum(
                r["Crime type"] != "Anti-social behaviour" for r in csv.DictReader(fh)
            )
    return counts


def upper_limit(expected: float, tail: float) -> float:
    """The mean at which a count of `expected` or fewer has probability `tail`: P(X ≤ x) for
    X ~ Poisson(mu) is the regularised upper incomplete gamma Q(x + 1, mu), extended to a
    non-whole x."""
    return brentq(lambda mu: gammaincc(expected + 1, mu) - tail, 0.0, 10 * expected + 50)


def lower_limit(expected: float, tail: float) -> float:
    """The mean at which a count of `expected` or more has probability `tail`: P(X ≥ x) is the
    regularised lower incomplete gamma P(x, mu)."""
    return brentq(lambda mu: gammainc(expected, mu) - tail, 0.0, 10 * expected + 50)


def test_the_incomplete_gamma_is_the_poisson_tail_at_whole_counts():
    # the identity the limits above rest on, checked against scipy's Poisson distribution
    for k, mu in [(0, 0.7), (3, 2.5), (17, 20.1), (250, 231.4)]:
        assert gammaincc(k + 1, mu) == pytest.approx(poisson.cdf(k, mu))
        if k:
            assert gammainc(k, mu) == pytest.approx(poisson.sf(k - 1, mu))


def test_a_synthetic_national_archive_gets_rates_poisson_tests_and_funnel_limits(synthetic):
    from oversight.opendata.compare import compare, funnel
    from oversight.opendata.groups import resolve

    members, label = resolve("england-and-wales", "west-mercia")
    result = compare("2016-01", [], members, label)
    forces = territorial()
    assert {r.force for r in result.rows} == forces
    pops = {f: nearest(f, 2016) for f in forces}
    group_rate = sum(synthetic[f] for f in forces) / sum(p for p, _, _ in pops.values()) * 1000
    assert result.group_rate == pytest.approx(group_rate, rel=1e-12)
    significant = 0
    for f in forces:
        row = result.row(f)
        population, year, source = pops[f]
        k = synthetic[f]
        assert (row.crimes, row.population) == (k, population)
        assert (row.population_year, row.population_source) == (year, source)
        assert row.other_year == (year != "2016")
        assert row.rate == pytest.approx(k / population * 1000)
        e = group_rate * population / 1000
        p = min(1.0, 2 * min(poisson.cdf(k, e), poisson.sf(k - 1, e)))
        assert row.p_value == pytest.approx(p, rel=1e-9, abs=1e-300)
        assert row.significant == (p < 0.05)
        significant += p < 0.05
        for limits, confidence in ((row.limits_95, 0.95), (row.limits_998, 0.998)):
            tail = (1 - confidence) / 2
            assert limits[0] == pytest.approx(lower_limit(e, tail) / population * 1000, rel=1e-6)
            assert limits[1] == pytest.approx(upper_limit(e, tail) / population * 1000, rel=1e-6)
        inside_95 = row.limits_95[0] <= row.rate <= row.limits_95[1]
        inside_998 = row.limits_998[0] <= row.rate <= row.limits_998[1]
        assert row.funnel == (
            "within 95% limits"
            if inside_95
            else ("outside 95% limits" if inside_998 else "outside 99.8% limits")
        )
    assert 0 < significant < len(forces)  # the data tests both outcomes
    assert [r.rank for r in result.rows] == list(range(1, 44))
    rates = [r.rate for r in result.rows]
    assert rates == sorted(rates)
    chart = funnel(result, "west-mercia")
    assert "43 forces' rates per 1,000" in chart.alt
    assert "Populations: ONS mid-year estimate, 2016 (36 forces); " in chart.alt


def test_a_force_without_a_population_is_ranked_by_count_apart_and_said_so(synthetic):
    from oversight.opendata.compare import compare

    result = compare("2016-01", [])  # every force imported: btp and Northern Ireland too
    rated = [r for r in result.rows if r.rate is not None]
    apart = [r for r in result.rows if r.rate is None]
    assert len(rated) == 43 and {r.force for r in apart} == {"btp", "northern-ireland"}
    assert result.rows == rated + apart
    assert [r.rank for r in apart] == [1, 2]
    assert [r.crimes for r in apart] == sorted(synthetic[f] for f in ("btp", "northern-ireland"))
    assert all(r.p_value is None and r.ranked_by == "count (no population)" for r in apart)
    # the group's rate is that of the forces with a population only
    assert result.group_rate == pytest.approx(
        sum(r.crimes for r in rated) / sum(r.population for r in rated) * 1000
    )
    assert any(
        "No population for" in n and "British Transport Police" in n and "apart" in n
        for n in result.notes
    )


def run(*options: str) -> str:
    out = StringIO()
    call_command(
        "opendata",
        "compare",
        "--force",
        "west-mercia",
        "--period",
        "2016-01",
        "--group",
        "england-and-wales",
        *options,
        stdout=out,
    )
    return out.getvalue()


def test_every_output_names_the_population_year_and_source(synthetic, client, tmp_path):
    text = run()
    assert "Populations: ONS mid-year estimate, 2016 (36 forces); " in text
    assert "ONS 2011 Census (usual residents), 2011 (" in text and "Metropolitan" in text
    assert "population: ONS mid-year estimate, 2016)." in text  # the force's own line
    assert "another year" in text  # the Census forces' figures are marked

    data = json.loads(run("--format", "json"))
    assert data["populations"].startswith("Populations: ONS mid-year estimate, 2016 (36 forces)")
    met = next(f for f in data["forces"] if f["force"] == "metropolitan")
    assert (met["population_year"], met["population_source"]) == ("2011", CENSUS)
    assert met["population_other_year"] is True

    rows = list(csv.DictReader(StringIO(run("--format", "csv"))))
    wm = next(r for r in rows if r["force"] == "west-mercia")
    assert (wm["population_year"], wm["population_source"]) == ("2016", MID_YEAR)
    assert wm["funnel_95_lower"] and wm["funnel_998_upper"] and wm["p_value"]

    svg = tmp_path / "funnel.svg"
    run("--funnel", str(svg))
    assert "ONS mid-year estimate, 2016" in svg.read_text()

    query = {"period": "2016-01", "force": "west-mercia", "group": "england-and-wales"}
    page = " ".join(client.get("/open-data/compare/", query).content.decode().split())
    assert "Populations: ONS mid-year estimate, 2016 (36 forces);" in page
    assert "(2016, ONS mid-year estimate)" in page and "Another year" in page
    assert "Populations: ONS mid-year estimate, 2016" in page.split("<figcaption")[1]
    twin = client.get("/open-data/compare.json", query).json()
    assert "ONS mid-year estimate, 2016" in json.dumps(twin)
    api = client.get("/api/v1/opendata/compare", query).json()
    assert api["populations"] == data["populations"]
    assert next(f for f in api["forces"] if f["force"] == "gwent")["population_year"] == "2011"


RATE_PLAN = """\
plan: {slug: wm, title: Test plan, force: West Mercia, starts: 2018-04-01, ends: 2021-03-31}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - code: "1.1"
        name: Burglaries per 1,000 residents
        unit: rate
        polarity: down
        target: {kind: monitor}
        opendata: {force: west-mercia, crime_types: [Burglary], statistic: rate}
"""


def test_a_rate_measure_uses_the_population_of_the_nearest_year_and_names_it(
    db, settings, tmp_path, write
):
    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan
    from oversight.plans.models import Observation

    street = shared_path("police_uk", "street_geoinformation_in_society")
    settings.OPENDATA_DIR = tmp_path / "opendata"
    call_command("opendata", "import", str(street), "--quiet", stdout=StringIO())
    import_plan(read_plan(write("plan.yaml", RATE_PLAN)), by="test")
    call_command("opendata", "refresh", "--plan", "wm", stdout=StringIO(), stderr=StringIO())
    with open(street / "2019-01-west-mercia-street.csv", encoding="utf-8", newline="") as fh:
        burglaries = sum(r["Crime type"] == "Burglary" for r in csv.DictReader(fh))
    population, year, source = nearest("west-mercia", 2019)  # January 2019: mid-2019 is nearer
    o = Observation.objects.get(measure__code="1.1", period__code="2019-01", area__code="force")
    assert (o.numerator, o.denominator) == (burglaries, population)
    assert float(o.value) == pytest.approx(burglaries / population * 1000, abs=5e-4)
    assert o.source.endswith(f"; population: {source}, {year}") and year == "2019"
