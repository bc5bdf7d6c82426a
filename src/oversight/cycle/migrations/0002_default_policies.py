from django.db import migrations

# The office's starting policy for each kind (oversight.cycle.reminders.DEFAULTS, copied here
# so this migration keeps its meaning if the defaults change): label, days before, escalations.
DEFAULTS = {
    "collection": ("Figures due in a collection round", 7, "3, 10"),
    "milestone": ("Plan milestones", 14, "1, 14"),
    "action": ("Agreed actions to report back on", 7, "1, 14"),
    "statutory": ("Statutory deadlines", 14, "-3, 1"),
    "contract": ("Contracts coming to an end", 182, "-30"),
    "publication": ("Publication duties", 7, "1, 7"),
}


def create(apps, schema_editor):
    from django.utils import timezone

    Policy = apps.get_model("cycle", "ReminderPolicy")
    History = apps.get_model("cycle", "HistoricalReminderPolicy")
    for kind, (label, before, after) in DEFAULTS.items():
        policy, made = Policy.objects.get_or_create(
            kind=kind,
            defaults={"label": label, "first_days_before": before, "escalation_days": after},
        )
        if made:  # its first version, as a save outside a migration would keep it
            History.objects.create(
                id=policy.pk,
                kind=kind,
                label=label,
                active=True,
                first_days_before=before,
                escalation_days=after,
                history_date=timezone.now(),
                history_type="+",
                history_actor="the office's starting policy",
            )


class Migration(migrations.Migration):
    dependencies = [("cycle", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
