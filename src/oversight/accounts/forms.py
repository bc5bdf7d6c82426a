"""The accounts' forms: a name for a new API token."""

from __future__ import annotations

from django import forms

from oversight.core.forms import GdsForm


class TokenForm(GdsForm, forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=200,
        help_text="For example: force data warehouse",
    )
