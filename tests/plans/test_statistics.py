"""Statistics in the product: the export's variation, assurance, limits and significance fields on
the demo agree with an independent implementation of the same methods; `rag: significance`
measures; stored commentary wins over the draft; monthly periods work; the report shows the charts.
"""

import json
import math
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from scipy.stats import binomtest, norm

from oversight.lib.audience import Audience

from conftest import HEADER


def export(period: str) -> dict[str, dict]:
    out = StringIO()
    call_command(
        "export",
        "measures",
        "--plan",
        "west-mercia-2013",
        "--period",
        period,
        "--format",
        "json",
        "--audience",
        "staff",
        stdout=out,
    )
    return {r["measure"]: r for r in json.loads(out.getvalue()) if r["area"] == "force"}


# ------------------------------------------------------------ an independent XmR, loop by loop


def independent_xmr(values, polarity, target):
    """Making Data Count's XmR as its guidance states it, written without looking at lib.spc:
    mean; moving ranges, those above 3.267 × their mean left out; limits mean ± 2.66 × mean MR;
    the latest point's variation from four rules; assurance from where the target lies."""
    n = len(values)
    mean = sum(values) / n
    mrs = [abs(values[i] - values[i - 1]) for i in range(1, n)]
    mr_bar = sum(mrs) / len(mrs)
    kept = [r for r in mrs if r < 3.267 * mr_bar]
    mr_bar = sum(kept) / len(kept)
    upper, lower = mean + 2.66 * mr_bar, mean - 2.66 * mr_bar
    near_upper, near_lower = mean + 2 / 3 * 2.66 * mr_bar, mean - 2 / 3 * 2.66 * mr_bar

    last = n - 1
    x = values[last]
    direction = 0
    if x > upper:
        direction = 1
    elif x < lower:
        direction = -1
    if direction == 0:  # a trend: the last 7 points all rising or all falling
        steps = [values[i] - values[i - 1] for i in range(n - 6, n)]
        if all(s > 0 for s in steps):
            direction = 1
        elif all(s < 0 for s in steps):
            direction = -1
    if direction == 0:  # two of three beyond two-thirds of the way to a limit, same side
        window = values[-3:]
        for side, beyond in (
            (1, lambda v: near_upper < v <= upper),
            (-1, lambda v: lower <= v < near_lower),
        ):
            same_side = all((v - mean) * side > 0 for v in window)
            if same_side and sum(beyond(v) for v in window) >= 2 and beyond(x):
                direction = side
    if direction == 0:  # a shift: the last point in a run of 7 on one side of the mean
        side = 1 if x > mean else -1 if x < mean else 0
        run = 0
        for v in reversed(values):
            if side and (v - mean) * side > 0:
                run += 1
            else:
                break
        if run >= 7:
            direction = side
    if direction == 0:
        variation = "common_cause"
    elif polarity == "neutral":
        variation = "special_cause_neither"
    else:
        better = direction == (1 if polarity == "up" else -1)
        variation = "special_cause_improvement" if better else "special_cause_concern"

    assurance = None
    if target is not None:
        passes_high = polarity == "up"
        if lower > target if passes_high else upper < target:
            assurance = "consistently_passes"
        elif upper < target if passes_high else lower > target:
            assurance = "consistently_fails"
        else:
            assurance = "hit_and_miss"
    return {"mean": mean, "lower": lower, "upper": upper}, variation, assurance


def test_the_export_agrees_with_an_independent_implementation(demo):
    from oversight.plans.demo_series import COUNTS, RATES
    from oversight.plans.models import Measure, Observation

    records = export("2013/14 Q1")
    with_series = [c for c, r in records.items() if r["series"]]
    assert sorted(with_series) == sorted([*COUNTS, *RATES])
    for code in with_series:
        r = records[code]
        m = Measure.objects.get(plan__slug="west-mercia-2013", code=code)
        months = Observation.objects.filter(
            measure=m, period__kind="month", area__code="force"
        ).order_by("period__start")
        values = [float(o.value) for o in months]
        assert r["series"] == {"kind": "month", "points": len(values)} and len(values) >= 36
        # the period target pro rata by months for counts (year-to-date Q1: three months)
        target = r["target"] / 3 if m.unit == "count" else r["target"]
        limits, variation, assurance = independent_xmr(values, m.polarity, target)
        assert r["limits"] == pytest.approx(limits, abs=1e-3), code
        assert r["variation"] == variation, code
        assert r["assurance"] == assurance, code


def test_changes_agree_with_the_exact_and_z_tests_computed_here(demo):
    from oversight.plans.demo_series import generate

    records = export("2013/14 Q1")
    series = {code: {m: (v, n, d) for m, v, n, d in rows} for code, rows in generate().items()}

    def total(code, months):
        return sum(int(series[code][m][0]) for m in months)

    q1_2013, q4_2012, q1_2012 = (
        ["2013-04", "2013-05", "2013-06"],
        ["2013-01", "2013-02", "2013-03"],
        [
            "2012-04",
            "2012-05",
            "2012-06",
        ],
    )
    # a count: burglary this quarter against the previous quarter, conditional binomial test
    now, before = total("5.2", q1_2013), total("5.2", q4_2012)
    change = records["5.2"]["change_vs_previous"]
    assert change["value"] == before and change["difference"] == now - before
    assert change["p_value"] == pytest.approx(binomtest(now, now + before, 0.5).pvalue, abs=1e-4)
    assert change["significant"] == (binomtest(now, now + before, 0.5).pvalue < 0.05)

    # a proportion: solved violent crime against the same quarter last year, pooled z-test
    def parts(months):
        return (
            sum(int(series["2.2"][m][1]) for m in months),
            sum(int(series["2.2"][m][2]) for m in months),
        )

    (x1, n1), (x2, n2) = parts(q1_2013), parts(q1_2012)
    pooled = (x1 + x2) / (n1 + n2)
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    change = records["2.2"]["change_vs_last_year"]
    assert change["p_value"] == pytest.approx(2 * norm.sf(abs(z)), abs=1e-4)
    assert change["significant"] is False
    # measures without the data for a test say null, not false
    assert records["1.1"]["change_vs_previous"] is None
    assert records["1.1"]["variation"] is None and records["1.1"]["limits"] is None


def test_monthly_periods_work_throughout(demo):
    records = export("2013-06")
    r = records["5.2"]
    assert r["actual"] is not None and r["series"]["kind"] == "month"
    assert r["variation"] in {"common_cause", "special_cause_improvement", "special_cause_concern"}
    assert r["change_vs_previous"]["period"] == "2013-05"
    assert r["change_vs_last_year"]["period"] == "2012-06"


def test_too_few_points_give_no_icons(small_plan, write):
    from oversight.plans.actions import import_observations
    from oversight.plans.importers import read_observations
    from oversight.plans.statistics import measure_statistics

    rows = "".join(f"1.1,2013-{m:02d},,{500 + m},,,,,,,,,,\n" for m in range(4, 10))
    import_observations(
        small_plan, read_observations(write("o.csv", HEADER + rows), small_plan), by="t"
    )
    st = next(
        s
        for s in measure_statistics(small_plan, "2013-09", audience=Audience.STAFF)
        if s.measure.code == "1.1" and s.status.area.is_force_area
    )
    assert len(st.values) == 6 and st.variation is None and st.assurance is None
    assert any("fewer than 12" in w or "12" in w for w in st.result.warnings)


# ------------------------------------------------------------ rag: significance


SIGNIFICANCE_PLAN = """\
plan: {slug: sig, title: Significance plan, force: Testshire, starts: 2013-04-01, ends: 2017-03-31}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - {code: "1.1", name: Burglary, unit: count, polarity: down, target: {kind: value, value: 100}, rag: significance}
      - {code: "1.2", name: Burglary (plain rules), unit: count, polarity: down, target: {kind: value, value: 100}}
"""


@pytest.mark.parametrize(
    "value, expected",
    [
        (104, "green"),  # worse than target, amber by the plain rules, but not significantly
        (112, "green"),  # red by the plain rules (beyond 5%), still not significant (p ≈ 0.26)
        (125, "red"),  # significantly worse (p ≈ 0.02)
        (95, "green"),  # better than target
    ],
)
def test_a_significance_measure_is_red_only_when_significantly_worse(db, write, value, expected):
    from oversight.plans.actions import import_observations, import_plan
    from oversight.plans.assessment import statuses
    from oversight.plans.importers import read_observations, read_plan

    plan, _ = import_plan(read_plan(write("p.yaml", SIGNIFICANCE_PLAN)), by="t")
    rows = f"1.1,2013/14 Q1,,{value},,,,,,,,,,\n1.2,2013/14 Q1,,{value},,,,,,,,,,\n"
    import_observations(plan, read_observations(write("o.csv", HEADER + rows), plan), by="t")
    found = {s.measure.code: s for s in statuses(plan, "2013/14 Q1", audience=Audience.STAFF)}
    assert found["1.1"].rag.value == expected
    plain = {104: "amber", 112: "red", 125: "red", 95: "green"}[value]
    assert found["1.2"].rag.value == plain
    if expected != plain:
        assert "not statistically significant" in found["1.1"].rag_reason


# ------------------------------------------------------------ commentary


def test_stored_commentary_wins_over_the_draft_and_clearing_it_brings_the_draft_back(demo):
    from oversight.plans.actions import save_commentary
    from oversight.plans.models import Measure

    draft = export("2013/14 Q1")["5.2"]["commentary"]
    assert draft.startswith("519 domestic burglaries were recorded")
    assert "26% fewer than the same year to date last year (702)" in draft
    m = Measure.objects.get(plan__slug="west-mercia-2013", code="5.2")
    save_commentary(m, "2013/14 Q1", text="Burglary fell after the summer operation.", by="editor")
    assert export("2013/14 Q1")["5.2"]["commentary"] == "Burglary fell after the summer operation."
    save_commentary(m, "2013/14 Q1", text="", by="editor")
    assert export("2013/14 Q1")["5.2"]["commentary"] == draft


# ------------------------------------------------------------ the report


def test_the_demo_pdf_shows_the_charts_with_the_key_and_text_alternatives(demo):
    html = (demo / "police-and-crime-plan-report-2013-14-q1.html").read_text()
    text = " ".join(html.split())
    assert "Key to the variation and assurance icons" in text
    assert "What changed significantly in" in text
    # one chart per headline measure with a series, each with a text alternative
    assert text.count('<figure class="chart"><div role="img" aria-label="') >= 4
    assert "Synthetic demo series, not real figures" in text
    reader = PdfReader(demo / "police-and-crime-plan-report-2013-14-q1.pdf")
    pdf = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Key to the variation and assurance icons" in pdf
    assert "Headline measures: statistical process control charts" in pdf


def test_the_commentary_command_shows_the_draft_and_keeps_the_offices_text(demo):
    def run(*args):
        out = StringIO()
        call_command(
            "commentary",
            "--plan",
            "west-mercia-2013",
            "--period",
            "2013/14 Q1",
            "--measure",
            "5.2",
            *args,
            stdout=out,
        )
        return out.getvalue()

    assert "(drafted from the numbers): 519 domestic burglaries" in run()
    assert "(the office's text): Fell after Operation Leopard." in run(
        "--text", "Fell after Operation Leopard."
    )
    assert "(the office's text): Fell after Operation Leopard." in run()
    assert "(drafted from the numbers)" in run("--clear")
