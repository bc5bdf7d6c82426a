"""A narrative section for the office's own words on the headline measures, which the claims
check reads against the record (seed 002 writes one)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_history_of_publication_states"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalnarrative",
            name="section",
            field=models.CharField(
                choices=[
                    ("purpose", "Purpose"),
                    ("background", "Background"),
                    ("format", "Format of the report"),
                    ("part1", "Part 1 introduction"),
                    ("objective", "Objective update"),
                    ("part2", "Part 2 introduction"),
                    ("headline_measures", "Headline measures"),
                    ("other_measures", "Other measures"),
                    ("activity", "Part 3 activity"),
                    ("recommendations", "Recommendations"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="narrative",
            name="section",
            field=models.CharField(
                choices=[
                    ("purpose", "Purpose"),
                    ("background", "Background"),
                    ("format", "Format of the report"),
                    ("part1", "Part 1 introduction"),
                    ("objective", "Objective update"),
                    ("part2", "Part 2 introduction"),
                    ("headline_measures", "Headline measures"),
                    ("other_measures", "Other measures"),
                    ("activity", "Part 3 activity"),
                    ("recommendations", "Recommendations"),
                ],
                max_length=30,
            ),
        ),
    ]
