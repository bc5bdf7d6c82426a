"""Register items get a draft/published state; existing items stay published."""

from django.db import migrations, models
from django.utils import timezone

KINDS = ("Decision", "GrantProgramme", "Grant", "Contract", "Bid", "Disposal")


def keep_what_was_public(apps, schema_editor):
    """Items entered before publication states existed were public: they stay published."""
    for name in KINDS:
        apps.get_model("registers", name).objects.update(
            state="published", first_published_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="bid",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="contract",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="disposal",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="grant",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="grantprogramme",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="bid",
            name="first_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contract",
            name="first_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="first_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="disposal",
            name="first_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="grant",
            name="first_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="grantprogramme",
            name="first_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keep_what_was_public, migrations.RunPython.noop),
    ]
