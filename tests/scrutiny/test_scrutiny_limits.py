"""Scrutiny links are web addresses (http or https) only, and numbers fit their columns: a
`javascript:` link is refused by the importer and the response form, and if one were in the
database anyway, no page or document would write it as a link."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from oversight.accounts.roles import Role
from oversight.lib.problems import ImportRefused
from oversight.scrutiny.importers import read_scrutiny
from oversight.scrutiny.models import InspectionReport, Meeting

REPORT = """\
hmicfrs:
  - id: vetting
    title: Vetting review
    kind: thematic
    published: 2022-11-02
    force_inspected: true
    url: {url}
    response_url: {response_url}
"""
GOOD_URL = "https://hmicfrs.justiceinspectorates.gov.uk/publications/vetting/"
MEETING = """\
people:
  - {{id: ann-chair, name: Ann Chair}}
bodies:
  - {{id: test-panel, name: Testshire Police and Crime Panel, kind: panel, organisation: Testshire County Council}}
meetings:
  - body: test-panel
    date: 2019-09-10
    public_questions_received: {questions}
    items:
      - {{minute: {minute}, title: Performance report, considers: {{document: The report, url: "{url}"}}}}
"""


def refused(path) -> str:
    with pytest.raises(ImportRefused) as err:
        read_scrutiny(path)
    return str(err.value)


@pytest.mark.parametrize(
    "key, url, reason",
    [
        (
            "url",
            "javascript:alert(document.cookie)",
            '"javascript:alert(document.cookie)" is not a web address: a link must start with '
            "http:// or https://",
        ),
        (
            "response_url",
            "data:text/html,<script>alert(1)</script>",
            "is not a web address: a link must start with http:// or https://",
        ),
        ("response_url", "ftp://example.org/response.pdf", "a link must start with http://"),
        ("url", "https://", '"https://" is not a web address: it has no site name after https://'),
    ],
)
def test_the_importer_refuses_an_hmicfrs_link_that_is_not_a_web_address(
    db, write, key, url, reason
):
    links = {"url": GOOD_URL, "response_url": GOOD_URL} | {key: url}
    message = refused(write("s.yaml", REPORT.format(**{k: f"'{v}'" for k, v in links.items()})))
    assert f"s.yaml, hmicfrs[0].{key}: " in message and reason in message
    assert not InspectionReport.objects.exists()


def test_the_importer_refuses_an_agenda_item_link_that_is_not_a_web_address(db, write):
    text = MEETING.format(questions=3, minute=2, url="javascript:alert(1)")
    message = refused(write("s.yaml", text))
    assert "meetings[0].items[0].considers.url: " in message
    assert '"javascript:alert(1)" is not a web address' in message
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "questions, minute, key",
    [
        (99999999999, 2, "meetings[0].public_questions_received"),
        (3, 2147483648, "meetings[0].items[0].minute"),
    ],
)
def test_a_scrutiny_number_beyond_its_column_is_refused_with_the_limit(
    db, write, questions, minute, key
):
    text = MEETING.format(questions=questions, minute=minute, url=GOOD_URL)
    message = refused(write("s.yaml", text))
    assert f"{key}: " in message
    assert "is too large: the largest this column holds is 2,147,483,647" in message
    assert not Meeting.objects.exists()


@pytest.fixture
def report(db, write):
    from oversight.scrutiny.actions import import_scrutiny

    text = REPORT.format(url=GOOD_URL, response_url="''")
    import_scrutiny(read_scrutiny(write("s.yaml", text)), by="test")
    return InspectionReport.objects.get()


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("javascript:alert(1)", "Enter a valid URL"),
        ("ftp://example.org/response.pdf", "a link must start with http:// or https://"),
    ],
)
def test_the_response_form_takes_only_a_web_address(client, report, typed, reason):
    editor = User.objects.create_user("edith", password="pw")
    editor.groups.add(Group.objects.get_or_create(name=Role.EDITOR)[0])
    client.force_login(editor)
    page = client.post(
        f"/scrutiny/hmicfrs/{report.slug}/response/", {"published": "2022-12-27", "url": typed}
    )
    assert page.status_code == 200 and reason in page.text
    report.refresh_from_db()
    assert report.response_published is None and report.response_url == ""


def test_the_model_refuses_a_link_that_is_not_a_web_address(report):
    report.url = "javascript:alert(1)"
    with pytest.raises(ValidationError, match="is not a web address"):
        report.full_clean()


def test_no_page_or_document_writes_a_stored_javascript_link(client, report, tmp_path):
    # As if written by SQL or an older version: the renderers are the last line of defence.
    InspectionReport.objects.update(url="javascript:alert(1)", response_url="JavaScript:x")
    page = client.get(f"/scrutiny/hmicfrs/{report.slug}/").text
    assert "Vetting review" in page and "javascript:" not in page.lower()
    out = tmp_path / "summary.html"
    call_command("scrutiny", "hmicfrs", "--format", "html", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Vetting review" in html and "javascript:" not in html.lower()
