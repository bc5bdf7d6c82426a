"""The API's OpenAPI document as committed in docs/openapi.json (sorted keys, stable text)."""

from __future__ import annotations

import json
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def openapi_text() -> str:
    from .api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
