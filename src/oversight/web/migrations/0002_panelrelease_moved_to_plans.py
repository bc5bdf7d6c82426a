"""PanelRelease now belongs to plans (plans 0004 took over its table); the web app forgets it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_initial"),
        ("plans", "0004_publication_states"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PanelRelease")],
            database_operations=[],
        ),
    ]
