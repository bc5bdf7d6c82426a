"""Forms for the staff workspace and data collection, laid out by crispy-forms-gds (GOV.UK Design
System). Figures are checked by the importer's own rule (`plans.importers.value_problem`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import cast

from django import forms
from django.contrib.auth import get_user_model

from oversight.core import citations
from oversight.core.forms import GdsForm, clean_period, period_field, save_upload
from oversight.core.locking import Versioned
from oversight.core.uploads import size_error
from oversight.lib import rag as lr
from oversight.lib.periods import outside_plan, parse_period
from oversight.lib.tables import parse_number
from oversight.plans.assessment import needs_comment
from oversight.plans.importers import IMPLICATION_KEYS, value_problem
from oversight.plans.models import Measure, Narrative, Objective, Plan, RagChoice, Section


class ObjectiveForm(GdsForm, Versioned, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["code", "title", "description", "order"]


class MeasureForm(GdsForm, Versioned, forms.ModelForm):
    providers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The data providers who enter this measure's figures",
    )

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "description",
            "headline",
            "unit",
            "polarity",
            "target_kind",
            "target_text",
            "target_value",
            "target_percent",
            "baseline_period",
            "baseline_value",
            "goal",
            "goal_by",
            "due",
            "tolerance",
            "data_source",
            "order",
        ]
        labels = {
            "target_kind": "Kind of target",
            "target_text": "Target as worded in the plan",
            "target_value": "Target value (a fixed value)",
            "target_percent": "Change against the baseline, per cent (e.g. -2)",
            "goal_by": "Goal date",
            "due": "Milestone due date",
            "headline": "Headline measure",
        }
        widgets = {"goal_by": forms.DateInput(), "due": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from oversight.accounts.roles import Role

        self.fields["providers"].queryset = (
            get_user_model().objects.filter(groups__name=Role.PROVIDER).order_by("username")
        )
        if self.instance.pk:
            self.fields["providers"].initial = list(self.instance.providers.all())

    def clean_tolerance(self):
        text = self.cleaned_data["tolerance"].strip()
        if text:
            try:
                lr.parse_tolerance(text)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return text

    def clean_baseline_period(self):
        text = self.cleaned_data["baseline_period"].strip()
        return clean_period(text) if text else ""

    def clean(self):
        data = super().clean()
        kind = data.get("target_kind")
        need = {
            lr.TargetKind.VALUE: ["target_value"],
            lr.TargetKind.CHANGE: ["target_percent", "baseline_period"],
            lr.TargetKind.MAINTAIN: ["baseline_period"],
            lr.TargetKind.TRAJECTORY: ["goal", "goal_by", "baseline_period"],
        }.get(kind, [])
        for name in need:
            if data.get(name) in (None, ""):
                self.add_error(name, f"A {kind} target needs this")
        return data


class NarrativeForm(GdsForm, Versioned, forms.ModelForm):
    # The four implications share one section and are told apart by the narrative's key.
    implication = forms.ChoiceField(
        required=False,
        choices=[("", "Not an implication")]
        + [(k, f"{k.capitalize()} implications") for k in IMPLICATION_KEYS],
        help_text="For an Implications section: which of the four it is",
    )

    class Meta:
        model = Narrative
        fields = ["section", "objective", "title", "body", "order"]
        labels = {"body": "Text (Markdown)"}
        help_texts = {
            "body": "Markdown: blank lines between paragraphs, ** for bold, - for lists. "
            "HTML is shown as typed, never run. Cite a record's figure by its key, e.g. "
            "{{ finance.forecast_variance }}: the report fills it in (the README lists the keys)."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan)
        self.fields["objective"].required = False
        if self.instance.pk and self.instance.section == Section.IMPLICATIONS:
            self.initial["implication"] = self.instance.key

    def clean_body(self):
        body = self.cleaned_data["body"]
        # the figure keys the import refuses are refused here too, by line
        found = citations.check(body)
        if found:
            raise forms.ValidationError([f"Line {n}: {why}" for n, why in found])
        return body

    def clean(self):
        data = super().clean()
        if data.get("section") == Section.OBJECTIVE and not data.get("objective"):
            self.add_error("objective", "An objective update needs its objective")
        if data.get("section") == Section.IMPLICATIONS and not data.get("implication"):
            self.add_error("implication", "Say which implication this is")
        return data

    def values(self) -> dict:
        """What `save_narrative` is given: the model's fields, and an implication's key."""
        values = {k: self.cleaned_data[k] for k in self.Meta.fields}
        if values["section"] == Section.IMPLICATIONS:
            values["key"] = self.cleaned_data["implication"]
        return values


class PeriodForm(GdsForm, forms.Form):
    period = period_field()

    def clean_period(self):
        return clean_period(self.cleaned_data["period"])


class OpenCollectionForm(PeriodForm):
    due = forms.DateField(
        required=False, label="Figures due by", help_text="For example 2024-10-15"
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_period(self):
        """Not a period after the plan ends: the API takes a provider's figure only for an open
        collection, so this bounds it too."""
        code = super().clean_period()
        if why := outside_plan(parse_period(code), self.plan.starts, self.plan.ends):
            raise forms.ValidationError(why[:1].upper() + why[1:])
        return code


class ReturnForm(GdsForm, forms.Form):
    note = forms.CharField(
        label="Why is this figure being sent back?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The data provider sees this note beside the figure",
    )


class CorrectionForm(GdsForm, forms.Form):
    value = forms.CharField(label="Corrected value", max_length=40)
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the public page beside the figure, with today's date",
    )

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure

    def clean_value(self):
        return clean_figure(self.measure, self.cleaned_data["value"])


class OverrideForm(GdsForm, forms.Form):
    """The office's own status in place of the rules' one; both stay visible, with the reason."""

    rag = forms.ChoiceField(
        label="Published status",
        choices=[("", "As the rules give it (no override)"), *RagChoice.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the override",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown beside the status wherever it is published",
    )

    def clean(self):
        data = super().clean()
        if data.get("rag") and not (data.get("reason") or "").strip():
            self.add_error("reason", "An override needs a reason")
        return data


def clean_figure(measure: Measure, text: str) -> Decimal | None:
    """A typed figure read and checked exactly as the importer reads a CSV cell."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = parse_number(text)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from exc
    if why := value_problem(measure, value):
        raise forms.ValidationError(why[:1].upper() + why[1:])
    return value


MILESTONE_CHOICES = [("", "Not entered")] + [
    (s.value, s.words.capitalize()) for s in lr.MilestoneStatus
]


class FigureForm(GdsForm, forms.Form):
    """One measure's figure for the period, entered by its data provider."""

    value = forms.CharField(required=False, max_length=40)
    status = forms.ChoiceField(required=False, choices=MILESTONE_CHOICES)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, measure: Measure, judge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.judge = judge  # value -> the RAG the rules give it for the period (or None)
        name = measure.name
        self.fields["value"].label = f"Figure for {measure.code} {name}"
        self.fields["status"].label = f"Status of {measure.code} {name}"
        self.fields["comment"].label = f"Comment on {measure.code}"
        self.fields["source"].label = f"Source of {measure.code}"
        if measure.is_milestone:
            del self.fields["value"]
        else:
            del self.fields["status"]

    def clean_value(self):
        return clean_figure(self.measure, self.cleaned_data.get("value", ""))

    @property
    def off_target(self) -> bool:
        """Whether the entered figure is red or otherwise off target (then a comment is needed)."""
        data = self.cleaned_data
        return needs_comment(
            self.measure,
            status=data.get("status") or "",
            value=data.get("value"),
            rag_of=self.judge,
        )

    def clean(self):
        data = super().clean()
        if not self.errors and self.off_target and not (data.get("comment") or "").strip():
            self.add_error(
                "comment",
                f"{self.measure.code} is off target: say why in a comment",
            )
        return data

    def entered(self) -> bool:
        d = self.cleaned_data
        return d.get("value") is not None or bool(d.get("status"))


UPLOADS = {
    "figures": ("A period's figures (CSV or XLSX)", {".csv", ".xlsx", ".xlsm"}),
    "narrative": ("A period's report narrative (Markdown)", {".md", ".markdown", ".txt"}),
    "plan": ("The plan itself: objectives, measures, targets (YAML)", {".yaml", ".yml"}),
}


class UploadForm(GdsForm, forms.Form):
    """One file for the importers, exactly as `oversight import` takes it from the command line."""

    what = forms.ChoiceField(
        label="What is in the file",
        choices=[(k, label) for k, (label, _) in UPLOADS.items()],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label="File")
    correction_reason = forms.CharField(
        label="Reason for any correction (figures only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only to change figures already published; shown with each correction",
    )

    def __init__(self, *args, only: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if only:  # a new plan: its YAML is the only thing to upload
            cast(forms.ChoiceField, self.fields["what"]).choices = [(only, UPLOADS[only][0])]
            self.fields["what"].initial = only
            del self.fields["correction_reason"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if error := size_error(upload):
            raise forms.ValidationError(error)
        return upload

    def clean(self):
        data = super().clean()
        upload, what = data.get("file"), data.get("what")
        if upload and what and Path(upload.name).suffix.lower() not in UPLOADS[what][1]:
            allowed = ", ".join(sorted(UPLOADS[what][1]))
            self.add_error("file", f"Choose a {allowed} file for {UPLOADS[what][0].lower()}.")
        return data

    def save_upload(self) -> Path:
        return save_upload(self.cleaned_data["file"])
