"""The demo's narrative, transcribed from seed 002, reads as sentences: where the paper ran a
heading into its paragraph ("Annual report – the PCC has…"), the paragraph now opens the
section and starts with a capital."""

import re

from oversight.plans.demo import DATA


def test_every_paragraph_of_the_demo_narrative_starts_with_a_capital():
    for path in sorted(DATA.glob("narrative-*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for paragraph in re.split(r"\n\s*\n", body):
            text = paragraph.strip().lstrip("-#* ").strip()
            assert not text[:1].islower(), f"{path.name}: {text[:60]}"
