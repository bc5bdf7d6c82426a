"""Optimistic locking for edit forms: a form that saves an existing record carries the version
the editor started from (a hidden field), and the action refuses a save after someone else's
(`oversight.audit.history.Conflict`). The form is then shown again with the editor's input, the
refusal saying what changed and who changed it, and the version now: saving again, after
checking, replaces the other editor's version, which stays in the history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.http import QueryDict

from oversight.audit.history import Conflict

if TYPE_CHECKING:  # a mixin for forms: it uses what the form it is mixed into has
    _Form = forms.BaseForm
else:
    _Form = object


class Versioned(_Form):
    """A form mixin: `version=` (the record's version when the form is first shown) becomes a
    hidden field; `expected_version()` is what to hand the action, `conflict()` shows a
    refusal."""

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        )
        if version is not None:
            self.initial["version"] = version

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def conflict(self, exc: Conflict) -> None:
        self.add_error(
            None,
            f"{exc} Your entries are below: check them and save again to replace the "
            "current version (it stays in the history).",
        )
        data = QueryDict(mutable=True)
        data.update(self.data)  # every value of every field, as posted
        data["version"] = str(exc.version)
        self.data = data
