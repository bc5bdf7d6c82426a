"""The data.police.uk archive: its file names, columns and vocabularies, a measure's police.uk
source, and funnel-plot limits for comparing forces. Plain Python, no Django, no DuckDB.

The archive layout is `YYYY-MM/YYYY-MM-<force>-street.csv` (and `-outcomes.csv`,
`-stop-and-search.csv`), where <force> is the police.uk force id ("west-mercia").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    STREET = "street"
    OUTCOMES = "outcomes"
    STOP_AND_SEARCH = "stop-and-search"


COLUMNS: dict[Kind, list[str]] = {
    Kind.STREET: [
        "Crime ID",
        "Month",
        "Reported by",
        "Falls within",
        "Longitude",
        "Latitude",
        "Location",
        "LSOA code",
        "LSOA name",
        "Crime type",
        "Last outcome category",
        "Context",
    ],
    Kind.OUTCOMES: [
        "Crime ID",
        "Month",
        "Reported by",
        "Falls within",
        "Longitude",
        "Latitude",
        "Location",
        "LSOA code",
        "LSOA name",
        "Outcome type",
    ],
    Kind.STOP_AND_SEARCH: [
        "Type",
        "Date",
        "Part of a policing operation",
        "Policing operation",
        "Latitude",
        "Longitude",
        "Gender",
        "Age range",
        "Self-defined ethnicity",
        "Officer-defined ethnicity",
        "Legislation",
        "Object of search",
        "Outcome",
        "Outcome linked to object of search",
        "Removal of more than just outer clothing",
    ],
}

# The police.uk "Crime type" wording (street-level crime, since May 2013).
CRIME_TYPES = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
]
ASB = "Anti-social behaviour"

FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-(0[1-9]|1[0-2]))-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")


@dataclass(frozen=True)
class ArchiveFile:
    month: str
    force: str
    kind: Kind


def parse_file_name(name: str) -> ArchiveFile | None:
    """`2019-01-west-mercia-street.csv` → (2019-01, west-mercia, street); None if not an archive
    file name."""
    m = FILE_NAME.match(name)
    if not m:
        return None
    return ArchiveFile(m["month"], m["force"], Kind(m["kind"]))


def local_authority(lsoa_name: str | None) -> str | None:
    """The local authority of an LSOA from its name: "Herefordshire 012C" → "Herefordshire"."""
    if not lsoa_name:
        return None
    return LSOA_SUFFIX.sub("", lsoa_name.strip()) or None


def header_problem(kind: Kind, header: list[str]) -> str | None:
    """Why a file's header is not the one police.uk publishes for its kind, or None."""
    expected = COLUMNS[kind]
    if header == expected:
        return None
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(f'"{c}"' for c in missing))
    if extra:
        parts.append("unexpected " + ", ".join(f'"{c}"' for c in extra))
    if not parts:
        parts.append("the columns are in a different order")
    return f"not a police.uk {kind} file: " + "; ".join(parts)


class Statistic(StrEnum):
    COUNT = "count"
    RATE = "rate"  # per 1,000 residents
    OUTCOME_RATE = "outcome_rate"  # percent of crimes whose last outcome is in `outcomes`


@dataclass(frozen=True)
class Source:
    """A measure fed from police.uk, as the plan YAML declares it under `opendata:`."""

    force: str
    crime_types: list[str] = field(default_factory=list)  # empty: all crime except ASB
    area: str | None = None  # a local authority or local policing area; None: the force
    statistic: Statistic = Statistic.COUNT
    outcomes: list[str] = field(default_factory=list)
    compare: list[str] = field(default_factory=list)  # force ids, or ["all"]

    def describe(self) -> str:
        what = ", ".join(self.crime_types) if self.crime_types else "all crime (excluding ASB)"
        where = self.area or self.force
        return f"police.uk street-level crime: {what}, {where}"


SOURCE_KEYS = {"source", "force", "crime_types", "area", "statistic", "outcomes", "compare"}


def parse_source(raw: dict[str, Any]) -> Source:
    """Read and check a measure's `opendata:` mapping; ValueError lists what is wrong."""
    problems = []
    unknown = sorted(set(raw) - SOURCE_KEYS)
    if unknown:
        problems.append(
            f"unknown key(s) {', '.join(unknown)}: use {', '.join(sorted(SOURCE_KEYS))}"
        )
    if raw.get("source", "police.uk") != "police.uk":
        problems.append('source must be "police.uk"')
    force = raw.get("force")
    if not isinstance(force, str) or not force:
        problems.append('force is required: the police.uk force id, e.g. "west-mercia"')
    types = raw.get("crime_types") or []
    if isinstance(types, str):
        types = [types]
    bad = [t for t in types if t not in CRIME_TYPES]
    if bad:
        problems.append(
            f"unknown crime type(s) {', '.join(map(str, bad))}: use the police.uk wording, "
            f"e.g. {', '.join(CRIME_TYPES[:3])}"
        )
    try:
        statistic = Statistic(raw.get("statistic", "count"))
    except ValueError:
        problems.append(f"statistic must be one of {', '.join(s.value for s in Statistic)}")
        statistic = Statistic.COUNT
    outcomes = raw.get("outcomes") or []
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    if statistic is Statistic.OUTCOME_RATE and not outcomes:
        problems.append("an outcome_rate needs outcomes: the last outcome categories it counts")
    compare = raw.get("compare") or []
    if isinstance(compare, str):
        compare = [compare]
    if problems:
        raise ValueError("; ".join(problems))
    return Source(
        force=force,  # type: ignore[arg-type]
        crime_types=list(types),
        area=raw.get("area") or None,
        statistic=statistic,
        outcomes=list(outcomes),
        compare=list(compare),
    )


# ----------------------------------------------------------------- funnel plots


def funnel_limits(expected: float, confidence: float) -> tuple[float, float]:
    """Exact Poisson limits for a count whose expected value is `expected` (a force's population
    times the group's rate): the counts between which a force with the group's true rate falls
    with the given probability. Source: Spiegelhalter (2005), "Funnel plots for comparing
    institutional performance", Stat Med 24:1185, §3 (exact limits by the chi-squared link)."""
    from scipy.stats import chi2  # imported here: loading SciPy takes most of a second

    if expected <= 0:
        return (0.0, 0.0)
    a = 1 - confidence
    lower = chi2.ppf(a / 2, 2 * expected) / 2
    upper = chi2.ppf(1 - a / 2, 2 * expected + 2) / 2
    return (float(lower), float(upper))
