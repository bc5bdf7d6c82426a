"""`oversight export engagement --plan SLUG --period P --audience A` (a plugin of the `export`
group)."""

import importlib

from oversight.core.plugins import export_command
from oversight.engagement.report import RECORD_FIELDS, engagement_records
from oversight.plans.commands import get_plan

export_command(
    # The plans app's `export` group, which this adds a subcommand to.
    importlib.import_module("oversight.plans.management.commands.export").Command,
    name="engagement",
    records=engagement_records,
    fields=RECORD_FIELDS,
    help="""Print the engagement and casework reported in a period as JSON or CSV, one record per
    figure, each with its change on the previous span of the same length (computed).

    Fields: plan, period, first_month, last_month, span, section, code, label, value, text,
    previous_value, change, change_words, note.
    """,
    get_plan=get_plan,
)
