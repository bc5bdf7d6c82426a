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

from .queries import populations
from .storage import SHIPPED

NAMED = {
    "all": "every force imported",
    "england-and-wales": "the 43 forces of England and Wales",
    "region": "the forces of its region",
    "msg": "its most similar group (the office's list)",
}


class GroupError(ValueError):
    pass


def regions_file() -> Path:
    return Path(settings.OPENDATA_FORCE_REGIONS or SHIPPED / "force_regions.csv")


def most_similar_file() -> Path:
    return Path(settings.OPENDATA_MOST_SIMILAR_GROUPS or SHIPPED / "most_similar_groups.csv")


def regions() -> dict[str, str]:
    """{force id: region}."""
    with open(regions_file(), encoding="utf-8", newline="") as fh:
        return {row["force"].strip(): row["region"].strip() for row in csv.DictReader(fh)}


def most_similar() -> dict[str, list[str]]:
    """{force id: its peers} from the office's list."""
    out: dict[str, list[str]] = defaultdict(list)
    with open(most_similar_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["force"].strip()].append(row["peer"].strip())
    return dict(out)


def resolve(spec: str | list[str] | None, force: str) -> tuple[list[str] | None, str]:
    """The group's members (None: every force imported) and its label."""
    if not spec or spec == "all" or spec == ["all"]:
        return None, "all forces imported"
    if isinstance(spec, list) and len(spec) == 1 and spec[0] in NAMED:
        spec = spec[0]
    if spec == "england-and-wales":
        return sorted(regions()), "England and Wales"
    if spec == "region":
        table = regions()
        region = table.get(force)
        if region is None:
            raise GroupError(
                f"{force} has no region in {regions_file().name}: add it, or compare with a list"
            )
        members = sorted(f for f, r in table.items() if r == region)
        return members, region if region == "Wales" else f"{region} region"
    if spec == "msg":
        peers = most_similar().get(force)
        if not peers:
            raise GroupError(
                f"no most similar group for {force} in {most_similar_file().name}: the office "
                "supplies it (one row per peer: force,peer); see opendata/data/README.md"
            )
        return sorted({*peers, force}), "most similar group"
    ids = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    known = set(regions()) | set(populations())
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise GroupError(
            f"unknown force id(s) {', '.join(unknown)}: use police.uk ids (e.g. west-mercia) or "
            f"one of {', '.join(NAMED)}"
        )
    members = sorted({*ids, force})
    return members, f"{len(members)} forces"
