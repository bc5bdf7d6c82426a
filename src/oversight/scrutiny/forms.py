"""Forms for staff and Panel members; each hands its cleaned data to an action in actions.py."""

from __future__ import annotations

from django import forms

from oversight.core.forms import GdsForm, save_upload
from oversight.core.locking import Versioned
from oversight.core.uploads import size_error
from oversight.lib.links import web_address_problem

from .models import (
    ActionStatus,
    AnnualReport,
    Body,
    BodyKind,
    FindingStatus,
    Meeting,
    PreceptCycle,
    ProposedAppointment,
    StatutoryContact,
)


class ActionUpdateForm(GdsForm, Versioned, forms.Form):
    text = forms.CharField(label="Update", widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label="Status after this update", choices=ActionStatus.choices)
    answer = forms.CharField(
        label="Answer (needed to mark the action answered or closed)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reported_at = forms.ModelChoiceField(
        label="Meeting the answer was reported to (needed to close the action)",
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        if action is not None:
            self.fields["reported_at"].queryset = action.body.meetings.order_by("-date")
            self.initial.setdefault("status", action.status)


class PinQuestionForm(GdsForm, forms.Form):
    question = forms.CharField(label="Your question", widget=forms.Textarea(attrs={"rows": 4}))
    body = forms.ModelChoiceField(
        label="Raised at", queryset=Body.objects.filter(kind=BodyKind.PANEL), empty_label=None
    )
    owner = forms.CharField(label="Who should answer", initial="PCC", max_length=200)


class ResponseForm(Versioned, forms.Form):
    published = forms.DateField(
        label="Date the PCC's response was published (YYYY-MM-DD)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    url = forms.URLField(
        label="Link to the published response", required=False, assume_scheme="https"
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and (why := web_address_problem(url)):  # URLField alone lets ftp:// through
            raise forms.ValidationError(why[:1].upper() + why[1:])
        return url


class FindingUpdateForm(Versioned, forms.Form):
    status = forms.ChoiceField(label="New status", choices=FindingStatus.choices)
    text = forms.CharField(label="Evidence", widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(GdsForm, forms.Form):
    """A scrutiny file (YAML), exactly as `oversight scrutiny import` takes it."""

    file = forms.FileField(label="Scrutiny file (YAML)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError("Choose a .yaml file.")
        if error := size_error(upload):
            raise forms.ValidationError(error)
        return upload

    def save_upload(self):
        return save_upload(self.cleaned_data["file"])


class _StatutoryForm(GdsForm, Versioned, forms.ModelForm):
    """A statutory calendar record: the model's own checks (every problem at once) run here and
    again in the action, which every caller goes through."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if isinstance(f, forms.DateField):
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                f.help_text = f.help_text or "YYYY-MM-DD"
            if name == "meeting" and isinstance(f, forms.ModelChoiceField):
                f.queryset = Meeting.objects.filter(body__kind=BodyKind.PANEL).select_related(
                    "body"
                )


class PreceptCycleForm(_StatutoryForm):
    class Meta:
        model = PreceptCycle
        exclude: list[str] = []


class ProposedAppointmentForm(_StatutoryForm):
    class Meta:
        model = ProposedAppointment
        exclude: list[str] = []


class AnnualReportForm(_StatutoryForm):
    url = forms.URLField(
        label="Link to the published report", required=False, assume_scheme="https"
    )

    class Meta:
        model = AnnualReport
        exclude: list[str] = []


class StatutoryContactForm(_StatutoryForm):
    class Meta:
        model = StatutoryContact
        exclude: list[str] = []


# The records a staff member keeps for the calendar: the path's word → (form, what it is).
STATUTORY_FORMS: dict[str, tuple[type[_StatutoryForm], str]] = {
    "precept": (PreceptCycleForm, "a precept cycle"),
    "appointment": (ProposedAppointmentForm, "a proposed appointment"),
    "annual-report": (AnnualReportForm, "an annual report"),
    "contact": (StatutoryContactForm, "a statutory contact"),
}
