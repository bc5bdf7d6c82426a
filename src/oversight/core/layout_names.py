"""Which report layouts exist, by name: the office's own folder (OVERSIGHT_REPORT_LAYOUTS_DIR)
and the layouts that ship with the reports app. Here, below the plans app, so that a plan file
naming a layout that does not exist is refused when the plan is imported (`plans.importers`),
not when its first report is composed; `oversight.reports.layouts` reads and checks the layouts
themselves and takes its folders from here.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

# The layouts that ship with the reports app (src/oversight/reports/layouts/*.yaml). A path, not
# an import: the reports app is above this one. tests/reports/test_report_layouts.py checks it.
BUILT_IN = Path(__file__).resolve().parent.parent / "reports" / "layouts"
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def folders() -> list[Path]:
    """Where layouts are looked for, the office's own folder first."""
    own = getattr(settings, "OVERSIGHT_REPORT_LAYOUTS_DIR", "")
    return ([Path(own)] if own else []) + [BUILT_IN]


def available() -> list[str]:
    """The names of every layout the office may choose."""
    return sorted({p.stem for f in folders() if f.is_dir() for p in f.glob("*.yaml")})
