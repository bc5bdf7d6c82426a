"""Forms for the delivery plan's and the risk register's staff pages (crispy-forms-gds). Edit
forms carry the version they started from (optimistic locking, core.locking)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib.auth import get_user_model

from oversight.core.forms import GdsForm, clean_table_upload, save_upload
from oversight.core.locking import Versioned
from oversight.plans.models import Plan

from .models import Activity, Milestone, Risk, State, Status


def _staff_users():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class ActivityForm(GdsForm, Versioned, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "objective",
            "code",
            "title",
            "description",
            "owner",
            "owner_name",
            "owner_email",
            "weight",
            "status",
            "percent_complete",
            "order",
            "state",
        ]
        help_texts = {
            "percent_complete": "0 to 100. Leave blank when no percentage is recorded: it is "
            "shown as not recorded and left out of the progress, not counted as 0."
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["objective"].queryset = plan.objectives.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _staff_users()  # type: ignore[attr-defined]

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Activity.objects.filter(plan=self.plan, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"Activity {code} is already in this plan.")
        return code

    def clean(self):
        data = super().clean() or {}
        if data.get("status") == Status.COMPLETE and data.get("percent_complete") not in (
            None,
            100,
        ):
            self.add_error("percent_complete", "A complete activity is 100% complete.")
        return data


class MilestoneForm(GdsForm, Versioned, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due", "completed_on", "status", "order"]
        widgets = {"due": forms.DateInput(), "completed_on": forms.DateInput()}
        help_texts = {"due": "YYYY-MM-DD", "completed_on": "YYYY-MM-DD; blank until completed"}


class UpdateForm(GdsForm, forms.Form):
    on = forms.DateField(label="Date of the update (YYYY-MM-DD)", input_formats=["%Y-%m-%d"])
    note = forms.CharField(label="Progress note (Markdown)", widget=forms.Textarea)
    status = forms.ChoiceField(
        label="Status now (blank: unchanged)",
        choices=[("", "Unchanged"), *Status.choices],
        required=False,
    )
    percent_complete = forms.IntegerField(
        label="Percent complete now (blank: unchanged)", min_value=0, max_value=100, required=False
    )


class RiskForm(GdsForm, Versioned, forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "code",
            "title",
            "description",
            "owner",
            "owner_name",
            "owner_email",
            "likelihood_before",
            "impact_before",
            "likelihood_after",
            "impact_after",
            "controls",
            "review_on",
            "objectives",
            "activities",
            "measures",
            "state",
        ]
        widgets = {
            "objectives": forms.CheckboxSelectMultiple,
            "activities": forms.CheckboxSelectMultiple,
            "measures": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "likelihood_before": "1 (rare) to 5 (almost certain), before the controls",
            "impact_before": "1 (negligible) to 5 (severe), before the controls",
            "likelihood_after": "1 to 5, with the controls in place",
            "impact_after": "1 to 5, with the controls in place",
            "review_on": "YYYY-MM-DD",
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["owner"].queryset = _staff_users()  # type: ignore[attr-defined]
        self.fields["objectives"].queryset = plan.objectives.all()  # type: ignore[attr-defined]
        self.fields["activities"].queryset = Activity.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["measures"].queryset = plan.measures.all()  # type: ignore[attr-defined]

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Risk.objects.filter(plan=self.plan, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"Risk {code} is already in this plan.")
        return code


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=State.choices)


class ImportForm(GdsForm, forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[("delivery", "Delivery plan (activities and milestones)"), ("risks", "Risks")],
    )
    file = forms.FileField(label="CSV or XLSX file")

    def clean_file(self):
        return clean_table_upload(self.cleaned_data["file"])

    def save_upload(self, upload) -> Path:
        return save_upload(upload)
