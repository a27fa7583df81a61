"""Stage 2: split the page into its header, sections and footer, and drop the page chrome.

A scraped page is a sequence of lines. Headings are recognised by their shape: the site's
`headerN` markers, the categories of the page's series (`data/series/<key>.yaml`): a category's
title alone on its line, perhaps with the "1.00-7.00 pts" widget label; an indicator's code
("A1 0-4 pts", "A1. Was the ...?") or its question; a group's code and title ("A Electoral
Process"), and the few section names every report uses (Executive Summary, Overview, Key
Developments, Score changes, Outlook, Author). Chrome is recognised line by line or, for the
methodology boilerplate the site splices into paragraphs, sentence by sentence, so the body text
around it is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..series import CategoryNode, Series
from .identify import phrase, question_start

BULLET_RE = re.compile(r"^\s*[•·▪●◦‣∙]\s*(?P<text>.*)$|^\s*[-*]\s+(?P<text2>.+)$")
HEADER_MARK_RE = re.compile(r"^header\d+\s+", re.I)
WIDGET_LABEL_RE = r"(?:\s*\d+(?:\.\d+)?\s*-\s*\d+(?:\.\d+)?\s*pts)+"
MAX_HEADING = 500  # characters: the longest heading is an indicator's code, question and rating
# A widget's value line right under a group's title: "(0 = best, 25 = worst)", "15", "5 / 40".
WIDGET_VALUE_RE = re.compile(r"^\(\s*-?\d+\s*=|^[|\s]*-?\d{1,3}(?:\.\d+)?(?:\s*/?\s*\d{1,3})?[|\s]*$")

CHROME_LINE_RES = tuple(re.compile(p, re.I) for p in (
    r"See the methodology\.?",
    r"See More",
    r"See all data, scores (?:&|and) information on this country(?: or territory)?\.?",
    r"header\d+",
    r"[\w.-]+_(?:hero|banner|image|img|photo|thumb|header)\w*(?:\.(?:jpe?g|png|gif|webp|svg))?",
    r"[\w.-]+\.(?:jpe?g|png|gif|webp|svg)",
    r"The full .{1,80}report will be posted soon\.?",
    r"Skip to main content|Accessibility|Find a country|Explore the map|Main navigation|"
    r"Breadcrumb|Back to top|Download PDF|Read Report|Other years|Share this",
    WIDGET_LABEL_RE,
))

# Methodology boilerplate the site prints in a "Note" box and in the header; the site sometimes
# splices body text onto its end, so it is removed sentence by sentence, never paragraph-wide.
BOILERPLATE_SENTENCES = (
    r"The ratings reflect the consensus of Freedom House[^.]{0,120}\.\s*",
    r"If consensus cannot be reached, Freedom House is responsible for the final ratings\.\s*",
    r"The opinions expressed in this report are those of the author(?:\(s\)|s)?\.\s*",
    r"The ratings are based on a scale of 1 to 7[^.]{0,160}\.\s*",
    r"The Democracy Score is an average of ratings[^.]{0,120}\.\s*",
    r"The Democracy Percentage, introduced in \d{4}, is a translation of the Democracy Score[^.]{0,160}\.\s*",
    r"Global freedom statuses are calculated on a weighted scale\.\s*",
    r"See the methodology\.\s*",
)
# "NOTE:" is the page's label for those sentences: dropped only when one of them follows, so a
# paragraph of the report that starts with the word keeps it.
BOILERPLATE_RES = tuple(re.compile(p, re.I) for p in (
    r"NOTE\s*:\s*(?=" + "|".join(BOILERPLATE_SENTENCES) + ")", *BOILERPLATE_SENTENCES))

NAME_RE = re.compile(
    r"(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|de|van|von|der|da|del|al|el|bin)"
    r"(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|de|van|von|der|da|del|al|el|bin)){0,4}"
)
BY_LINE_RE = re.compile(r"^(?:By|by|BY)\s+(?P<names>.+?)\s*$")


@dataclass
class Heading:
    # summary | overview | developments | changes | outlook | category | group | authors |
    # about | note | footer | other
    kind: str
    title: str
    category: str | None = None  # category key: a leaf ("category") or a group ("group")
    rest: str = ""  # text after the title on the same line (widget label, rating, question, names)


@dataclass
class Block:
    """A paragraph (`items` has one joined text) or a bullet list (one item per bullet)."""

    kind: str  # "para" | "bullets"
    items: list[str]


@dataclass
class SectionDraft:
    heading: Heading
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Layout:
    header: list[str]
    sections: list[SectionDraft]
    footer: list[str]
    dropped: list[str]
    authors: list[str]


def title_case(text: str) -> str:
    small = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to"}
    words = text.split()
    return " ".join(
        w if (i and w.lower() in small) or not w[:1].isalpha() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    ).replace(" In ", " in ")


def classify_heading(line: str, series: Series, following: list[str]) -> Heading | None:
    """The heading this line is, or None. `following`: the next few non-blank lines."""
    marked = bool(HEADER_MARK_RE.match(line))
    text = HEADER_MARK_RE.sub("", line).strip()
    bare = text.rstrip(" .:").strip()
    low = bare.casefold()
    if not bare:
        return None
    if low == "executive summary":
        return Heading("summary", "Executive Summary")
    match = re.fullmatch(r"(?:(?:score|status|rating|ratings)\s+)?changes(?:\s+in\s+(\d{4}))?", low)
    if match:
        return Heading("changes", title_case(bare))
    if re.fullmatch(r"(?:status|rating|ratings) change", low):
        return Heading("other", title_case(bare))
    if re.fullmatch(r"outlook(?:\s+for\s+\d{4})?", low):
        return Heading("outlook", title_case(bare))
    if low in {"overview", "introduction"}:
        return Heading("overview", title_case(bare))
    if re.fullmatch(r"key developments(?:\s+in\s+\d{4}|\s*[,:]\s*\S.{0,60})?", low):
        return Heading("developments", title_case(bare) if bare.isupper() else bare)
    category = _category_heading(text, series, following)
    if category:
        return category
    match = re.fullmatch(r"(?:authors?|author\(s\))\s*(?::\s*(.*))?", text.strip(), re.I)
    if match and (not match.group(1) or parse_names(match.group(1))):
        return Heading("authors", "Authors", rest=(match.group(1) or "").strip())
    if re.fullmatch(r"about the authors?", low):
        return Heading("about", title_case(bare))
    if low in {"note", "notes"} and following and re.match(r"The ratings reflect", following[0], re.I):
        return Heading("note", "Note")
    if re.fullmatch(r"on [a-z].{0,40}", low) and any(
        re.match(r"See all data", f, re.I) for f in following[:2]
    ):
        return Heading("footer", bare)
    if re.match(r"See all data, scores", text, re.I) or re.fullmatch(
        r"(?:[•·]\s*)?(?:Global|Internet) Freedom Score", text.strip(), re.I
    ):
        return Heading("footer", bare)
    if marked:
        return Heading("other", title_case(bare) if bare.isupper() else bare)
    return None


def _category_heading(text: str, series: Series, following: list[str]) -> Heading | None:
    if len(text) > MAX_HEADING:
        return None  # a paragraph
    for node in series.all_nodes():
        if node.is_group:
            heading = _group_heading(text, node, following)
        elif node.code:
            heading = _indicator_heading(text, node)
        else:
            heading = _titled_heading(text, node)
        if heading:
            return heading
    for node in series.leaves():  # an indicator printed by its question alone
        if node.code and node.description.endswith("?") and _opens_with_question(text, node):
            return Heading("category", node.code, node.key, text.strip(" |"))
    return None


def _titled_heading(text: str, node: CategoryNode) -> Heading | None:
    """A category's title alone on its line ("Civil Society 1.00-7.00 pts0-7 pts")."""
    title = node.title
    if not text.casefold().startswith(title.casefold()):
        return None
    rest = text[len(title):]
    # Only widget debris may follow the title: ":" , "1.00-7.00 pts0-7 pts", one rating
    # ("1.251 7.007"). A run of glued values is a ratings-history table row, not a heading.
    if re.fullmatch(r"[\s:|]*(?:" + WIDGET_LABEL_RE + r")?[\s|]*" + rating_token(node) + r"?[\s|]*", rest):
        return Heading("category", title, node.key, rest.strip())
    return None


def _indicator_heading(text: str, node: CategoryNode) -> Heading | None:
    """An indicator by its code: "A1 1.00-4.00 pts0-4 pts", "A1 0-4 pts", "A1. Was the ...? 0 / 4"."""
    match = re.match(rf"{re.escape(node.code)}(?![\w])[.:]?", text)
    if match is None:
        return None
    rest = text[match.end():]
    debris = r"[\s:|]*(?:" + WIDGET_LABEL_RE + r")?[\s|]*" + rating_token(node) + r"?[\s|]*"
    if re.fullmatch(debris, rest) or re.fullmatch(r"\s+[A-Z“\"].{0,400}\?" + debris, rest):
        return Heading("category", node.code, node.key, rest.strip())
    return None


def _group_heading(text: str, node: CategoryNode, following: list[str]) -> Heading | None:
    """A group's code and title alone ("A Electoral Process", "A. Electoral Process:", "Obstacles
    to Access"); not when the line labels a widget: its value follows on the next line, or the
    next line is another label ("Political Rights:" / "Civil Liberties:", their values lost)."""
    code = rf"(?:{re.escape(node.code)}\.?\s+)?" if node.code else ""
    match = re.fullmatch(rf"{code}{phrase(node.title)}\s*(:)?\s*(?:{WIDGET_LABEL_RE})?", text, re.I)
    if not match:
        return None
    if following and (WIDGET_VALUE_RE.match(following[0])
                      or (match.group(1) and re.fullmatch(r"[^.?!]{1,60}:", following[0].strip()))):
        return None
    return Heading("group", text.rstrip(" :"), node.key)


def rating_token(node: CategoryNode) -> str:
    """A rating as widgets print it after a title: "1.251 7.007", "(1.25)", "0 / 4"."""
    top = f"{node.max.normalize():f}"
    return (rf"(?:\(?-?\d{{1,3}}(?:\.\d\d\d?)?(?:\s*/?\s*{re.escape(top)}(?:\.00)?\d?)?\)?)"
            if node.step == node.step.to_integral_value() else
            rf"(?:\(?-?\d{{1,3}}\.\d\d\d?(?:\s*/?\s*{re.escape(top)}(?:\.00)?\d?)?\)?)")


def _opens_with_question(text: str, node: CategoryNode) -> bool:
    return bool(re.match(question_start(node), text.strip(" |"), re.I)) and "?" in text


def is_chrome_line(line: str) -> bool:
    text = line.strip()
    return any(p.fullmatch(text) for p in CHROME_LINE_RES)


def strip_boilerplate(text: str, dropped: list[str]) -> str:
    """Remove the methodology boilerplate sentences from the start and end of a paragraph."""
    changed = True
    while changed and text:
        changed = False
        for pattern in BOILERPLATE_RES:
            match = pattern.match(text)
            if match:
                dropped.append(match.group(0).strip())
                text = text[match.end():].lstrip()
                changed = True
    match = re.search(r"\s*See the methodology\.?\s*$", text, re.I)
    if match and match.start() > 0:
        dropped.append("See the methodology.")
        text = text[: match.start()].rstrip()
    return text


def split_layout(text: str, series: Series) -> Layout:
    """Cut the page into header lines, drafted sections and footer lines."""
    builder = _LayoutBuilder(series)
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    previous = -1
    for position, index in enumerate(nonblank):
        following = [lines[j].strip() for j in nonblank[position + 1: position + 4]]
        if builder.take(lines[index], gap=index - previous > 1, following=following):
            builder.layout.footer = [lines[j] for j in nonblank[position:]]
            break
        previous = index
    builder.flush()
    return builder.finish()


class _LayoutBuilder:
    """Feeds lines one at a time into header, sections (as blocks) and footer."""

    def __init__(self, series: Series):
        self.series = series
        self.layout = Layout([], [], [], [], [])
        self.current: SectionDraft | None = None
        self.para: list[str] = []
        self.bullets: list[str] | None = None

    def flush(self) -> None:
        if self.current is not None:
            if self.para:
                self.current.blocks.append(Block("para", [" ".join(self.para)]))
            if self.bullets:
                self.current.blocks.append(Block("bullets", self.bullets))
        self.para, self.bullets = [], None

    def take(self, raw: str, gap: bool, following: list[str]) -> bool:
        """Take one non-blank line (`gap`: blank lines before it); True when the footer starts."""
        if gap:
            self.flush()  # blank lines end paragraphs and lists
        line = raw.strip()
        heading = classify_heading(line, self.series, following)
        if heading and heading.kind == "footer" and self.current is None:
            heading = None  # a footer-like line before any section is header chrome
        if heading:
            return self._heading(heading, line)
        if self.current is None:
            if gap and self.layout.header:
                self.layout.header.append("")  # keep the header's paragraph breaks
            self.layout.header.append(line)
        elif is_chrome_line(line):
            self.flush()
            self.layout.dropped.append(line)
        else:
            self._body_line(raw, line, gap)
        return False

    def _heading(self, heading: Heading, line: str) -> bool:
        self.flush()
        if heading.kind == "footer":
            return True
        if heading.kind == "note":
            self.layout.dropped.append(line)  # the box's text belongs to the section it interrupts
            return False
        current = self.current
        if heading.kind == "category" and current is not None and not current.blocks \
                and current.heading.category == heading.category and "?" in heading.rest:
            # "A1 0-4 pts" then "Was the ...? 0 / 4": the question line belongs to the heading.
            current.heading.rest = heading.rest
            self.layout.dropped.append(line)
            return False
        self.current = SectionDraft(heading)
        self.layout.sections.append(self.current)
        if line != heading.title:
            self.layout.dropped.append(line)  # "header2 …", "… 1.00-7.00 pts0-7 pts": debris
        return False

    def _body_line(self, raw: str, line: str, gap: bool) -> None:
        bullet = BULLET_RE.match(raw)
        if bullet:
            if self.para:
                self.flush()
            item = (bullet.group("text") or bullet.group("text2") or "").strip()
            self.bullets = (self.bullets or []) + [item]
        elif self.bullets is not None and raw[:1].isspace() and not gap:
            self.bullets[-1] = (self.bullets[-1] + " " + line).strip()  # a wrapped bullet
        else:
            if self.bullets is not None:
                self.flush()
            self.para.append(line)

    def finish(self) -> Layout:
        layout = self.layout
        _take_authors(layout.sections, layout.authors, layout.dropped)
        for section in layout.sections:
            for block in section.blocks:
                block.items = [strip_boilerplate(item, layout.dropped) for item in block.items]
                block.items = [item for item in block.items if item]
            section.blocks = [b for b in section.blocks if b.items]
        return layout


def parse_names(text: str) -> list[str]:
    """'Anna Wójcik and Miłosz Wiatrowski' -> two names; [] when it is not a list of names."""
    text = text.strip().rstrip(".")
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*;\s*|\s+&\s+", text) if p.strip()]
    if not parts or not all(NAME_RE.fullmatch(p) for p in parts):
        return []
    return parts


def _take_authors(sections: list[SectionDraft], authors: list[str], dropped: list[str]) -> None:
    """Move author names into `authors`: "By X" lines, Author(s) headings and their lists."""
    for section in sections:
        if section.heading.kind == "authors":
            _authors_section(section, authors)
            continue
        for block in section.blocks[:2]:
            if block.kind != "para":
                continue
            match = BY_LINE_RE.match(block.items[0])
            names = parse_names(match["names"]) if match else []
            if names:
                _add(authors, names)
                block.items = []
                break


def _authors_section(section: SectionDraft, authors: list[str]) -> None:
    """Names from an Author(s) heading; any other text there is the author's bio."""
    named: list[str] = []
    if section.heading.rest:
        _add(named, parse_names(section.heading.rest))
    bio: list[Block] = []
    for block in section.blocks:
        names = [n for item in block.items for n in parse_names(item)] if (
            block.kind == "bullets" or len(block.items[0].split()) <= 8) else []
        if names and (block.kind == "bullets" or len(names) == len(block.items)):
            _add(named, names)
        else:
            bio.append(block)
    _add(authors, named)
    section.blocks = bio
    section.heading = Heading("about", "About the Author" if len(named) <= 1 else "About the Authors")


def _add(authors: list[str], names: list[str]) -> None:
    for name in names:
        name = " ".join(name.split())
        if name and name not in authors:
            authors.append(name)
