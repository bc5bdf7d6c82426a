"""The demo's police.uk data: the real street-level crime files of West Mercia and Warwickshire,
2018-10 to 2019-02 (data.police.uk, Open Government Licence v3.0), imported when they are at hand.

They are not shipped in the package (16 MB); developers and CI have them beside the project, in
../shared/data/police_uk/ (see its PROVENANCE.md), and `OVERSIGHT_POLICE_UK_SAMPLE` may point at
any folder in the archive layout. Without them the demo's open-data pages say that nothing has
been imported, and `oversight opendata import` loads a real archive.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from oversight.plans.models import Plan

SAMPLE = "../shared/data/police_uk/street_geoinformation_in_society"


def load(*, plan: Plan, out_dir: Path, by: Any) -> list[Path]:
    from oversight.opendata.importers import import_archive  # loads Arrow: only when it runs

    folder = Path(os.environ.get("OVERSIGHT_POLICE_UK_SAMPLE") or SAMPLE)
    if folder.is_dir():
        import_archive(folder, by=by)
    return []
