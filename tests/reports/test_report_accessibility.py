import pytest

from oversight.reports.demos import seed004

from conftest import axe_violations


@pytest.mark.browser
@pytest.mark.parametrize("stem", ["police-and-crime-plan-report-2013-14-q1", seed004.STEM])
def test_the_html_report_has_no_axe_violations(demo, page, stem):
    page.goto((demo / f"{stem}.html").as_uri())
    assert axe_violations(page) == []
