"""Plans get a publication state (draft, published, archived) and a current flag; narrative and
commentary keep a published copy; the Panel release moves here from the web app and keeps a
snapshot of what it released.

Upgrading keeps what the public saw: existing plans are published (the newest marked current, as
the site showed it), text of published periods is published as it stands, and each existing
release gets a snapshot of the period's reviewed figures as they stand now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

RELEASABLE = ("approved", "published")
TRACKED = (
    "basis",
    "value",
    "status",
    "target",
    "comparator",
    "comparator_label",
    "numerator",
    "denominator",
    "rag_override",
    "rag_reason",
    "comment",
    "source",
    "state",
    "published_at",
    "corrected_at",
)


def _plain(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def keep_what_was_public(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Publication = apps.get_model("plans", "Publication")
    Narrative = apps.get_model("plans", "Narrative")
    Commentary = apps.get_model("plans", "Commentary")
    Observation = apps.get_model("plans", "Observation")
    PanelRelease = apps.get_model("plans", "PanelRelease")
    now = timezone.now()
    Plan.objects.update(state="published", published_at=now)
    newest = Plan.objects.order_by("-starts", "slug").first()
    if newest is not None:
        Plan.objects.filter(pk=newest.pk).update(current=True)
    for pub in Publication.objects.all():
        for n in Narrative.objects.filter(plan_id=pub.plan_id, period_id=pub.period_id):
            n.published_title, n.published_body, n.published_at = n.title, n.body, now
            n.save(update_fields=["published_title", "published_body", "published_at"])
        for c in Commentary.objects.filter(measure__plan_id=pub.plan_id, period_id=pub.period_id):
            c.published_text, c.published_at = c.text, now
            c.save(update_fields=["published_text", "published_at"])
    for release in PanelRelease.objects.select_related("collection"):
        c = release.collection
        figures = [
            {
                "id": o.pk,
                "measure": o.measure_id,
                "area": o.area_id,
                **{f: _plain(getattr(o, f)) for f in TRACKED},
            }
            for o in Observation.objects.filter(
                measure__plan_id=c.plan_id, period_id=c.period_id, state__in=RELEASABLE
            ).order_by("pk")
        ]
        narratives = [
            {
                "section": n.section,
                "objective": n.objective.code if n.objective_id else None,
                "key": n.key,
                "title": n.title,
                "body": n.body,
                "order": n.order,
            }
            for n in Narrative.objects.filter(plan_id=c.plan_id, period_id=c.period_id)
        ]
        commentary = [
            {"measure": x.measure_id, "area": x.area_id, "text": x.text}
            for x in Commentary.objects.filter(
                measure__plan_id=c.plan_id, period_id=c.period_id
            ).exclude(text="")
        ]
        release.snapshot = {"figures": figures, "narratives": narratives, "commentary": commentary}
        release.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_commentary"),
        ("web", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="commentary",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="commentary",
            name="published_text",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="narrative",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="narrative",
            name="published_body",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="narrative",
            name="published_title",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="plan",
            name="current",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="plan",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="plan",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
                default="draft",
                max_length=10,
            ),
        ),
        # The web app's PanelRelease becomes this app's: the same table, taken over in the state
        # first, then renamed, so no row is copied or lost.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PanelRelease",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("released_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "collection",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="plans.collection",
                            ),
                        ),
                        (
                            "released_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "web_panelrelease"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="panelrelease", table=None),
        migrations.AlterField(
            model_name="panelrelease",
            name="collection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="panel_releases",
                to="plans.collection",
            ),
        ),
        migrations.AddField(
            model_name="panelrelease",
            name="snapshot",
            field=models.JSONField(default=dict),
        ),
        migrations.AlterModelOptions(
            name="panelrelease",
            options={"ordering": ["-released_at", "-id"]},
        ),
        migrations.RunPython(keep_what_was_public, migrations.RunPython.noop),
    ]
