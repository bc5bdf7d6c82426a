"""The kinds of count every office keeps (issue 14; seed 003 §72–76); the office adds its own."""

from django.db import migrations

KINDS = [
    ("press-releases", "Press releases and statements issued"),
    ("media-items", "Items of media coverage"),
    ("engagements", "Engagements with communities"),
    ("posts", "Social media posts"),
    ("people-engaged", "People engaged with posts"),
    ("new-followers", "New social media followers"),
    ("subscribers", "Subscribers to news updates"),
    ("events", "Events held or attended"),
]


def add(apps, schema_editor):
    CountKind = apps.get_model("engagement", "CountKind")
    for order, (code, label) in enumerate(KINDS):
        CountKind.objects.get_or_create(code=code, defaults={"label": label, "order": order})


def remove(apps, schema_editor):
    apps.get_model("engagement", "CountKind").objects.filter(
        code__in=[c for c, _ in KINDS], counts__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
