"""The forms' shared base: GOV.UK Design System layout (crispy-forms-gds), the period field, and
saving an upload for an importer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from crispy_forms_gds.helper import FormHelper
from django import forms

from oversight.lib.periods import PeriodError, parse_period

from .uploads import size_error


class GdsForm:
    """Every form renders its fields and error summary in the GOV.UK style; the page writes the
    <form> tag and buttons itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def period_field(
    label: str = "Period", help_text: str = 'For example "2024/25 Q2"'
) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, max_length=20)


def clean_period(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError as exc:
        raise forms.ValidationError(str(exc)) from exc


def save_upload(upload) -> Path:
    """An uploaded file in a private temporary folder, under its own name (problems name it); the
    caller removes the file and the folder."""
    folder = Path(tempfile.mkdtemp(prefix="oversight-upload-"))
    path = folder / Path(upload.name).name
    with path.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    return path


TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm"}


def clean_table_upload(upload):
    """An uploaded CSV or XLSX file for an importer: refused when of another kind or over the
    import size limit (the form's clean_file calls this)."""
    if Path(upload.name).suffix.lower() not in TABLE_SUFFIXES:
        raise forms.ValidationError("Choose a .csv or .xlsx file.")
    if error := size_error(upload):
        raise forms.ValidationError(error)
    return upload
