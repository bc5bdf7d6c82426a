import pytest
from django.core.management import call_command

from conftest import axe_violations


@pytest.mark.browser
@pytest.mark.django_db
def test_the_html_report_has_no_axe_violations(tmp_path, page):
    call_command("demo", "--out", str(tmp_path))
    page.goto((tmp_path / "police-and-crime-plan-report-2013-14-q1.html").as_uri())
    assert axe_violations(page) == []
