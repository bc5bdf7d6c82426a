"""A signed-in user's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from oversight.accounts.access import require
from oversight.accounts.actions import issue_token, revoke_token
from oversight.accounts.forms import TokenForm
from oversight.accounts.models import ApiToken
from oversight.accounts.roles import SIGNED_IN


@require(*SIGNED_IN)
def tokens(request):
    """A user's own API tokens: issue one (the secret is shown once) or revoke one."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user)
            revoke_token(token, by=request.user)
            messages.success(request, f"Token {token.hint}… revoked.")
            return redirect("tokens")
        if form.is_valid():
            _, secret = issue_token(request.user, form.cleaned_data["name"], by=request.user)
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )
