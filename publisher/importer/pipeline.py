"""Run the stages on one page's text: identify -> sections -> scores -> footnotes.

`parse_page` never writes anything; it returns everything recovered, plus the problems that
keep the page from becoming a content file (so an incomplete page still reports its facts).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .. import scores as arithmetic
from ..definitions import Definitions
from . import identify, scores
from .footnotes import build_section
from .model import ParsedReport, Previous, ScoreChange, Section
from .sections import Block, Heading, Layout, SectionDraft, parse_names, split_layout, strip_boilerplate

OLD_SCALE_NOTE = "Ratings converted from the pre-2020 scale (1 = best, 7 = worst): new = 8 - old."
MIN_OVERVIEW_WORDS = 25
FACT_LINE_RE = re.compile(r"\d\s*=\s*(?:best|worst)|Democracy[\s-]+(?:Score|Percentage)|^\W*Author", re.I)


@dataclass
class Overrides:
    source_url: str | None = None
    country: str | None = None
    edition: int | None = None


def parse_page(text: str, definitions: Definitions, overrides: Overrides | None = None) -> ParsedReport:
    """Everything the page holds. Raises ImportFailure for pages that are not NIT reports."""
    overrides = overrides or Overrides()
    kind = identify.report_type(text)
    url_identity = identify.identity_from_url(overrides.source_url, definitions.countries)
    identify.refuse_other_type(kind)
    scale = identify.detect_scale(text)
    layout = split_layout(text, definitions)
    report = ParsedReport(source_url=overrides.source_url, scale=scale)
    report.dropped.extend(layout.dropped)
    header_text = "\n".join(layout.header)
    _identity(report, text, definitions, overrides, url_identity)
    _header_facts(report, layout, header_text, text, definitions)
    _sections(report, layout, definitions)
    report.other_scores = scores.other_scores("\n".join(layout.footer))
    # The footer (country box, other scores) is read above and otherwise chrome.
    report.dropped.extend(line.strip() for line in layout.footer if line.strip())
    _check_scores(report, definitions)
    return report


def _identity(report: ParsedReport, text: str, definitions: Definitions, overrides: Overrides,
              url_identity: identify.UrlIdentity) -> None:
    status_names = {n.casefold() for s in definitions.statuses for n in (s.name, *s.aliases)}
    text_country, strong = identify.country_from_text(text, status_names, definitions.countries)
    text_edition = identify.edition_from_text(text) or scores.table_edition(text)
    strong_country = text_country if strong else None
    if url_identity.other_type:
        report.problems.append("the source URL is not a Nations in Transit address")
    if url_identity.country and strong_country and \
            identify.slugify(url_identity.country) != identify.slugify(strong_country):
        report.problems.append(
            f"the page names {strong_country} but the source URL is for {url_identity.country}")
    if url_identity.edition and text_edition and url_identity.edition != text_edition:
        report.problems.append(
            f"the page reads as edition {text_edition} but the source URL is for {url_identity.edition}")
    # The user's word first, then the report's address (its identity on the site; the page's
    # own spelling is kept when it names the same country), then the page, then a guess.
    url_country = url_identity.country
    if url_country and text_country and identify.slugify(text_country) == identify.slugify(url_country):
        url_country = text_country
    report.country = overrides.country or url_country or strong_country or text_country
    report.edition = overrides.edition or url_identity.edition or text_edition


def _header_facts(report: ParsedReport, layout: Layout, header_text: str, text: str,
                  definitions: Definitions) -> None:
    report.status = scores.status_in(layout.header, definitions)
    head = header_text or text[:3000]
    if report.scale == "old":
        old, last_year = scores.old_scale_score(header_text, report.edition)
        report.democracy_score = scores.to_new_scale(old) if old is not None else None
        if last_year is not None:
            report.previous = Previous(None, None, scores.to_new_scale(last_year))
        report.notes_on_source.append(OLD_SCALE_NOTE)
    else:
        report.democracy_score = scores.header_number(scores.SCORE_RE, head, Decimal(7))
        report.democracy_percentage = scores.header_number(scores.PERCENT_RE, head, Decimal(100))
        report.previous = scores.previous_figures(head, definitions)
    for line in layout.header:
        match = re.match(r"^(?:[•·]\s*)?(?:Authors?|Author\(s\))\s*:\s*(.+)$|^[Bb]y\s+(.+)$", line.strip())
        if match:
            for name in parse_names(match.group(1) or match.group(2)):
                if name not in report.authors:
                    report.authors.append(name)
    for name in layout.authors:
        if name not in report.authors:
            report.authors.append(name)


def _sections(report: ParsedReport, layout: Layout, definitions: Definitions) -> None:
    overview = _overview(layout, report.dropped)
    drafts = ([overview] if overview else []) + layout.sections
    change_texts: list[str] | None = None
    for draft in drafts:
        heading = draft.heading
        if heading.kind == "category":
            _category_rating(report, draft, definitions)
            if any(s.category == heading.category for s in report.sections):
                report.problems.append(f"the page has the '{heading.title}' section twice")
        if heading.kind == "changes":
            change_texts = (change_texts or []) + [i for b in draft.blocks for i in b.items]
        section = build_section(heading.title, heading.category, draft.blocks)
        if section.paragraphs or section.orphan_notes or section.category:
            report.sections.append(section)
    if report.scale == "old":
        header = "\n".join(layout.header)
        for key, value in scores.old_scale_ratings(header, definitions, report.edition).items():
            report.ratings.setdefault(key, scores.to_new_scale(value))
    if change_texts is not None:
        _score_changes(report, change_texts, definitions)
    report.ratings = {c.key: report.ratings[c.key] for c in definitions.categories if c.key in report.ratings}


def _category_rating(report: ParsedReport, draft: SectionDraft, definitions: Definitions) -> None:
    category = definitions.category(draft.heading.category)
    rating = scores.rating_from_section(draft.heading.rest, draft.blocks, category.description,
                                        report.dropped)
    if rating is not None:
        if report.scale == "old":
            rating = scores.to_new_scale(rating)
        report.ratings.setdefault(category.key, rating)


def _score_changes(report: ParsedReport, texts: list[str], definitions: Definitions) -> None:
    changes, overall = scores.score_changes(texts, definitions, report.problems, report.democracy_score)
    if report.scale == "old":
        changes = [ScoreChange(c.category, scores.to_new_scale(c.before), scores.to_new_scale(c.after))
                   for c in changes]
        overall = overall and (scores.to_new_scale(overall[0]), scores.to_new_scale(overall[1]))
    report.score_changes = changes
    report.democracy_score_change = overall
    for change in changes:
        # A change's `to` is this edition's rating: pages cut off before their category widgets
        # still show it there.
        report.ratings.setdefault(change.category, change.after)


def _overview(layout: Layout, dropped: list[str]) -> SectionDraft | None:
    """Narrative left before the first heading (no "Executive Summary" line) is kept, not lost.

    The header is otherwise title, status, widgets and the scale note: short lines of facts,
    which are read elsewhere and dropped here.
    """
    paragraphs: list[list[str]] = [[]]
    short_lines: list[str] = []  # title, status, widgets: read as facts, not kept as text
    for line in layout.header:
        words = len(line.split())
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if words >= 8 and not FACT_LINE_RE.search(line):
            paragraphs[-1].append(line)
            continue
        if words:
            short_lines.append(line.strip())
        if paragraphs[-1]:
            paragraphs.append([])
    kept = []
    for lines in paragraphs:
        para = strip_boilerplate(" ".join(lines), dropped)
        # "* Starting with the 2005 edition ..." is a footnote to the ratings table.
        if len(para.split()) >= MIN_OVERVIEW_WORDS and re.search(r"[.!?”\"]$", para) \
                and not para.startswith("*"):
            kept.append(para)
        elif para:
            dropped.append(para)
    dropped[:0] = short_lines
    if not kept:
        return None
    return SectionDraft(Heading("overview", "Overview"), [Block("para", [p]) for p in kept])


def _check_scores(report: ParsedReport, definitions: Definitions) -> None:
    """Compare stated figures with the ratings; a disagreeing stated figure is left out."""
    if len(report.ratings) != len(definitions.categories):
        return  # nothing to compare with: the stated figures stand as the page gives them
    values = list(report.ratings.values())
    score = arithmetic.democracy_score(values)
    percentage = arithmetic.democracy_percentage(values)
    status = definitions.status_for_score(score)
    for field, computed in (("democracy_score", score), ("democracy_percentage", percentage)):
        stated = getattr(report, field)
        if stated is not None and stated != computed:
            report.problems.append(
                f"the page states {field} {stated} but the ratings give {computed}; the stated value is left out")
            setattr(report, field, None)
    if report.status and status and report.status != status.name:
        report.problems.append(
            f"the page states status {report.status!r} but the ratings give {status.name!r}; "
            "the stated status is left out")
        report.status = None


def missing_parts(report: ParsedReport, definitions: Definitions) -> list[str]:
    """What keeps the page from being a complete report (empty when it can be written)."""
    missing = []
    if not report.country:
        missing.append("the country (give --country or --source-url)")
    if not report.edition:
        missing.append("the edition year (give --edition or --source-url)")
    with_section = {s.category for s in report.sections if s.category and not s.placeholder}
    rated = {key for key, value in report.ratings.items() if value is not None}
    # Each category named once, under what it lacks.
    lacking: dict[str, list[str]] = {}
    for category in definitions.categories:
        lost = [what for what, present in (("section", category.key in with_section),
                                           ("rating", category.key in rated)) if not present]
        if lost:
            lacking.setdefault(" and ".join(lost), []).append(category.title)
    for what, titles in lacking.items():
        label = {"section and rating": "categories without section or rating",
                 "section": "category sections", "rating": "ratings"}[what]
        missing.append(f"{label}: " + ", ".join(titles))
    keys = [s.category for s in report.sections if s.category]
    if len(keys) != len(set(keys)):
        missing.append("one section per category (a category section appears twice)")
    return missing


def draft_blocker(report: ParsedReport, definitions: Definitions) -> str | None:
    """Why even a draft cannot be written (None when it can): its identity, and a Democracy
    Score, stated or from all the ratings, are what the site needs to show any report."""
    if not report.country or not report.edition:
        return "the country and the edition year (give --country/--edition or --source-url)"
    keys = [s.category for s in report.sections if s.category]
    if len(keys) != len(set(keys)):
        return "one section per category (a category section appears twice)"
    rated = [k for k, v in report.ratings.items() if v is not None]
    if report.democracy_score is None and len(rated) < len(definitions.categories):
        return "a Democracy Score: the page states none and does not give every rating"
    return None


def as_draft(report: ParsedReport, definitions: Definitions) -> ParsedReport:
    """The report with a placeholder for each part the page lacks: a category section becomes
    "[missing]", a rating None (`null`), in the order the categories have."""
    sections = list(report.sections)
    for category in definitions.categories:
        if any(s.category == category.key for s in sections):
            continue
        sections.insert(_placeholder_position(sections, category.order, definitions),
                        Section(category.title, category.key, placeholder=True))
    ratings = {c.key: report.ratings.get(c.key) for c in definitions.categories}
    return replace(report, sections=sections, ratings=ratings, draft=True)


def _placeholder_position(sections: list[Section], order: int, definitions: Definitions) -> int:
    """After the last category section that comes before this one, else before the first that
    comes after it, else after the narrative that opens the report (summary, changes, outlook)."""
    def rank(section: Section) -> int | None:
        return definitions.category(section.category).order if section.category else None

    earlier = [i for i, s in enumerate(sections) if rank(s) is not None and rank(s) < order]
    if earlier:
        return earlier[-1] + 1
    later = [i for i, s in enumerate(sections) if rank(s) is not None and rank(s) > order]
    if later:
        return later[0]
    closing = [i for i, s in enumerate(sections) if s.title.startswith("About the Author")]
    return closing[0] if closing else len(sections)
