"""Public means published: sentinel figures and texts are put in every state that is not public,
then every public output is crawled as an anonymous reader (every page and its .json and .csv
twins, every chart, the reports in HTML, PDF and DOCX, the API and the open data) and none of
them may appear. The staff's report shows them, so the sentinels are really there to be found."""

from __future__ import annotations

import io
import json
import re
from collections import deque
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from oversight.core.render import render
from oversight.delivery import actions as delivery_actions
from oversight.delivery.importers import read_delivery, read_risks
from oversight.delivery.queries import delivery_plan, risk_register
from oversight.lib.audience import Audience
from oversight.plans import actions
from oversight.plans.importers import read_plan
from oversight.plans.models import Measure, Narrative
from oversight.registers.actions import import_register
from oversight.registers.importers import read_register
from oversight.reports.compose import compose_report

# Figures (counts), each in a state the public may not see.
DRAFT, SUBMITTED, RETURNED, APPROVED = 770001, 770002, 770003, 770004
RELEASED_THEN_CHANGED = 770005  # approved, released to the Panel, then changed and approved
LATE_IN_PUBLISHED_PERIOD = 770006  # approved after its period was published
MONTH_APPROVED = 770007  # a month's approved figure, behind the charts
IN_DRAFT_PLAN, IN_ARCHIVED_PLAN = 770008, 770009
DRAFT_DECISION_VALUE, DRAFT_GRANT_AMOUNT = 770010, 770011
FIGURES = [
    DRAFT,
    SUBMITTED,
    RETURNED,
    APPROVED,
    RELEASED_THEN_CHANGED,
    LATE_IN_PUBLISHED_PERIOD,
    MONTH_APPROVED,
    IN_DRAFT_PLAN,
    IN_ARCHIVED_PLAN,
    DRAFT_DECISION_VALUE,
    DRAFT_GRANT_AMOUNT,
]
TEXTS = [
    "SENTINEL-PROVIDER-NOTE",
    "SENTINEL-EDITED-NARRATIVE",
    "SENTINEL-Q2-NARRATIVE",
    "SENTINEL-COMMENTARY",
    "SENTINEL-DRAFT-PLAN",
    "SENTINEL-ARCHIVED-PLAN",
    "SENTINEL-DRAFT-DECISION",
    "SENTINEL-DRAFT-GRANT",
    "SENTINEL-DRAFT-ACTIVITY",
    "SENTINEL-PANEL-ACTIVITY",
    "SENTINEL-DRAFT-MILESTONE",
    "SENTINEL-DRAFT-RISK",
    "SENTINEL-PANEL-RISK",
]
# Pages behind a sign-in, and the admin: the crawl reads as the public.
PRIVATE = ("/staff/", "/provide/", "/panel/", "/admin/", "/accounts/", "/account/")

OTHER_PLAN = """\
plan:
  slug: {slug}
  title: {title}
  force: Testshire
  starts: 2013-04-01
  ends: 2017-03-31
objectives:
  - code: "1"
    title: {title} objective
    measures:
      - {{code: "1.1", name: {title} measure, unit: count, polarity: down,
         target: {{kind: value, value: 10}}}}
"""


def _other_plan(write, slug: str, title: str, value: int):
    plan, _ = actions.import_plan(
        read_plan(write(f"{slug}.yaml", OTHER_PLAN.format(slug=slug, title=title))), by="test"
    )
    m = plan.measures.get(code="1.1")
    actions.record_observation(m, "2013/14 Q1", by="test", value=value)
    actions.publish_period(plan, "2013/14 Q1", by="test")  # published figures, unpublished plan
    return plan


@pytest.fixture
def sentinels(site, write):
    editor, provider = site.cast["editor"], site.cast["provider"]
    plan = site.plan
    counts = {
        m.code: m
        for m in Measure.objects.filter(plan=plan, unit="count").exclude(pk=site.measure.pk)
    }
    m = iter(counts.values())
    q2 = "2013/14 Q2"

    def enter(value, *, by, state, comment=""):
        measure = next(m)
        measure.providers.add(provider)
        return actions.record_observation(
            measure, q2, by=by, value=value, state=state, comment=comment
        )

    enter(DRAFT, by=provider, state="draft", comment="SENTINEL-PROVIDER-NOTE")
    actions.submit_figure(enter(SUBMITTED, by=provider, state="draft"), by=provider)
    returned = enter(RETURNED, by=provider, state="draft")
    actions.submit_figure(returned, by=provider)
    actions.return_figure(returned, note="check", by=editor)
    enter(APPROVED, by=editor, state="approved")
    released = enter(1, by=editor, state="approved")
    actions.release_to_panel(site.collection, by=editor)
    actions.record_observation(
        released.measure, q2, by=editor, value=RELEASED_THEN_CHANGED, state="approved"
    )
    # A figure (for a local policing area) that had none when its period was published.
    actions.record_observation(
        next(iter(counts.values())),
        "2013/14 Q1",
        area=plan.areas.get(code="herefordshire"),
        by=editor,
        value=LATE_IN_PUBLISHED_PERIOD,
    )
    actions.record_observation(site.measure, "2013-07", by=editor, value=MONTH_APPROVED)
    # Text written after publication, and for the unpublished period.
    n = Narrative.objects.filter(plan=plan, period__code="2013/14 Q1").first()
    actions.save_narrative(plan, "2013/14 Q1", n, by=editor, body="SENTINEL-EDITED-NARRATIVE")
    actions.save_narrative(
        plan, q2, None, by=editor, section="part1", body="SENTINEL-Q2-NARRATIVE", title=""
    )
    actions.save_commentary(site.measure, "2013/14 Q1", text="SENTINEL-COMMENTARY", by=editor)
    # Plans the public may not open.
    draft_plan = _other_plan(write, "draft-plan", "SENTINEL-DRAFT-PLAN", IN_DRAFT_PLAN)
    archived = _other_plan(write, "archived-plan", "SENTINEL-ARCHIVED-PLAN", IN_ARCHIVED_PLAN)
    actions.publish_plan(archived, by=editor)
    actions.archive_plan(archived, by=site.cast["administrator"])
    # Register items entered but not published.
    decisions = write(
        "decisions.csv",
        "id,title,made_on,decision_maker,category,value\n"
        f"sentinel-decision,SENTINEL-DRAFT-DECISION,2013-05-01,Police and Crime Commissioner,"
        f"finance,{DRAFT_DECISION_VALUE}\n",
    )
    import_register("decisions", read_register("decisions", decisions, plan), by=editor)
    grants = write(
        "grants.csv",
        "id,title,purpose,recipient_name,amount,awarded_on\n"
        f"sentinel-grant,SENTINEL-DRAFT-GRANT,Sentinel,Sentinel recipient,"
        f"{DRAFT_GRANT_AMOUNT},2013-05-01\n",
    )
    import_register("grants", read_register("grants", grants, plan), by=editor)
    # Delivery-plan activities and risks: one published, one shared with the Panel only, one a
    # draft (the public sees only the first of each).
    objective = plan.objectives.first().code
    delivery = write(
        "delivery.csv",
        "activity,objective,title,status,percent_complete,milestone,due\n"
        f"pub-1,{objective},A published activity,on_track,10,,\n"
        f"panel-1,{objective},SENTINEL-PANEL-ACTIVITY,at_risk,20,,\n"
        f"draft-1,{objective},SENTINEL-DRAFT-ACTIVITY,on_track,30,SENTINEL-DRAFT-MILESTONE,2013-06-30\n",
    )
    delivery_actions.import_delivery(plan, read_delivery(delivery, plan), by=editor)
    risks = write(
        "risks.csv",
        "risk,title,likelihood_before,impact_before,likelihood_after,impact_after,activities\n"
        "R-pub,A published risk,2,2,1,1,pub-1;draft-1\n"
        "R-panel,SENTINEL-PANEL-RISK,5,5,4,4,\n"
        "R-draft,SENTINEL-DRAFT-RISK,3,3,3,3,\n",
    )
    delivery_actions.import_risks(plan, read_risks(risks, plan), by=editor)
    for what, published, shared in (
        ("activities", "pub-1", "panel-1"),
        ("risks", "R-pub", "R-panel"),
    ):
        delivery_actions.set_state(plan, what, "published", by=editor, codes=[published])
        delivery_actions.set_state(plan, what, "panel", by=editor, codes=[shared])
    return SimpleNamespace(site=site, draft_plan=draft_plan, archived=archived)


def _text(body: bytes, content_type: str) -> str:
    """What a reader of the response sees, as text: PDF and DOCX are read as documents."""
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
    if "wordprocessingml" in content_type:
        from docx import Document

        doc = Document(io.BytesIO(body))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    return body.decode("utf-8", errors="replace")


def _found(text: str) -> list[str]:
    """The sentinels in a text, in any of the ways a figure is written (770001, 770,001)."""
    flat = re.sub(r"\s+", "", text)
    hits = [str(v) for v in FIGURES if str(v) in flat or f"{v:,}" in flat]
    hits += [t for t in TEXTS if t in text or t in flat]
    return hits


LINK = re.compile(r"""(?:href|src)="([^"#]+)""")


def _links(url: str, text: str) -> set[str]:
    out = set()
    for raw in LINK.findall(text):
        target = urljoin(url, raw.replace("&amp;", "&"))
        parts = urlsplit(target)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(PRIVATE) and not path.startswith("/static/"):
            out.add(path)
    return out


def _api_urls(client, s) -> set[str]:
    """Every GET route of the API, filled with real names, the unpublished ones included."""
    schema = client.get("/api/v1/openapi.json").json()
    plan = s.site.plan
    values = {
        "slug": [plan.slug, s.draft_plan.slug, s.archived.slug],
        "period": ["2013-14-q1", "2013-14-q2", "2013-07"],
        "code": ["1.1", "2.1", *plan.measures.values_list("code", flat=True)],
        "kind": ["decisions", "grants", "contracts", "bids", "disposals", "programmes"],
        "objective_id": [o.pk for o in plan.objectives.all()],
        "measure_id": [m.pk for m in plan.measures.all()],
    }
    urls = set()
    for route, item in schema["paths"].items():
        if "get" not in item:
            continue
        names = re.findall(r"{(\w+)}", route)
        filled = [route]
        for name in names:
            options = values.get(name, ["sentinel-decision", "sentinel-grant"])
            filled = [u.replace(f"{{{name}}}", str(v)) for u in filled for v in options]
        urls.update(filled[:60])
    return urls


def test_no_public_output_shows_an_unpublished_figure_or_text(client, sentinels):
    s = sentinels
    plan = s.site.plan
    # The staff's report does show them: the sentinels are really in the record.
    staff_q2 = _text(
        render(compose_report(plan, "2013/14 Q2", audience=Audience.STAFF), "html"), ""
    )
    staff_q1 = _text(
        render(compose_report(plan, "2013/14 Q1", audience=Audience.STAFF), "html"), ""
    )
    assert {str(DRAFT), str(SUBMITTED), str(APPROVED), "SENTINEL-Q2-NARRATIVE"} <= set(
        _found(staff_q2)
    )
    assert "SENTINEL-EDITED-NARRATIVE" in _found(staff_q1)
    staff_delivery = str(delivery_plan(plan, audience=Audience.STAFF))
    staff_risks = str(risk_register(plan, audience=Audience.STAFF))
    assert {
        "SENTINEL-DRAFT-ACTIVITY",
        "SENTINEL-PANEL-ACTIVITY",
        "SENTINEL-DRAFT-MILESTONE",
    } <= set(_found(staff_delivery))
    assert {"SENTINEL-DRAFT-RISK", "SENTINEL-PANEL-RISK"} <= set(_found(staff_risks))

    seeds = {
        "/",
        "/plan/",
        "/api/",
        "/registers/",
        "/open-data/",
        "/scrutiny/",
        f"/plans/{s.draft_plan.slug}/",
        f"/plans/{s.archived.slug}/",
        f"/plans/{plan.slug}/performance/2013-14-q2/",
        f"/plans/{plan.slug}/reports/2013-14-q2.pdf",
        f"/plans/{plan.slug}/performance/2013-14-q1/?area=herefordshire",
        f"/plans/{plan.slug}/delivery/",
        f"/plans/{plan.slug}/risks/",
        "/registers/decisions/sentinel-decision/",
        "/registers/grants/sentinel-grant/",
        *(f"/measures/{m.pk}/" for m in Measure.objects.all()),
        *(f"/measures/{m.pk}.json" for m in Measure.objects.all()),
        *(f"/measures/{m.pk}/chart.svg" for m in Measure.objects.all()),
        *_api_urls(client, s),
    }
    queue, seen, leaks = deque(sorted(seeds)), set(), []
    while queue and len(seen) < 1500:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200:
            continue
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = _text(body, content_type)
        if hits := _found(text):
            leaks.append(f"{url}: {', '.join(hits)}")
        if content_type.startswith("text/html"):
            for link in _links(url, text):
                if link not in seen:
                    queue.append(link)
                    # every page's .json and .csv twins, linked or not
                    path, _, query = link.partition("?")
                    if path.endswith("/") and path != "/":
                        for twin in (".json", ".csv"):
                            queue.append(path.rstrip("/") + twin + (f"?{query}" if query else ""))
        elif content_type.startswith("application/json"):
            try:
                data = json.loads(text)
            except ValueError:
                continue
            for value in _strings(data):
                if value.startswith(("http://testserver/", "/")) and "/api/" not in value[:8]:
                    link = value.replace("http://testserver", "")
                    if not link.startswith(PRIVATE):
                        queue.append(link)
    reports = [u for u in seen if "/reports/" in u and u.endswith((".pdf", ".docx", ".html"))]
    assert len(seen) > 150 and len(reports) >= 3, f"the crawl found too little: {len(seen)}"
    assert not leaks, "unpublished material in public outputs:\n" + "\n".join(sorted(leaks))


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []
