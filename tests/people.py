"""The web tests' cast and demo site: one user per role and the demo plan with a collection, a
draft, a narrative and API tokens. Import the fixtures into a test module to use them:

    from people import cast, site  # noqa: F401
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oversight.accounts.roles import Role

PASSWORD = "correct horse battery staple 42"
DRAFT_VALUE = 987654  # a figure no public page may ever show
ROLES = [None, Role.PROVIDER, Role.PANEL, Role.EDITOR, Role.ADMIN]


def role_name(role) -> str:
    return str(role) if role else "public"


@pytest.fixture
def cast(db, settings):
    from oversight.accounts.actions import create_user

    # Argon2 is deliberately slow; these users need not be (tests/web/test_security.py checks
    # that real users get Argon2 hashes).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    return {
        role: create_user(
            f"{role}-user", password=PASSWORD, role=role, email=f"{role}@example.org", by="test"
        )
        for role in (Role.PROVIDER, Role.PANEL, Role.EDITOR, Role.ADMIN)
    }


@pytest.fixture
def site(cast):
    """The demo plan (2013/14 Q1 published) with a 2013/14 Q2 collection open, the provider assigned
    to every measure of objective 2, a submitted draft figure for 2.1 and a token per role."""
    from oversight.accounts.actions import issue_token
    from oversight.plans import actions
    from oversight.plans import demo as plan_demo
    from oversight.plans import demo_series as series
    from oversight.plans.models import Measure

    plan = plan_demo.load(by="test")
    series.load(plan=plan, out_dir=None, by="test")  # the synthetic monthly history, published
    provider = cast[Role.PROVIDER]
    theirs = list(Measure.objects.filter(plan=plan, objective__code="2"))
    for m in theirs:
        m.providers.add(provider)
    collection = actions.open_collection(plan, "2013/14 Q2", by=cast[Role.EDITOR])
    measure = Measure.objects.get(plan=plan, code="2.1")
    draft = actions.record_observation(
        measure, "2013/14 Q2", by=provider, value=DRAFT_VALUE, basis="ytd", state="draft"
    )
    actions.submit_figure(draft, by=provider)
    tokens = {
        role: issue_token(user, f"{role} system", by="test")[1] for role, user in cast.items()
    }
    return SimpleNamespace(
        plan=plan,
        cast=cast,
        collection=collection,
        measure=measure,
        draft=draft,
        provider_measures=theirs,
        objective=measure.objective,
        narrative=plan.narratives.first(),
        tokens=tokens,
    )


def client_for(client, site, role):
    """The Django test client signed in as the role's user (anonymous for None)."""
    if role is not None:
        client.force_login(site.cast[role])
    return client


@pytest.fixture
def site_history(site):
    """The demo site with the synthetic monthly history (published), so charts have points."""
    from oversight.plans import demo_series as series

    series.load(plan=site.plan, out_dir=None, by="test")
    return site


def form_data(response) -> dict:
    """What a browser would post back from a page's form untouched: each field's shown value
    (hidden ones too), a ticked box as "on", an unticked one left out."""
    from django import forms

    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data
