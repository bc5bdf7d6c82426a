"""The claims check: what a report's words say against what the record holds, listed for the editor
before the report is published. Warnings only; nothing here changes the text.

Three kinds of finding (METHODOLOGY.md, "The claims check", gives the rules in plain English):

- **date**: a date in the text after the end of the reported period ("fall since November 2013"
  in a report to June 2013). Every such date is listed; one read with "since" is a change the
  period's figures cannot show.
- **number**: a number in a clause that names exactly one measure, in that measure's unit, that
  equals none of the figures recorded for it (its actual, target, comparator, previous period,
  same period last year, numerator, denominator, or a difference between the actual and one of
  those) at the precision the text prints.
- **status**: "on target", "off target", "just off target", "improved" or "deteriorated" in a
  clause that names exactly one measure, where the published status, the status by the rules or
  the significance tests say otherwise.

A measure is "named" by its code written as "measure 9.2" or "(9.2)", or by a run of two or more
consecutive words of its name or noun (ignoring small words and plural endings) that belongs to no
other measure of the plan; the longest run wins. A clause is a sentence cut at ";", ":" and at
"but", "except", "while", "whereas" and "although". A clause naming no measure, or more than one,
is never checked for numbers or statuses: a missed warning is cheaper than a false alarm.

Plain Python: the text is Markdown (or plain text) and the record a `Record` of plain values.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from html.parser import HTMLParser

from .markdown import to_html


class Kind(StrEnum):
    DATE = "date"
    NUMBER = "number"
    STATUS = "status"


@dataclass(frozen=True)
class Change:
    """One tested change of a measure's figure: against what, which way, and whether significant."""

    against: str  # "the previous quarter", "the same period last year"
    better: bool | None  # True better, False worse, None the same or neither direction is better
    significant: bool | None  # None: not tested


@dataclass(frozen=True)
class MeasureRecord:
    """What the record says of one measure for the period, as plain values."""

    code: str
    name: str
    unit: str  # count, percent, rate, ratio, currency, days, milestone
    nouns: tuple[str, ...] = ()  # other words that name it ("people killed or seriously injured")
    value: Decimal | None = None
    figures: tuple[Decimal, ...] = ()  # target, comparator, previous, last year, parts …
    status: str | None = None  # published: "green", "amber", "red" or None
    status_by_rules: str | None = None
    changes: tuple[Change, ...] = ()
    variation: str | None = None  # "improvement", "concern", "common", "neither" or None

    @property
    def label(self) -> str:
        return f"{self.code} {self.name.rstrip('*').strip()}"


@dataclass(frozen=True)
class Record:
    """The reported period and its measures."""

    period: str  # "2013/14 Q1"
    start: date
    end: date
    measures: tuple[MeasureRecord, ...] = ()


@dataclass(frozen=True)
class Text:
    """One piece of text to check and where it lives ("Objective 2", "Commentary on 9.2")."""

    where: str
    body: str  # Markdown


@dataclass(frozen=True)
class Finding:
    kind: Kind
    where: str
    found: str  # the words found: "since November 2013"
    message: str
    sentence: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.where}: “{self.found}” – {self.message}"


# ---------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i]] = _i
    _MONTHS[calendar.month_abbr[_i]] = _i
_MONTHS["Sept"] = 9
_FULL = "|".join(calendar.month_name[i] for i in range(1, 13))
_ABBR = "|".join(sorted({calendar.month_abbr[i] for i in range(1, 13)} | {"Sept"}, key=len)[::-1])
_MONTH = rf"(?:{_FULL}|(?:{_ABBR})\.?)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR4 = r"(?:19|20)\d\d"
_JOIN = r"\s*(?:to|until|till|and|[-–—])\s*"

# Month names are matched capitalised only: "may" and "march" are also verbs.
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "full-range",  # "1 April 2013 – 31 March 2017": a span from its first day
        re.compile(
            rf"\b(?P<d1>{_DAY})\s+(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR4}){_JOIN}(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR4})\b"
        ),
    ),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("numeric", re.compile(r"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)\b")),
    (
        "day-range",  # "1 April – 30 June 2013": the first day takes the last one's year
        re.compile(
            rf"\b(?P<d1>{_DAY})\s+(?P<m1>{_MONTH}){_JOIN}(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR4})\b"
        ),
    ),
    (
        "month-range",  # "April to December 2013"
        re.compile(rf"\b(?P<m1>{_MONTH}){_JOIN}(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR4})\b"),
    ),
    (
        "day",  # "30 June 2013", "30th of June, 2013"
        re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR4})\b"),
    ),
    ("day-us", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),\s+(?P<y>{_YEAR4})\b")),
    ("month", re.compile(rf"\b(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR4})\b")),
    (
        "month-yy",  # "Dec. 12", "Sept 13" (abbreviated month and a two-digit year, as seeds write)
        re.compile(rf"\b(?P<m>(?:{_ABBR})\.?)\s+'?(?P<yy>\d\d)\b(?!\s*(?:,|st|nd|rd|th|\d))"),
    ),
]


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int  # offsets in the text searched
    end: int
    first: date  # the first and last day the words can mean
    last: date


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.rstrip("."))


def _day_of(match: re.Match[str], group: str, year: int, month: int) -> date | None:
    digits = re.match(r"\d+", match[group])
    if digits is None:
        return None
    try:
        return date(year, month, int(digits[0]))
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    """Every date in plain text, as the span of days it can mean, in order; overlapping forms
    keep the first pattern that matched (a day before a month, a range before its parts)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _mention(kind, m)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _mention(kind: str, m: re.Match[str]) -> DateMention | None:
    groups = m.groupdict()
    year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])
    month = int(groups["m"]) if groups["m"].isdigit() else _month_number(groups["m"])
    if month is None or not 1 <= month <= 12:
        return None
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    last = _day_of(m, "d", year, month) if groups.get("d") else month_end
    if last is None:
        return None
    first = last if groups.get("d") else date(year, month, 1)
    if groups.get("m1"):
        m1 = _month_number(groups["m1"])
        if m1 is None:
            return None
        y1 = int(groups["y1"]) if groups.get("y1") else year if m1 <= month else year - 1
        first = (_day_of(m, "d1", y1, m1) if groups.get("d1") else date(y1, m1, 1)) or date(
            y1, m1, 1
        )
    return DateMention(m[0], m.start(), m.end(), first, last)


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(
    r"(?<![\w.,/£$-])(?P<currency>£)?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<places>\d+))?"
    r"(?P<percent>\s?%|\s(?:per\s?cent|percent)\b)?(?![\w/]|[.,]\d)"
)


@dataclass(frozen=True)
class NumberMention:
    text: str
    start: int
    end: int
    value: Decimal
    places: int  # decimal places printed
    percent: bool = False
    currency: bool = False


def find_numbers(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[NumberMention]:
    """Every number written in figures in plain text ("1,517", "69.1%", "£500,000"), except those
    inside the spans `skip` (dates), years on their own (1900–2099 with no comma), ordinals
    ("19th"), codes and ranges ("2.1.3", "2013/14") and amounts with a word suffix ("£2m")."""
    out = []
    for m in _NUMBER.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in skip):
            continue
        whole, places = m["whole"], m["places"] or ""
        if not m["percent"] and not m["currency"] and not places and "," not in whole:
            if re.fullmatch(r"(?:19|20)\d\d", whole):
                continue  # a year
        try:
            value = Decimal(whole.replace(",", "") + (f".{places}" if places else ""))
        except InvalidOperation:
            continue
        out.append(
            NumberMention(
                m[0],
                m.start(),
                m.end(),
                value,
                len(places),
                percent=bool(m["percent"]),
                currency=bool(m["currency"]),
            )
        )
    return out


# ---------------------------------------------------------------- text

_SMALL_WORDS = frozenset(
    "a an the of in on at to for and or by with from as is are was were be been our their its "
    "this that these those no number numbers proportion volume rate level levels reduction "
    "reduce reducing increase increasing maintain improve improving measured recorded total".split()
)
_WORD = re.compile(r"[a-z][a-z'’-]*")


def _stem(word: str) -> str:
    word = word.strip("'’-")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each content word of lowercased text."""
    return [
        (_stem(m[0]), m.start(), m.end())
        for m in _WORD.finditer(text.lower())
        if m[0] not in _SMALL_WORDS and _stem(m[0]) not in _SMALL_WORDS
    ]


class _TextOf(HTMLParser):
    BLOCKS = frozenset({"p", "li", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markdown: str) -> str:
    """Markdown as the reader sees it: no markup, one blank line between blocks."""
    parser = _TextOf()
    parser.feed(to_html(markdown))
    parser.close()
    return "".join(parser.parts)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9£\"“(])|\n\s*\n")
_CLAUSE_CUT = re.compile(
    r"\s*[;:]\s*|,?\s+\b(?:but|except(?:\s+for)?|while|whereas|although)\b\s+", re.I
)


def sentences(text: str) -> list[str]:
    """The sentences of plain text, in order (a blank line ends one too)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            out.append(text[start : m.start()])
        start = m.end()
    if text[start:].strip():
        out.append(text[start:])
    return out


def _clauses(sentence: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _CLAUSE_CUT.finditer(sentence):
        out.append((start, sentence[start : m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return out


# ---------------------------------------------------------------- naming a measure


_CODE = re.compile(r"\bmeasures?\s+(\d+(?:\.\d+)+)|\((\d+(?:\.\d+)+)\)", re.I)


class _Names:
    """Which measure a clause names: by code, or by a run of its words no other measure has."""

    def __init__(self, measures: Iterable[MeasureRecord]) -> None:
        self.measures = list(measures)
        self.by_code = {m.code: m for m in self.measures}
        self.runs: dict[tuple[str, ...], set[str]] = {}
        self.whole: dict[tuple[str, ...], set[str]] = {}  # a name's every word, in order
        for m in self.measures:
            for words in (m.name, *m.nouns):
                stems = [t for t, _, _ in _tokens(words)]
                self.whole.setdefault(tuple(stems), set()).add(m.code)
                for n in range(2, len(stems) + 1):
                    for i in range(len(stems) - n + 1):
                        self.runs.setdefault(tuple(stems[i : i + n]), set()).add(m.code)
        self.longest = max((len(r) for r in self.runs), default=0)

    def named(self, clause: str) -> list[MeasureRecord] | None:
        """The measures a clause names, or None when it names one it cannot tell apart ("violent
        crime" where two measures' names say it and neither says only that)."""
        codes: set[str] = set()
        for m in _CODE.finditer(clause):
            code = m[1] or m[2]
            if code in self.by_code:
                codes.add(code)
        stems = [t for t, _, _ in _tokens(clause)]
        i = 0
        while i < len(stems):
            run: tuple[str, ...] = ()
            for n in range(min(self.longest, len(stems) - i), 1, -1):
                if tuple(stems[i : i + n]) in self.runs:
                    run = tuple(stems[i : i + n])
                    break
            if not run:
                i += 1
                continue
            owners = self.runs[run]
            if len(owners) > 1:
                owners = owners & self.whole.get(run, set())
                if len(owners) != 1:
                    return None
            codes |= owners
            i += len(run)
        return [self.by_code[c] for c in sorted(codes)]


# ---------------------------------------------------------------- the check

_STATUS_PHRASES: list[tuple[re.Pattern[str], frozenset[str], str]] = [
    (
        re.compile(r"\bjust (?:off|short of|below|missing) (?:the )?target\b", re.I),
        frozenset({"amber"}),
        "Amber",
    ),
    (
        re.compile(r"\b(?:off|not on|missed|missing|short of|below) (?:the |its )?target\b", re.I),
        frozenset({"amber", "red"}),
        "Amber or Red",
    ),
    (re.compile(r"\b(?:all )?on target\b", re.I), frozenset({"green"}), "Green"),
]
_DIRECTION = [
    (re.compile(r"\bimprov(?:ed|ing|ement)\b", re.I), True),
    (re.compile(r"\b(?:deteriorat(?:ed|ing|ion)|worsen(?:ed|ing)?)\b", re.I), False),
]
_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", None: "no status"}


def check_claims(texts: Iterable[Text], record: Record) -> list[Finding]:
    """Every date after the period's end, every number that differs from the figure of the
    measure it names, and every status word the record contradicts, in the texts' order."""
    names = _Names(record.measures)
    findings: list[Finding] = []
    for piece in texts:
        text = plain_text(piece.body)
        for sentence in sentences(text):
            one = " ".join(sentence.split())
            dates = find_dates(sentence)
            for d in dates:
                if d.first > record.end:
                    findings.append(_date_finding(piece.where, sentence, d, record, one))
            skip = [(d.start, d.end) for d in dates]
            for c_start, clause in _clauses(sentence):
                named = names.named(clause)
                if named is None or len(named) != 1:
                    continue
                (m,) = named
                clause_skip = [(s - c_start, e - c_start) for s, e in skip]
                clause_skip += [(c.start(), c.end()) for c in _CODE.finditer(clause)]
                findings += _number_findings(piece.where, clause, m, clause_skip, one)
                findings += _status_findings(piece.where, clause, m, one)
    return findings


_FUTURE = re.compile(
    r"\b(?:will|shall|would|to be|is due|are due|planned|expected|intends?|going to)\b", re.I
)


def _date_finding(where: str, sentence: str, d: DateMention, record: Record, one: str) -> Finding:
    ends = f"{record.end.day} {record.end:%B %Y}"
    before = sentence[: d.start].rstrip().lower()
    if before.endswith("since"):
        return Finding(
            Kind.DATE,
            where,
            f"since {d.text}",
            f"a change since a date after the period's end ({record.period} ends {ends}): the "
            "period's figures cannot show it",
            one,
        )
    if _FUTURE.search(sentence):
        why = "the sentence speaks of the future: check it is a plan, not a result of the period"
    else:
        why = "check the sentence describes a later event, not a result of the period"
    return Finding(
        Kind.DATE,
        where,
        d.text,
        f"after the period's end ({record.period} ends {ends}); {why}",
        one,
    )


def _known(m: MeasureRecord) -> list[Decimal]:
    known = list(m.figures)
    if m.value is not None:
        known.append(m.value)
        known += [abs(m.value - f) for f in m.figures]
    return known


def _number_findings(
    where: str, clause: str, m: MeasureRecord, skip: list[tuple[int, int]], one: str
) -> list[Finding]:
    if m.value is None or m.unit == "milestone":
        return []
    out = []
    for n in find_numbers(clause, skip):
        if n.percent != (m.unit == "percent") or n.currency != (m.unit == "currency"):
            continue  # "down 9%" of a count, "84 tests" of a percentage: not the figure itself
        if n.end < len(clause) and re.match(r"\s*(?:times|x\b)", clause[n.end :]):
            continue
        step = Decimal(1).scaleb(-n.places)
        if any(abs(k - n.value) <= step / 2 for k in _known(m)):
            continue
        out.append(
            Finding(
                Kind.NUMBER,
                where,
                n.text.strip(),
                f"{m.label}: the record holds {_figures_words(m)} for the period",
                one,
            )
        )
    return out


def _figures_words(m: MeasureRecord) -> str:
    def fmt(v: Decimal) -> str:
        text = f"{v.normalize():,f}"
        return f"{text}%" if m.unit == "percent" else text

    actual = f"the figure {fmt(m.value)}" if m.value is not None else "no figure"
    others = ", ".join(fmt(f) for f in m.figures)
    return actual + (f" (and {others} beside it)" if others else "")


def _status_findings(where: str, clause: str, m: MeasureRecord, one: str) -> list[Finding]:
    out = []
    taken: list[tuple[int, int]] = []
    for pattern, allowed, says in _STATUS_PHRASES:
        for hit in pattern.finditer(clause):
            if any(hit.start() < e and s < hit.end() for s, e in taken):
                continue
            taken.append((hit.start(), hit.end()))
            wrong = [
                (whose, status)
                for whose, status in (("published", m.status), ("rules", m.status_by_rules))
                if status not in allowed
            ]
            if not wrong:
                continue
            out.append(
                Finding(
                    Kind.STATUS,
                    where,
                    hit[0],
                    f"says {says}, but {m.label} is published as {_WORDS[m.status]} and the "
                    f"rules give {_WORDS[m.status_by_rules]}",
                    one,
                )
            )
    for pattern, better in _DIRECTION:
        for hit in pattern.finditer(clause):
            message = _direction_contradiction(m, better)
            if message:
                out.append(Finding(Kind.STATUS, where, hit[0], message, one))
    return out


def _direction_contradiction(m: MeasureRecord, better: bool) -> str | None:
    """Why "improved" (better=True) or "deteriorated" does not hold, or None when the record
    supports it or cannot tell."""
    special = "improvement" if better else "concern"
    if m.variation == special:
        return None
    if any(c.better is better and c.significant for c in m.changes):
        return None
    moved = [c for c in m.changes if c.better is not None]
    word = "improved" if better else "deteriorated"
    if moved and all(c.better is (not better) for c in moved):
        against = " and ".join(c.against for c in moved)
        return f"says {word}, but {m.label} is {'worse' if better else 'better'} than {against}"
    tested = [c for c in m.changes if c.significant is not None]
    if tested and not any(c.significant for c in tested):
        return (
            f"says {word}, but no change in {m.label} is statistically significant and its chart "
            "shows no special cause"
        )
    return None
