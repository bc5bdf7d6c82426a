"""The collection workflow: draft, submit, send back, approve, publish, correct."""

import pytest

from oversight.plans import actions
from oversight.plans.models import Measure, Observation


def test_a_figure_goes_from_draft_to_published(small_plan):
    m = Measure.objects.get(code="1.2")
    actions.open_collection(small_plan, "2013/14 Q2", by="editor")
    obs = actions.record_observation(m, "2013/14 Q2", by="provider", value=48, state="draft")
    assert obs.state == "draft"
    actions.submit_figure(obs, by="provider")
    actions.return_figure(obs, note="Please check against the force system", by="editor")
    assert Observation.objects.get(pk=obs.pk).review_note == "Please check against the force system"
    obs = actions.record_observation(m, "2013/14 Q2", by="provider", value=49)
    actions.submit_figure(obs, by="provider")
    actions.approve_figure(obs, by="editor")
    _, count = actions.publish_period(small_plan, "2013/14 Q2", by="editor")
    obs.refresh_from_db()
    assert (count, obs.state, obs.value) == (1, "published", 49)
    assert Observation.objects.published().count() == 1


def test_sending_back_needs_a_note_and_a_published_figure_needs_a_correction_reason(small_plan):
    m = Measure.objects.get(code="1.2")
    obs = actions.record_observation(m, "2013/14 Q2", by="provider", value=48, state="submitted")
    with pytest.raises(actions.Refused, match="needs a note"):
        actions.return_figure(obs, note=" ", by="editor")
    actions.approve_figure(obs, by="editor")
    actions.publish_period(small_plan, "2013/14 Q2", by="editor")
    with pytest.raises(actions.Refused, match="correction needs a reason"):
        actions.record_observation(m, "2013/14 Q2", by="editor", value=50)
    fixed = actions.record_observation(
        m, "2013/14 Q2", by="editor", value=50, correction_reason="typo"
    )
    assert (fixed.value, fixed.state, fixed.correction_reason) == (50, "published", "typo")


def test_an_override_needs_a_reason(small_plan):
    m = Measure.objects.get(code="1.2")
    obs = actions.record_observation(m, "2013/14 Q2", by="editor", value=40)
    with pytest.raises(ValueError, match="needs a reason"):
        actions.override_rag(obs, "green", reason="", by="editor")
    actions.override_rag(obs, "green", reason="as published", by="editor")
    obs.refresh_from_db()
    assert (obs.rag_override, obs.rag_reason) == ("green", "as published")
