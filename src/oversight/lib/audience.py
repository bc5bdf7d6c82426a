"""Who is reading: every read path that can reach a reader names its audience, with no default.

- PUBLIC sees published material only.
- PANEL sees what the office released to the Police and Crime Panel, as it was when released (a
  frozen snapshot), and everything published.
- STAFF (the office's editors and administrators) see everything, drafts included.
"""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    PUBLIC = "public"
    PANEL = "panel"
    STAFF = "staff"

    @property
    def words(self) -> str:
        return {
            Audience.PUBLIC: "the public (published material only)",
            Audience.PANEL: "the Police and Crime Panel (what was released to it)",
            Audience.STAFF: "the office's staff (everything, drafts included)",
        }[self]
