"""Forms for the finance staff pages."""

from __future__ import annotations

from django import forms

from oversight.core.locking import Versioned
from oversight.core.sheetforms import MoneyField


class ForecastForm(Versioned, forms.Form):
    variance = MoneyField(
        label="Forecast variance: forecast outturn − budget (negative is an underspend)",
        help_text='For example "-1337000" or "-£1.337m"',
    )
    note = forms.CharField(label="Source and caveats", widget=forms.Textarea, required=False)
