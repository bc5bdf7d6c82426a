"""Forms for the commissioning staff pages."""

from __future__ import annotations

from django import forms

from oversight.core.locking import Versioned


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=2_147_483_647, required=False)


class KpiForm(Versioned, forms.Form):
    referrals = _count("Referrals")
    people_supported = _count("People supported")
    referred_by_police = _count("Referred by the police")
    police_share_stated = forms.DecimalField(
        label="Share referred by the police, as the source states it (%), when it gives no counts",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    outcomes = _count("Outcomes")
    note = forms.CharField(label="Source and caveats", widget=forms.Textarea, required=False)

    FIGURES = (
        "referrals",
        "people_supported",
        "referred_by_police",
        "police_share_stated",
        "outcomes",
        "note",
    )


class PublishForm(forms.Form):
    period = forms.CharField(max_length=20)
