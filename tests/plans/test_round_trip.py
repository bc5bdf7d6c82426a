"""`oversight export plan` then a re-import into an empty database gives the same report."""

import pytest
from django.core.management import call_command

from oversight.core.render import render
from oversight.lib.audience import Audience
from oversight.plans.models import Measure, Narrative, Observation, Plan
from oversight.reports.compose import compose_report


def test_export_then_reimport_into_an_empty_database_gives_the_same_report(demo, tmp_path):
    # This is the plan's own export (plan, figures, narrative). The registers link their items to
    # objectives and have their own export and round trip (tests/registers); they are cleared
    # here so that Part 3 does not depend on links a plan re-import cannot restore.
    from django.apps import apps

    # (Commissioning's records of seed 004's contract go first: they protect the contract.)
    for app in ("commissioning", "registers"):
        for model in reversed(list(apps.get_app_config(app).get_models())):
            model.objects.all().delete()
    plan = Plan.objects.get(slug="west-mercia-2013")
    before = render(compose_report(plan, "2013/14 Q1", audience=Audience.STAFF), "html")
    call_command("export", "plan", "--plan", plan.slug, "--out", str(tmp_path / "export"))

    for model in (Narrative, Observation, Measure, Plan):
        model.objects.all().delete()
    assert Plan.objects.count() == 0

    folder = tmp_path / "export"
    call_command("import", "plan", str(folder / "plan.yaml"))
    call_command(
        "import", "observations", str(folder / "observations.csv"), "--plan", "west-mercia-2013"
    )
    for md in sorted(folder.glob("narrative-*.md")):
        call_command("import", "narrative", str(md), "--plan", "west-mercia-2013")
    after = render(
        compose_report(
            Plan.objects.get(slug="west-mercia-2013"), "2013/14 Q1", audience=Audience.STAFF
        ),
        "html",
    )
    assert after == before


COMMENTS = [
    "=SUM(A1:A9) looks like a formula",
    "+44 7700 900000",
    "-1 on last year",
    "@force: please check",
    "'=quoted already",
    "'a quote",
    "-5",
    "\tstarts with a tab",
]


@pytest.mark.django_db
def test_comments_that_look_like_formulas_come_back_from_an_export_unchanged(small_plan, tmp_path):
    """The export puts a quote before text a spreadsheet would run; the import takes off exactly
    that quote."""
    from oversight.plans.actions import record_observation

    measure = small_plan.measures.get(code="1.1")
    # quarters within the plan (2013-2017): an import refuses a period after the plan ends
    periods = [f"{2013 + i // 4}/{14 + i // 4} Q{i % 4 + 1}" for i in range(len(COMMENTS))]
    for period, comment in zip(periods, COMMENTS, strict=True):
        record_observation(measure, period, by="test", value=100, comment=comment)
    call_command("export", "plan", "--plan", small_plan.slug, "--out", str(tmp_path))
    assert "'=SUM(A1:A9)" in (tmp_path / "observations.csv").read_text()

    Observation.objects.all().delete()
    call_command(
        "import", "observations", str(tmp_path / "observations.csv"), "--plan", small_plan.slug
    )

    back = dict(Observation.objects.values_list("period__code", "comment"))
    assert [back[p] for p in periods] == COMMENTS


@pytest.mark.django_db
def test_export_plan_says_plainly_what_its_files_do_not_carry(small_plan, tmp_path, write):
    from io import StringIO

    from oversight.plans.actions import publish_period, record_observation, save_commentary

    measure = small_plan.measures.get(code="1.1")
    record_observation(measure, "2013/14 Q1", by="test", value=1500)
    record_observation(measure, "2013/14 Q2", by="test", value=1400)
    publish_period(small_plan, "2013/14 Q1", by="test")
    save_commentary(measure, "2013/14 Q1", text="Fewer crimes than last year.", by="test")
    out = StringIO()

    call_command("export", "plan", "--plan", small_plan.slug, "--out", str(tmp_path), stdout=out)

    said = out.getvalue()
    note = (tmp_path / "README.txt").read_text()
    for text in (said, note):
        assert "workflow state (1 approved, 1 published)" in text
        assert "re-imported figures arrive approved, not published" in text
        assert "1 publication" in text and "1 commentary" in text
        assert "oversight backup" in text
    assert "oversight import observations observations.csv --plan test-plan" in note
