"""The functions the scheduler runs (setting OVERSIGHT_JOBS names them)."""

from __future__ import annotations

from .reminders import run_reminders

__all__ = ["run_reminders"]
