"""Things that fall due, as every reminder and calendar sees them: plain Python, no Django.

Each app that knows of something due (a collection round, an agreed action, a statutory date, a
contract's expiry, a publication duty) offers a *provider*: a function `(today: date) ->
Iterable[DueItem]` named in the setting `OVERSIGHT_DUE_PROVIDERS`. The reminder job and the
calendar read every provider; neither knows the apps.

A due item names who is told at each step (`chain`): step 0 is the people responsible (a provider
for its figures, an action's owner); each later step is whom it escalates to (an editor, the Panel's
support officer, an administrator). When and how often each step is taken is the office's setting
for the item's `kind`, not the provider's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Recipient:
    """A person to tell: a user of the site or a named person with (or without) an email."""

    name: str
    email: str = ""  # empty: the person cannot be emailed, and is listed to an editor instead
    user_id: int | None = None


@dataclass(frozen=True)
class DueItem:
    key: str  # stable and unique across providers, e.g. "precept:2027:panel-report"
    kind: str  # the kind whose reminder steps apply: "collection", "action", "statutory", ...
    title: str
    due: date
    url: str = ""  # the page where the item is dealt with (a path on this site)
    source: str = ""  # where the duty comes from: a section of an Act, a meeting's minute
    source_url: str = ""
    done: bool = False  # done items are never reminded; calendars show them as done
    state: str = ""  # what the office has done about it, in words
    chain: tuple[tuple[Recipient, ...], ...] = field(default_factory=tuple)

    def days_overdue(self, today: date) -> int:
        return 0 if self.done else max(0, (today - self.due).days)
