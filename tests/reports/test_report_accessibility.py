import pytest

from conftest import axe_violations


@pytest.mark.browser
def test_the_html_report_has_no_axe_violations(demo, page):
    page.goto((demo / "police-and-crime-plan-report-2013-14-q1.html").as_uri())
    assert axe_violations(page) == []
