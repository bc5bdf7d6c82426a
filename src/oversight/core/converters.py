"""Period codes in URLs: "2013/14 Q1" is written 2013-14-q1, "2013/14 H1" 2013-14-h1, "2013/14"
2013-14-fy, "CY2013" cy2013, "2018-W47" 2018-w47, "12m to 2013-06" 12m-to-2013-06,
"2023-05..2023-10" 2023-05--2023-10, and "2013-06" as is."""

from __future__ import annotations

import re

from oversight.lib.periods import PeriodError, PeriodKind, parse_period


def period_slug(code: str) -> str:
    p = parse_period(code)
    fy = f"{p.year}-{(p.year + 1) % 100:02d}"
    if p.kind is PeriodKind.QUARTER:
        return f"{fy}-q{p.index}"
    if p.kind is PeriodKind.HALF:
        return f"{fy}-h{p.index}"
    if p.kind is PeriodKind.YEAR:
        return f"{fy}-fy"
    return p.code.lower().replace(" ", "-").replace("..", "--")


class PeriodConverter:
    regex = (
        r"\d{4}-\d{2}(?:-q[1-4]|-h[12]|-fy)?|cy\d{4}|\d{4}-w\d{2}|12m-to-\d{4}-\d{2}"
        r"|\d{4}-\d{2}--\d{4}-\d{2}"
    )

    def to_python(self, value: str) -> str:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-([qh])([1-4])", value):
            code = f"{m[1]}/{m[2]} {m[3].upper()}{m[4]}"
        elif m := re.fullmatch(r"(\d{4})-(\d{2})-fy", value):
            code = f"{m[1]}/{m[2]}"
        elif m := re.fullmatch(r"12m-to-(\d{4}-\d{2})", value):
            code = f"12m to {m[1]}"
        else:
            code = value.replace("--", "..")
        try:
            return parse_period(code).code
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value: str) -> str:
        return period_slug(value)
