"""Comparison groups: who a force is compared with.

- `all`: every force imported for the period;
- `england-and-wales`: the 43 territorial forces of England and Wales (`force_regions.csv`);
- `region`: the forces of the force's region (the English regions and Wales, same table);
- `msg`: the force's most similar group, from the office's own list (`most_similar_groups.csv`,
  shipped empty: the Home Office/HMICFRS lists could not be sourced, and none is invented);
- a list of police.uk force ids (the force itself is always added).

A force in a group with no data imported for the period is named in the comparison's notes.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from .storage import SHIPPED, known_forces, regions_file

NAMED = {
    "all": "every force imported",
    "england-and-wales": "the 43 forces of England and Wales",
    "region": "the forces of its region",
    "msg": "its most similar group (the office's list)",
}


class GroupError(ValueError):
    """Why a group cannot be formed: the full reason for staff, and `public`, a plain sentence
    for the published report and the public site (no file names or setup instructions)."""

    def __init__(self, message: str, public: str = ""):
        super().__init__(message)
        self.public = public or message


def most_similar_file() -> Path:
    return Path(settings.OPENDATA_MOST_SIMILAR_GROUPS or SHIPPED / "most_similar_groups.csv")


def regions() -> dict[str, str]:
    """{force id: region}."""
    return {row["force"]: row["region"] for row in _table(regions_file(), ["force", "region"])}


def most_similar() -> dict[str, list[str]]:
    """{force id: its peers} from the office's list."""
    out: dict[str, list[str]] = defaultdict(list)
    for row in _table(most_similar_file(), ["force", "peer"]):
        out[row["force"]].append(row["peer"])
    return dict(out)


def _table(path: Path, columns: list[str]) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise GroupError(
            f"cannot read {path}: {exc}", "the comparison groups are unavailable"
        ) from exc
    if rows and any(c not in rows[0] for c in columns):
        raise GroupError(
            f"{path.name} needs the columns {', '.join(columns)}",
            "the comparison groups are unavailable",
        )
    return [{c: (row[c] or "").strip() for c in columns} for row in rows]


def resolve(spec: str | list[str] | None, force: str) -> tuple[list[str] | None, str]:
    """The group's members (None: every force imported) and its label."""
    if not spec or spec == "all" or spec == ["all"]:
        return None, "all forces imported"
    if isinstance(spec, list) and len(spec) == 1 and spec[0] in NAMED:
        spec = spec[0]
    if spec == "england-and-wales":
        return sorted({*regions(), force}), "England and Wales"
    if spec == "region":
        table = regions()
        region = table.get(force)
        if region is None:
            raise GroupError(
                f"{force} has no region in {regions_file().name}: add it, or compare with a list",
                f"{force} has no region to compare with",
            )
        members = sorted(f for f, r in table.items() if r == region)
        return members, region if region == "Wales" else f"{region} region"
    if spec == "msg":
        peers = most_similar().get(force)
        if not peers:
            raise GroupError(
                f"no most similar group for {force} in {most_similar_file().name}: the office "
                "supplies it (one row per peer: force,peer); see opendata/data/README.md",
                f"no most similar group has been given for {force}",
            )
        return sorted({*peers, force}), "most similar group"
    ids = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    known = known_forces()
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise GroupError(
            f"unknown force id(s) {', '.join(unknown)}: use police.uk ids (e.g. west-mercia) or "
            f"one of {', '.join(NAMED)}"
        )
    members = sorted({*ids, force})
    return members, f"{len(members)} forces"
