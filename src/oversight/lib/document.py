"""A composed document: the plain data structure every report, minutes and summary is built as.

Composers (in the apps) compute every number and word once and put them here; renderers
(`oversight.reports.render`) turn one Document into HTML, PDF or DOCX without recomputing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A status shown in a table cell: the word is always printed beside the colour."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"
    # Making Data Count colours, for variation points and icons.
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL = "neutral"


@dataclass
class Text:
    """A run of inline text; `status` makes it a tag (coloured box with the word)."""

    text: str
    bold: bool = False
    italic: bool = False
    status: Status | None = None
    footnote: int | None = None  # a footnote number printed as a superscript after the text
    href: str | None = None
    table_note: int | None = None  # a note under the enclosing table, marked a, b, c… (note_mark)


@dataclass
class Image:
    """A small picture inside a line or a table cell (a trend line); `alt` says what it shows."""

    svg: str
    png: bytes
    alt: str
    width_cm: float = 3.0
    icon: bool = False  # a Making Data Count icon: drawn at the size of a line of text


Inline = str | Text | Image


@dataclass
class Paragraph:
    content: list[Inline]
    style: str = ""  # "", "lead", "small", "signature"
    number: str = ""  # a paragraph number ("12"), printed before it, when the layout numbers them

    @classmethod
    def of(cls, text: str, **kwargs: object) -> Paragraph:
        return cls([text], **kwargs)  # type: ignore[arg-type]


@dataclass
class BulletList:
    items: list[list[Inline]]
    ordered: bool = False
    plain: bool = False  # no bullet or number: the items carry their own ("1. To provide…")


@dataclass
class Markdown:
    """Markdown written by staff; renderers sanitise it (HTML) or flatten it (DOCX)."""

    source: str
    # The numbers of its top-level paragraphs, in order, when the layout numbers paragraphs
    # (`lib.markdown.paragraph_count` says how many it has).
    numbers: list[str] = field(default_factory=list)


@dataclass
class Cell:
    content: list[Inline]
    status: Status | None = None  # colours the whole cell; the word must be in content
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    align: str = ""  # "", "right", "center"

    @classmethod
    def of(cls, value: Inline | None, **kwargs: Any) -> Cell:
        return cls([] if value is None or value == "" else [value], **kwargs)


@dataclass
class Row:
    cells: list[Cell]
    highlight: bool = False  # headline measures are highlighted, as in the seeds


@dataclass
class PrintColumn:
    """A column of a long table as printed (PDF): one or more of the table's columns side by side
    in one cell. WeasyPrint's time goes per cell and per line it lays out, whatever the cell holds,
    so a long table prints in fewer, fuller cells; the words and their order are the same."""

    header: str
    columns: tuple[int, ...]  # the table's columns, from 0, in the order they are printed
    width: float  # relative, as Table.widths
    # Between the non-empty parts: one for all, or one before each part after the first (so it
    # can carry a word: ", due "). "\n" starts a new line.
    joiner: str | tuple[str, ...] = ", "
    # Its text without bold or italic (notes, footnote marks and links stay): for a column whose
    # emphasis repeats what the row already shows, as each inline style is one more box to lay out.
    plain: bool = False

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"print column {self.header!r} has no columns")
        if isinstance(self.joiner, tuple) and len(self.joiner) != len(self.columns) - 1:
            raise ValueError(f"print column {self.header!r}: one joiner before each later part")

    def joiner_before(self, part: int) -> str:
        """The joiner printed before part `part` (from 1) when a part before it was printed."""
        return self.joiner if isinstance(self.joiner, str) else self.joiner[part - 1]


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[Row]
    widths: list[float] | None = None  # relative column widths
    repeat_header: bool = True
    summary: str = ""  # a sentence for screen readers describing the table
    notes: list[str] = field(default_factory=list)  # printed under the table, marked a, b, c…
    # How the PDF lays the columns out (None: as on the web page); the web page and the Word file
    # keep one column each. A status colours the whole printed cell, so a column with a status
    # is printed alone (the renderer refuses to merge it).
    print_columns: list[PrintColumn] | None = None

    def note(self, text: str) -> int:
        """Add a note under the table (or reuse an identical one) and return its number; a cell
        points to it with `Text(table_note=n)`, printed as `note_mark(n)`."""
        if text in self.notes:
            return self.notes.index(text) + 1
        self.notes.append(text)
        return len(self.notes)


def note_mark(n: int) -> str:
    """The mark of a table's note n (from 1): a … z, then aa, ab …, so it never looks like a
    footnote number."""
    letters = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("a") + r) + letters
    return letters


@dataclass
class Figure:
    """A chart: SVG for HTML and PDF, PNG for DOCX, and always a text alternative."""

    alt: str
    caption: str
    svg: str
    png: bytes
    width_cm: float = 16.0


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    number: str = ""  # "1", "Part 2", "Appendix B"
    anchor: str = ""
    page_break_before: bool = False
    landscape: bool = False

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


Block = Paragraph | BulletList | Markdown | Table | Figure | Section


@dataclass
class Document:
    title: str
    subtitle: str = ""
    organisation: str = ""
    date_line: str = ""
    sections: list[Section] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)  # numbered from 1
    footnotes_title: str = "Notes"
    language: str = "en-GB"

    def add(self, section: Section) -> Section:
        self.sections.append(section)
        return section

    def footnote(self, text: str) -> int:
        """Add a footnote (or reuse an identical one) and return its number."""
        if text in self.footnotes:
            return self.footnotes.index(text) + 1
        self.footnotes.append(text)
        return len(self.footnotes)
