"""Stage 5: render the content file (YAML front matter + Markdown body) and write it atomically.

The body must say exactly what the page said: characters that Markdown would read as structure
(`*`, `_`, `[`, a line starting with "1." or "#", ...) are backslash-escaped, except inside URLs,
which the renderer links as they are.
"""
from __future__ import annotations

import errno
import json
import os
import re
import secrets
from decimal import Decimal
from pathlib import Path

import yaml

from ..load import report_path
from ..series import ScoreDef
from .footnotes import URL_RE
from .identify import slugify
from .model import ImportFailure, Paragraph, ParsedReport, Section
from .scores import node_places

MISSING = "[missing]"
NARRATIVE_TITLES = ("Executive Summary", "Overview", "Introduction")  # where a summary comes from
OTHER_SCORE_NOTE = "Freedom House site value when the page was captured, not this edition's."
ALWAYS_ESCAPE = set("\\`*[]<>|~")
NOT_YAML_PRINTABLE_RE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
LINE_START_RE = re.compile(r"^(#{1,6}(?=\s|$)|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+$|-+$|>)")


# --- Markdown --------------------------------------------------------------------------------

def escape_inline(text: str) -> str:
    """Backslash-escape what Markdown would take as syntax; URLs are left exactly as written."""
    out: list[str] = []
    last = 0
    for match in URL_RE.finditer(text):
        out.append(_escape_plain(text[last: match.start()], text, last))
        out.append(match.group())
        last = match.end()
    out.append(_escape_plain(text[last:], text, last))
    return "".join(out)


def _escape_plain(chunk: str, whole: str, offset: int) -> str:
    result = []
    for i, ch in enumerate(chunk):
        at = offset + i
        if ch in ALWAYS_ESCAPE:
            result.append("\\" + ch)
        elif ch == "_":
            before, after = whole[at - 1: at], whole[at + 1: at + 2]
            # Intraword underscores ("page_214519") never make emphasis; others might.
            result.append("_" if before.isalnum() and after.isalnum() else "\\_")
        elif ch == "&" and re.match(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", whole[at:], re.I):
            result.append("\\&")
        else:
            result.append(ch)
    return "".join(result)


def escape_line_start(text: str) -> str:
    """Stop a paragraph's first characters from becoming a heading, list or quote."""
    match = LINE_START_RE.match(text)
    if not match:
        return text
    token = match.group(1)
    if token[0].isdigit():
        return token + "\\" + text[len(token):]
    if token.startswith("\\"):
        return text
    return "\\" + text


def paragraph_markdown(paragraph: Paragraph) -> str:
    parts, last = [], 0
    for ref in paragraph.refs:
        parts.append(escape_inline(paragraph.text[last: ref.start]))
        parts.append(f"[^{ref.number}]")
        last = ref.end
    parts.append(escape_inline(paragraph.text[last:]))
    text = " ".join("".join(parts).split())
    text = escape_line_start(text) if not text.startswith("[^") else text
    return "- " + text if paragraph.bullet else text


def section_markdown(section: Section) -> str:
    lines = [f"## {escape_inline(section.title)}", ""]
    if section.placeholder:
        return "\n".join([*lines, MISSING, ""])  # the page lacks this part: a draft's placeholder
    previous_bullet = False
    for paragraph in section.paragraphs:
        if previous_bullet and not paragraph.bullet:
            lines.append("")
        lines.append(paragraph_markdown(paragraph))
        if not paragraph.bullet:
            lines.append("")
        previous_bullet = paragraph.bullet
    if previous_bullet:
        lines.append("")
    for orphan in section.orphan_notes:
        # A note text no reference claims stays visible as text, so no word is lost.
        lines.extend([escape_line_start(escape_inline(" ".join(orphan.split()))), ""])
    for note in section.notes:
        text = escape_inline(" ".join(note.text.split())) if note.text else MISSING
        lines.append(f"[^{note.number}]: {text}")
    if section.notes:
        lines.append("")
    return "\n".join(lines)


# --- front matter ----------------------------------------------------------------------------

def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][\w .,'’()/-]*", text) and not re.search(r"[ :]$| #|: ", text) \
            and text.lower() not in {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "none"}:
        return text
    # JSON is YAML's double-quoted style; characters YAML may not carry raw go as escapes.
    return NOT_YAML_PRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _number(value: Decimal | int | None, decimals: int) -> str:
    """A value with as many decimals as its scale has (ratings 1.25, points 4, a score 23)."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{decimals}f}"


def _score_name(score: ScoreDef) -> str:
    """The front-matter name of a score: its own field (Nations in Transit's democracy_score),
    else its key (under `scores:`)."""
    return score.field or score.key


def front_matter(report: ParsedReport) -> str:
    series = report.series
    lines = [f"country: {_scalar(report.country)}", f"edition: {report.edition}"]
    if report.draft:
        lines.append("draft: true")
    lines.append("ratings:")
    lines += [f"  {key}: {_number(value, node_places(series.nodes[key]))}"
              for key, value in report.ratings.items()]
    if report.status:
        lines.append(f"status: {_scalar(report.status)}")
    stated = [(s, report.scores[s.key]) for s in series.scores if s.key in report.scores]
    keyed = [(s, v) for s, v in stated if not s.field]
    if keyed:
        lines.append("scores:")
        lines += [f"  {s.key}: {_number(v, s.decimals)}" for s, v in keyed]
    lines += [f"{s.field}: {_number(v, s.decimals)}" for s, v in stated if s.field]
    if report.previous and (report.previous.scores or report.previous.status):
        lines.append("previous:")
        lines += [f"  {_score_name(s)}: {_number(report.previous.scores[s.key], s.decimals)}"
                  for s in series.scores if s.key in report.previous.scores]
        if report.previous.status:
            lines.append(f"  status: {_scalar(report.previous.status)}")
    if report.score_changes is not None:
        lines.append("score_changes:" + ("" if report.score_changes else " []"))
        for change in report.score_changes:
            decimals = node_places(series.nodes[change.category])
            lines += [f"  - category: {change.category}", f"    from: {_number(change.before, decimals)}",
                      f"    to: {_number(change.after, decimals)}"]
    if report.score_change:
        key, before, after = report.score_change
        score = series.score(key)
        lines += [f"{score.field}_change:", f"  from: {_number(before, score.decimals)}",
                  f"  to: {_number(after, score.decimals)}"]
    if report.other_scores:
        lines.append("other_scores:")
        for other in report.other_scores:
            lines += [f"  {other.key}:", f"    label: {_scalar(other.label)}",
                      f"    score: {other.score}", f"    max: {other.max}"]
            if other.status:
                lines.append(f"    status: {_scalar(other.status)}")
            lines.append(f"    note: {_scalar(OTHER_SCORE_NOTE)}")
    if report.authors:
        lines.append("authors:")
        lines += [f"  - {_scalar(name)}" for name in report.authors]
    summary = summary_of(report)
    if summary:
        lines.append(f"summary: {_scalar(summary)}")
    if report.source_url or report.notes_on_source:
        lines.append("source:")
        if report.source_url:
            lines.append(f"  url: {_scalar(report.source_url)}")
        if report.notes_on_source:
            lines.append(f"  note: {_scalar(' '.join(report.notes_on_source))}")
    text = "\n".join(lines) + "\n"
    _verify_yaml(text, report)
    return text


def _verify_yaml(text: str, report: ParsedReport) -> None:
    """Our own YAML must read back as what we meant; a mismatch is a bug, caught before writing."""
    data = yaml.safe_load(text)
    if data.get("country") != report.country or data.get("edition") != report.edition:
        raise ImportFailure("internal error: front matter does not read back as written")


def summary_of(report: ParsedReport) -> str | None:
    """The executive summary's (or overview's) first sentences, as plain text, for listings and
    meta tags."""
    narrative = [s for title in NARRATIVE_TITLES for s in report.sections
                 if s.title.casefold() == title.casefold() and s.paragraphs and not s.placeholder]
    for section in narrative[:1]:
        if not section.paragraphs[0].bullet:
            paragraph = section.paragraphs[0]
            text, last = [], 0
            for ref in paragraph.refs:
                text.append(paragraph.text[last: ref.start])
                last = ref.end
            text.append(paragraph.text[last:])
            plain = " ".join("".join(text).split())
            sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", plain)
            summary = ""
            for sentence in sentences:
                if summary and len(summary) + len(sentence) > 300:
                    break
                summary = (summary + " " + sentence).strip()
            return summary or None
    return None


def render(report: ParsedReport) -> str:
    body = "\n".join(section_markdown(s) for s in report.sections)
    return "---\n" + front_matter(report) + "---\n\n" + body.rstrip("\n") + "\n"


# --- files -----------------------------------------------------------------------------------

def content_path(content_dir: Path, report: ParsedReport, several_series: bool = False) -> Path:
    """`reports/<country>/<edition>.md`; on a site of several series the series' key comes
    first: `reports/<series>/<country>/<edition>.md`."""
    return report_path(content_dir, report.series.key if several_series else None,
                       slugify(report.country or ""), report.edition)


def write_new(path: Path, text: str, force: bool = False) -> None:
    """Write `path` so that a reader never sees half a file and nothing is replaced by accident.

    The text goes to a temporary file in the same folder first. Without `force` it is then
    hard-linked to `path`, which fails if anything (a file, a link, a folder) is already there:
    of two imports of one report at once exactly one wins. With `force` it replaces the file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ImportFailure(f"cannot write {path}: {error.strerror or error}") from None
    if not force and os.path.lexists(path):
        raise ImportFailure(f"{path} already exists; use --force to overwrite it")
    temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        _write_file(temp, text)
        if force:
            os.replace(temp, path)
        else:
            _link_new(temp, path, text)
    except FileExistsError:
        raise ImportFailure(f"{path} already exists; use --force to overwrite it") from None
    except OSError as error:
        raise ImportFailure(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        temp.unlink(missing_ok=True)


def _write_file(path: Path, text: str) -> None:
    """Create `path` (it must not exist) with the text, flushed to disk; mode as the umask says."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _link_new(temp: Path, path: Path, text: str) -> None:
    try:
        os.link(temp, path)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        _write_file(path, text)  # no hard links here: an exclusive create is still exclusive
