"""One rule, one home: the status a data provider's form gives a figure is the status the report
gives it, for every measure of the demo (targets given per period, comparators, year-to-date
figures and milestones included), because both call plans.assessment."""

from __future__ import annotations

from oversight.lib.audience import Audience
from oversight.plans.assessment import rater, statuses
from oversight.plans.forms import FigureForm

PERIOD = "2013/14 Q1"


def test_the_provider_form_and_the_report_give_every_demo_figure_the_same_status(demo_plan):
    plan = demo_plan
    force = plan.force_area
    found = statuses(plan, PERIOD, [force], audience=Audience.STAFF)
    kinds = set()
    for s in found:
        o = s.observation
        if o is None:
            continue
        form = FigureForm(prefix="m", measure=s.measure, judge=rater(s.measure, PERIOD, force))
        given = form.judge(value=o.value, status=o.status)
        assert given == s.rag_computed, f"{s.measure.code}: form {given}, report {s.rag_computed}"
        kinds |= {o.basis} | ({"period target"} if o.target is not None else set())
        kinds |= {"comparator"} if o.comparator is not None else set()
        kinds |= {"milestone"} if o.status else set()
    # the demo really exercises what the provider's form used to leave out
    assert {"ytd", "period target", "comparator", "milestone"} <= kinds, kinds
