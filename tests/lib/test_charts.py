"""SPC charts and sparklines: stable SVG, a PNG, and alt text that says it in words."""

from oversight.lib.charts import CONCERN, IMPROVEMENT, sparkline, spc_chart
from oversight.lib.spc import xmr

MONTHS = [f"{2019 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(36)]
STEADY = [500.0, 520.0, 510.0, 530.0, 495.0, 505.0] * 6  # mean 510, mean moving range 17


def test_the_alt_text_says_what_the_chart_shows():
    r = xmr(STEADY, polarity="down", target=500)
    alt = spc_chart(r, title="Violent crime with injury", periods=MONTHS).alt
    assert alt == (
        "SPC chart of Violent crime with injury, 36 months April 2019 to March 2022: mean 510, "
        "limits 465 to 555; latest point 505 is common cause variation; "
        "target 500 is between the limits (hit and miss)."
    )


def test_the_svg_is_identical_each_time_it_is_drawn():
    r = xmr(STEADY, target=500)
    a = spc_chart(r, title="Burglary", periods=MONTHS)
    b = spc_chart(r, title="Burglary", periods=MONTHS)
    assert a.svg == b.svg
    assert a.png.startswith(b"\x89PNG")
    assert "<dc:date>" not in a.svg


def test_special_cause_points_are_coloured_and_named_in_words():
    values = [*STEADY[:30], 400.0, 405.0, 410.0, 400.0, 395.0, 640.0]
    r = xmr(values, polarity="down")
    chart = spc_chart(r, title="Burglary", periods=MONTHS)
    assert IMPROVEMENT.lower() in chart.svg.lower() and CONCERN.lower() in chart.svg.lower()
    assert "Orange: concern." in chart.svg and "Blue: improvement." in chart.svg
    assert "latest point 640 is special cause variation: concern" in chart.alt


def test_quarter_labels_name_the_span_by_their_codes():
    quarters = [f"{2013 + i // 4}/{(14 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(12)]
    r = xmr(STEADY[:12])
    assert (
        "12 quarters 2013/14 Q1 to 2015/16 Q4"
        in spc_chart(r, title="Burglary", periods=quarters).alt
    )


def test_too_few_points_say_so_instead_of_showing_an_icon():
    r = xmr(STEADY[:6])
    chart = spc_chart(r, title="Burglary", periods=MONTHS[:6])
    assert "too few points to judge its variation" in chart.alt
    assert "Too few points" in chart.svg


def test_a_sparkline_describes_its_trend():
    s = sparkline([3.0, 5.0, 4.0], title="Burglary", periods=MONTHS[:3])
    assert (
        s.alt
        == "Trend of Burglary, 3 months April 2019 to June 2019: from 3 to 4, lowest 3, highest 5."
    )
    assert s.svg == sparkline([3.0, 5.0, 4.0], title="Burglary", periods=MONTHS[:3]).svg
