"""Shared test fixtures: paths to ../shared, the named cast of users."""

import os
from pathlib import Path

import pytest

# Sync Playwright runs beside pytest-django's live server in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SHARED_DATA = SHARED / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a one-line reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/data/{'/'.join(parts)} is absent (only CI and developers have it)")
    return path


@pytest.fixture
def shared_data():
    return shared_path
