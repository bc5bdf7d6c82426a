"""How the API refuses input: 422 with `{"detail": "N problems; nothing was saved", "problems":
[{field, reason}]}`, whether a route's own checks refuse it or the request cannot be read as the
OpenAPI document declares it (a wrong type, a missing field)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError


class Input(Schema):
    """A request body. Text holding a NUL character is refused by field: PostgreSQL cannot store
    it, nor look anything up by it."""

    @field_validator("*")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "a NUL character (\\u0000) cannot be stored")
        return value


class Problem(Schema):
    field: str
    reason: str


class ProblemsOut(Schema):
    detail: str
    problems: list[Problem]


def problems(items: list[tuple[str, str]]) -> dict[str, Any]:
    """The refusal's body for (field, reason) pairs."""
    return {
        "detail": f"{len(items)} problem{'s' if len(items) != 1 else ''}; nothing was saved",
        "problems": [{"field": f, "reason": r} for f, r in items],
    }


def validation_problems(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's validation errors as problems: one per field, its reasons joined (a field that may
    be text or a number gets one reason per type it failed)."""
    reasons: dict[str, list[str]] = {}
    for error in errors:
        source, *rest = [str(part) for part in error.get("loc", ())] or ["body"]
        if source == "body":
            rest = rest[1:]  # the payload parameter's name, which the caller never sees
        field = rest[0] if rest else source
        reason = str(error.get("msg", "not valid"))
        if reason not in reasons.setdefault(field, []):
            reasons[field].append(reason)
    return problems([(field, "; ".join(found)) for field, found in reasons.items()])
