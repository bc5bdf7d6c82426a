"""Benchmark: a year of a busy Panel's scrutiny record (synthetic), imported and rendered.

Generates one YAML file of 12 meetings × 12 agenda items × 3 agreed actions (432 actions), 40
people, 6 HMICFRS reports × 40 recommendations (all synthetic, numbered, no real content) into a
fresh SQLite database in a temporary folder (or PostgreSQL via DATABASE_URL), then times:
  - reading and checking the YAML plus writing it (a first import);
  - a clean re-import of the same file (every record compared, nothing written);
  - the minutes of one meeting as HTML, DOCX and PDF; the action log as PDF;
  - `oversight scrutiny actions --overdue --format json` over all actions.
The action log's baseline, in the same run: the same document laid out as before (WeasyPrint's
automatic table layout). Goals on a 2-core machine: import under 10 s; the minutes under 10 s;
the action log PDF under 2 s.

    .venv/bin/python benchmarks/bench_scrutiny.py [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_spine import font_subsetter, pdf_as_before, pdf_with_fonttools  # noqa: E402
from figures import Report, database_vendor, json_argument  # noqa: E402

MEETINGS, ITEMS, ACTIONS, PEOPLE, REPORTS, RECS = 12, 12, 3, 40, 6, 40


def make_file(folder: Path) -> Path:
    lines = ["people:"]
    lines += [f"  - {{id: p{i}, name: Person {i}, honorific: Councillor}}" for i in range(PEOPLE)]
    lines += [
        "bodies:",
        "  - {id: bench-panel, name: Benchshire Police and Crime Panel, kind: panel}",
        "meetings:",
    ]
    minute = 1
    for m in range(MEETINGS):
        lines += [
            f"  - body: bench-panel\n    date: 2022-{m + 1:02d}-10\n    time: '11:00'\n    status: held",
            "    attendance:",
            "      present: [" + ", ".join(f"p{i}" for i in range(PEOPLE - 5)) + "]",
            "      apologies: [" + ", ".join(f"p{i}" for i in range(PEOPLE - 5, PEOPLE)) + "]",
            "    items:",
        ]
        for _item in range(ITEMS):
            lines += [
                f"      - minute: {minute}\n        title: Item {minute}",
                "        minutes: |\n"
                + "\n".join(f"          - discussion point {k}" for k in range(8)),
                "        agreed:",
            ]
            for a in range(ACTIONS):
                due = f"2022-{m + 2:02d}-10" if m < MEETINGS - 1 else ""
                action = f"{{owner: PCC, due_meeting: {due}}}" if due else "{owner: PCC}"
                lines.append(
                    f"          - text: Resolution {minute}.{a + 1}\n            action: {action}"
                )
            minute += 1
    lines.append("hmicfrs:")
    for r in range(REPORTS):
        lines += [
            f"  - {{id: report-{r}, title: Report {r}, kind: thematic, published: 2022-0{r + 1}-15}}",
        ]
        lines[-1] = lines[-1][:-1] + ", findings: ["
        lines[-1] += ", ".join(
            f"{{ref: R{k}, kind: recommendation, text: Recommendation {k}, status: open}}"
            for k in range(RECS)
        )
        lines[-1] += "]}"
    path = folder / "bench-scrutiny.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed(label: str, fn, results: dict[str, float] | None = None):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:7.2f} s")
    if results is not None:
        results[label] = elapsed
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    json_argument(parser)
    args = parser.parse_args()
    report = Report(
        "bench_scrutiny",
        settings={"actions": MEETINGS * ITEMS * ACTIONS, "font_subsetter": font_subsetter()},
    )
    results: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="bench-scrutiny-"))
    os.environ.setdefault("OVERSIGHT_DATA_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    (work / "var").mkdir()
    django.setup()
    from django.core.management import call_command

    from oversight.core.render import render
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.documents import action_log_document, minutes_document
    from oversight.scrutiny.importers import read_scrutiny
    from oversight.scrutiny.models import Body, Meeting

    call_command("migrate", verbosity=0)
    path = make_file(work)
    print(
        f"{MEETINGS * ITEMS * ACTIONS} actions, {REPORTS * RECS} recommendations, {path.stat().st_size // 1024} KiB of YAML"
    )
    timed(
        "first import (check + write)",
        lambda: import_scrutiny(read_scrutiny(path), by="bench"),
        results,
    )
    timed("re-import, nothing changed", lambda: import_scrutiny(read_scrutiny(path), by="bench"))
    meeting = Meeting.objects.order_by("date").first()
    for fmt in ("html", "docx", "pdf"):
        timed(
            f"minutes of one meeting, {fmt}",
            lambda fmt=fmt: render(minutes_document(meeting), fmt),
            results,
        )
    body = Body.objects.get(slug="bench-panel")
    # Alternately, three times each, medians: a busy machine's spikes fall on both alike.
    # Where HarfBuzz subsets the fonts, the same PDF with fontTools subsetting them is timed too.
    harfbuzz = font_subsetter() == "HarfBuzz"
    now, before, fonttools = [], [], []
    for _ in range(3):
        timed(
            "action log (432 actions), pdf",
            lambda: render(action_log_document(body), "pdf"),
            results,
        )
        now.append(results["action log (432 actions), pdf"])
        timed(
            "baseline: action log laid out as before",
            lambda: pdf_as_before(action_log_document(body)),
            results,
        )
        before.append(results["baseline: action log laid out as before"])
        if harfbuzz:
            timed(
                "baseline: action log, fonts subset by fontTools",
                lambda: pdf_with_fonttools(action_log_document(body)),
                results,
            )
            fonttools.append(results["baseline: action log, fonts subset by fontTools"])
    results["action log (432 actions), pdf"] = statistics.median(now)
    results["baseline: action log laid out as before"] = statistics.median(before)
    timed(
        "actions --overdue --format json",
        lambda: call_command(
            "scrutiny", "actions", "--overdue", "--format", "json", stdout=StringIO()
        ),
    )

    report.add(
        "first import (check + write)", results["first import (check + write)"], "s", goal=10
    )
    report.add("minutes of one meeting, pdf", results["minutes of one meeting, pdf"], "s", goal=10)
    report.add(
        "action log pdf (432 actions), median of 3",
        results["action log (432 actions), pdf"],
        "s",
        goal=2,
        baseline=results["baseline: action log laid out as before"],
        baseline_name="automatic table layout, median of 3, interleaved",
    )
    if fonttools:
        report.add(
            "  action log pdf, fonts by HarfBuzz (median of 3)",
            results["action log (432 actions), pdf"],
            "s",
            baseline=statistics.median(fonttools),
            baseline_name="fonts subset by fontTools, median of 3, interleaved",
        )
    return report.finish(args.json, database_vendor())


if __name__ == "__main__":
    sys.exit(main())
