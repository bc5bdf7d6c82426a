"""A figure carries any number of named comparators, a rank with its base, the span its data
cover and, for a survey, its sample size and responses; periods take the new kinds (weeks, halves,
calendar and rolling years, spans), whose codes are longer.

The one comparator a figure had moves into the list under the name "comparator" (the name the
plain `comparator` column keeps), with its label; the earlier versions of figures and the Panel's
release snapshots are rewritten the same way, so a comparison with an earlier version compares like
with like. Reversing moves it back (other comparators are dropped, as the old column had no room)."""

from decimal import Decimal

from django.db import migrations, models


def _as_list(value, label):
    if value in (None, ""):
        return []
    text = f"{Decimal(str(value)).normalize():f}"
    return [{"name": "comparator", "label": label or "comparator", "value": text}]


def _row_forward(row):
    """A snapshot dict with comparator/comparator_label, rewritten with a comparators list."""
    if "comparator" not in row and "comparator_label" not in row:
        return row
    row = dict(row)
    value, label = row.pop("comparator", ""), row.pop("comparator_label", "")
    row["comparators"] = _as_list(value, label)
    return row


def _row_back(row):
    if "comparators" not in row:
        return row
    row = dict(row)
    found = next((c for c in row.pop("comparators") or [] if c.get("name") == "comparator"), None)
    row["comparator"] = found["value"] if found else ""
    label = found["label"] if found else ""
    row["comparator_label"] = "" if label == "comparator" else label
    return row


def to_comparators(apps, schema_editor):
    Observation = apps.get_model("plans", "Observation")
    Revision = apps.get_model("plans", "ObservationRevision")
    Release = apps.get_model("plans", "PanelRelease")
    changed = []
    for o in Observation.objects.exclude(comparator=None).only("comparator", "comparator_label"):
        o.comparators = _as_list(o.comparator, o.comparator_label)
        changed.append(o)
    Observation.objects.bulk_update(changed, ["comparators"], batch_size=1000)
    _rewrite(Revision, Release, _row_forward)


def to_single_comparator(apps, schema_editor):
    Observation = apps.get_model("plans", "Observation")
    Revision = apps.get_model("plans", "ObservationRevision")
    Release = apps.get_model("plans", "PanelRelease")
    changed = []
    for o in Observation.objects.exclude(comparators=[]).only("comparators"):
        row = _row_back({"comparators": o.comparators})
        o.comparator = Decimal(row["comparator"]) if row["comparator"] else None
        o.comparator_label = row["comparator_label"]
        changed.append(o)
    Observation.objects.bulk_update(changed, ["comparator", "comparator_label"], batch_size=1000)
    _rewrite(Revision, Release, _row_back)


def _rewrite(Revision, Release, fix):
    revisions = []
    for r in Revision.objects.only("previous"):
        new = fix(r.previous)
        if new is not r.previous:
            r.previous = new
            revisions.append(r)
    Revision.objects.bulk_update(revisions, ["previous"], batch_size=1000)
    for rel in Release.objects.only("snapshot"):
        figures = rel.snapshot.get("figures") if isinstance(rel.snapshot, dict) else None
        if figures:
            rel.snapshot = {**rel.snapshot, "figures": [fix(f) for f in figures]}
            rel.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0009_strategic_aims"),
    ]

    operations = [
        migrations.AddField(
            model_name="observation",
            name="comparators",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="observation",
            name="data_from",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="data_to",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="rank",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="rank_label",
            field=models.CharField(
                blank=True,
                help_text='What is ranked: "forces in England and Wales"',
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="rank_of",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="responses",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="sample_size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="period",
            name="code",
            field=models.CharField(max_length=30, unique=True),
        ),
        migrations.AlterField(
            model_name="period",
            name="kind",
            field=models.CharField(
                choices=[
                    ("year", "year"),
                    ("quarter", "quarter"),
                    ("month", "month"),
                    ("half", "half"),
                    ("calendar year", "calendar year"),
                    ("week", "week"),
                    ("rolling year", "rolling year"),
                    ("span", "span"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(to_comparators, to_single_comparator),
        migrations.RemoveField(
            model_name="observation",
            name="comparator",
        ),
        migrations.RemoveField(
            model_name="observation",
            name="comparator_label",
        ),
    ]
