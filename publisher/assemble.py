"""Stage 3, assemble: validated sources -> final `Report` records, with every cross-report fact.

"Read everything, then render": last year's figures, changes, and previous/next editions are
computed here once, so templates and data writers only print them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from decimal import Decimal

from . import scores, urls
from .errors import Problem
from .markdown import RESERVED_IDS, render_section
from .model import (
    CategoryRating,
    PreviousFigures,
    Report,
    ReportSource,
    Section,
)


def slugify(text: str) -> str:
    """A lower-case ASCII id for a heading: "Score Changes in 2015" -> "score-changes-in-2015"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def render_sections(source: ReportSource) -> tuple[tuple[Section, ...], list[Problem]]:
    problems: list[Problem] = []
    sections = []
    used: set[str] = set(RESERVED_IDS)
    for raw in source.sections:
        section_id = _unique(slugify(raw.title), used)
        section, section_problems = render_section(raw, section_id, source.path)
        problems += section_problems
        sections.append(section)
    return tuple(sections), problems


def _unique(candidate: str, used: set[str]) -> str:
    """An id not yet used on the page (HTML ids must not start with a digit for CSS)."""
    if candidate[0].isdigit():
        candidate = f"s-{candidate}"
    result, n = candidate, 2
    while result in used:
        result, n = f"{candidate}-{n}", n + 1
    used.add(result)
    return result


def assemble(sources: list[ReportSource], render=None) -> tuple[list[Report], list[Problem]]:
    """Build every Report; return them sorted by country then edition, and all problems.

    `render(source)` gives a source's rendered sections and their problems (default:
    `render_sections`); the build engine passes its cache here.
    """
    render = render or render_sections
    problems: list[Problem] = []
    by_key = {(s.slug, s.edition): s for s in sources}
    editions: dict[str, list[int]] = {}
    for source in sources:
        editions.setdefault(source.slug, []).append(source.edition)
    for years in editions.values():
        years.sort()
    reports = []
    for source in sorted(sources, key=lambda s: (s.slug, s.edition)):
        sections, section_problems = render(source)
        problems += section_problems
        previous_source = by_key.get((source.slug, source.edition - 1))
        if previous_source is not None:
            problems += check_against_previous(source, previous_source)
        previous = previous_figures(source, previous_source)
        years = editions[source.slug]
        position = years.index(source.edition)
        earlier = years[position - 1] if position > 0 else None
        later = years[position + 1] if position + 1 < len(years) else None
        ratings = category_ratings(source, previous_source, sections)
        rating_by_key = {r.category.key: r for r in ratings}
        sections = tuple(replace(s, rating=rating_by_key.get(s.category.key) if s.category else None)
                         for s in sections)
        reports.append(Report(
            source=source,
            sections=sections,
            category_ratings=ratings,
            previous=previous,
            score_change=_difference(source.democracy_score, previous and previous.democracy_score),
            percentage_change=(_difference(source.democracy_percentage, previous.democracy_percentage)
                               if previous and previous.from_file else None),
            url=urls.report(source.slug, source.edition),
            country_url=urls.country(source.slug),
            previous_url=urls.report(source.slug, earlier) if earlier else None,
            next_url=urls.report(source.slug, later) if later else None,
            previous_edition_on_site=earlier,
            next_edition=later,
            missing_notes=sum(s.missing_notes for s in sections),
        ))
    return reports, problems


def previous_figures(source: ReportSource, previous: ReportSource | None) -> PreviousFigures | None:
    """Last year's figures: from last year's file when it exists, else as the source stated them."""
    if previous is not None:
        return PreviousFigures(previous.edition, previous.democracy_score,
                               previous.democracy_percentage, previous.status, True,
                               urls.report(previous.slug, previous.edition))
    stated = source.stated_previous
    stated_score = (source.democracy_score_change.before if source.democracy_score_change
                    else score_before_changes(source))
    if stated is None and stated_score is None:
        return None
    return PreviousFigures(
        edition=source.edition - 1,
        democracy_score=(stated.democracy_score if stated and stated.democracy_score is not None
                         else stated_score),
        democracy_percentage=stated.democracy_percentage if stated else None,
        status=stated.status if stated else None,
        from_file=False,
        url=None,
    )


def score_before_changes(source: ReportSource) -> Decimal | None:
    """Last year's Democracy Score when the source lists every rating change (so every previous
    rating is known: the listed `from`, or this year's rating where nothing changed)."""
    if source.score_changes is None or not source.ratings or any(
            s.category and s.category.key not in source.ratings for s in source.sections):
        return None  # a draft's unrated categories leave last year's mean unknown
    before = {c.category.key: c.before for c in source.score_changes}
    return scores.democracy_score(before.get(key, rating) for key, rating in source.ratings.items())


def category_ratings(source: ReportSource, previous: ReportSource | None,
                     sections: tuple[Section, ...]) -> tuple[CategoryRating, ...]:
    section_ids = {s.category.key: s.id for s in sections if s.category}
    stated = {c.category.key: c.before for c in source.score_changes or ()}
    result = []
    for key, rating in source.ratings.items():
        category = next(s.category for s in source.sections if s.category and s.category.key == key)
        if previous is not None:
            last = previous.ratings.get(key)
        elif source.score_changes is not None:
            # The source lists every change, so a category it does not list kept its rating.
            last = stated.get(key, rating)
        else:
            last = None
        result.append(CategoryRating(category, rating, last, _difference(rating, last),
                                     section_ids.get(key)))
    return tuple(result)


def check_against_previous(source: ReportSource, previous: ReportSource) -> list[Problem]:
    """What the source says about last year must agree with last year's file."""
    problems = []
    stated = source.stated_previous
    where = f"{previous.path}"
    if stated is not None:
        if stated.democracy_percentage is not None:
            rounded = scores.round_whole(previous.democracy_percentage)
            if (stated.democracy_percentage != previous.democracy_percentage
                    and stated.democracy_percentage != rounded):
                problems.append(Problem(source.path, stated.line,
                    f"previous.democracy_percentage: stated {stated.democracy_percentage} but "
                    f"{where} gives {previous.democracy_percentage}"))
        if stated.status is not None and stated.status != previous.status:
            problems.append(Problem(source.path, stated.line,
                f"previous.status: stated '{stated.status.name}' but {where} gives "
                f"'{previous.status.name}'"))
        if stated.democracy_score is not None and stated.democracy_score != previous.democracy_score:
            problems.append(Problem(source.path, stated.line,
                f"previous.democracy_score: stated {stated.democracy_score} but {where} gives "
                f"{previous.democracy_score}"))
    for change in source.score_changes or ():
        last = previous.ratings.get(change.category.key)
        if last is not None and last != change.before:
            problems.append(Problem(source.path, change.line,
                f"score change for '{change.category.key}' says it was {change.before} but "
                f"{where} gives {last}"))
    stated_change = source.democracy_score_change
    if stated_change is not None and stated_change.before != previous.democracy_score:
        problems.append(Problem(source.path, stated_change.line,
            f"democracy_score_change: stated 'from' {stated_change.before} but {where} gives "
            f"{previous.democracy_score}"))
    return problems


def _difference(current: Decimal, last: Decimal | None) -> Decimal | None:
    return None if last is None else current - last
