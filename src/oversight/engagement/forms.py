"""Forms for the engagement staff pages."""

from __future__ import annotations

from django import forms

from oversight.core.locking import Versioned

from .models import Qualifier


class CountForm(Versioned, forms.Form):
    value = forms.IntegerField(label="Count", min_value=0, max_value=2_147_483_647)
    qualifier = forms.ChoiceField(label="As the paper puts it", choices=Qualifier.choices)
    note = forms.CharField(label="Source and caveats", widget=forms.Textarea, required=False)


class VocabularyForm(forms.Form):
    vocabulary = forms.ChoiceField(
        label="Add to", choices=[("kind", "Kinds of count"), ("theme", "Casework themes")]
    )
    code = forms.SlugField(label="Code (lower-case letters, digits and '-')", max_length=60)
    label = forms.CharField(label="Label", max_length=200)
