"""The RAG engine's rules, as tables of cases (seed 002 §5 and the README's plain-words rules)."""

from datetime import date
from decimal import Decimal as D

import pytest

from oversight.lib import rag as lr
from oversight.lib.periods import parse_period

Q1 = parse_period("2013/14 Q1")


def rate(kind=lr.TargetKind.VALUE, unit="count", polarity="up", tolerance=None, **kw):
    target_fields = {
        k: kw.pop(k)
        for k in list(kw)
        if k in {"value", "percent", "baseline_period", "baseline_value", "goal", "by", "due"}
    }
    return lr.assess(
        target=lr.Target(kind, **target_fields),
        unit=lr.Unit(unit),
        polarity=lr.Polarity(polarity),
        tolerance=lr.parse_tolerance(tolerance) if tolerance else None,
        period=kw.pop("period", Q1),
        **kw,
    )


@pytest.mark.parametrize(
    "unit, polarity, target, actual, expected",
    [
        # seed 002 rows, rated by the default tolerance
        ("percent", "up", "95", "95.9", lr.Rag.GREEN),  # emergencies: at or above
        ("percent", "up", "75", "74.2", lr.Rag.AMBER),  # priority incidents: within 5pp
        ("percent", "up", "71.2", "69.1", lr.Rag.AMBER),  # confidence
        ("count", "down", "1639", "1517", lr.Rag.GREEN),  # violent crime with injury
        (
            "count",
            "down",
            "98",
            "100",
            lr.Rag.AMBER,
        ),  # killed or seriously injured: 2 over, 5% band
        ("percent", "up", "53", "54.9", lr.Rag.GREEN),
        # boundaries
        ("percent", "up", "75", "75", lr.Rag.GREEN),  # exactly on target is green
        ("percent", "up", "75", "70", lr.Rag.AMBER),  # exactly at the tolerance edge is amber
        ("percent", "up", "75", "69.99", lr.Rag.RED),  # past it is red
        ("count", "down", "100", "105", lr.Rag.AMBER),  # 5% of 100
        ("count", "down", "100", "105.01", lr.Rag.RED),
        ("count", "up", "100", "94", lr.Rag.RED),
        ("rate", "down", "9.59", "10.03", lr.Rag.AMBER),  # adult reoffending against predicted
        ("ratio", "up", "2", "1.5", lr.Rag.RED),
    ],
)
def test_a_figure_is_rated_against_its_target_by_polarity_and_tolerance(
    unit, polarity, target, actual, expected
):
    result = rate(unit=unit, polarity=polarity, value=D(target), actual=D(actual))
    assert result.rag is expected


def test_a_measure_tolerance_overrides_the_default():
    assert rate(unit="percent", value=D(75), actual=D(73), tolerance="1pp").rag is lr.Rag.RED
    assert rate(unit="count", value=D(100), actual=D(90), tolerance="10%").rag is lr.Rag.AMBER


def test_a_neutral_measure_is_judged_by_its_distance_from_the_target():
    assert rate(polarity="neutral", value=D(100), actual=D(104)).rag is lr.Rag.GREEN
    assert rate(polarity="neutral", value=D(100), actual=D(92)).rag is lr.Rag.AMBER
    assert rate(polarity="neutral", value=D(100), actual=D(111)).rag is lr.Rag.RED


def test_an_explicit_period_target_wins_over_the_derived_one():
    result = rate(
        lr.TargetKind.VALUE, value=D(50), actual=D(60), period_target=D(70), unit="percent"
    )
    assert result.target == D(70)
    assert result.rag is lr.Rag.RED


def test_a_change_target_on_a_year_to_date_figure_uses_the_same_part_of_the_baseline_year():
    figures = {"2012/13 Q1": D(1672), "2012/13": D(6900)}
    result = rate(
        lr.TargetKind.CHANGE,
        percent=D(-2),
        baseline_period="2012/13",
        polarity="down",
        actual=D(1517),
        basis=lr.Basis.YEAR_TO_DATE,
        lookup=lambda p, basis: figures.get(p.code),
    )
    assert result.target == D("1638.56")  # 1,672 less 2%: the seed's 1,639
    assert "2012/13 Q1" in result.target_source
    assert result.rag is lr.Rag.GREEN


def test_without_the_same_part_a_counts_baseline_year_is_taken_pro_rata_and_says_so():
    result = rate(
        lr.TargetKind.CHANGE,
        percent=D(-4),
        baseline_period="2012/13",
        baseline_value=D(60000),
        polarity="down",
        actual=D(15015),
        basis=lr.Basis.YEAR_TO_DATE,
    )
    assert result.target == D(14400)  # 60,000 × 3/12 × 0.96
    assert "pro rata" in result.target_source


def test_a_maintain_target_for_a_percentage_is_the_baseline_level_not_a_share_of_it():
    result = rate(
        lr.TargetKind.MAINTAIN,
        baseline_period="2012/13",
        baseline_value=D("71.2"),
        unit="percent",
        actual=D("69.1"),
        basis=lr.Basis.YEAR_TO_DATE,
    )
    assert result.target == D("71.2")
    assert result.rag is lr.Rag.AMBER


def test_a_maintain_target_whose_baseline_value_is_left_out_reads_it_from_the_data():
    result = rate(
        lr.TargetKind.MAINTAIN,
        baseline_period="2012/13",
        unit="percent",
        actual=D(80),
        lookup=lambda p, basis: D(79) if p.code == "2012/13" else None,
    )
    assert result.target == D(79)


@pytest.mark.parametrize(
    "period, expected",
    [
        ("2012/13 Q4", D(276)),  # at the baseline's end: the baseline
        ("2014/15 Q4", D(385)),  # on the goal date: the goal
        ("2015/16 Q1", D(385)),  # after it: still the goal
        ("2013/14 Q4", D("330.5")),  # halfway in days: 365 of 730
    ],
)
def test_a_trajectory_is_the_straight_line_from_baseline_to_goal(period, expected):
    result = rate(
        lr.TargetKind.TRAJECTORY,
        baseline_period="2012/13",
        baseline_value=D(276),
        goal=D(385),
        by=date(2015, 3, 31),
        period=parse_period(period),
        actual=D(500),
    )
    assert result.target.quantize(D("0.1")) == expected.quantize(D("0.1"))


@pytest.mark.parametrize(
    "status, expected",
    [
        (lr.MilestoneStatus.ON_TRACK, lr.Rag.GREEN),
        (lr.MilestoneStatus.COMPLETE, lr.Rag.GREEN),
        (lr.MilestoneStatus.AT_RISK, lr.Rag.AMBER),
        (lr.MilestoneStatus.OFF_TRACK, lr.Rag.RED),
        (lr.MilestoneStatus.NOT_STARTED, None),
    ],
)
def test_a_milestone_is_rated_by_its_status(status, expected):
    result = rate(
        lr.TargetKind.MILESTONE, unit="milestone", due=date(2013, 7, 31), milestone_status=status
    )
    assert result.rag is expected


def test_a_monitor_only_measure_with_a_comparator_is_rated_against_it():
    result = rate(
        lr.TargetKind.MONITOR,
        unit="rate",
        polarity="down",
        actual=D("10.03"),
        comparator=D("9.59"),
        comparator_label="predicted rate",
    )
    assert result.rag is lr.Rag.AMBER
    assert result.target == D("9.59")
    assert "predicted rate" in result.target_source


@pytest.mark.parametrize(
    "kind, kwargs, reason",
    [
        (lr.TargetKind.MONITOR, {"actual": D(181)}, "no comparator"),
        (lr.TargetKind.BASELINE, {"actual": D(184), "comparator": D(172)}, "baseline year"),
        (lr.TargetKind.VALUE, {"value": D(95)}, "data not available"),
        (lr.TargetKind.MILESTONE, {}, "data not available"),
    ],
)
def test_some_figures_get_no_status_and_say_why(kind, kwargs, reason):
    result = rate(kind, **kwargs)
    assert result.rag is None
    assert reason in result.reason


def test_a_significance_rated_measure_is_red_only_when_significantly_worse():
    worse = {"unit": "percent", "value": D(85), "actual": D(70)}
    assert rate(**worse, significantly_worse=True).rag is lr.Rag.RED
    assert rate(**worse, significantly_worse=False).rag is lr.Rag.GREEN
    assert rate(**worse).rag is lr.Rag.RED  # plain rules when no test was run


@pytest.mark.parametrize("text", ["5", "5 percent", "-2%", "pp", ""])
def test_a_malformed_tolerance_is_refused(text):
    with pytest.raises(ValueError, match="tolerance"):
        lr.parse_tolerance(text)


def test_default_tolerances_are_five_points_for_percentages_and_five_percent_otherwise():
    assert str(lr.default_tolerance(lr.Unit.PERCENT)) == "5pp"
    assert str(lr.default_tolerance(lr.Unit.COUNT)) == "5%"
