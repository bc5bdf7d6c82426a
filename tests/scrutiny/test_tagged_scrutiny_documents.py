"""Every PDF the scrutiny demo writes (minutes, action log, HMICFRS summary) is tagged, with its
language and title, so a screen reader can follow it as it follows the report."""

import pytest
from pypdf import PdfReader


@pytest.fixture
def pdfs(scrutiny_demo):
    return [path for path in scrutiny_demo if path.suffix == ".pdf"]


def test_every_scrutiny_pdf_is_tagged_with_its_language_and_title(pdfs):
    assert len(pdfs) == 3
    for path in pdfs:
        reader = PdfReader(path)
        catalog = reader.trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"], path.name
        assert catalog["/Lang"] == "en-GB", path.name
        assert "/StructTreeRoot" in catalog, path.name
        assert reader.metadata.title, path.name
