"""The importer's parsed result: plain dataclasses shared by every stage.

Stages fill these in order (identify -> sections -> scores -> footnotes -> write), so each stage
can be tested on its own with a hand-made value of the previous one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..series import Series


class ImportFailure(Exception):
    """A file the importer refuses: the message is for the editor, never a traceback."""


@dataclass
class Ref:
    """One footnote reference found in a paragraph: `start:end` is the source text it replaces."""

    number: int
    start: int
    end: int


@dataclass
class Paragraph:
    """A body paragraph; `refs` are filled by the footnote stage, in text order."""

    text: str
    refs: list[Ref] = field(default_factory=list)
    bullet: bool = False  # an item of a bulleted list in the body (score changes, key points)


@dataclass
class Note:
    number: int
    text: str | None = None  # None: the source lost the note text


@dataclass
class Uncertain:
    """A choice made on weak evidence, for the editor to check."""

    what: str  # "reference 7", "note list item"
    where: str  # the text around it, the number marked: "…Decree 28/85|7| the…"
    considered: list[str]  # the readings weighed ("no reference" among them)
    taken: str  # the one taken, and why


@dataclass
class Section:
    title: str
    category: str | None = None  # category key when this is a category section
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    orphan_notes: list[str] = field(default_factory=list)  # note texts no reference claimed
    placeholder: bool = False  # a part the page lacks, written as "[missing]" in a draft
    uncertain: list[Uncertain] = field(default_factory=list)  # choices made on weak evidence

    @property
    def references(self) -> list[int]:
        return [ref.number for p in self.paragraphs for ref in p.refs]


@dataclass
class ScoreChange:
    category: str
    before: Decimal  # the rating last year ("from")
    after: Decimal  # the rating this year ("to")


@dataclass
class OtherScore:
    key: str
    label: str
    score: int
    max: int
    status: str | None


@dataclass
class Previous:
    """Last edition's figures as the page states them ("Last Year's Score & Status")."""

    scores: dict[str, int | Decimal]  # score key -> value (whole where the page shows it so)
    status: str | None


@dataclass
class ParsedReport:
    """Everything recovered from one raw page."""

    series: Series | None = None  # the series the page belongs to (its definition)
    country: str | None = None
    edition: int | None = None
    source_url: str | None = None
    scale: str = "new"  # "new" (today's scale) or "old" (an inverted one, converted on import)
    status: str | None = None
    scores: dict[str, Decimal] = field(default_factory=dict)  # score key -> the page's value
    previous: Previous | None = None
    # Category key (a leaf or a group of the series' tree) -> rating, in the tree's order;
    # None: a draft's placeholder.
    ratings: dict[str, Decimal | None] = field(default_factory=dict)
    score_changes: list[ScoreChange] | None = None  # None: the page has no score-change list
    score_change: tuple[str, Decimal, Decimal] | None = None  # a score's change: key, from, to
    other_scores: list[OtherScore] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # chrome removed from the page, for the summary
    problems: list[str] = field(default_factory=list)
    notes_on_source: list[str] = field(default_factory=list)  # becomes `source.note`
    draft: bool = False  # written with --partial: placeholders for what the page lacks
