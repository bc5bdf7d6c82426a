"""The staff pages' upload of a table file (finance, engagement, commissioning): one form and one
runner, calling the same reader and action as the command line, so a file refused there is
refused here with the same problems listed, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms

from oversight.lib.money import MoneyError, parse_money
from oversight.lib.numbers import fits_decimal
from oversight.lib.problems import ImportRefused, Outcome

from .forms import save_upload
from .sheets import MONEY_DIGITS, MONEY_PLACES, Table
from .uploads import size_error


class TableImportForm(forms.Form):
    table = forms.ChoiceField(label="Table")
    file = forms.FileField(label="CSV or XLSX file")

    def __init__(self, *args: Any, tables: dict[str, Table], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(k, f"{t.title} ({k})") for k, t in tables.items()]  # type: ignore[attr-defined]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx", ".xlsm"}:
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        if error := size_error(upload):
            raise forms.ValidationError(error)
        return upload


def run_import(
    form: TableImportForm, read: Callable[[str, Path], Any], write: Callable[..., Outcome], by: Any
) -> tuple[list[str], int, Outcome | None]:
    """Read and write the uploaded file: (problem lines, problem total, outcome or None)."""
    table = form.cleaned_data["table"]
    upload = form.cleaned_data["file"]
    path = save_upload(upload)
    try:
        rows = read(table, path)
        return [], 0, write(table, rows, by=by, file_name=upload.name)
    except ImportRefused as exc:
        return exc.lines(), exc.total, None
    finally:
        path.unlink(missing_ok=True)
        path.parent.rmdir()


class MoneyField(forms.CharField):
    """Pounds and pence as typed or printed ("1234.56", "-£1.337m"); more than two decimal
    places is refused, never rounded."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            value = parse_money(str(text))
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from None
        # the column's limit, as a file import checks it: never a database error or rounding
        if why := fits_decimal(value, MONEY_DIGITS, MONEY_PLACES):
            raise forms.ValidationError(why)
        return value
