"""The import's set-based write stores exactly what saving each figure would (SQLite executemany,
PostgreSQL COPY): defaults, choices, decimals, foreign keys and the time stamps."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from oversight.core.bulk import insert_new
from oversight.plans.models import Observation, ObservationState, Period

COMPARED = [
    f.attname
    for f in Observation._meta.concrete_fields
    if f.attname not in ("id", "period_id", "recorded_at", "updated_at")
]


def test_a_bulk_written_figure_equals_a_saved_one(small_plan):
    measure = small_plan.measures.get(code="1.2")
    area = small_plan.force_area
    q1, q2 = Period.objects.for_code("2013/14 Q1"), Period.objects.for_code("2013/14 Q2")
    fields = {
        "value": Decimal("61.25"),
        "numerator": Decimal("245"),
        "denominator": Decimal("400"),
        "basis": "ytd",
        "state": ObservationState.PUBLISHED,  # a TextChoices member, not a plain str
        "comment": "bulk",
        "published_at": timezone.now(),
    }
    saved = Observation.objects.create(measure=measure, period=q1, area=area, **fields)
    before = timezone.now()
    assert (
        insert_new(
            Observation,
            [{"measure_id": measure.pk, "period_id": q2.pk, "area_id": area.pk, **fields}],
        )
        == 1
    )
    written = Observation.objects.get(period=q2)
    saved.refresh_from_db()
    assert {k: getattr(written, k) for k in COMPARED} == {k: getattr(saved, k) for k in COMPARED}
    assert written.recorded_at == written.updated_at >= before
    assert written.state == "published" and written.rag_override == "" and written.target is None


def test_nothing_to_write_is_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_new(Observation, []) == 0
