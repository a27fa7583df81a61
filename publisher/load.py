"""Stage 1: content files -> validated `ReportSource` records.

Every problem is collected (not only the first) with the file and line it concerns, so
`check` can list all of them in one run, and each mistake gives one message: a wrong rating
is reported on its line, and nothing computed from the ratings is then compared.

The front-matter fields are declared in `reportfields`; this module reads the file, splits
front matter from body and the body into sections, and checks what relates fields to each
other and to the body. `check_collection` holds the checks across files.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from . import charset
from .definitions import Definitions
from .errors import Problem, display_path
from .frontmatter import SLUG_RE, FileProblems, FrontMatter, close_match
from .frontmatter import did_you_mean as _did_you_mean
from .markdown import MISSING_NOTE  # a section body that is only this: the source lacks its text
from .model import ContentPage, RawSection, ReportSource
from .reportfields import REPORT_FIELDS, change_field, parse_fields, score_fields
from .scores import round_places
from .series import Series, derive
from .yamlsafe import YamlError, load_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024  # a long report is ~50 KB; anything this big is a mistake
EDITION_RE = re.compile(r"^\d{4}$")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
H2_RE = re.compile(r"^ {0,3}## +(.*?)(?: +#+)? *$|^ {0,3}##$")
H1_RE = re.compile(r"^ {0,3}# +\S|^ {0,3}#$")


def find_report_files(content_dir: Path) -> list[Path]:
    """Every report file under `content/reports/`, in a stable order."""
    reports_dir = content_dir / "reports"
    if not reports_dir.is_dir():
        return []
    return sorted(p for p in reports_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


def load_reports(
    content_dir: Path, definitions: Definitions
) -> tuple[list[ReportSource], list[Problem]]:
    """Load and validate every report; return the good ones and all problems found, those
    across files (`check_collection`) included."""
    problems: list[Problem] = []
    reports: list[ReportSource] = []
    for path in find_report_files(content_dir):
        report, file_problems = load_report_file(path, content_dir, definitions)
        problems.extend(file_problems)
        if report is not None:
            reports.append(report)
    collection = check_collection(reports)
    duplicates = {p.path for p in collection if p.message.startswith("duplicate report")}
    return [r for r in reports if r.path not in duplicates], problems + collection


def check_collection(reports: Iterable[ReportSource]) -> list[Problem]:
    """What no single file shows, over loaded reports in any order: one report per country
    and edition (the same country under two folder names would publish two pages for one
    report), one folder per country (an error), one country name per folder (a warning: a
    country renamed over the years is listed under its latest name).

    One message per mistake: on the file that comes later in (folder, edition) order, naming
    the other."""
    problems: list[Problem] = []
    by_edition: dict[tuple[str, int], ReportSource] = {}
    folder_first: dict[str, ReportSource] = {}  # slug -> its first report
    country_first: dict[str, ReportSource] = {}  # country (case-folded) -> its first report
    told: set[tuple[str, str]] = set()  # (folder, other folder) pairs already reported
    for report in sorted(reports, key=lambda r: (r.slug, r.series, r.edition, r.path)):
        line = report.field_lines.get("country", 2)
        first = by_edition.setdefault((report.series, report.country.casefold(), report.edition),
                                      report)
        if first is not report:
            problems.append(Problem(report.path, line, f"duplicate report: {report.country} "
                                    f"{report.edition} is also defined in {first.path}"))
            continue
        named = folder_first.setdefault(report.slug, report)
        if named.country != report.country:
            problems.append(Problem(report.path, line, f"country '{report.country}' differs from "
                                    f"'{named.country}' in {named.path} (if it was renamed, its "
                                    "pages use the latest name)", "warning"))
        home = country_first.setdefault(report.country.casefold(), report)
        if home.slug != report.slug and (report.slug, home.slug) not in told:
            told.add((report.slug, home.slug))
            problems.append(Problem(report.path, line, f"country '{report.country}' already has a "
                                    f"folder, reports/{home.slug}/ ({home.path}): keep one "
                                    "country's reports in one folder"))
    return problems


def load_report_file(
    path: Path, content_dir: Path, definitions: Definitions
) -> tuple[ReportSource | None, list[Problem]]:
    """Read one report file. Returns (None, problems) when it has errors."""
    issues = FileProblems(display_path(path))
    data = _read_bytes(path, issues)
    if data is None:
        return None, issues.items
    return _load_report(data, path, content_dir, definitions, issues)


def load_report_data(
    data: bytes, path: Path, content_dir: Path, definitions: Definitions
) -> tuple[ReportSource | None, list[Problem]]:
    """Validate the bytes of the report file at `path`, read (and hashed) by the caller.
    Returns (None, problems) on errors."""
    return _load_report(data, path, content_dir, definitions, FileProblems(display_path(path)))


def _load_report(data: bytes, path: Path, content_dir: Path, definitions: Definitions,
                 issues: FileProblems) -> tuple[ReportSource | None, list[Problem]]:
    series, slug, edition_from_name = _location(path, content_dir, definitions, issues)
    if slug is None:
        return None, issues.items
    text = _decode_text(data, issues)
    if text is None:
        return None, issues.items
    report = parse_report(text, issues.path, series, slug, edition_from_name, issues)
    return (None if issues.has_errors else report), issues.items


def report_path(content_dir: Path, series_key: str | None, slug: str, edition: int) -> Path:
    """Where a report lives (what `_location` reads back): `reports/<slug>/<edition>.md`, with
    the series' key first on a site of several series (`series_key` None on a site of one)."""
    folder = content_dir / "reports"
    if series_key is not None:
        folder = folder / series_key
    return folder / slug / f"{edition}.md"


def _location(path: Path, content_dir: Path, definitions: Definitions,
              issues: FileProblems) -> tuple[Series | None, str | None, int | None]:
    """The series, country slug and edition from `reports/<slug>/<edition>.md` (a site with
    one series) or `reports/<series>/<slug>/<edition>.md` (a site with several)."""
    nothing = None, None, None
    try:
        relative = path.relative_to(content_dir / "reports")
    except ValueError:
        issues.error(1, "report files must live under reports/<country-slug>/")
        return nothing
    parts = relative.parts
    keys = [s.key for s in definitions.series]
    several = len(keys) > 1
    pattern = "reports/<series>/<country-slug>/<edition>.md" if several else \
        "reports/<country-slug>/<edition>.md"
    if len(parts) == 3 and several and parts[0] not in keys:
        issues.error(1, f"'{parts[0]}' is not a series of this site: expected {pattern}, with "
                        f"one of: {', '.join(keys)} (each defined in data/series/)")
        return nothing
    if len(parts) != (3 if several else 2):
        hint = (f"; this site has several series ({', '.join(keys)}), so a report's folder "
                "names its series first" if several and len(parts) == 2 else "")
        issues.error(1, f"expected {pattern} (found reports/{relative.as_posix()}){hint}")
        return nothing
    series = definitions.series_by_key(parts[0]) if several else definitions.primary
    slug, name = parts[-2:]
    if path.suffix != ".md":
        issues.error(1, f"report files must end in .md (found '{name}')")
        return nothing
    if not SLUG_RE.match(slug):
        issues.error(1, f"country folder '{slug}' is not a valid slug "
                        "(lower-case letters, digits and single hyphens)")
        return nothing
    stem = path.stem
    if not EDITION_RE.match(stem):
        issues.error(1, f"file name '{name}' must be the edition's year, e.g. 2015.md")
        return nothing
    return series, slug, int(stem)


def _too_large(size: int) -> str:
    return (f"file is too large ({size / 1_048_576:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1_048_576} MB)")


def _read_bytes(path: Path, issues: FileProblems) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused without reading it
            issues.error(1, _too_large(size))
            return None
        return path.read_bytes()
    except OSError as error:
        hint = " (check its permissions)" if isinstance(error, PermissionError) else ""
        issues.error(1, f"cannot read file: {error.strerror or error}{hint}")
        return None


def _read_text(path: Path, issues: FileProblems) -> str | None:
    data = _read_bytes(path, issues)
    return None if data is None else _decode_text(data, issues)


def _decode_text(data: bytes, issues: FileProblems) -> str | None:
    """A content file's bytes as text; None (with the problem noted) when they cannot be."""
    if len(data) > MAX_FILE_BYTES:
        issues.error(1, _too_large(len(data)))
        return None
    if not data.strip():
        issues.error(1, "file is empty")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        issues.error(line, f"not valid UTF-8: byte 0x{data[error.start]:02x} at offset "
                           f"{error.start}; save the file as UTF-8")
        return None
    if text.startswith("\ufeff"):
        issues.warning(1, "file starts with a byte-order mark (ignored)")
        text = text[1:]
    if "\r" in text:
        issues.warning(1, "Windows (CRLF) or old Mac (CR) line endings (read as plain newlines)")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        issues.error(line, "file contains a NUL byte (binary data?)")
        return None
    index = charset.first_forbidden(text)
    if index is not None:
        issues.error(*_forbidden_characters(text, index))
        return None
    return text


def _forbidden_characters(text: str, index: int) -> tuple[int, str]:
    """One message for the control characters of a file: the first, and where the others are."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    others: list[int] = []
    position = charset.first_forbidden(text, index + 1)
    while position is not None:
        others.append(text.count("\n", 0, position) + 1)
        position = charset.first_forbidden(text, position + 1)
    more = ""
    if others:
        lines = sorted(set(others))
        listed = ", ".join(map(str, lines[:5])) + (" …" if len(lines) > 5 else "")
        more = f" ({len(others)} more such character(s), on line(s) {listed})"
    return line, (f"{charset.describe(text[index])} at column {column}: content may not hold "
                  f"control characters; remove it{more}")


def split_front_matter(text: str, issues: FileProblems) -> tuple[str, str, int] | None:
    """Return (front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        issues.error(1, "missing front matter: the file must start with a '---' line")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    issues.error(1, "front matter is not closed: add a '---' line after it")
    return None


def parse_report(
    text: str,
    shown: str,
    series: Series,
    slug: str,
    edition_from_name: int | None,
    issues: FileProblems,
) -> ReportSource | None:
    """A report's text -> its record, or None when it has errors (all of them in `issues`)."""
    parts = split_front_matter(text, issues)
    if parts is None:
        return None
    front_text, body, body_line = parts
    try:
        meta, lines = load_yaml(front_text, first_line=2)
    except YamlError as error:
        issues.error(error.line, error.message)
        return None
    if not isinstance(meta, dict):
        issues.error(2, "front matter must be a mapping of fields (key: value)")
        return None
    fm = FrontMatter(meta, lines, issues)
    values = parse_fields(fm, series)
    edition = values["edition"]
    if edition is not None and edition_from_name is not None and edition != edition_from_name:
        issues.error(fm.line("edition"), f"edition {edition} does not match the file name "
                                         f"{edition_from_name}.md")
    sections = split_sections(body, body_line, series, issues)
    _check_sections_match_ratings(sections, fm, series)
    unrated = unrated_categories(fm, series)
    _warn_placeholders(sections, unrated, fm, series)
    derived = _derived_values(values, fm, series, unrated)
    _check_changes(values, derived, fm, series)
    if issues.has_errors or derived is None:
        return None
    declared: dict[str, Any] = {}
    for field in REPORT_FIELDS:
        declared.update(field.attribute_values(values[field.name]))
    scores, category_values, status = derived
    return ReportSource(
        path=shown,
        series=series.key,
        slug=slug,
        field_lines={str(key): fm.line(key) for key in meta},
        scores=scores,
        score=scores[series.main],
        category_values=category_values,
        status=status,
        sections=tuple(sections),
        **declared,
    )


def _derived_values(values: dict[str, Any], fm: FrontMatter, series: Series, unrated: list[str]):
    """(scores, category values, status) from the ratings as the series defines them, each
    stated score and the stated status compared with what the ratings give; a draft's null
    ratings leave what they feed to the scores it states. None when the ratings are unusable
    (their problems are reported already) or give no main score."""
    ratings = values["ratings"]
    if ratings is None:
        return None
    derived = derive(series, ratings, values["scores"], frozenset(unrated))
    for key, message in derived.problems:
        fm.error(_field_path(series, key), message)
    if derived.problems:
        return None
    main = series.main_score
    if main.key not in derived.values:
        if unrated:
            fm.error(("ratings",), f"a draft with null ratings needs the source's "
                                   f"{_score_field_name(series, main.key)} (the ratings cannot "
                                   "give it)")
        else:
            missing = [n.key for n in series.categories if n.key not in derived.values]
            fm.error(("ratings",), f"the ratings do not give the {main.title}: rate "
                                   f"{', '.join(missing)} (or its parts), or state the score")
        return None
    if derived.status is None:
        fm.error(("ratings",), f"the ratings do not give a status: the status rule reads "
                               f"'{series.status.input}'")
        return None
    stated_status = values["status"]
    if stated_status is not None and stated_status != derived.status:
        read = series.status.input
        shown_value = _value_shown(series, read, derived.values[read])
        fm.error(("status",), f"status: stated '{fm.value('status')}' but the "
                              f"{series.value_title(read)} {shown_value} gives "
                              f"'{derived.status.name}'")
    given = values["scores"]
    scores = {s.key: given[s.key] if s.key in given and s.key in derived.approximate
              else round_places(derived.values[s.key], s.decimals)
              for s in series.scores if s.key in derived.values}
    category_values = {}
    for node in series.all_nodes():
        if node.key in ratings:
            category_values[node.key] = ratings[node.key]
        elif node.key in derived.values:
            category_values[node.key] = round_places(derived.values[node.key], node.places)
    return scores, category_values, derived.status


def _field_path(series: Series, key: str) -> tuple:
    """Where in the front matter a derived value's problem belongs."""
    if series.score(key) is not None:
        return (series.score(key).field,) if series.score(key).field else ("scores", key)
    return ("ratings", key) if key in series.nodes else ("ratings",)


def _score_field_name(series: Series, key: str) -> str:
    score = series.score(key)
    return score.field or f"scores: {key}"


def _value_shown(series: Series, key: str, value) -> str:
    score = series.score(key)
    return str(round_places(value, score.decimals if score else 2))


def unrated_categories(fm: FrontMatter, series: Series) -> list[str]:
    """The categories a draft leaves unrated for now (`key: null`), in category order."""
    raw = fm.value("ratings")
    if fm.value("draft") is not True or not isinstance(raw, dict):
        return []
    return [c.key for c in series.all_nodes()
            if c.key in raw and raw[c.key] is None]


def _warn_placeholders(sections: list[RawSection], unrated: list[str], fm: FrontMatter,
                       series: Series) -> None:
    """All the placeholders of a file ("[missing]" sections, null ratings) as one warning, each
    section or category named once."""
    def name(section: RawSection) -> str:  # an indicator by its code: "A1", not its question
        node = section.category
        return node.code if node is not None and node.code and node.title == node.code else section.title

    empty = [s for s in sections if s.source.strip() == MISSING_NOTE]
    both = [name(s) for s in empty if s.category and s.category.key in unrated]
    text_only = [name(s) for s in empty if name(s) not in both]
    rating_only = [series.category(k).title for k in unrated
                   if series.category(k).title not in both]
    parts = []
    for titles, what in ((both, f"no text ({MISSING_NOTE}) and no rating (null)"),
                         (text_only, f"no text ({MISSING_NOTE})")):
        if titles:
            parts.append(f"{len(titles)} section{'s have' if len(titles) != 1 else ' has'} {what}: "
                         + ", ".join(titles))
    if rating_only:
        parts.append(f"{len(rating_only)} rating{'s are' if len(rating_only) != 1 else ' is'} not "
                     "given (null): " + ", ".join(rating_only))
    if parts:
        line = empty[0].line if empty else fm.line("ratings", unrated[0])
        fm.issues.warning(line, "; ".join(parts))


def _check_changes(values: dict[str, Any], derived, fm: FrontMatter, series: Series) -> None:
    """The `to` end of a stated change is this edition's figure: it must agree with it."""
    ratings = values["ratings"] or {}
    for change in values["score_changes"] or ():
        key = change.category.key
        if key in ratings and ratings[key] != change.after:
            fm.issues.error(change.line, f"score change for '{key}' says it went to "
                                         f"{change.after} but ratings give {ratings[key]}")
    stated = values["score_change"]
    main = derived[0][series.main] if derived is not None else None
    if stated is not None and main is not None and stated.after != main:
        fm.issues.error(stated.line, f"{change_field(series)}: stated 'to' {stated.after} but "
                                     f"the ratings give {main}")


def _check_sections_match_ratings(sections: list[RawSection], fm: FrontMatter,
                                  series: Series) -> None:
    """Every rated indicator or category without parts needs its section, and such a section its
    rating (a group's section needs none: its value may come from its parts, or a page may
    give only group totals).

    Against the ratings as written, so that a wrong value is not also a missing rating, and
    a mistyped key counts for the category it is close to (its own message names it)."""
    seen: dict[str, int] = {}
    for section in sections:
        if section.category is not None:
            key = section.category.key
            if key in seen:
                fm.issues.error(section.line, f"second '{section.title}' section (first on line "
                                              f"{seen[key]})")
            seen[key] = section.line
    raw = fm.value("ratings")
    if not isinstance(raw, dict) or not raw:
        return  # missing or not a mapping: said once already
    keys = [n.key for n in series.all_nodes()]
    rated = {str(k) for k in raw if series.category(str(k))}
    unrated = [k for k in keys if k not in raw]
    claimed = set(rated)
    for key in raw:
        if series.category(str(key)) is None:
            match = close_match(str(key), unrated or keys)
            if match is None:
                return  # its message listed the categories to choose from
            claimed.add(match)
    for section in sections:
        node = section.category
        if node is not None and not node.is_group and node.key not in claimed \
                and not claimed & set(series.ancestors(node.key)):  # (a group's total covers it)
            fm.issues.error(section.line, f"section '{section.title}' has no rating: add "
                                          f"'{node.key}' under ratings")
    free = [s for s in sections if s.category is None]
    for key in (k for k in keys if k in rated and k not in seen
                and not series.category(k).is_group):
        title = series.category(key).title
        near = next((s for s in free if close_match(s.title, [title])), None)
        if near is not None:
            free.remove(near)
            fm.issues.error(near.line, f"section '{near.title}' is not a category's title; did "
                                       f"you mean '{title}'? (the rating for '{key}' needs its "
                                       "section)")
        else:
            fm.error(("ratings", key), f"rating for '{key}' has no section: add a "
                                       f"'## {section_heading(series.category(key))}' section "
                                       "to the body")


def section_heading(node) -> str:
    """The heading a category's section takes: its title, or an indicator's code and question."""
    if node.code and node.description and node.title == node.code:
        return f"{node.code}. {node.description}"
    return node.title


def split_sections(
    body: str, body_line: int, series: Series, issues: FileProblems
) -> list[RawSection]:
    """Split the body at `## ` headings (outside code fences)."""
    sections: list[RawSection] = []
    current: tuple[str, int] | None = None
    buffer: list[str] = []
    fence: str | None = None
    titles: dict[str, int] = {}

    def close() -> None:
        if current is not None:
            title, line = current
            sections.append(RawSection(title, line, "\n".join(buffer),
                                       series.section_category(title)))

    for offset, line in enumerate(body.split("\n")):
        number = body_line + offset
        fence_match = FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
        heading = H2_RE.match(line) if fence is None else None
        if heading:
            close()
            title = " ".join((heading.group(1) or "").split())
            if not title:
                issues.error(number, "empty section heading")
            elif title.casefold() in titles:
                issues.error(number, f"duplicate section title '{title}' (first on line "
                                     f"{titles[title.casefold()]})")
            titles[title.casefold()] = number
            current, buffer = (title, number), []
            continue
        if fence is None and H1_RE.match(line):
            issues.error(number, "level-1 heading ('# ') in the body: the page title comes from "
                                 "the front matter; use '## ' for sections")
            continue
        if current is None:
            if line.strip():
                issues.error(number, "text before the first section: start the body with a "
                                     "'## ' heading")
                current, buffer = ("Introduction", number), [line]
            continue
        buffer.append(line)
    close()
    if not sections:
        issues.error(body_line, "the body has no sections: add '## ' headings")
    return [s for s in sections if s.title]


PAGE_FIELDS = ("title", "description", "template", "order")
PAGE_TEMPLATES = ("page", "methodology")
from .pages import RESERVED_PAGE_SLUGS  # noqa: E402 (derived from the page kinds)


def load_pages(content_dir: Path) -> tuple[list[ContentPage], list[Problem]]:
    """Read `content/pages/*.md`: front matter (title, description, template, order) + Markdown."""
    from .markdown import render_page_markdown

    pages, problems = [], []
    pages_dir = content_dir / "pages"
    for path in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
        shown = display_path(path)
        issues = FileProblems(shown)
        if not SLUG_RE.match(path.stem) or path.stem in RESERVED_PAGE_SLUGS:
            issues.error(1, f"page file name '{path.name}' must be a slug (lower-case letters, digits, "
                            f"hyphens) and not one of: {', '.join(sorted(RESERVED_PAGE_SLUGS))}")
        text = _read_text(path, issues)
        parts = split_front_matter(text, issues) if text is not None else None
        meta: Any = None
        if parts is not None:
            try:
                meta, lines = load_yaml(parts[0], first_line=2)
            except YamlError as error:
                issues.error(error.line, error.message)
        if isinstance(meta, dict):
            fields = FrontMatter(meta, lines, issues)
            for key in meta:
                if key not in PAGE_FIELDS:
                    issues.error(fields.line(key), f"unknown field '{key}'" + _did_you_mean(
                        str(key), PAGE_FIELDS, "; expected one of: " + ", ".join(PAGE_FIELDS)))
            title = fields.text("title", required=True)
            if "title" not in meta:
                issues.error(2, "missing required field 'title'")
            template = str(meta.get("template") or "page")
            if template not in PAGE_TEMPLATES:
                issues.error(fields.line("template"), f"unknown template '{template}'; expected one of: "
                                                      + ", ".join(PAGE_TEMPLATES))
            order = meta.get("order", 50)
            if isinstance(order, bool) or not isinstance(order, int):
                issues.error(fields.line("order"), f"'order' must be a whole number, got {order!r}")
                order = 50
            html, plain = render_page_markdown(parts[1])
            if not issues.has_errors:
                pages.append(ContentPage(path.stem, title or path.stem, fields.text("description"),
                                         html, plain, template, order))
        elif parts is not None and not issues.has_errors:
            issues.error(2, "front matter must be a mapping with at least a title")
        problems += issues.items
    return sorted(pages, key=lambda p: (p.order, p.title)), problems
