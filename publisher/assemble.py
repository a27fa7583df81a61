"""Stage 3, assemble: validated sources -> final `Report` records, with every cross-report fact.

"Read everything, then render": last year's figures, changes, and previous/next editions are
computed here once, so templates and data writers only print them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from decimal import Decimal

from . import urls
from .definitions import Definitions
from .errors import Problem
from .markdown import RESERVED_IDS, render_section
from .model import (
    CategoryRating,
    PreviousFigures,
    Report,
    ReportSource,
    Section,
)
from .reportfields import change_field
from .scores import round_places
from .series import Series, derive


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


def assemble(sources: list[ReportSource], definitions: Definitions,
             render=None) -> tuple[list[Report], list[Problem]]:
    """Build every Report; return them sorted by series, country and edition, and all problems.

    `render(source)` gives a source's rendered sections and their problems (default:
    `render_sections`); the build engine passes its cache here.
    """
    render = render or render_sections
    problems: list[Problem] = []
    by_key = {(s.series, s.slug, s.edition): s for s in sources}
    editions: dict[tuple[str, str], list[int]] = {}
    for source in sources:
        editions.setdefault((source.series, source.slug), []).append(source.edition)
    for years in editions.values():
        years.sort()
    reports = []
    for source in sorted(sources, key=lambda s: (s.series, s.slug, s.edition)):
        series = definitions.series_by_key(source.series)
        scope = urls.scope(definitions, source.series)
        sections, section_problems = render(source)
        problems += section_problems
        previous_source = by_key.get((source.series, source.slug, source.edition - 1))
        if previous_source is not None:
            problems += check_against_previous(source, previous_source, series)
        previous = previous_figures(source, previous_source, series, scope)
        years = editions[(source.series, source.slug)]
        position = years.index(source.edition)
        earlier = years[position - 1] if position > 0 else None
        later = years[position + 1] if position + 1 < len(years) else None
        ratings = category_ratings(source, previous_source, sections, series)
        rating_by_key = {r.category.key: r for r in ratings}
        sections = tuple(replace(s, rating=rating_by_key.get(s.category.key) if s.category else None)
                         for s in sections)
        changes = _changes(source, previous, series)
        reports.append(Report(
            source=source,
            sections=sections,
            category_ratings=ratings,
            previous=previous,
            score_change=_difference(source.score, previous and previous.scores.get(series.main)),
            changes=changes,
            url=urls.report(source.slug, scope, source.edition),
            country_url=urls.country(source.slug),
            scope=scope,
            previous_url=urls.report(source.slug, scope, earlier) if earlier else None,
            next_url=urls.report(source.slug, scope, later) if later else None,
            previous_edition_on_site=earlier,
            next_edition=later,
            missing_notes=sum(s.missing_notes for s in sections),
        ))
    return reports, problems


def _changes(source: ReportSource, previous: PreviousFigures | None,
             series: Series) -> dict[str, Decimal]:
    """Each score's change from last year: from last year's file; without it, only the main
    score's (pages state last year's other scores rounded, as Nations in Transit's "7" for a
    Democracy Percentage of 6.55)."""
    if previous is None:
        return {}
    result = {}
    for score in series.scores:
        last = previous.scores.get(score.key)
        if last is None or score.key not in source.scores:
            continue
        if previous.from_file or score.key == series.main:
            result[score.key] = source.scores[score.key] - last
    return result


def previous_figures(source: ReportSource, previous: ReportSource | None, series: Series,
                     scope: str = "") -> PreviousFigures | None:
    """Last year's figures: from last year's file when it exists, else as the source stated them."""
    if previous is not None:
        return PreviousFigures(previous.edition, previous.scores, previous.status, True,
                               urls.report(previous.slug, scope, previous.edition))
    stated = source.stated_previous
    stated_scores = dict(stated.scores) if stated else {}
    if series.main not in stated_scores:
        main = (source.stated_score_change.before if source.stated_score_change
                else score_before_changes(source, series))
        if main is not None:
            stated_scores[series.main] = main
    if stated is None and not stated_scores:
        return None
    ordered = {s.key: stated_scores[s.key] for s in series.scores if s.key in stated_scores}
    return PreviousFigures(
        edition=source.edition - 1,
        scores=ordered,
        status=stated.status if stated else None,
        from_file=False,
        url=None,
    )


def score_before_changes(source: ReportSource, series: Series) -> Decimal | None:
    """Last year's main score when the source lists every rating change (so every previous
    rating is known: the listed `from`, or this year's rating where nothing changed)."""
    if source.score_changes is None or not source.ratings or any(
            s.category and not s.category.is_group and s.category.key not in source.ratings
            for s in source.sections):
        return None  # a draft's unrated categories leave last year's mean unknown
    before = {c.category.key: c.before for c in source.score_changes}
    ratings = {key: before.get(key, rating) for key, rating in source.ratings.items()}
    value = derive(series, ratings).values.get(series.main)
    return None if value is None else round_places(value, series.main_score.decimals)


def category_ratings(source: ReportSource, previous: ReportSource | None,
                     sections: tuple[Section, ...], series: Series) -> tuple[CategoryRating, ...]:
    """Every category with a value (rated, or from its rated parts), in the series' order."""
    section_ids = {s.category.key: s.id for s in sections if s.category}
    stated = {c.category.key: c.before for c in source.score_changes or ()}
    result = []
    for key, rating in source.category_values.items():
        category = series.category(key)
        if previous is not None:
            last = previous.category_values.get(key)
        elif source.score_changes is not None:
            # The source lists every change, so a category it does not list kept its rating.
            last = stated.get(key, rating)
        else:
            last = None
        result.append(CategoryRating(category, rating, last, _difference(rating, last),
                                     section_ids.get(key)))
    return tuple(result)


def check_against_previous(source: ReportSource, previous: ReportSource,
                           series: Series) -> list[Problem]:
    """What the source says about last year must agree with last year's file (a stated value
    may be last year's rounded to fewer decimals, as pages show it: "7" for 6.55)."""
    problems = []
    stated = source.stated_previous
    where = f"{previous.path}"
    if stated is not None:
        for score in series.scores:
            given, actual = stated.scores.get(score.key), previous.scores.get(score.key)
            if given is None or actual is None:
                continue
            if not any(given == round_places(actual, places)
                       for places in range(score.decimals + 1)):
                problems.append(Problem(source.path, stated.line,
                    f"previous.{score.field or score.key}: stated {given} but {where} gives "
                    f"{actual}"))
        if stated.status is not None and stated.status != previous.status:
            problems.append(Problem(source.path, stated.line,
                f"previous.status: stated '{stated.status.name}' but {where} gives "
                f"'{previous.status.name}'"))
    for change in source.score_changes or ():
        last = previous.ratings.get(change.category.key)
        if last is not None and last != change.before:
            problems.append(Problem(source.path, change.line,
                f"score change for '{change.category.key}' says it was {change.before} but "
                f"{where} gives {last}"))
    stated_change = source.stated_score_change
    if stated_change is not None and stated_change.before != previous.score:
        problems.append(Problem(source.path, stated_change.line,
            f"{change_field(series)}: stated 'from' {stated_change.before} but {where} gives "
            f"{previous.score}"))
    return problems


def _difference(current: Decimal, last: Decimal | None) -> Decimal | None:
    return None if last is None else current - last
