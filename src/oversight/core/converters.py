"""Period codes in URLs: "2013/14 Q1" is written 2013-14-q1, "2013/14" 2013-14-fy, "2013-06" as is."""

from __future__ import annotations

import re

from oversight.lib.periods import PeriodError, parse_period


def period_slug(code: str) -> str:
    p = parse_period(code)
    if p.kind == "quarter":
        return f"{p.year}-{(p.year + 1) % 100:02d}-q{p.index}"
    if p.kind == "year":
        return f"{p.year}-{(p.year + 1) % 100:02d}-fy"
    return p.code


class PeriodConverter:
    regex = r"\d{4}-\d{2}(?:-q[1-4]|-fy)?"

    def to_python(self, value: str) -> str:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-q([1-4])", value):
            code = f"{m[1]}/{m[2]} Q{m[3]}"
        elif m := re.fullmatch(r"(\d{4})-(\d{2})-fy", value):
            code = f"{m[1]}/{m[2]}"
        else:
            code = value
        try:
            return parse_period(code).code
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value: str) -> str:
        return period_slug(value)
