"""The records the pipeline passes along. Built once at the boundary, read by templates.

Templates receive these and only loop and print: every number is computed here or in
`assemble`, every piece of Markdown is already HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .definitions import Category, Status


@dataclass(frozen=True)
class RawSection:
    """A `## ` section of a report body, before Markdown rendering."""

    title: str
    line: int  # line of the heading in the file
    source: str  # the section body (without the heading)
    category: Category | None


@dataclass(frozen=True)
class ScoreChange:
    """A rating change as the source states it ("Civil Society declined from 1.50 to 1.25").

    The ends of a change are `before` and `after` in code, `from` and `to` in files and data
    downloads (`from` being a Python keyword)."""

    category: Category
    before: Decimal  # `from` in the file: last edition's rating
    after: Decimal  # `to` in the file: this edition's rating
    line: int


@dataclass(frozen=True)
class StatedChange:
    """The main score's change as the source states it ("Democracy Score declined from 1.36 to
    1.32")."""

    before: Decimal  # `from` in the file
    after: Decimal  # `to` in the file
    line: int


@dataclass(frozen=True)
class StatedPrevious:
    """Last year's figures as the source states them (often rounded: "7" for 6.55)."""

    scores: dict[str, Decimal]  # score key -> value as written
    status: Status | None
    line: int


@dataclass(frozen=True)
class OtherScore:
    key: str
    label: str
    score: Decimal
    max: Decimal
    status: str | None
    note: str | None


@dataclass(frozen=True)
class ReportSource:
    """A validated content file: front matter checked, body split into sections.

    The attributes from the front matter are filled through the field declarations in
    `reportfields.REPORT_FIELDS` (a test checks that the two agree); the rest come from the
    file's place, from the ratings and from the body."""

    path: str  # as shown in messages
    series: str  # the key of the series' definition (data/series/<key>.yaml)
    slug: str  # the country folder
    field_lines: dict[str, int]  # front-matter field -> its line, for later checks' messages
    # From the front matter (see reportfields):
    country: str
    edition: int
    ratings: dict[str, Decimal]  # category key -> rating as stated, at any level of the tree
    stated_previous: StatedPrevious | None  # `previous:`
    score_changes: tuple[ScoreChange, ...] | None  # None: the source lists none; (): no changes
    stated_score_change: StatedChange | None  # the main score's change as the source states it
    other_scores: tuple[OtherScore, ...]
    authors: tuple[str, ...]
    summary: str | None
    source_url: str | None  # `source: url`
    source_note: str | None  # `source: note`
    # Computed from the ratings as the series definition says (stated scores and status, when
    # given, are checked against these; a draft without every rating uses the stated ones):
    scores: dict[str, Decimal]  # score key -> value, rounded as defined, every score known
    score: Decimal  # the series' main score (it ranks countries and draws the charts)
    category_values: dict[str, Decimal]  # every category with a value: rated or from its parts
    status: Status
    sections: tuple[RawSection, ...]
    # From the front matter, last for its default (records made by hand in tests need not say):
    draft: bool = False  # not to be published yet: left out of a build unless drafts are asked for


@dataclass(frozen=True)
class Footnote:
    label: str  # as the author wrote it: "5"
    note_id: str  # element id of the note: "electoral-process-fn5"
    ref_ids: tuple[str, ...]  # element ids of the references to it, in order of use
    html: str | None  # None when the text was lost in the source ("[missing]")
    text: str | None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    category: Category | None
    html: str
    text: str  # plain text, notes excluded
    footnotes: tuple[Footnote, ...]
    rating: "CategoryRating | None" = None  # set for a category's section
    placeholder: bool = False  # the body is only "[missing]": the source lacks this section's text

    @property
    def missing_notes(self) -> int:
        return sum(1 for note in self.footnotes if note.html is None)


@dataclass(frozen=True)
class CategoryRating:
    category: Category
    rating: Decimal
    previous: Decimal | None  # last edition's rating, when known
    change: Decimal | None  # rating - previous
    section_id: str | None


@dataclass(frozen=True)
class PreviousFigures:
    """The previous edition's figures: from its file when it exists, else as the source stated them."""

    edition: int
    scores: dict[str, Decimal]  # score key -> value (as the source states it, when not from file)
    status: Status | None
    from_file: bool
    url: str | None  # site path of the previous report, when it is on the site


@dataclass(frozen=True)
class Report:
    source: ReportSource
    sections: tuple[Section, ...]
    category_ratings: tuple[CategoryRating, ...]  # (`ratings` is the key -> rating mapping)
    previous: PreviousFigures | None
    score_change: Decimal | None  # the main score minus last year's, when known
    # score key -> this edition's value minus last year's, for the scores whose previous value
    # is known to their precision (from last year's file, or stated unrounded)
    changes: dict[str, Decimal]
    url: str  # site path, e.g. "countries/kazakhstan/2015/"
    country_url: str
    scope: str = ""  # the series' part of its addresses: "" (one series), "fiw/" (several)
    previous_url: str | None = None
    next_url: str | None = None
    next_edition: int | None = None
    previous_edition_on_site: int | None = None
    missing_notes: int = 0

    # Short names for the template and data writers.
    @property
    def json_url(self) -> str:
        """Site path of the report's data file, next to its page."""
        return self.url + "report.json"

    @property
    def country(self) -> str:
        return self.source.country

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def edition(self) -> int:
        return self.source.edition

    @property
    def year_covered(self) -> int:
        return self.source.edition - 1

    @property
    def status(self) -> Status:
        return self.source.status

    @property
    def series(self) -> str:
        return self.source.series

    @property
    def score(self) -> Decimal:
        """The series' main score."""
        return self.source.score

    @property
    def scores(self) -> dict[str, Decimal]:
        return self.source.scores

    def value_of(self, key: str) -> Decimal | None:
        """A score's or a category's value ("democracy-percentage", "political-rights")."""
        found = self.source.scores.get(key)
        return found if found is not None else self.source.category_values.get(key)

    @property
    def missing_sections(self) -> int:
        """Sections whose text the source lacks ("[missing]"): a partial report."""
        return sum(1 for section in self.sections if section.placeholder)

    @property
    def has_previous_ratings(self) -> bool:
        return any(r.previous is not None for r in self.category_ratings)


@dataclass(frozen=True)
class ContentPage:
    """A free page from `content/pages/<slug>.md` (About, Methodology ...)."""

    slug: str
    title: str
    description: str | None
    html: str
    text: str
    template: str  # "page" or "methodology" (which adds the categories and status bands)
    order: int  # position in the main navigation

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class EditionEssay:
    """An edition's own essay and key findings, from `content/editions/<edition>.md`."""

    edition: int
    path: str  # as shown in messages
    title: str | None  # the essay's title: "Democracy on the Defensive in Europe and Eurasia"
    authors: tuple[str, ...]
    key_findings: tuple[str, ...]  # each finding as HTML (inline Markdown)
    essay: Section | None  # the body with its notes; None when the file has findings only
    scope: str = ""  # its series' part of the addresses: "" (one series), "fiw/" (several)
