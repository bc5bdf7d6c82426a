from __future__ import annotations

from django import forms

from oversight.core.forms import GdsForm
from oversight.core.locking import Versioned

from .models import validate_days


class PolicyForm(GdsForm, Versioned, forms.Form):
    active = forms.BooleanField(label="Send these reminders", required=False)
    first_days_before = forms.IntegerField(
        label="First reminder, to the people responsible: days before the due date",
        min_value=0,
        max_value=3650,
    )
    escalation_days = forms.CharField(
        label="Escalation steps: days after the due date for each, separated by commas",
        help_text='For example "3, 10": the second level of people is told 3 days after the due '
        "date, the third 10 days after. A negative number is before the due date.",
        required=False,
        max_length=100,
        validators=[validate_days],
    )
