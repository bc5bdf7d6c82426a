"""The one way Oversight reads YAML (plans, narrative front matter, scrutiny files, publication
rules): PyYAML's safe loader, refusing anchors and aliases.

An alias repeats a whole structure by reference, so a file of a few hundred bytes can expand to
gigabytes ("billion laughs"); no file an office writes needs one, so each is refused with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .inputs import DEFAULT_MAX_BYTES, check_file, read_text
from .problems import ImportRefused, Problem

MAX_NODES = 200_000  # values in one file: a plan has a few thousand; this bounds memory
MAX_DEPTH = 50  # a plan nests six deep

# libyaml parses in C when it is installed (PyYAML's wheels include it): a file at the size limit
# takes seconds, not minutes.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    def __init__(self, reason: str, mark):
        self.reason, self.mark = reason, mark


class _Loader(_Base):
    """Safe YAML where an impossible date ("2019-13-01") stays text, so the check that reads it
    reports the key it is under instead of the whole file failing."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value: {exc}", node.start_mark
            ) from None

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

_NODES = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


def _screen(text: str) -> None:
    """Read the file's events (no values are built) and refuse an anchor, an alias, more than
    MAX_NODES values or nesting deeper than MAX_DEPTH, before anything is built from it."""
    nodes = depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:  # building deeper values recurses past the stack
                raise _Refused(
                    f"lists or mappings nested more than {MAX_DEPTH} deep, which no file "
                    "Oversight reads needs",
                    event.start_mark,
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"an alias (*{event.anchor})", event.start_mark)
        if (anchor := getattr(event, "anchor", None)) is not None:
            raise _Refused(f"an anchor (&{anchor})", event.start_mark)
        if isinstance(event, _NODES):
            nodes += 1
            if nodes > MAX_NODES:
                raise _Refused(
                    f"more than {MAX_NODES:,} values, which no file Oversight reads needs",
                    event.start_mark,
                )


def parse_yaml(text: str, file: str, *, first_line: int = 1, what: str = "") -> Any:
    """The value of a YAML text; raises ImportRefused naming the line of any problem.
    `first_line` is the file's line number of the text's first line (front matter starts at 2)."""
    try:
        _screen(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except _Refused as exc:
        line = exc.mark.line + first_line
        reason = exc.reason
        if exc.reason.startswith(("an alias", "an anchor")):
            reason = (
                f"{exc.reason}: Oversight refuses YAML anchors (&name) and aliases (*name), "
                "which can make a small file enormous; write each value out in full"
            )
        raise ImportRefused([Problem(file, f"line {line}", None, reason)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + first_line}" if mark else None
        raise ImportRefused([Problem(file, where, None, f"{what}not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ImportRefused(
            [Problem(file, None, None, f"{what}nested too deeply to be read")]
        ) from None


def load_yaml(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The value of a YAML file, which must exist, be at most `max_bytes`, be UTF-8 (or UTF-16
    with its byte-order mark) and not be empty; raises ImportRefused otherwise."""
    path = Path(path)
    check_file(path, max_bytes)
    text = read_text(path)
    data = parse_yaml(text, path.name)
    if data is None:
        raise ImportRefused([Problem(path.name, None, None, "the file is empty")])
    return data


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # a value repeated (the same date twice) is written out, never as an alias


def dump_yaml(data: Any) -> str:
    """YAML that `load_yaml` reads back: never an anchor or alias, keys in the order given."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
