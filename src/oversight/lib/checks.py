"""Type checks for values read from YAML, each problem reported with the key path it came from
("objectives[2].measures[0].target.value"). Plain Python: the caller gives the limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from .problems import Problems
from .tables import parse_number


class Checker:
    """Type checks for YAML values that report the key path of each problem."""

    def __init__(self, problems: Problems):
        self.p = problems

    def mapping(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.p.add(path, None, f"must be a mapping of keys to values, not {kind_of(value)}")
            return {}
        return value

    def text(
        self,
        d: dict,
        key: str,
        path: str,
        required: bool = True,
        default: str = "",
        limit: int | None = None,
    ) -> str:
        if key not in d or d[key] is None:
            if required:
                self.p.add(f"{path}.{key}", None, "is missing")
            return default
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, (str, int, float, date)):
            self.p.add(f"{path}.{key}", None, f"must be text, not {kind_of(v)}")
            return default
        text = str(v).strip()
        if required and not text:
            self.p.add(f"{path}.{key}", None, "is empty")
        if limit is not None and len(text) > limit:
            self.p.add(f"{path}.{key}", None, f"is {len(text)} characters; the limit is {limit}")
        return text

    def choice(
        self, d: dict, key: str, path: str, allowed: list[str], default: str | None = None
    ) -> str:
        v = self.text(d, key, path, required=default is None, default=default or "")
        if v and v not in allowed:
            self.p.add(f"{path}.{key}", None, f'"{v}" is not one of: {", ".join(allowed)}')
        return v

    def day(self, d: dict, key: str, path: str, required: bool = True) -> date | None:
        if key not in d or d[key] is None:
            if required:
                self.p.add(f"{path}.{key}", None, "is missing")
            return None
        v = d[key]
        if isinstance(v, date):
            return v
        try:
            return date.fromisoformat(str(v))
        except ValueError as exc:
            # "2013-13-01" has the right form: say which part is impossible
            why = f"{exc}; " if re.fullmatch(r"\d{4}-\d\d-\d\d", str(v)) else ""
            self.p.add(f"{path}.{key}", None, f'"{v}" is not a date ({why}use YYYY-MM-DD)')
            return None

    def number(
        self,
        d: dict,
        key: str,
        path: str,
        required: bool = False,
        fits: Callable[[Decimal], str | None] | None = None,
    ) -> Decimal | None:
        """A number; `fits(value)` gives the reason it cannot be kept (e.g. the column's limits)."""
        if key not in d or d[key] is None:
            if required:
                self.p.add(f"{path}.{key}", None, "is missing")
            return None
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            self.p.add(f"{path}.{key}", None, f"must be a number, not {kind_of(v)}")
            return None
        try:
            value = parse_number(repr(v) if isinstance(v, float) else str(v))
        except ValueError as exc:
            self.p.add(f"{path}.{key}", None, str(exc))
            return None
        if fits is not None and (why := fits(value)):
            self.p.add(f"{path}.{key}", None, why)
            return None
        return value

    def boolean(self, d: dict, key: str, path: str, default: bool = False) -> bool:
        v = d.get(key, default)
        if not isinstance(v, bool):
            self.p.add(f"{path}.{key}", None, f"must be true or false, not {v!r}")
            return default
        return v

    def strings(self, d: dict, key: str, path: str) -> list[str]:
        v = d.get(key) or []
        if not isinstance(v, list) or not all(isinstance(x, (str, int, float)) for x in v):
            self.p.add(f"{path}.{key}", None, "must be a list of text items")
            return []
        return [str(x) for x in v]

    def items(self, d: dict, key: str, path: str, required: bool = True) -> list:
        v = d.get(key)
        if v is None:
            if required:
                self.p.add(f"{path}.{key}", None, "is missing")
            return []
        if not isinstance(v, list):
            self.p.add(f"{path}.{key}", None, f"must be a list, not {kind_of(v)}")
            return []
        return v


def kind_of(v: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", str: "text"}.get(
        type(v),
        "a number" if isinstance(v, (int, float)) else "empty" if v is None else type(v).__name__,
    )
