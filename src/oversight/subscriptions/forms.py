"""The subscribe form: an email address and the target, from a page's hidden fields."""

from __future__ import annotations

from django import forms

from oversight.core.forms import GdsForm

from .models import TargetKind


class SubscribeForm(GdsForm, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a link to confirm; nothing else is sent until you do.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )
    kind = forms.ChoiceField(choices=TargetKind.choices, widget=forms.HiddenInput)
    key = forms.SlugField(max_length=120, widget=forms.HiddenInput)
