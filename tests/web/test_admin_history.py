"""The admin shows every versioned record and its history to an administrator, read-only."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin

from oversight.accounts.roles import Role
from oversight.audit.admin import VersionedAdmin
from oversight.registers.actions import import_register
from oversight.registers.importers import read_register
from oversight.registers.models import Grant

GRANTS = "id,title,purpose,recipient_name,amount,awarded_on,objectives\n"


def test_every_versioned_record_and_its_history_open_read_only_for_an_administrator(
    small_plan, write, cast, client
):
    for amount, objectives in (("5000", "1"), ("6000", "1;2")):
        text = (
            GRANTS + f"g1,Youth club,Activities,Northtown Trust,{amount},2023-06-01,{objectives}\n"
        )
        import_register("grants", read_register("grants", write("g.csv", text), small_plan), by="t")
    client.force_login(cast[Role.ADMIN])
    versioned = [m for m, a in admin.site._registry.items() if isinstance(a, VersionedAdmin)]
    by_app = Counter(m._meta.app_label for m in versioned)
    assert by_app == {"plans": 6, "registers": 6, "scrutiny": 15, "cycle": 1, "subscriptions": 1}
    for model in versioned:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        assert client.get(base + "add/").status_code == 403, base
        obj = model.objects.first()
        if obj is not None:
            assert client.get(f"{base}{obj.pk}/history/").status_code == 200, base
    grant = Grant.objects.get()
    page = client.get(f"/admin/registers/grant/{grant.pk}/history/").content.decode()
    assert "5000.00" in page and "6000.00" in page  # what changed between the two versions
    change = client.get(f"/admin/registers/grant/{grant.pk}/change/").content.decode()
    assert 'name="title"' not in change  # shown, not editable
