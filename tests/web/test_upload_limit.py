"""Uploads past OVERSIGHT_MAX_IMPORT_BYTES are refused with their size, and their bytes past the
limit are never kept; a page of problems stops at 200 and counts the rest."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from oversight.accounts.roles import Role
from oversight.core.uploads import LimitedUploadHandler, OversizeUpload
from oversight.lib.inputs import MB
from oversight.plans.models import Observation

from conftest import HEADER

URL = "/staff/plans/west-mercia-2013/upload/"


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_an_upload_over_the_limit_is_refused_with_its_size_and_nothing_is_imported(
    client, site, settings
):
    settings.OVERSIGHT_MAX_IMPORT_BYTES = MB
    client.force_login(site.cast[Role.EDITOR])
    before = Observation.objects.count()
    body = (HEADER + "1.1,2013/14 Q3,,70.2,,,,,,,,,,\n" * 60000).encode()[: MB + MB // 2]
    page = text_of(client.post(URL, {"what": "figures", "file": SimpleUploadedFile("q.csv", body)}))
    assert "The file is 1.5 MB; the limit is 1 MB (OVERSIGHT_MAX_IMPORT_BYTES)." in page
    assert Observation.objects.count() == before


def test_a_register_upload_over_the_limit_is_refused(client, site, settings):
    settings.OVERSIGHT_MAX_IMPORT_BYTES = 1024
    client.force_login(site.cast[Role.EDITOR])
    upload = SimpleUploadedFile("d.csv", b"id,title,made_on\n" + b"d,t,2020-01-01\n" * 200)
    page = text_of(client.post("/registers/import/", {"kind": "decisions", "file": upload}))
    assert "The file is 3 KB; the limit is 1 KB (OVERSIGHT_MAX_IMPORT_BYTES)." in page


def test_the_upload_handler_passes_nothing_on_past_the_limit_and_counts_the_rest(settings):
    settings.OVERSIGHT_MAX_IMPORT_BYTES = 100
    handler = LimitedUploadHandler(RequestFactory().post("/"))
    handler.new_file("file", "big.csv", "text/csv", None)
    chunks = [handler.receive_data_chunk(b"x" * 60, i * 60) for i in range(5)]
    assert chunks[:1] == [b"x" * 60] and chunks[1:] == [None] * 4
    kept = handler.file_complete(300)
    assert isinstance(kept, OversizeUpload) and kept.size == 300 and kept.read() == b""


def test_the_upload_handler_leaves_a_file_within_the_limit_to_django(settings):
    settings.OVERSIGHT_MAX_IMPORT_BYTES = 100
    handler = LimitedUploadHandler(RequestFactory().post("/"))
    handler.new_file("file", "small.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * 100, 0) == b"x" * 100
    assert handler.file_complete(100) is None


def test_a_page_of_problems_lists_200_and_says_how_many_more(client, site):
    client.force_login(site.cast[Role.EDITOR])
    rows = "".join(f"x{i},2013/14 Q3,,5,,,,,,,,,,\n" for i in range(250))
    upload = SimpleUploadedFile("q.csv", (HEADER + rows).encode())
    page = text_of(client.post(URL, {"what": "figures", "file": upload}))
    assert "250 problems found; nothing was imported" in page
    assert "x199&quot;" in page and "x200&quot;" not in page
    assert "… and 50 more problems (250 in all)" in page
