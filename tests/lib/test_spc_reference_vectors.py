"""SPC against the reference implementations' own test cases (read from ../shared, never copied).

NHSRplotthedots (MIT) vectors: nhsrplotthedots/nhsrplotthedots_test_vectors.json.
qicharts2 (GPL-3) inputs and expected outputs: qicharts2/{inputs,expected}/*.csv.
"""

import csv
import json
import math

import numpy as np
import pytest

from oversight.lib.spc import _in_long_run, _two_of_three, assurance, judge, xmr
from oversight.lib.spc_attributes import c_chart, p_chart, runs_analysis, runs_limits, u_chart

from conftest import shared_path


def vectors() -> dict:
    return json.loads(
        shared_path("spc", "nhsrplotthedots", "nhsrplotthedots_test_vectors.json").read_text()
    )


def rows(*parts: str) -> list[dict[str, str]]:
    with shared_path("spc", *parts).open(newline="") as f:
        return list(csv.DictReader(f))


def column(table: list[dict[str, str]], name: str) -> list[float]:
    return [math.nan if r[name] in ("", "NA") else float(r[name]) for r in table]


XMR_CASES = [
    "r1_screen_outliers_true",
    "r2_y15_eq_10_screen_outliers_true",
    "r3_y15_eq_10_screen_outliers_false",
]


@pytest.mark.parametrize("case_id", XMR_CASES)
def test_the_xmr_mean_and_limits_match_nhsrplotthedots(case_id):
    case = next(c for c in vectors()["xmr_cases"] if c["id"] == case_id)
    r = xmr(case["y"], screen_outliers=case["options"]["screen_outliers"])
    expected = case["expected"]
    assert r.means[0] == pytest.approx(expected["mean"], abs=5e-7)
    assert r.lowers[0] == pytest.approx(expected["lpl"], abs=5e-6)
    assert r.uppers[0] == pytest.approx(expected["upl"], abs=5e-6)
    for key, values in expected.items():
        if key.startswith("relative_to_mean_first"):
            signs = [int(np.sign(y - r.means[0])) for y in case["y"][: len(values)]]
            assert signs == values
    if "common_cause" in expected:
        assert r.point_types.count("common_cause") == expected["common_cause"]


def test_each_half_of_a_faceted_series_gets_its_own_limits_as_in_nhsrplotthedots():
    case = next(c for c in vectors()["xmr_cases"] if c["id"] == "facet_split_10_10")
    # a recalculation point at 10 splits the series as the facet does
    r = xmr(case["y"], recalculate_at=[10])
    for expected, segment in zip(case["expected"], r.segments, strict=True):
        assert f"{segment.mean:.3g}" == f"{expected['mean']:.3g}"
        assert f"{segment.lower:.3g}" == f"{expected['lpl']:.3g}"
        assert f"{segment.upper:.3g}" == f"{expected['upl']:.3g}"
    assert r.point_types.count("common_cause") == 20
    assert len(r.warnings) == 2  # ten points per baseline is below the twelve recommended


def test_two_points_near_opposite_limits_are_not_two_of_three():
    case = next(c for c in vectors()["xmr_cases"] if c["id"] == "two_of_three_opposite_sides")
    r = xmr(case["y"])
    assert r.point_types[-2:] == case["expected"]["point_type_last2"]


def shift_cases():
    return [
        (c["in"], c["out"]) for c in vectors()["rule_function_cases"]["seven_point_one_side_mean"]
    ]


def test_the_shift_rule_matches_nhsrplotthedots_seven_points_one_side():
    for signs, out in shift_cases():
        # ptd_seven_point_one_side_mean marks the 7th and later points of a run
        run = _in_long_run(np.array(signs, dtype=int), 7)
        ends = [
            int(run[i] and i >= 6 and all(run[i - k] for k in range(7))) for i in range(len(signs))
        ]
        assert ends == out


def test_the_trend_rule_matches_nhsrplotthedots_seven_point_trend():
    for case in vectors()["rule_function_cases"]["seven_point_trend"]:
        y = np.array(case["in"], dtype=float)
        flat = np.zeros(len(y))
        fired, direction = judge(y, flat + 100, flat - 1e9, flat + 1e9, flat - 1e9, flat + 1e9)
        # the reference marks the end of each seven-point window with its direction
        steps = np.sign(np.diff(y))
        ends = [
            int(steps[i - 6] if i >= 6 and abs(steps[i - 6 : i].sum()) == 6 else 0)
            for i in range(len(y))
        ]
        assert ends == case["out"]
        assert fired["trend"].any() == any(case["out"])


def test_the_part_of_a_run_marking_matches_nhsrplotthedots():
    for case in vectors()["rule_function_cases"]["part_of_seven_trend"]:
        ends = np.array(case["in"])
        marked = np.zeros(len(ends), dtype=bool)
        for i in np.flatnonzero(ends):
            marked[max(0, i - 6) : i + 1] = True
        assert marked.astype(int).tolist() == case["out"]


def test_the_two_in_three_rule_matches_nhsrplotthedots():
    for case in vectors()["rule_function_cases"]["two_in_three"]:
        close = np.array(case["close_to_limits"], dtype=bool)
        rtm = np.array(case["relative_to_mean"], dtype=int)
        # the reference's ptd_part_of_two_in_three keeps only the points near a limit
        expected = [int(o and c) for o, c in zip(case["out"], case["close_to_limits"], strict=True)]
        assert _two_of_three(close, rtm).astype(int).tolist() == expected


ASSURANCE_NAMES = {
    "consistent_pass": "consistently_passes",
    "consistent_fail": "consistently_fails",
    "inconsistent": "hit_and_miss",
    None: None,
}
DIRECTION = {"increase": "up", "decrease": "down", "neutral": "neutral"}


def test_the_assurance_icon_matches_nhsrplotthedots():
    for case in vectors()["rule_function_cases"]["assurance_type"]:
        for row, out in zip(case["rows"], case["out"], strict=True):
            got = assurance(
                row["lpl"], row["upl"], row["target"], DIRECTION[case["improvement_direction"]]
            )
            assert got == ASSURANCE_NAMES[out]


def test_the_i_chart_with_a_frozen_baseline_matches_qicharts2():
    cost = column(rows("qicharts2", "inputs", "tbl_06.07.csv"), "cost")
    expected = rows("qicharts2", "expected", "ex_6.5_3.csv")
    # qicharts2 uses 3 / 1.128 where Making Data Count rounds to 2.66
    r = xmr(cost, freeze=20, limit_factor=3 / 1.128)
    assert r.means == pytest.approx(column(expected, "cl"))
    assert r.lowers == pytest.approx(column(expected, "lcl"))
    assert r.uppers == pytest.approx(column(expected, "ucl"))
    assert (round(r.means[0], 4), round(r.lowers[0], 4), round(r.uppers[0], 4)) == (
        300.5,
        279.7833,
        321.2167,
    )
    runs = runs_analysis(r.values, r.means)
    first = expected[0]
    assert (runs.longest_run, runs.longest_run_max, runs.n_crossings, runs.n_crossings_min) == (
        int(first["longest.run"]),
        int(float(first["longest.run.max"])),
        int(float(first["n.crossings"])),
        int(float(first["n.crossings.min"])),
    )


def test_the_moving_ranges_and_their_mean_match_the_qicharts2_mr_chart():
    cost = column(rows("qicharts2", "inputs", "tbl_06.07.csv"), "cost")
    expected = rows("qicharts2", "expected", "ex_6.5_4.csv")
    r = xmr(cost, freeze=20)
    assert r.moving_ranges[1:] == pytest.approx(column(expected, "y")[1:])
    assert r.segments[0].mean_moving_range == pytest.approx(float(expected[0]["cl"]))


def attribute_cases():
    t = "qicharts2", "inputs"
    return [
        (
            "ex_7.1_5",
            lambda: (
                lambda d: p_chart(
                    column(d, "count"), column(d, "size"), exclude=[14, 22], recalculate_at=[30]
                )
            )(rows(*t, "tbl_07.03.csv")),
        ),
        (
            "tbl_7.4_1",
            lambda: (lambda d: p_chart(column(d, "count"), column(d, "size")))(
                rows(*t, "tbl_07.04.csv")
            ),
        ),
        (
            "ex_7.3_3",
            lambda: (lambda d: c_chart(column(d, "count"), exclude=[5, 19], freeze=26))(
                rows(*t, "tbl_07.08.csv")
            ),
        ),
        (
            "ex_7.4_1",
            lambda: (lambda d: u_chart(column(d, "count"), column(d, "size")))(
                rows(*t, "tbl_07.10.csv")
            ),
        ),
        (
            "ex_7.5_1",
            lambda: (lambda d: u_chart(column(d, "count"), column(d, "meters"), multiply=50))(
                rows(*t, "tbl_07.11.csv")
            ),
        ),
    ]


@pytest.mark.parametrize(
    "name, make", attribute_cases(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_p_u_and_c_charts_match_qicharts2(name, make):
    chart = make()
    expected = rows("qicharts2", "expected", f"{name}.csv")
    assert chart.values == pytest.approx(column(expected, "y"))
    assert chart.centres == pytest.approx(column(expected, "cl"))
    assert chart.lowers == pytest.approx(column(expected, "lcl"))
    assert chart.uppers == pytest.approx(column(expected, "ucl"))
    for seg_start, runs in zip(chart.segment_starts, chart.runs, strict=True):
        row = expected[seg_start]
        assert runs.longest_run == int(row["longest.run"])
        assert runs.longest_run_max == int(float(row["longest.run.max"]))
        assert runs.n_crossings == int(float(row["n.crossings"]))
        assert runs.n_crossings_min == int(float(row["n.crossings.min"]))
        assert runs.signal == (row["runs.signal"] == "True")
        assert runs.n_useful == int(row["n.useful"])


def test_the_anhoej_critical_values_match_the_derived_table_from_10_to_100_points():
    table = rows("anhoej_runs_critical_values_derived.csv")
    assert len(table) == 91
    for row in table:
        assert runs_limits(int(row["n_useful"])) == (
            int(row["longest_run_max"]),
            int(row["n_crossings_min"]),
        )
