"""Stage 1: content files -> validated `ReportSource` records.

Every problem is collected (not only the first) with the file and line it concerns, so
`check` can list all of them in one run.
"""
from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import scores
from .definitions import Definitions, Status
from .errors import Problem, display_path
from .model import (
    ContentPage,
    OtherScore,
    RawSection,
    ReportSource,
    ScoreChange,
    StatedChange,
    StatedPrevious,
)
from .yamlsafe import YamlError, load_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024  # a long report is ~50 KB; anything this big is a mistake
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EDITION_RE = re.compile(r"^\d{4}$")
REQUIRED_FIELDS = ("country", "edition", "ratings")
OPTIONAL_FIELDS = (
    "status",
    "democracy_score",
    "democracy_percentage",
    "previous",
    "score_changes",
    "democracy_score_change",
    "other_scores",
    "authors",
    "summary",
    "source",
    "draft",
)
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
H2_RE = re.compile(r"^ {0,3}## +(.*?)(?: +#+)? *$|^ {0,3}##$")
H1_RE = re.compile(r"^ {0,3}# +\S|^ {0,3}#$")


class FileProblems:
    """Collects the problems of one file."""

    def __init__(self, path: str):
        self.path = path
        self.items: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, message))

    def warning(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


def find_report_files(content_dir: Path) -> list[Path]:
    """Every report file under `content/reports/`, in a stable order."""
    reports_dir = content_dir / "reports"
    if not reports_dir.is_dir():
        return []
    return sorted(p for p in reports_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


def load_reports(
    content_dir: Path, definitions: Definitions
) -> tuple[list[ReportSource], list[Problem]]:
    """Load and validate every report; return the good ones and all problems found."""
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


def check_collection(reports: list[ReportSource]) -> list[Problem]:
    """What no single file shows: one report per country and edition (the same country under
    two folder names would publish two pages for one report: an error), and one country name
    per folder (a warning: a country renamed over the years is listed under its latest name)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for report in sorted(reports, key=lambda r: (r.slug, r.edition, r.path)):
        key = (report.country.casefold(), report.edition)
        if key in seen:
            problems.append(Problem(report.path, 2, f"duplicate report: {report.country} "
                                                    f"{report.edition} is also defined in "
                                                    f"{seen[key]}"))
            continue
        seen[key] = report.path
    countries: dict[str, str] = {}
    for report in reports:
        named = countries.setdefault(report.slug, report.country)
        if named != report.country:
            problems.append(Problem(report.path, 2, f"country '{report.country}' differs from "
                                                    f"'{named}' in other reports of reports/{report.slug}/ "
                                                    "(if it was renamed, its pages use the latest name)",
                                    "warning"))
    return problems


def load_report_file(
    path: Path, content_dir: Path, definitions: Definitions
) -> tuple[ReportSource | None, list[Problem]]:
    """Read one report file. Returns (None, problems) when it has errors."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(display_path(path), 1, f"cannot read file: {error.strerror}")]
    return load_report_data(data, path, content_dir, definitions)


def load_report_data(
    data: bytes, path: Path, content_dir: Path, definitions: Definitions
) -> tuple[ReportSource | None, list[Problem]]:
    """Validate the bytes of the report file at `path`. Returns (None, problems) on errors."""
    shown = display_path(path)
    issues = FileProblems(shown)
    slug, edition_from_name = _location(path, content_dir, issues)
    text = _decode_text(data, issues)
    if text is None or slug is None:
        return None, issues.items
    report = parse_report(text, shown, slug, edition_from_name, definitions, issues)
    return (None if issues.has_errors else report), issues.items


def _location(path: Path, content_dir: Path, issues: FileProblems) -> tuple[str | None, int | None]:
    """The country slug and edition from `reports/<slug>/<edition>.md`."""
    try:
        relative = path.relative_to(content_dir / "reports")
    except ValueError:
        issues.error(1, "report files must live under reports/<country-slug>/")
        return None, None
    parts = relative.parts
    if len(parts) != 2:
        issues.error(1, "expected reports/<country-slug>/<edition>.md "
                        f"(found reports/{relative.as_posix()})")
        return None, None
    slug, name = parts
    if path.suffix != ".md":
        issues.error(1, f"report files must end in .md (found '{name}')")
        return None, None
    if not SLUG_RE.match(slug):
        issues.error(1, f"country folder '{slug}' is not a valid slug "
                        "(lower-case letters, digits and single hyphens)")
        return None, None
    stem = path.stem
    if not EDITION_RE.match(stem):
        issues.error(1, f"file name '{name}' must be the edition's year, e.g. 2015.md")
        return None, None
    return slug, int(stem)


def _read_text(path: Path, issues: FileProblems) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as error:
        issues.error(1, f"cannot read file: {error.strerror}")
        return None
    return _decode_text(data, issues)


def _decode_text(data: bytes, issues: FileProblems) -> str | None:
    """A content file's bytes as text; None (with the problem noted) when they cannot be."""
    if len(data) > MAX_FILE_BYTES:
        issues.error(1, f"file is too large ({len(data) / 1_048_576:.1f} MB; the limit is "
                        f"{MAX_FILE_BYTES // 1_048_576} MB)")
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
    return text


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
    slug: str,
    edition_from_name: int | None,
    definitions: Definitions,
    issues: FileProblems,
) -> ReportSource | None:
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
    fields = FrontMatter(meta, lines, issues)
    fields.check_keys()
    country = fields.text("country", required=True)
    edition = fields.integer("edition", required=True)
    if edition is not None and edition_from_name is not None and edition != edition_from_name:
        issues.error(fields.line("edition"), f"edition {edition} does not match the file name "
                                             f"{edition_from_name}.md")
    ratings = fields.ratings(definitions)
    sections = split_sections(body, body_line, definitions, issues)
    _check_sections_match_ratings(sections, ratings, fields, definitions, issues)
    derived = _derived_scores(ratings, fields, definitions)
    report = ReportSource(
        path=shown,
        slug=slug,
        country=country or "",
        edition=edition or 0,
        ratings=ratings,
        rating_lines={k: fields.line("ratings", k) for k in ratings},
        democracy_score=derived[0] if derived else Decimal(0),
        democracy_percentage=derived[1] if derived else Decimal(0),
        status=derived[2] if derived else None,  # type: ignore[arg-type]
        stated_previous=fields.stated_previous(definitions),
        score_changes=fields.score_changes(definitions, ratings),
        democracy_score_change=fields.stated_change(derived[0] if derived else None),
        other_scores=fields.other_scores(),
        authors=fields.authors(),
        summary=fields.text("summary"),
        source_url=fields.source_url(),
        source_note=fields.nested_text("source", "note"),
        draft=fields.flag("draft"),
        sections=tuple(sections),
    )
    return report


def _derived_scores(ratings: dict[str, Decimal], fields: "FrontMatter", definitions: Definitions):
    """Compute score, percentage and status; compare with what the front matter states."""
    if not ratings:
        return None
    score = scores.democracy_score(ratings.values())
    percentage = scores.democracy_percentage(ratings.values())
    status = definitions.status_for_score(score)
    if status is None:
        fields.issues.error(fields.line("ratings"), f"no status band in data/statuses.yaml "
                                                    f"contains the Democracy Score {score}")
        return None
    fields.compare_number("democracy_score", score)
    fields.compare_number("democracy_percentage", percentage)
    stated_status = fields.status("status", definitions)
    if stated_status is not None and stated_status != status:
        fields.issues.error(
            fields.line("status"),
            f"status: stated '{fields.meta['status']}' but the Democracy Score {score} "
            f"gives '{status.name}'",
        )
    return score, percentage, status


def _check_sections_match_ratings(sections, ratings, fields, definitions, issues) -> None:
    with_section = {s.category.key for s in sections if s.category}
    seen: dict[str, int] = {}
    for section in sections:
        if section.category is None:
            continue
        key = section.category.key
        if key in seen:
            issues.error(section.line, f"second '{section.title}' section (first on line {seen[key]})")
        seen[key] = section.line
        if key not in ratings and "ratings" in fields.meta:
            issues.error(section.line, f"section '{section.title}' has no rating: add "
                                       f"'{key}' under ratings")
    for key in ratings:
        if key not in with_section:
            title = definitions.category(key).title
            issues.error(fields.line("ratings", key), f"rating for '{key}' has no section: add "
                                                      f"a '## {title}' section to the body")


def split_sections(
    body: str, body_line: int, definitions: Definitions, issues: FileProblems
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
                                       definitions.category_by_title(title)))

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


class FrontMatter:
    """Typed access to front-matter fields, reporting problems with their line numbers."""

    def __init__(self, meta: dict[str, Any], lines: dict, issues: FileProblems):
        self.meta = meta
        self.lines = lines
        self.issues = issues

    def line(self, *path: Any) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 2)

    def check_keys(self) -> None:
        for key in self.meta:
            if key not in KNOWN_FIELDS:
                self.issues.error(self.line(key), f"unknown field '{key}'" + _did_you_mean(
                    str(key), KNOWN_FIELDS))
        for key in REQUIRED_FIELDS:
            if key not in self.meta:
                self.issues.error(2, f"missing required field '{key}'")

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.meta.get(key)
        if value is None:
            if required and key in self.meta:
                self.issues.error(self.line(key), f"'{key}' is empty")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.issues.error(self.line(key), f"'{key}' must be text, got {_kind(value)}")
            return None
        text = " ".join(str(value).split())
        if required and not text:
            self.issues.error(self.line(key), f"'{key}' is empty")
        return text or None

    def flag(self, key: str) -> bool:
        """A true/false field (absent: false)."""
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            self.issues.error(self.line(key), f"'{key}' must be true or false, got {value!r}")
            return False
        return value

    def nested_text(self, key: str, sub: str) -> str | None:
        value = self.meta.get(key)
        if isinstance(value, dict) and isinstance(value.get(sub), str):
            return " ".join(value[sub].split()) or None
        return None

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self.meta.get(key)
        if value is None:
            if required and key in self.meta:
                self.issues.error(self.line(key), f"'{key}' is empty")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
            self.issues.error(self.line(key), f"'{key}' must be a year such as 2015, got {value!r}")
            return None
        return value

    def number(self, value: Any, line: int, what: str, low=None, high=None) -> Decimal | None:
        """A rating or score: a number with at most 2 decimals, within [low, high]."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.issues.error(line, f"{what} must be a number, got {_kind(value)}")
            return None
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            self.issues.error(line, f"{what} must be a number, got {value!r}")
            return None
        if not number.is_finite():
            self.issues.error(line, f"{what} must be a number, got {value!r}")
            return None
        if number != number.quantize(Decimal("0.01")):
            self.issues.error(line, f"{what} has more than 2 decimals: {value!r}")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.issues.error(line, f"{what} {value!r} is out of range ({low}-{high})")
            return None
        return number.quantize(Decimal("0.01"))

    def ratings(self, definitions: Definitions) -> dict[str, Decimal]:
        raw = self.meta.get("ratings")
        if raw is None:
            return {}
        if not isinstance(raw, dict) or not raw:
            self.issues.error(self.line("ratings"), "'ratings' must map category keys to ratings, "
                                                    "e.g. 'civil-society: 1.50'")
            return {}
        result: dict[str, Decimal] = {}
        keys = [c.key for c in definitions.categories]
        for key, value in raw.items():
            line = self.line("ratings", key)
            if definitions.category(str(key)) is None:
                self.issues.error(line, f"unknown category '{key}'" + _did_you_mean(str(key), keys))
                continue
            number = self.number(value, line, f"rating for '{key}'", Decimal(1), Decimal(7))
            if number is not None:
                result[str(key)] = number
        if len(result) != len(raw):
            return {}
        return {k: result[k] for k in keys if k in result}

    def compare_number(self, key: str, computed: Decimal) -> None:
        if self.meta.get(key) is None:
            return
        stated = self.number(self.meta[key], self.line(key), f"'{key}'")
        if stated is not None and stated != computed:
            self.issues.error(self.line(key), f"{key}: stated {stated} but the ratings give "
                                              f"{computed}")

    def status(self, key: str, definitions: Definitions, value: Any = None,
               line: int | None = None) -> Status | None:
        value = self.meta.get(key) if value is None else value
        if value is None:
            return None
        status = definitions.status_named(str(value)) if isinstance(value, str) else None
        if status is None:
            names = [s.name for s in definitions.statuses]
            self.issues.error(line or self.line(key), f"unknown status {value!r}"
                              + _did_you_mean(str(value), names, "; expected one of: "
                                              + ", ".join(names)))
        return status

    def stated_previous(self, definitions: Definitions) -> StatedPrevious | None:
        raw = self.meta.get("previous")
        if raw is None:
            return None
        line = self.line("previous")
        if not isinstance(raw, dict):
            self.issues.error(line, "'previous' must be a mapping with democracy_percentage and status")
            return None
        allowed = ("democracy_percentage", "status", "democracy_score")
        for key in raw:
            if key not in allowed:
                self.issues.error(self.line("previous", key), f"unknown field 'previous.{key}'"
                                  + _did_you_mean(str(key), allowed))
        percentage = score = None
        if raw.get("democracy_percentage") is not None:
            percentage = self.number(raw["democracy_percentage"], self.line("previous", "democracy_percentage"),
                                     "previous.democracy_percentage", Decimal(0), Decimal(100))
        if raw.get("democracy_score") is not None:
            score = self.number(raw["democracy_score"], self.line("previous", "democracy_score"),
                                "previous.democracy_score", Decimal(1), Decimal(7))
        status = None
        if raw.get("status") is not None:
            status = self.status("previous", definitions, raw["status"], self.line("previous", "status"))
        return StatedPrevious(percentage, status, score, line)

    def score_changes(self, definitions: Definitions,
                      ratings: dict[str, Decimal]) -> tuple[ScoreChange, ...] | None:
        """The stated changes; None when the source lists none at all ([] means "no changes")."""
        raw = self.meta.get("score_changes")
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.issues.error(self.line("score_changes"), "'score_changes' must be a list of "
                                                         "{category, from, to}")
            return None
        changes = []
        keys = [c.key for c in definitions.categories]
        for index, item in enumerate(raw):
            line = self.line("score_changes", index)
            if not isinstance(item, dict) or set(item) != {"category", "from", "to"}:
                self.issues.error(line, "each score change needs exactly: category, from, to")
                continue
            category = definitions.category(str(item["category"]))
            if category is None:
                self.issues.error(line, f"unknown category '{item['category']}'"
                                  + _did_you_mean(str(item["category"]), keys))
                continue
            old = self.number(item["from"], line, "score change 'from'", Decimal(1), Decimal(7))
            new = self.number(item["to"], line, "score change 'to'", Decimal(1), Decimal(7))
            if old is None or new is None:
                continue
            if category.key in ratings and ratings[category.key] != new:
                self.issues.error(line, f"score change for '{category.key}' says it went to {new} "
                                        f"but ratings give {ratings[category.key]}")
            changes.append(ScoreChange(category, old, new, line))
        return tuple(changes)

    def stated_change(self, score: Decimal | None) -> StatedChange | None:
        raw = self.meta.get("democracy_score_change")
        if raw is None:
            return None
        line = self.line("democracy_score_change")
        if not isinstance(raw, dict) or set(raw) != {"from", "to"}:
            self.issues.error(line, "'democracy_score_change' needs exactly: from, to")
            return None
        old = self.number(raw["from"], line, "democracy_score_change 'from'", Decimal(1), Decimal(7))
        new = self.number(raw["to"], line, "democracy_score_change 'to'", Decimal(1), Decimal(7))
        if old is None or new is None:
            return None
        if score is not None and new != score:
            self.issues.error(line, f"democracy_score_change: stated 'to' {new} but the ratings "
                                    f"give {score}")
        return StatedChange(old, new, line)

    def other_scores(self) -> tuple[OtherScore, ...]:
        raw = self.meta.get("other_scores")
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.issues.error(self.line("other_scores"), "'other_scores' must map a key such as "
                                                         "global-freedom to {score, max, status}")
            return ()
        result = []
        for key, item in raw.items():
            line = self.line("other_scores", key)
            if not SLUG_RE.match(str(key)):
                self.issues.error(line, f"other_scores key '{key}' must be a slug such as global-freedom")
                continue
            if not isinstance(item, dict) or "score" not in item or "max" not in item:
                self.issues.error(line, f"other_scores.{key} needs at least score and max")
                continue
            unknown = set(item) - {"label", "score", "max", "status", "note"}
            if unknown:
                self.issues.error(line, f"unknown field(s) in other_scores.{key}: "
                                        + ", ".join(sorted(map(str, unknown))))
                continue
            maximum = self.number(item["max"], line, f"other_scores.{key}.max", Decimal(1))
            score = self.number(item["score"], line, f"other_scores.{key}.score", Decimal(0), maximum)
            if score is None or maximum is None:
                continue
            label = str(item.get("label") or key.replace("-", " ").capitalize() + " Score")
            status = str(item["status"]) if item.get("status") is not None else None
            note = str(item["note"]) if item.get("note") is not None else None
            result.append(OtherScore(str(key), label, score, maximum, status, note))
        return tuple(result)

    def authors(self) -> tuple[str, ...]:
        raw = self.meta.get("authors")
        if raw is None:
            return ()
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(a, str) and a.strip() for a in raw):
            self.issues.error(self.line("authors"), "'authors' must be a list of names")
            return ()
        return tuple(" ".join(a.split()) for a in raw)

    def source_url(self) -> str | None:
        raw = self.meta.get("source")
        if raw is None:
            return None
        line = self.line("source")
        if not isinstance(raw, dict):
            self.issues.error(line, "'source' must be a mapping with url (and optional note)")
            return None
        unknown = set(raw) - {"url", "note"}
        if unknown:
            self.issues.error(line, "unknown field(s) in source: " + ", ".join(sorted(map(str, unknown))))
        url = raw.get("url")
        if url is None:
            return None
        if not isinstance(url, str) or not re.match(r"^https?://[^\s<>\"]+$", url):
            self.issues.error(self.line("source", "url"), f"source.url must be an http(s) address, "
                                                          f"got {url!r}")
            return None
        return url


def _did_you_mean(word: str, choices, fallback: str = "") -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else fallback


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__)


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
                    issues.error(fields.line(key), f"unknown field '{key}'" + _did_you_mean(str(key), PAGE_FIELDS))
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
