"""Run the stages on one page's text: identify -> sections -> scores -> footnotes.

`parse_page` never writes anything; it returns everything recovered, plus the problems that
keep the page from becoming a content file (so an incomplete page still reports its facts).
The page's series definition drives what is read: its categories' titles, codes and questions,
its scores' labels and scales, its statuses and its scale history.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..definitions import Definitions
from ..series import CategoryNode, ScaleEra, Series, derive
from . import identify, scores
from .footnotes import build_section
from .model import ParsedReport, Previous, ScoreChange, Section
from .sections import BULLET_RE, Block, Heading, Layout, SectionDraft, WIDGET_LABEL_RE, parse_names, \
    split_layout, strip_boilerplate

INVERTED_NOTE = "Converted from the inverted scale the page was published on: new = min + max - old."
MIN_OVERVIEW_WORDS = 25
FACT_LINE = r"\d\s*=\s*(?:best|worst)|^\W*Author"  # a header line of facts, not narrative


@dataclass
class Overrides:
    source_url: str | None = None
    country: str | None = None
    edition: int | None = None


def parse_page(text: str, definitions: Definitions, overrides: Overrides | None = None) -> ParsedReport:
    """Everything the page holds. Raises ImportFailure for pages of no series the site defines."""
    overrides = overrides or Overrides()
    series = identify.detect_series(text, definitions, overrides.source_url)
    url_identity = identify.identity_from_url(overrides.source_url, definitions.series,
                                              definitions.countries)
    report = ParsedReport(series=series, source_url=overrides.source_url)
    _identity(report, text, series, definitions, overrides, url_identity)
    report.scale = identify.detect_scale(text, series, report.edition)
    layout = split_layout(text, series)
    report.dropped.extend(layout.dropped)
    header_text = "\n".join(layout.header)
    _header_facts(report, layout, header_text, text)
    _sections(report, layout)
    report.other_scores = scores.other_scores("\n".join(layout.footer))
    # The footer (country box, other scores) is read above and otherwise chrome.
    report.dropped.extend(line.strip() for line in layout.footer if line.strip())
    if report.scale == "old":
        report.notes_on_source.append(_conversion_note(series, text, report.edition))
    _check_scores(report)
    return report


def _identity(report: ParsedReport, text: str, series: Series, definitions: Definitions,
              overrides: Overrides, url_identity: identify.UrlIdentity) -> None:
    status_names = {n.casefold() for s in series.statuses for n in (s.name, *s.aliases)}
    text_country, strong = identify.country_from_text(text, status_names, definitions.countries, series)
    text_edition = identify.edition_from_text(text, series) or scores.table_edition(text)
    strong_country = text_country if strong else None
    if url_identity.foreign:
        report.problems.append(f"the source URL is a {url_identity.foreign} address, not a "
                               f"{series.name} one")
    elif url_identity.series and url_identity.series != series.key:
        named = next(s.name for s in definitions.series if s.key == url_identity.series)
        report.problems.append(f"the page reads as {series.name} but the source URL is a {named} address")
        url_identity = identify.UrlIdentity(None, None)  # another report's identity: not this one's
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


def _header_facts(report: ParsedReport, layout: Layout, header_text: str, text: str) -> None:
    series = report.series
    report.status = scores.status_in(layout.header, series)
    head = header_text or text[:3000]
    stated, last_year = scores.score_widgets(head, series, report.edition)
    in_table, table_last_year = scores.table_scores(header_text, series, report.edition)
    for key, value in in_table.items():
        stated.setdefault(key, value)
    previous = scores.previous_figures(head, series)
    for key, value in {**table_last_year, **last_year}.items():
        previous = previous or Previous({}, None)
        previous.scores.setdefault(key, value)
    groups = scores.group_widgets(head, series)
    if report.scale == "old":
        stated = {k: _score_on_new_scale(series, k, v) for k, v in stated.items()}
        groups = {k: _rating_on_new_scale(series, k, v) for k, v in groups.items()}
        if previous:
            converted = {k: _score_on_new_scale(series, k, v) for k, v in previous.scores.items()}
            previous = Previous({k: v for k, v in converted.items() if v is not None}, previous.status)
    report.scores = {k: v for k, v in stated.items() if v is not None}
    report.previous = previous
    report.ratings.update(groups)
    for line in layout.header:
        match = re.match(r"^(?:[•·]\s*)?(?:Authors?|Author\(s\))\s*:\s*(.+)$|^[Bb]y\s+(.+)$", line.strip())
        if match:
            for name in parse_names(match.group(1) or match.group(2)):
                if name not in report.authors:
                    report.authors.append(name)
    for name in layout.authors:
        if name not in report.authors:
            report.authors.append(name)


def _score_on_new_scale(series: Series, key: str, value):
    """A score printed on an inverted scale, on today's (None when its scale is not known)."""
    score = series.score(key)
    if score is None or score.min is None or score.max is None:
        return None
    if isinstance(value, int):
        return int(score.min + score.max) - value
    return scores.to_new_scale(value, score.min, score.max, score.decimals)


def _rating_on_new_scale(series: Series, key: str, value: Decimal) -> Decimal:
    node = series.nodes[key]
    return scores.to_new_scale(value, node.min, node.max, scores.node_places(node))


def _conversion_note(series: Series, text: str, edition: int | None) -> str:
    """source.note for a converted page: the note of the era it was published in."""
    era = _inverted_era(series, text, edition)
    return era.note if era is not None and era.note else INVERTED_NOTE


def _inverted_era(series: Series, text: str, edition: int | None) -> ScaleEra | None:
    eras = [e for e in series.history if e.inverted]
    for era in eras:
        if any(re.search(identify.label_pattern(label), text, re.I) for label in era.labels):
            return era
    return next((e for e in eras if edition and e.covers(edition)), eras[0] if eras else None)


def _sections(report: ParsedReport, layout: Layout) -> None:
    series = report.series
    overview = _overview(layout, report.dropped, series)
    drafts = ([overview] if overview else []) + layout.sections
    change_texts: list[str] | None = None
    parts: list[tuple[str, str | None, list[Block]]] = []  # each section's title, category, blocks
    for draft in drafts:
        heading = draft.heading
        title = heading.title
        if heading.kind == "group" and not draft.blocks:
            report.dropped.append(heading.title)  # a group's header over its indicators
            continue
        if heading.kind == "category":
            title = _category_rating(report, draft)
        if heading.category and any(c == heading.category for _, c, _ in parts):
            report.problems.append(f"the page has the '{title}' section twice")
        if heading.kind == "changes":
            change_texts = (change_texts or []) + [i for b in draft.blocks for i in b.items]
        parts.append((title, heading.category, draft.blocks))
    report.sections = [s for s in _build_sections(parts, indicator_codes(series))
                       if s.paragraphs or s.orphan_notes or s.category]
    found = scores.table_ratings("\n".join(layout.header), series, report.edition)
    for key, value in found.items():
        if report.scale == "old":
            value = _rating_on_new_scale(series, key, value)
        report.ratings.setdefault(key, value)
    if change_texts is not None:
        _score_changes(report, change_texts)
    report.ratings = {n.key: report.ratings[n.key] for n in tree_order(series) if n.key in report.ratings}


def _build_sections(parts: list[tuple[str, str | None, list[Block]]], codes: re.Pattern | None) -> list[Section]:
    """The sections with their notes. Most pages number notes from 1 in every section; some
    (Freedom on the Net) number them across the page. The second reading is tried only where no
    later section starts again from 1, and kept only where it finds more references."""
    restarting = [build_section(title, category, blocks, codes) for title, category, blocks in parts]
    with_notes = [s for s in restarting if s.references]
    if not with_notes or any(s.references[0] == 1 for s in with_notes[1:]):
        return restarting
    carried, last = [], 0
    for title, category, blocks in parts:
        section = build_section(title, category, blocks, codes, last + 1)
        carried.append(section)
        last = max(section.references, default=last)
    count = lambda sections: sum(len(s.references) for s in sections)
    return carried if count(carried) > count(restarting) else restarting


def indicator_codes(series: Series) -> re.Pattern | None:
    """The series' codes that end in a digit ("A1", "C8"): body text cites them, and they are
    never note references."""
    codes = sorted((n.code for n in series.all_nodes() if n.code and n.code[-1].isdigit()), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, codes)) + r")(?![\w])") if codes else None


def _category_rating(report: ParsedReport, draft: SectionDraft) -> str:
    """Read the category's rating (and an indicator's question) at its section's top; the
    section's title: the category's, or an indicator's code and question ("A1. Was ...?")."""
    node = report.series.nodes[draft.heading.category]
    if node.code:
        question, rating = indicator_widget(draft.heading.rest, draft.blocks, node, report.dropped)
        question = question or node.description
        title = f"{node.code}. {question}" if question else node.code
    else:
        rating = scores.rating_from_section(draft.heading.rest, draft.blocks, node, report.dropped)
        title = draft.heading.title
    if rating is not None:
        rating = rating.quantize(Decimal(1).scaleb(-scores.node_places(node)))
        if report.scale == "old":
            rating = _rating_on_new_scale(report.series, node.key, rating)
        report.ratings.setdefault(node.key, rating)
    return title


def indicator_widget(rest: str, blocks: list[Block], node: CategoryNode,
                     dropped: list[str]) -> tuple[str | None, Decimal | None]:
    """(question as printed, rating) of an indicator, from the text after its code ("A1 0-4 pts
    Was the ...? 0 / 4") or the section's first block (which is then taken out of the body).
    The question is None when the page lacks it or it is cut off."""
    text = re.sub(rf"^[\s:.|]*(?:{WIDGET_LABEL_RE})?[\s|]*", "", rest)
    if "?" not in text and blocks and blocks[0].kind == "para" and _is_question(blocks[0].items[0], node):
        text = (text + " " + blocks[0].items[0]).strip()
        dropped.append(blocks.pop(0).items[0])
    match = scores.find_rating(text, node)
    rating = scores.rating_value(match) if match else None
    head = text[: match.start()] if match else text
    question = head.strip(" |")
    if rating is None and blocks and blocks[0].kind == "para":
        alone = re.fullmatch(r"[\s|]*(.+?)[\s|]*", blocks[0].items[0])
        found = scores.find_rating(alone.group(1), node) if alone else None
        if found and found.span() == (0, len(alone.group(1))):  # the rating on a line of its own
            rating = scores.rating_value(found)
            dropped.append(blocks.pop(0).items[0])
    if not question.endswith("?"):
        return None, rating  # no question, or one cut off: the definition's wording is used
    return question, rating


def _is_question(text: str, node: CategoryNode) -> bool:
    """The block under an indicator's code is its question: it opens like the definition's
    question, or is one short sentence ending in '?' (perhaps with the rating widget after it),
    or the opening of the question where the capture ends."""
    plain = text.strip(" |")
    if node.description and re.match(identify.question_start(node), plain, re.I):
        return True
    if re.search(r"\?\s*(?:[\s|]*-?\d[\d.\s/|]*)?$", plain) and len(plain.split()) <= 60:
        return True
    words = re.findall(r"[\w’']+", plain.casefold())
    wanted = re.findall(r"[\w’']+", node.description.casefold())
    return bool(words) and len(words) < len(wanted) and words[:-1] == wanted[:len(words) - 1] \
        and wanted[len(words) - 1].startswith(words[-1])


def _score_changes(report: ParsedReport, texts: list[str]) -> None:
    series = report.series
    # the main score's change, which reports state under its own field (democracy_score_change)
    changing = (series.main,) if series.main_score.field else ()
    changes, overall = scores.score_changes(texts, series, report.problems, changing, report.scores)
    if report.scale == "old":
        changes = [ScoreChange(c.category, _rating_on_new_scale(series, c.category, c.before),
                               _rating_on_new_scale(series, c.category, c.after)) for c in changes]
        if overall:
            key, before, after = overall
            overall = (key, _score_on_new_scale(series, key, before), _score_on_new_scale(series, key, after))
    report.score_changes = changes
    report.score_change = overall
    for change in changes:
        # A change's `to` is this edition's rating: pages cut off before their category widgets
        # still show it there.
        report.ratings.setdefault(change.category, change.after)


def _overview(layout: Layout, dropped: list[str], series: Series) -> SectionDraft | None:
    """Narrative left before the first heading (no "Executive Summary" line) is kept, not lost;
    so is a bulleted list there (key developments without their heading).

    The header is otherwise title, status, widgets and the scale note: short lines of facts
    (or lines naming the series' scores), which are read elsewhere and dropped here.
    """
    facts = re.compile("|".join([FACT_LINE] + [identify.phrase(s.title) for s in series.scores]), re.I)
    paragraphs: list[list[str]] = [[]]
    bullets: dict[int, str] = {}  # paragraph index -> a bullet item's text
    short_lines: list[str] = []  # title, status, widgets: read as facts, not kept as text
    for line in layout.header:
        words = len(line.split())
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        bullet = BULLET_RE.match(line)
        if words >= 8 and not facts.search(line):
            if bullet:
                if paragraphs[-1]:
                    paragraphs.append([])
                bullets[len(paragraphs) - 1] = (bullet.group("text") or bullet.group("text2") or "").strip()
                paragraphs[-1].append(line)
                paragraphs.append([])
            else:
                paragraphs[-1].append(line)
            continue
        if words:
            short_lines.append(line.strip())
        if paragraphs[-1]:
            paragraphs.append([])
    kept: list[Block] = []
    for index, lines in enumerate(paragraphs):
        if index in bullets:
            if kept and kept[-1].kind == "bullets":
                kept[-1].items.append(bullets[index])
            else:
                kept.append(Block("bullets", [bullets[index]]))
            continue
        para = strip_boilerplate(" ".join(lines), dropped)
        # "* Starting with the 2005 edition ..." is a footnote to the ratings table.
        if len(para.split()) >= MIN_OVERVIEW_WORDS and re.search(r"[.!?”\"]$", para) \
                and not para.startswith("*"):
            kept.append(Block("para", [para]))
        elif para:
            dropped.append(para)
    dropped[:0] = short_lines
    if not any(block.kind == "para" for block in kept):
        dropped.extend(item for block in kept for item in block.items)
        return None
    return SectionDraft(Heading("overview", "Overview"), kept)


# --- checks --------------------------------------------------------------------------------------

def tree_order(series: Series) -> list[CategoryNode]:
    """Every category, a group before its parts (the order ratings are listed in)."""
    return list(series.all_nodes())


def _check_scores(report: ParsedReport) -> None:
    """Compare the stated figures with what the ratings give (the series' derivations); a
    disagreeing stated figure is left out. A group whose indicators are all rated is left to
    them (the most detailed level the page gives)."""
    series = report.series
    rated = {k: v for k, v in report.ratings.items() if v is not None}
    derived = derive(series, rated)  # from the ratings alone: a stated score is no evidence
    for key, stated in list(report.scores.items()):
        score = series.score(key)
        if key in derived.values and scores.arithmetic.round_places(derived.values[key], score.decimals) != stated:
            computed = scores.arithmetic.round_places(derived.values[key], score.decimals)
            report.problems.append(f"the page states {score.field or key} {stated} but the ratings give "
                                   f"{computed}; the stated value is left out")
            del report.scores[key]
    for key, _ in derived.problems:
        if key in series.nodes and key in report.ratings:
            computed = scores.arithmetic.round_places(derived.values[key], scores.node_places(series.nodes[key]))
            report.problems.append(f"the page states {series.nodes[key].title} {report.ratings[key]} but "
                                   f"its parts give {computed}; the stated value is left out")
    for node in series.all_nodes():
        if node.is_group and node.key in report.ratings and _from_parts(node, rated):
            del report.ratings[node.key]
    status = derive(series, {k: v for k, v in report.ratings.items() if v is not None}, report.scores).status
    if report.status and status and report.status != status.name:
        report.problems.append(
            f"the page states status {report.status!r} but the ratings give {status.name!r}; "
            "the stated status is left out")
        report.status = None


def _from_parts(node: CategoryNode, rated: dict) -> bool:
    """Every part of the group is rated (an optional one may be left out)."""
    return all(_from_parts(c, rated) if c.is_group else (c.key in rated or c.optional)
               for c in node.children)


def headline_unknown(report: ParsedReport) -> list[str]:
    """Titles of the series' headline values that neither the page nor its ratings give."""
    series = report.series
    values = derive(series, {k: v for k, v in report.ratings.items() if v is not None}, report.scores).values
    titles = {**{s.key: s.title for s in series.scores}, **{n.key: n.title for n in series.all_nodes()},
              **{t.key: t.title or t.key for t in series.lookups}}
    return [titles.get(key, key) for key in series.headline if key not in values]


def required_nodes(report: ParsedReport) -> tuple[CategoryNode, ...]:
    """The categories a whole report of this page rates and gives a section: the series'
    indicators (leaves; an optional one aside) when the page has any, else its top-level
    categories (a page that rates only the groups, as old Freedom on the Net editions do)."""
    series = report.series
    leaves = tuple(n for n in series.leaves() if not n.optional)
    deeper = [n for n in series.leaves() if n not in series.categories]
    keys = {n.key for n in deeper}
    if not deeper or any(k in keys for k, v in report.ratings.items() if v is not None) \
            or any(s.category in keys for s in report.sections):
        return leaves
    return series.categories


def _has_text(section: Section) -> bool:
    return not section.placeholder and bool(section.paragraphs or section.orphan_notes)


def missing_parts(report: ParsedReport) -> list[str]:
    """What keeps the page from being a complete report (empty when it can be written)."""
    missing = []
    if not report.country:
        missing.append("the country (give --country or --source-url)")
    if not report.edition:
        missing.append("the edition year (give --edition or --source-url)")
    with_section = {s.category for s in report.sections if s.category and _has_text(s)}
    rated = {key for key, value in report.ratings.items() if value is not None}
    # Each category named once, under what it lacks.
    lacking: dict[str, list[str]] = {}
    for category in required_nodes(report):
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
    unknown = headline_unknown(report)
    if unknown and not lacking:
        missing.append("the scores " + ", ".join(unknown))
    return missing


def draft_blocker(report: ParsedReport) -> str | None:
    """Why even a draft cannot be written (None when it can): its identity, and the series'
    headline values (stated, or from the ratings), which the site needs to show any report."""
    if not report.country or not report.edition:
        return "the country and the edition year (give --country/--edition or --source-url)"
    keys = [s.category for s in report.sections if s.category]
    if len(keys) != len(set(keys)):
        return "one section per category (a category section appears twice)"
    unknown = headline_unknown(report)
    if unknown:
        named = unknown[0] if len(unknown) == 1 else ", ".join(unknown[:-1]) + " and " + unknown[-1]
        return (f"the {named}: the page states {'it' if len(unknown) == 1 else 'none of them'} and does "
                f"not give every rating {'it comes' if len(unknown) == 1 else 'they come'} from")
    return None


def as_draft(report: ParsedReport) -> ParsedReport:
    """The report with a placeholder for each part the page lacks, at the level the page gives
    (every indicator, or the top-level categories): a category section becomes "[missing]", a
    rating None (`null`), in the order of the series' tree."""
    series = report.series
    required = required_nodes(report)
    sections = [s if _has_text(s) or not s.category else replace(s, placeholder=True)
                for s in report.sections]  # a heading the capture ends after: no text
    for node in required:
        if any(s.category == node.key for s in sections):
            continue
        sections.insert(_placeholder_position(sections, node.order, series),
                        Section(section_title(node), node.key, placeholder=True))
    ratings = dict(report.ratings)
    for node in required:
        ratings.setdefault(node.key, None)
    ratings = {n.key: ratings[n.key] for n in tree_order(series) if n.key in ratings}
    return replace(report, sections=sections, ratings=ratings, draft=True)


def section_title(node: CategoryNode) -> str:
    """A category section's title: the category's, or an indicator's code and question."""
    if node.code and not node.is_group and node.description:
        return f"{node.code}. {node.description}"
    return node.title


def _placeholder_position(sections: list[Section], order: int, series: Series) -> int:
    """After the last category section that comes before this one, else before the first that
    comes after it, else after the narrative that opens the report (summary, changes, outlook)."""
    def rank(section: Section) -> int | None:
        return series.nodes[section.category].order if section.category else None

    earlier = [i for i, s in enumerate(sections) if rank(s) is not None and rank(s) < order]
    if earlier:
        return earlier[-1] + 1
    later = [i for i, s in enumerate(sections) if rank(s) is not None and rank(s) > order]
    if later:
        return later[0]
    closing = [i for i, s in enumerate(sections) if s.title.startswith("About the Author")]
    return closing[0] if closing else len(sections)
