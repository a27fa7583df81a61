"""Stage 4: footnote references and note texts.

The page glues note numbers to the text (`time.1`, `sentence2`, `November 20142`, `cover;11`,
`in 2019,9`) and loses most note texts. A number is a reference only if it fits the section's
numbering: each section numbers its notes 1, 2, 3 ... in reading order. So every number that
*could* be a reference becomes a weighted candidate, and one dynamic-programming pass picks the
best increasing chain. A skipped number costs: one skip less than a strong candidate gains, every
further one more than any candidate gains. Evidence pays for gaps: a note text spliced in right
after a candidate, the numbers of the section's note list (its highest says how far the chain
must run). Real numbers (`$1.6 billion`, `16/12`, `An-72`, `14 regions`) are either never
candidates or cannot fit.

A note number glued to another number mid-sentence (`Article 363 of` = Article 36 + note 3) is
only read where the evidence leaves no choice: a number missing from the chain whose gap this
digit run alone can fill, or a note text spliced in right after it. Such choices, and the other
ones made on weak evidence, are listed per section (`Section.uncertain`).

Note texts survive in three shapes: a bulleted list at the end of a section (`• 1President…`,
whose leading number is glued to the text; the bullets often come one per block), a bare URL
paragraph after the referencing paragraph, and a citation spliced onto the start of the next
paragraph (`As delivered by … ?download=true. Mukhortova was detained …`), where the note ends at
its URL and the body goes on. A spliced note belongs to the reference that ends the text before
it; a listed note to its number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Note, Paragraph, Ref, Section, Uncertain
from .sections import Block

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+", re.I)
UNIT_AFTER_RE = re.compile(
    r"\s?(?:%|percent|per cent|million|billion|thousand|trillion|km|kilometers?|miles|hectares)\b", re.I
)
MONTH_RE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|"
                      r"November|December)\b")
CLOSERS = ".,;:!?)]”’\"'»"
TRAILING = " )]”’\"'».,;:!?"  # what may stand between a reference and the end of its text
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_RE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
MAX_REF = 400
STRONG, MEDIUM, WEAK = 3.0, 2.0, 0.5
FIRST_GAP = 2.5  # one skipped number costs less than a strong candidate gains ...
GAP = 4.0  # ... and every further one more than any candidate gains
NOTE_FOLLOWS = 3.0  # a note text is spliced in right after the candidate
LISTED = 1.0  # the section's note list has the candidate's number
MIN_CHAIN = 2.0  # a chain of lone weak candidates is noise
CONTEXT = 24  # characters shown around an uncertain choice


@dataclass(frozen=True)
class Candidate:
    para: int
    start: int
    end: int
    value: int
    weight: float
    form: str = "glued"  # how it is attached: glued | decimal | spaced | number-glued | ...


@dataclass(frozen=True)
class Evidence:
    """What, besides a candidate's own shape, says a reference is there."""

    note_ends: frozenset[tuple[int, int]] = frozenset()  # (paragraph, offset) a note text follows
    listed: frozenset[int] = frozenset()  # numbers of the section's note list

    @property
    def highest(self) -> int:
        return max(self.listed, default=0)


def url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL_RE.finditer(text)]


def find_candidates(text: str, para: int = 0, codes: re.Pattern | None = None) -> list[Candidate]:
    """Every number in `text` that could be a note reference, with how likely it is. `codes`:
    words that end in digits and are never references (a series' indicator codes: "see A1")."""
    masked = url_spans(text) + ([m.span() for m in codes.finditer(text)] if codes else [])
    found: list[Candidate] = []
    for match in re.finditer(r"\d+", text):
        start, end = match.span()
        if any(a <= start < b for a, b in masked):
            continue
        found.extend(_candidates_for_run(text, start, end, para))
    for match in SUPERSCRIPT_RE.finditer(text):
        value = int(match.group().translate(SUPERSCRIPTS))
        if 0 < value <= MAX_REF:
            found.append(Candidate(para, match.start(), match.end(), value, STRONG, "superscript"))
    return sorted(found, key=lambda c: (c.start, c.end))


def glued_to_number(text: str, para: int = 0) -> list[Candidate]:
    """Note numbers that may end a longer digit run ("Article 363 of" = Article 36 + note 3).

    Weightless: they are read only where evidence leaves no other choice.
    """
    masked = url_spans(text)
    found = []
    for match in re.finditer(r"\d{3,}", text):  # "Article 53" is too common to split
        start, end = match.span()
        run, lead = match.group(), text[start - 1: start]
        if any(a <= start < b for a, b in masked) or not _ends_token(text, end):
            continue
        # Not the tail of a longer number, a range, a sum or a quantity ("4,848", "1997–2004",
        # "An-724", "€135 million"), nor a year: those are what they say.
        if lead and (lead in "–$€£¥" or (lead in "-,." and text[start - 2: start - 1].isdigit())) \
                or UNIT_AFTER_RE.match(text, end) or re.fullmatch(r"(?:19|20)\d\d", run):
            continue
        for cut in range(1, len(run)):
            if run[cut] != "0" and int(run[cut:]) <= MAX_REF:
                found.append(Candidate(para, start + cut, end, int(run[cut:]), 0.0, "number-glued"))
    return found


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
            result.append(Candidate(para, start + 4, end, value, MEDIUM, "year"))
    if run.startswith("0") or not 0 < int(run) <= MAX_REF:
        return result
    weight, form = _glue_weight(text, start, end)
    if weight:
        span_start, span_end = start, end
        if text[start - 1: start] == "[" and text[end: end + 1] == "]":
            span_start, span_end = start - 1, end + 1  # "[12]"
        elif text[start - 1: start] == " ":
            span_start = start - 1  # "torture. 20" is written "torture.[^20]"
        result.append(Candidate(para, span_start, span_end, int(run), weight, form))
    return result


def _glue_weight(text: str, start: int, end: int) -> tuple[float, str]:
    """How a number is attached to the text before it decides how likely it is a reference."""
    prev = text[start - 1: start]
    before = text[start - 2: start - 1]
    if not prev or prev in "-–/$€£¥#№":
        return 0.0, ""
    if prev == "[" and text[end: end + 1] == "]":
        return STRONG, "bracketed"
    if prev.isalpha():
        return (STRONG if prev.islower() else MEDIUM), "glued"  # "sentence2" vs "GDP1"/"G20"
    if prev in CLOSERS:
        if not before.isdigit():
            return STRONG, "glued"  # "time.1", "cover;11", "Code,1", "said.”4"
        return _after_number_and_mark(text, start, end, prev)
    if prev == " " and before and before in ".!?;:”\")’":
        rest = text[end:].lstrip(" ")
        if MONTH_RE.match(rest):
            return 0.0, ""  # "… in court. 10 March 2019 was …": a date
        if not rest or rest[0].isupper() or rest[0] in "“\"(‘)":
            return WEAK, "spaced"  # "torture. 20" at the end of a paragraph
    return 0.0, ""


def _after_number_and_mark(text: str, start: int, end: int, mark: str) -> tuple[float, str]:
    """A run right after a number and a mark: "2019,9 which", "Article 31;2", "(2019)4", "2005.10"."""
    if UNIT_AFTER_RE.match(text, end):
        return 0.0, ""  # "$1.6 billion", "2,5 million"
    if mark == ":":
        return 0.0, ""  # "10:30", "1:2"
    if mark == ",":
        # A thousands separator is followed by exactly three digits ("27,632,000", "$10,000").
        return (0.0, "") if end - start == 3 else (MEDIUM, "number-mark")
    if mark != ".":
        return MEDIUM, "number-mark"  # "Article 31;2 the", "(in 2019)4", "“Decree 5”3"
    integer = re.search(r"(\d+)\.$", text[:start])
    lead = text[integer.start() - 1: integer.start()] if integer and integer.start() else ""
    if lead and lead in "$€£¥":
        return 0.0, ""  # "$1.6"
    if integer and re.fullmatch(r"(?:19|20)\d\d", integer.group(1)):
        return MEDIUM, "year"  # "since 2005.10": a year, then note 10
    return WEAK, "decimal"  # "16/12.15" is the portal 16/12 and note 15, but "1.25" is a rating


def _gap_cost(skipped: int) -> float:
    return 0.0 if skipped <= 0 else FIRST_GAP + GAP * (skipped - 1)


def _ends_at(text: str, end: int, offset: int) -> bool:
    """Only closing marks and spaces stand between `end` and `offset`."""
    return end <= offset and not text[end:offset].strip(TRAILING)


def choose_chain(candidates: list[Candidate], evidence: Evidence | None = None,
                 texts: list[str] | None = None, first: int = 1) -> list[Candidate]:
    """The best increasing run 1, 2, 3 ... over the candidates, in reading order; or, where a
    page numbers its notes across sections, a run from `first` (the number after the previous
    section's last) on.

    `texts` (the paragraphs) lets a note text spliced in after a candidate count for it.
    """
    evidence = evidence or Evidence()
    order = sorted(candidates, key=lambda c: (c.para, c.start, c.end))
    weights = [_weight(c, evidence, texts) for c in order]
    best: list[float] = []
    back: list[int | None] = []
    for i, cand in enumerate(order):
        opening = _gap_cost(cand.value - 1)
        if first > 1 and cand.value >= first:
            opening = min(opening, _gap_cost(cand.value - first))
        score, link = weights[i] - opening, None
        for j in range(i):
            prev = order[j]
            if prev.value >= cand.value or (prev.para, prev.end) > (cand.para, cand.start):
                continue
            option = best[j] + weights[i] - _gap_cost(cand.value - prev.value - 1)
            if option > score:
                score, link = option, j
        best.append(score)
        back.append(link)
    ends = [k for k in range(len(best)) if best[k] >= MIN_CHAIN]
    if not ends:
        return []
    # The note list's highest number says how far the chain must run.
    index: int | None = max(ends, key=lambda k: (best[k] - _gap_cost(evidence.highest - order[k].value), -k))
    chain = []
    while index is not None:
        chain.append(order[index])
        index = back[index]
    return chain[::-1]


def _weight(cand: Candidate, evidence: Evidence, texts: list[str] | None) -> float:
    weight = cand.weight
    if cand.value in evidence.listed:
        weight += LISTED
    if texts is not None and any(para == cand.para and _ends_at(texts[para], cand.end, offset)
                                 for para, offset in evidence.note_ends):
        weight += NOTE_FOLLOWS
    return weight


# --- gaps: numbers glued to other numbers ----------------------------------------------------

def fill_gaps(texts: list[str], chain: list[Candidate], highest: int,
              uncertain: list[Uncertain], first: int = 1) -> list[Candidate]:
    """Read a number missing from the chain where exactly one glued digit run can be it.

    Each missing number must lie between its neighbours in the chain (or, past the last one, up
    to the note list's highest number); a digit run ending in it is taken only when it is the
    only one there, and listed as a low-confidence choice. With two or more, nothing is guessed.
    """
    result = list(chain)
    hidden = [c for i, text in enumerate(texts) for c in glued_to_number(text, i)]
    taken = {(c.para, c.start, c.end) for c in chain}
    values = {c.value for c in chain}
    top = max(highest, max(values, default=0))
    lowest = first if values and min(values) >= first else 1  # numbering carried on from before
    for missing in range(lowest, top + 1):
        if missing in values:
            continue
        low = max((c for c in result if c.value < missing), key=lambda c: c.value, default=None)
        high = min((c for c in result if c.value > missing), key=lambda c: c.value, default=None)
        if high is None and missing > highest:
            continue
        fits = [c for c in hidden if c.value == missing and (c.para, c.start, c.end) not in taken
                and (low is None or (c.para, c.start) >= (low.para, low.end))
                and (high is None or (c.para, c.end) <= (high.para, high.start))]
        if not fits:
            continue
        between = (f"between {low.value} and {high.value}" if low and high else
                   f"after {low.value}" if low else f"before {high.value}" if high else "of the note list")
        if len(fits) > 1:
            uncertain.append(Uncertain(
                f"reference {missing}", _context(texts[fits[0].para], fits[0]),
                [_context(texts[c.para], c) for c in fits] + ["no reference"],
                f"none: {len(fits)} numbers could be note {missing} ({between}); left unread"))
            continue
        cand = fits[0]
        result.append(cand)
        values.add(missing)
        taken.add((cand.para, cand.start, cand.end))
        uncertain.append(Uncertain(
            f"reference {missing}", _context(texts[cand.para], cand),
            [_context(texts[cand.para], cand), "no reference"],
            f"read as note {missing}: the only number that can fill the gap {between}"))
    return sorted(result, key=lambda c: (c.para, c.start))


def _context(text: str, cand: Candidate) -> str:
    """The text around a candidate, the candidate marked: "…Decree 28/85|7| the…"."""
    before = text[max(0, cand.start - CONTEXT): cand.start]
    after = text[cand.end: cand.end + CONTEXT // 2]
    return ("…" if cand.start > CONTEXT else "") + before + "|" + text[cand.start: cand.end].strip() + "|" + after + "…"


# --- note lists ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListedNote:
    """An item of a note list: its number (None: it fits no numbering) and its text."""

    number: int | None
    text: str


ITEM = 2.0  # an item read as a note rather than left over as an orphan text
STEP = 1.0  # an item numbered one more than the one before
PREFERRED = 2.0  # a number the body's references have
SKIP_GAP = 0.5  # per number skipped between two items: lists may miss items
WINDOW = 6  # how many items back an item's predecessor may be (those between become orphans)
LIST_MARGIN = 3.0  # a reading this close to the best one is a low-confidence choice


def _readings(item: str) -> list[tuple[int, str]]:
    """The numbers an item's leading digits could be, with the text left for each.

    "12“The…" is note 1 ("2“The…") or note 12; "27,632,000 people" note 2 or 27; "33 March
    2019, …" note 3 (a date) or 33.
    """
    match = re.match(r"\s*(\[?)(\d+)", item)
    if not match or match.group(2).startswith("0"):
        return []
    run, rest = match.group(2), item[match.end():]
    readings = []
    for cut in range(1, len(run) + 1):
        value = int(run[:cut])
        if value > MAX_REF:
            break
        text = run[cut:] + rest
        if cut == len(run):
            # "1. Text", "1) Text", "[1] Text", "1 Text": the separator is not part of the text
            closer = r"\]\s*" if match.group(1) else r"[.)](?=\s)\s*|\s+"
            text = re.sub("^(?:" + closer + ")", "", rest)
        text = text.strip()
        if text:
            readings.append((value, text))
    return readings


def read_note_list(items: list[str], prefer: set[int] | frozenset[int] = frozenset(),
                   uncertain: list[Uncertain] | None = None) -> list[ListedNote]:
    """Number a section's note items: increasing, preferably consecutive and in `prefer` (the
    numbers the body's references have). Items that fit no increasing numbering keep number None.
    """
    options = [_readings(item) for item in items]
    forward = _list_scores(options, prefer, lambda value: -0.1 * (value - 1), 0)
    # The same pass over the reversed items, numbers negated, scores the rest of the list.
    mirrored = [[(-v, t) for v, t in row] for row in reversed(options)]
    backward = list(reversed(_list_scores(mirrored, {-p for p in prefer}, lambda value: 0.0, -MAX_REF - 1)))
    best, chosen = _best_path(forward)
    result = []
    for index, item in enumerate(items):
        pick = chosen.get(index)
        if pick is None:
            result.append(ListedNote(None, item.strip()))
            continue
        value, text = options[index][pick]
        result.append(ListedNote(value, text))
        row = options[index]
        if uncertain is None or len(row) < 2:
            continue
        through = [forward[index][k][0] + backward[index][k][0] - _own(row[k], prefer)
                   for k in range(len(row))]
        if any(k != pick and through[k] > best - LIST_MARGIN for k in range(len(row))):
            uncertain.append(Uncertain(
                "note list item", item.strip()[: CONTEXT * 2] + ("…" if len(item.strip()) > CONTEXT * 2 else ""),
                [f"note {v}" for v, _ in row], f"read as note {value}"))
    return result


def _own(option: tuple[int, str], prefer) -> float:
    value, text = option
    return ITEM + (PREFERRED if value in prefer else 0.0) - (1.0 if text[:1] in ",.;:" else 0.0)


def _step(previous: int, value: int) -> float:
    return STEP if value == previous + 1 else -SKIP_GAP * (value - previous - 1)


def _list_scores(options: list[list[tuple[int, str]]], prefer, opening, floor: int):
    """Per item and reading: the best score of numbering the items up to it, and where from.

    Numbers must increase; an item may be left out (an orphan). `opening(value)` scores a list
    starting at `value`; `floor` is below every number.
    """
    scores: list[list[tuple[float, tuple[int, int] | None]]] = []
    for i, row in enumerate(options):
        cells = []
        for value, text in row:
            own = _own((value, text), prefer)
            best: tuple[float, tuple[int, int] | None] = (
                (own + opening(value), None) if value > floor else (float("-inf"), None))
            for j in range(max(0, i - WINDOW), i):
                for k, (before, _) in enumerate(options[j]):
                    if before < value and scores[j][k][0] > float("-inf"):
                        option = scores[j][k][0] + own + _step(before, value)
                        if option > best[0]:
                            best = (option, (j, k))
            cells.append(best)
        scores.append(cells)
    return scores


def _best_path(scores) -> tuple[float, dict[int, int]]:
    """The best numbering over all items: its score and, per numbered item, its reading."""
    ends = [(scores[i][k][0], i, k) for i in range(len(scores)) for k in range(len(scores[i]))]
    if not ends:
        return 0.0, {}
    best, i, k = max(ends, key=lambda e: (e[0], -e[1]))
    chosen: dict[int, int] = {}
    cell: tuple[int, int] | None = (i, k)
    while cell is not None:
        chosen[cell[0]] = cell[1]
        cell = scores[cell[0]][cell[1]][1]
    return best, chosen


# --- spliced note texts ----------------------------------------------------------------------

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
        if not find_candidates(prev_text) and not glued_to_number(prev_text):
            return None
    end = urls[0].end()
    for url in urls[1:]:
        gap = text[end: url.start()]
        if len(gap) > 40 or re.search(r"[.!?]\s+[A-Z]", gap):
            break
        end = url.end()
    return text[:end].strip(), text[end:].strip()


def _ends_with_reference(text: str) -> bool:
    stripped = text.rstrip(TRAILING)
    return any(c.end >= len(stripped) - 1 for c in find_candidates(text) if c.weight >= WEAK)


# --- the section -----------------------------------------------------------------------------

@dataclass
class PendingNote:
    """A note text spliced into the body: it belongs to the reference ending at `offset` of
    paragraph `para`."""

    text: str
    para: int
    offset: int


def build_section(title: str, category: str | None, blocks: list[Block],
                  codes: re.Pattern | None = None, first: int = 1) -> Section:
    """Paragraphs with their references, and every surviving note text attached. `codes`: the
    series' indicator codes, which body text cites ("(see A3, B1)") and which are no references;
    `first`: where the page numbers its notes across sections, the number this section's may
    start from (they may still start from 1)."""
    blocks = [Block(b.kind, list(b.items)) for b in blocks]  # read, never changed: may be read twice
    paragraphs, pending, items = _read_blocks(blocks)
    section = Section(title, category, paragraphs)
    texts = [p.text for p in paragraphs]
    note_ends = frozenset((n.para, n.offset) for n in pending)
    candidates = _section_candidates(texts, note_ends, codes)
    evidence = Evidence(note_ends)
    chain = choose_chain(candidates, evidence, texts, first)
    listing: list[ListedNote] = []
    if items:
        listing = read_note_list(items, {c.value for c in chain})
        evidence = Evidence(note_ends, frozenset(n.number for n in listing if n.number is not None))
        chain = choose_chain(candidates, evidence, texts, first)
    chain = fill_gaps(texts, chain, evidence.highest, section.uncertain, first)
    if items:
        listing = read_note_list(items, {c.value for c in chain}, section.uncertain)
    _note_weak_choices(section, texts, chain, candidates)
    for cand in chain:
        paragraphs[cand.para].refs.append(Ref(cand.value, cand.start, cand.end))
    _attach_notes(section, pending, listing)
    return section


def _section_candidates(texts: list[str], note_ends: frozenset[tuple[int, int]],
                        codes: re.Pattern | None = None) -> list[Candidate]:
    """The candidates of every paragraph; where a note text was spliced in, the text before it
    is read as ending there (as the page's paragraph did)."""
    found = []
    for para, text in enumerate(texts):
        cuts = {offset for p, offset in note_ends if p == para}
        start = 0
        for end in sorted(cuts | {len(text)}):
            piece = text[start:end]
            found += [Candidate(para, c.start + start, c.end + start, c.value, c.weight, c.form)
                      for c in find_candidates(piece, codes=codes)]
            if end in cuts:
                # A digit run right before a spliced note may end in its number ("Article 314").
                found += [Candidate(para, c.start + start, c.end + start, c.value, c.weight, c.form)
                          for c in glued_to_number(piece) if not piece[c.end:].strip(TRAILING)]
            start = end
    return found


def _read_blocks(blocks: list[Block]) -> tuple[list[Paragraph], list[PendingNote], list[str]]:
    """Body paragraphs (spliced notes cut out), the spliced notes, and the note-list items."""
    paragraphs: list[Paragraph] = []
    pending: list[PendingNote] = []
    items: list[str] = []
    after_list = False  # the block before this one is the note list (or an address ending it)
    for block in blocks:
        if block.kind == "bullets":
            # A note list's bullets often come one per block (blank lines between them): every
            # block of numbered items in the section is read as one list.
            after_list = _looks_like_notes(block.items) and bool(items or _is_note_list(block.items, paragraphs))
            if after_list:
                items.extend(block.items)
            else:
                paragraphs.extend(Paragraph(item, bullet=True) for item in block.items)
            continue
        text = block.items[0]
        if after_list and len(text.split()) == 1 and URL_RE.match(text):
            # A note's address on a line of its own continues the item right before it; only
            # then: a note text is the page's text, never pieces the page holds apart.
            items[-1] = f"{items[-1]} {text}"
            continue
        after_list = False
        prev = paragraphs[-1] if paragraphs and not paragraphs[-1].bullet else None
        split = split_spliced_note(prev.text, text) if prev and not items else None
        if prev is not None and split:
            note, rest = split
            pending.append(PendingNote(note, len(paragraphs) - 1, len(prev.text)))
            if rest:
                # The page spliced the note in right after its reference: the body goes on.
                prev.text = prev.text + " " + rest
            continue
        paragraphs.append(Paragraph(text))
    return paragraphs, pending, items


def _looks_like_notes(items: list[str]) -> bool:
    """Every item opens with a number."""
    return all(_readings(item) for item in items)


def _is_note_list(items: list[str], body: list[Paragraph]) -> bool:
    """Numbered bullets open a note list when one of them may be note 1 or a number the body
    before them could refer to; "• 2019 local elections …" in a section without references is
    body text."""
    numbers = {1} | {c.value for p in body for c in find_candidates(p.text)}
    return any(value in numbers for item in items for value, _ in _readings(item))


def _note_weak_choices(section: Section, texts: list[str], chain: list[Candidate],
                       candidates: list[Candidate]) -> None:
    """List the references taken on weak evidence: a weak shape, or a rival of the same number."""
    chosen = {(c.para, c.start, c.end) for c in chain}
    for cand in chain:
        if cand.form == "number-glued" and cand.weight == 0.0 and any(
                u.what == f"reference {cand.value}" for u in section.uncertain):
            continue  # already listed by fill_gaps
        rivals = [c for c in candidates if c.value == cand.value and c.weight >= WEAK
                  and (c.para, c.start, c.end) not in chosen]
        if cand.weight >= MEDIUM and not rivals:
            continue
        considered = [_context(texts[c.para], c) for c in [cand, *rivals]] + ["not a reference"]
        reason = "a rival number" if rivals else {
            "decimal": "it could be a decimal", "spaced": "it stands apart from the text",
            "number-glued": "it is glued to another number, with a note text after it"}.get(
            cand.form, "a weak shape")
        section.uncertain.append(Uncertain(f"reference {cand.value}", considered[0], considered,
                                           f"read as note {cand.value} ({reason})"))


def _attach_notes(section: Section, pending: list[PendingNote], listing: list[ListedNote]) -> None:
    numbers = section.references
    texts: dict[int, str] = {}
    for note in pending:
        number = _reference_ending_at(section, note)
        if number is None or number in texts:
            section.orphan_notes.append(note.text)
            continue
        texts[number] = note.text
    for listed in listing:
        if listed.number is None or listed.number not in numbers or listed.number in texts:
            # A note no reference claims stays visible as text: its words are not lost.
            section.orphan_notes.append(listed.text)
            continue
        texts[listed.number] = listed.text
    section.notes = [Note(n, texts.get(n)) for n in numbers]


def _reference_ending_at(section: Section, note: PendingNote) -> int | None:
    """The reference the spliced note follows: the one ending the text before it."""
    paragraph = section.paragraphs[note.para]
    refs = [r for r in paragraph.refs if _ends_at(paragraph.text, r.end, note.offset)]
    return refs[-1].number if refs else None
