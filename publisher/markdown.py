"""Stage 2: section Markdown -> HTML, with the notes of each section resolved.

Each section is rendered on its own, with a fresh markdown-it `env`, because note numbering
restarts in every section and reusing an env leaks one section's notes into the next.
References become accessible links (DPUB-ARIA `doc-noteref`, visible "[5]"); the notes list
itself is rendered by a template macro from the `Footnote` records returned here.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .errors import Problem
from .fastlinks import fast_path
from .linkify import speed_up
from .memo import recent
from .model import Footnote, RawSection, Section

MISSING_NOTE = "[missing]"
SAFE_SCHEMES = ("http:", "https:", "mailto:")
DANGLING_REF_RE = re.compile(r"\[\^([^\]\s]+)\]")
DEFINITION_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
# Ids the page templates give their own elements (report.html, base.html): never a section's.
# A section's id is also the stem of "<id>-heading", "<id>-notes" ...
RESERVED_IDS = {"main", "content", "contents", "scores", "ratings", "notes", "top", "skip", "toc",
                "about", "about-this-report", "other-scores", "cite", "citation-text",
                "cite-files-label", "other-years-label", "report-title"}


def _validate_link(url: str) -> bool:
    """Only web, mail and in-site links: never javascript:, data:, vbscript:, file: ..."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    if ":" not in cleaned.split("/")[0].split("?")[0].split("#")[0]:
        return True  # relative link or fragment
    return cleaned.startswith(SAFE_SCHEMES)




@lru_cache(maxsize=4096)  # called for every reference and note; the same few ids recur
def note_ids(section_id: str, label: str) -> tuple[str, str]:
    """Element ids of a note and of its first reference, namespaced by section."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", label)
    return f"{section_id}-fn{safe}", f"{section_id}-fn{safe}-ref"


def _ref_id(section_id: str, label: str, sub_id: int) -> str:
    first = note_ids(section_id, label)[1]
    return first if sub_id == 0 else f"{first}-{sub_id + 1}"


def _render_link_open(self, tokens: list[Token], idx: int, options, env) -> str:
    """Mark links whose text is their own address, so print CSS does not repeat the URL.

    A protocol-relative address (`//host/path`) is another site's, whatever scheme the page
    is served with: it is written out as `https://host/path`, so it reads the same in a local
    preview (http), on the published site and in print, and is never taken for an in-site link."""
    token = tokens[idx]
    href = token.attrGet("href")
    if isinstance(href, str) and href.startswith("//"):
        token.attrSet("href", "https:" + href)
    if token.markup in ("linkify", "autolink"):
        token.attrSet("class", "url")
    return self.renderToken(tokens, idx, options, env)


def _render_table_open(self, tokens: list[Token], idx: int, options, env) -> str:
    """A table scrolls inside its own labelled, focusable region, never the whole page sideways."""
    env["tables"] = env.get("tables", 0) + 1
    title = env.get("section_title")
    label = f"{title}, table {env['tables']}" if title else f"Table {env['tables']}"
    tokens[idx].attrSet("class", "data-table")
    return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(label)}">\n'
            + self.renderToken(tokens, idx, options, env))


def _render_table_close(self, tokens: list[Token], idx: int, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


ALIGN_CLASSES = {"text-align:right": "num", "text-align:center": "center"}


def _render_cell_open(self, tokens: list[Token], idx: int, options, env) -> str:
    """Column alignment as a class: the site's Content-Security-Policy blocks style attributes."""
    token = tokens[idx]
    align = token.attrGet("style")
    if align is not None:
        token.attrs.pop("style", None)
        if align in ALIGN_CLASSES:
            token.attrSet("class", ALIGN_CLASSES[align])
    if token.type == "th_open":
        token.attrSet("scope", "col")  # Markdown tables have header cells in their first row only
    return self.renderToken(tokens, idx, options, env)


def _render_ref(self, tokens: list[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    label = meta["label"]
    section_id = env["section_id"]
    note_id = note_ids(section_id, label)[0]
    ref_id = _ref_id(section_id, label, meta["subId"])
    return (
        f'<sup class="noteref"><a href="#{note_id}" id="{ref_id}" role="doc-noteref" '
        f'aria-describedby="{section_id}-notes">[{escape(label)}]</a></sup>'
    )


def make_markdown() -> MarkdownIt:
    """The one Markdown parser of the site: CommonMark without raw HTML, tables, links, notes."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "linkify", "strikethrough"])
    md.disable("image")  # reports carry no images; a stray ![x](y) stays text
    md.use(footnote_plugin, inline=False)
    speed_up(md.linkify)  # same links, half the Markdown time (see publisher/linkify.py)
    md.normalizeLink = fast_path(md.normalizeLink)  # same addresses, faster (publisher/fastlinks.py)
    md.normalizeLinkText = fast_path(md.normalizeLinkText)
    md.validateLink = _validate_link
    md.add_render_rule("footnote_ref", _render_ref)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    for name in ("footnote_block_open", "footnote_block_close", "footnote_open",
                 "footnote_close", "footnote_anchor"):
        md.add_render_rule(name, lambda *args: "")
    return md


_MD = make_markdown()


# Sections rendered lately, for a report saved again with most sections unchanged (a rating
# or one paragraph edited while `serve` runs): remembered by the live engine (memo.py).
# Bounded: a full build must not hold them all.
RECENT_SECTIONS = 512


def render_section(raw: RawSection, section_id: str, path: str) -> tuple[Section, list[Problem]]:
    """Render one section body; report dangling references and unused or duplicate notes.

    The result depends on the section's text, title, category, id and file, not on where the
    section starts: a remembered result is reused with its problems' line numbers moved.
    """
    key = (raw.source, raw.title, raw.category, section_id, path)
    section, relative = recent(_render_relative, key, RECENT_SECTIONS, raw, section_id, path)
    return section, [replace(p, line=p.line + raw.line) for p in relative]


def _render_relative(raw: RawSection, section_id: str,
                     path: str) -> tuple[Section, tuple[Problem, ...]]:
    """A section with its problems' lines counted from the section's heading."""
    section, problems = _render_section(raw, section_id, path)
    return section, tuple(replace(p, line=p.line - raw.line) for p in problems)


def _render_section(raw: RawSection, section_id: str, path: str) -> tuple[Section, list[Problem]]:
    if raw.source.strip() == MISSING_NOTE:  # a placeholder; the loader warns about it
        return Section(section_id, raw.title, raw.category, "", "", (), placeholder=True), []
    problems: list[Problem] = []
    env: dict = {"section_id": section_id, "section_title": raw.title}
    tokens = _MD.parse(raw.source, env)
    body_tokens, note_tokens = _split_notes(tokens)
    html = _MD.renderer.render(body_tokens, _MD.options, env)
    footnotes, empty = _footnotes(note_tokens, env, section_id)
    problems += _check_definitions(raw, env, path)
    problems += _check_dangling(raw, body_tokens + [t for ts in note_tokens.values() for t in ts], path)
    for note in footnotes:
        if note.label in empty:
            problems.append(Problem(path, _definition_line(raw, note.label),
                                    f"note [^{note.label}] in '{raw.title}' is empty: write its "
                                    f"text, or {MISSING_NOTE} if the source lost it"))
        elif note.html is None:
            problems.append(Problem(path, _definition_line(raw, note.label),
                                    f"note [^{note.label}] in '{raw.title}' has no text yet "
                                    f"({MISSING_NOTE})", "warning", "missing-note"))
    section = Section(section_id, raw.title, raw.category, html, plain_text(body_tokens),
                      tuple(footnotes))
    return section, problems


def _split_notes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Separate the body from the note definitions the plugin gathered at the end."""
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    in_block = False
    for token in tokens:
        if token.type == "footnote_block_open":
            in_block = True
        elif token.type == "footnote_block_close":
            in_block = False
        elif token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "footnote_close":
            current = None
        elif in_block and current is not None and token.type != "footnote_anchor":
            notes[current].append(token)
        elif not in_block:
            body.append(token)
    return body, notes


def _footnotes(note_tokens: dict[int, list[Token]], env: dict,
               section_id: str) -> tuple[list[Footnote], set[str]]:
    """The section's notes in label order, and the labels of those with no text at all.

    Only an explicit [missing] marks a note the source lost; an empty one is the editor's
    gap, and an error."""
    data = env.get("footnotes", {})
    result = []
    empty = set()
    for index, item in data.get("list", {}).items():
        label = item.get("label")
        if label is None or index not in note_tokens:
            continue
        tokens = note_tokens[index]
        text = plain_text(tokens)
        if not text.strip():
            empty.add(label)
        missing = text.strip() == MISSING_NOTE or not text.strip()
        html = None if missing else _unwrap_paragraph(
            _MD.renderer.render(tokens, _MD.options, env).strip())
        note_id = note_ids(section_id, label)[0]
        refs = tuple(_ref_id(section_id, label, n) for n in range(item.get("count", 0)))
        result.append(Footnote(label, note_id, refs, html, None if missing else text))
    return sorted(result, key=_label_order), empty


def _unwrap_paragraph(html: str) -> str:
    """A one-paragraph note sits directly in its list item, like the printed reports."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _label_order(note: Footnote):
    return (0, int(note.label), "") if note.label.isdigit() else (1, 0, note.label)


def _check_definitions(raw: RawSection, env: dict, path: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    fence = False
    for offset, line in enumerate(raw.source.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else DEFINITION_RE.match(line)
        if not match:
            continue
        label, number = match.group(1), raw.line + 1 + offset
        if label in seen:
            problems.append(Problem(path, number, f"note [^{label}] is defined twice in "
                                                  f"'{raw.title}' (first on line {seen[label]})"))
        seen.setdefault(label, number)
    refs = env.get("footnotes", {}).get("refs", {})
    for key, index in refs.items():
        if index == -1:
            label = key[1:]
            problems.append(Problem(path, seen.get(label, raw.line),
                                    f"note [^{label}] in '{raw.title}' is never referenced"))
    return problems


def _check_dangling(raw: RawSection, tokens: list[Token], path: str) -> list[Problem]:
    problems = []
    for token in tokens:
        for child in token.children or []:
            if child.type != "text":
                continue
            for match in DANGLING_REF_RE.finditer(child.content):
                label = match.group(1)
                problems.append(Problem(path, _reference_line(raw, label),
                                        f"reference [^{label}] in '{raw.title}' has no note: "
                                        f"add '[^{label}]: …' to this section"))
    return problems


def _reference_line(raw: RawSection, label: str) -> int:
    needle = f"[^{label}]"
    for offset, line in enumerate(raw.source.split("\n")):
        if needle in line and not DEFINITION_RE.match(line):
            return raw.line + 1 + offset
    return raw.line


def _definition_line(raw: RawSection, label: str) -> int:
    for offset, line in enumerate(raw.source.split("\n")):
        match = DEFINITION_RE.match(line)
        if match and match.group(1) == label:
            return raw.line + 1 + offset
    return raw.line


def plain_text(tokens: list[Token]) -> str:
    """The words of rendered blocks, one paragraph per line pair, note references left out."""
    blocks = []
    for token in tokens:
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        text = " ".join("".join(parts).split())
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)


def render_page_markdown(source: str) -> tuple[str, str]:
    """Render a free page's Markdown (About, Methodology); returns (html, plain text).

    Its headings start at h2, below the page's own h1; notes are not used on such pages.
    """
    env: dict = {"section_id": "page"}
    tokens = _MD.parse(source, env)
    body, _ = _split_notes(tokens)
    for token in body:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    return _MD.renderer.render(body, _MD.options, env), plain_text(body)


def render_inline_markdown(source: str) -> str:
    """One line of Markdown (emphasis, links) as HTML, with no paragraph around it."""
    return _MD.renderInline(" ".join(source.split()), {"section_id": "inline"})
