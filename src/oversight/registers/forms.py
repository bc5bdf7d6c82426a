"""Forms for the registers' staff pages."""

from __future__ import annotations

from pathlib import Path

from django import forms

from oversight.core.forms import clean_table_upload, save_upload
from oversight.core.locking import Versioned
from oversight.plans.models import Plan

from .importers import KINDS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Register", choices=[(k, v.title) for k, v in KINDS.items()])
    file = forms.FileField(label="CSV or XLSX file")
    plan = forms.ModelChoiceField(
        label="Plan whose objectives the objectives column names",
        queryset=Plan.objects.all(),
        required=False,
        to_field_name="slug",
    )

    def clean_file(self):
        return clean_table_upload(self.cleaned_data["file"])

    def save_upload(self, upload) -> Path:
        return save_upload(upload)


class PublicationForm(Versioned, forms.Form):
    published_on = forms.DateField(
        label="Published on the website on (YYYY-MM-DD)", input_formats=["%Y-%m-%d"]
    )
