"""Stage 4: footnote references and note texts.

The page glues note numbers to the text (`time.1`, `sentence2`, `November 20142`, `cover;11`)
and loses most note texts. A number is a reference only if it fits the section's numbering:
each section numbers its notes 1, 2, 3 ... in reading order. So every number that *could* be a
reference becomes a weighted candidate, and one dynamic-programming pass picks the best
increasing chain (missing numbers cost more than any single candidate is worth). Real numbers
(`$1.6 billion`, `16/12`, `An-72`, `14 regions`) are either never candidates or cannot fit.

Note texts survive in three shapes: a bulleted list at the end of a section (`• 1President…`,
whose leading number is glued to the text), a bare URL paragraph after the referencing paragraph,
and a citation spliced onto the start of the next paragraph (`As delivered by … ?download=true.
Mukhortova was detained …`), where the note ends at its URL and the body goes on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Note, Paragraph, Ref, Section
from .sections import Block

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+", re.I)
UNIT_AFTER_RE = re.compile(
    r"\s?(?:%|percent|per cent|million|billion|thousand|trillion|km|kilometers?|miles|hectares)\b", re.I
)
CLOSERS = ".,;:!?)]”’\"'»"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_RE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
MAX_REF = 400
STRONG, MEDIUM, WEAK = 3.0, 2.0, 0.5
GAP_PENALTY = 4.0  # a skipped number costs more than any one candidate gains
MIN_CHAIN = 2.0  # a chain of lone weak candidates is noise


@dataclass(frozen=True)
class Candidate:
    para: int
    start: int
    end: int
    value: int
    weight: float


def url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL_RE.finditer(text)]


def find_candidates(text: str, para: int = 0) -> list[Candidate]:
    """Every number in `text` that could be a note reference, with how likely it is."""
    masked = url_spans(text)
    found: list[Candidate] = []
    for match in re.finditer(r"\d+", text):
        start, end = match.span()
        if any(a <= start < b for a, b in masked):
            continue
        found.extend(_candidates_for_run(text, start, end, para))
    for match in SUPERSCRIPT_RE.finditer(text):
        value = int(match.group().translate(SUPERSCRIPTS))
        if 0 < value <= MAX_REF:
            found.append(Candidate(para, match.start(), match.end(), value, STRONG))
    return sorted(found, key=lambda c: (c.start, c.end))


def _ends_token(text: str, end: int) -> bool:
    nxt = text[end: end + 1]
    if not nxt:
        return True
    if nxt.isalpha() or nxt in "-–/%°_":
        return False
    # "2014.6" / "1,500": the run is the integer part of a longer number
    return not (nxt in ".,:" and text[end + 1: end + 2].isdigit())


def _candidates_for_run(text: str, start: int, end: int, para: int) -> list[Candidate]:
    run = text[start:end]
    if not _ends_token(text, end):
        return []
    result = []
    # A reference glued to a year: "November 20142" is 2014 + note 2.
    if len(run) >= 5 and re.match(r"(?:19|20)\d\d[1-9]", run) and not text[start - 1: start].isdigit():
        value = int(run[4:])
        if value <= MAX_REF:
            result.append(Candidate(para, start + 4, end, value, MEDIUM))
    if run.startswith("0") or not 0 < int(run) <= MAX_REF:
        return result
    weight = _glue_weight(text, start, end)
    if weight:
        span_start, span_end = start, end
        if text[start - 1: start] == "[" and text[end: end + 1] == "]":
            span_start, span_end = start - 1, end + 1  # "[12]"
        elif text[start - 1: start] == " ":
            span_start = start - 1  # "torture. 20" is written "torture.[^20]"
        result.append(Candidate(para, span_start, span_end, int(run), weight))
    return result


def _glue_weight(text: str, start: int, end: int) -> float:
    """How a number is attached to the text before it decides how likely it is a reference."""
    prev = text[start - 1: start]
    before = text[start - 2: start - 1]
    if not prev or prev in "-–/$€£¥#№":
        return 0.0
    if prev == "[" and text[end: end + 1] == "]":
        return STRONG
    if prev.isalpha():
        return STRONG if prev.islower() else MEDIUM  # "sentence2" vs "GDP1"/"G20"
    if prev in CLOSERS:
        if before.isdigit():
            if prev in ",:":
                return 0.0  # "27,632,000", "10:30"
            if UNIT_AFTER_RE.match(text, end):
                return 0.0  # "$1.6 billion"
            integer = re.search(r"(\d+)\.$", text[:start])
            lead = text[integer.start() - 1: integer.start()] if integer else ""
            if lead in "$€£¥":
                return 0.0
            if integer and re.fullmatch(r"(?:19|20)\d\d", integer.group(1)):
                return MEDIUM  # "since 2005.10": a year, then note 10
            return WEAK  # "16/12.15" is the portal 16/12 and note 15, but "1.25" is a rating
        return STRONG
    if prev == " " and before and before in ".!?;:”\")’":
        rest = text[end:].lstrip(" ")
        if not rest or rest[0].isupper() or rest[0] in "“\"(‘)":
            return WEAK  # "torture. 20" at the end of a paragraph
    return 0.0


def choose_chain(candidates: list[Candidate]) -> list[Candidate]:
    """The best increasing run 1, 2, 3 ... over the candidates, in reading order."""
    order = sorted(candidates, key=lambda c: (c.para, c.start, c.end))
    best: list[float] = []
    back: list[int | None] = []
    for i, cand in enumerate(order):
        score, link = cand.weight - GAP_PENALTY * (cand.value - 1), None
        for j in range(i):
            prev = order[j]
            if prev.value >= cand.value or (prev.para, prev.end) > (cand.para, cand.start):
                continue
            option = best[j] + cand.weight - GAP_PENALTY * (cand.value - prev.value - 1)
            if option > score:
                score, link = option, j
        best.append(score)
        back.append(link)
    if not best or max(best) < MIN_CHAIN:
        return []
    index: int | None = max(range(len(best)), key=lambda k: (best[k], -k))
    chain = []
    while index is not None:
        chain.append(order[index])
        index = back[index]
    return chain[::-1]


# --- note texts ------------------------------------------------------------------------------

@dataclass
class PendingNote:
    """A note text waiting for its reference: the last one before `offset` in paragraph `para`."""

    text: str
    para: int
    offset: int
    number: int | None = None  # from a numbered list: attach by number instead


def numbered_items(items: list[str]) -> list[tuple[int, str]] | None:
    """Read a note list whose numbers are glued to the text ("1President…", "27,632,000 people").

    The numbers must run on consecutively, which also decides how many leading digits are the
    number: in "27,632,000" after note 1 the number is 2 and the text "7,632,000 people".
    """
    runs = [re.match(r"\s*\[?(\d+)[\].)]?\s*", item) for item in items]
    if not items or not all(runs):
        return None
    first_run = runs[0].group(1)
    for length in range(1, len(first_run) + 1):
        start = int(first_run[:length])
        parsed = []
        for k, (item, run) in enumerate(zip(items, runs)):
            digits = run.group(1)
            wanted = str(start + k)
            if not digits.startswith(wanted) or start + k == 0:
                break
            body_start = run.start(1) + len(wanted)
            if len(wanted) == len(digits):
                body_start = run.end()  # "1. Text" / "[1] Text": drop the separator too
            text = item[body_start:].strip()
            if not text:
                break
            parsed.append((start + k, text))
        else:
            return parsed
    return None


def split_spliced_note(prev_text: str, text: str) -> tuple[str, str] | None:
    """(note, rest) when `text` opens with a citation ending at a URL, right after a reference."""
    urls = list(URL_RE.finditer(text))
    if not urls or urls[0].start() > 500:
        return None
    before = text[: urls[0].start()]
    if any(c.weight >= MEDIUM for c in find_candidates(before)):
        return None  # the text before the URL carries references: it is body text
    # A citation opens with its URL or lists it after a comma ("…, 18 September 2014, http://…")
    # and the URL closes a sentence; "The website http://x.kz, which …" is body text.
    if before.strip() and not re.search(r"[,:;]\s*$", before):
        return None
    if not re.search(r"[.…]$", urls[0].group()) and text[urls[0].end():].strip():
        return None
    if not _ends_with_reference(prev_text):
        if not (len(text) <= 600 and urls[-1].end() >= len(text.rstrip()) - 1):
            return None
        if not find_candidates(prev_text):
            return None
    end = urls[0].end()
    for url in urls[1:]:
        gap = text[end: url.start()]
        if len(gap) > 40 or re.search(r"[.!?]\s+[A-Z]", gap):
            break
        end = url.end()
    return text[:end].strip(), text[end:].strip()


def _ends_with_reference(text: str) -> bool:
    stripped = text.rstrip(" )")
    return any(c.end >= len(stripped) - 1 for c in find_candidates(text) if c.weight >= WEAK)


def build_section(title: str, category: str | None, blocks: list[Block]) -> Section:
    """Paragraphs with their references, and every surviving note text attached."""
    paragraphs: list[Paragraph] = []
    pending: list[PendingNote] = []
    for block in blocks:
        if block.kind == "bullets":
            numbered = numbered_items(block.items)
            if numbered and _looks_like_notes(block.items):
                pending.extend(PendingNote(text, -1, 0, number) for number, text in numbered)
            else:
                paragraphs.extend(Paragraph(item, bullet=True) for item in block.items)
            continue
        text = block.items[0]
        prev = paragraphs[-1] if paragraphs and not paragraphs[-1].bullet else None
        split = split_spliced_note(prev.text, text) if prev else None
        if prev is not None and split:
            note, rest = split
            pending.append(PendingNote(note, len(paragraphs) - 1, len(prev.text)))
            if rest:
                # The page spliced the note in right after its reference: the body goes on.
                prev.text = prev.text + " " + rest
            continue
        paragraphs.append(Paragraph(text))
    section = Section(title, category, paragraphs)
    _assign_references(section)
    _attach_notes(section, pending)
    return section


def _looks_like_notes(items: list[str]) -> bool:
    """A numbered list is a note list when its items read like citations, not like body."""
    return all(re.match(r"\s*\[?\d", item) for item in items)


def _assign_references(section: Section) -> None:
    candidates = [c for i, p in enumerate(section.paragraphs) for c in find_candidates(p.text, i)]
    for cand in choose_chain(candidates):
        section.paragraphs[cand.para].refs.append(Ref(cand.value, cand.start, cand.end))


def _attach_notes(section: Section, pending: list[PendingNote]) -> None:
    numbers = section.references
    texts: dict[int, str] = {}
    for note in pending:
        number = note.number if note.number is not None else _last_ref_before(section, note)
        if number is None or number not in numbers or number in texts:
            section.orphan_notes.append(note.text)
            continue
        texts[number] = note.text
    section.notes = [Note(n, texts.get(n)) for n in numbers]


def _last_ref_before(section: Section, note: PendingNote) -> int | None:
    if note.para < 0:
        return None
    refs = [r for r in section.paragraphs[note.para].refs if r.start <= note.offset]
    return refs[-1].number if refs else None
