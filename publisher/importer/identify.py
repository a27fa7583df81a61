"""Stage 1: read the raw file, tell which series the page belongs to, which scale it uses, and
whose report it is.

Which series: every cue comes from the series definitions in `data/series/` (the series' name,
its scores' titles, its categories' codes, titles and questions, its statuses, its coverage
period, the labels of its scale history) and from the report's address, never from a particular
country's sentences. A page of a Freedom House series the site does not define is still
recognised, by the few cues in OTHER_SERIES, so that it is refused by name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..definitions import Definitions
from ..series import CategoryNode, Series
from .model import ImportFailure

MAX_BYTES = 5 * 1024 * 1024  # a whole report is ~50 KB; far bigger input is not a scraped page
HEAD_CHARS = 2500  # cues are searched in the page's head, where the widgets sit: narrative text
# further down (and the footer's other scores) may mention other reports by name
SCALE_CHARS = 4 * HEAD_CHARS  # scale statements sit in the header and its widgets
MIN_CUES = 3  # what a page must score to be taken for a series
NODE_CUES_MAX = 6  # the categories' cues together weigh no more than this
URL_STOP_WORDS = {"a", "an", "and", "for", "in", "of", "on", "the"}  # "freedom-world" for
# Freedom in the World, "nations-transit" for Nations in Transit, as the publisher's addresses

# Freedom House series a site may not define: recognised only to refuse their pages by name
# (cues as weighted patterns; a defined series of the same name uses its definition instead).
OTHER_SERIES: dict[str, tuple[tuple[str, int], ...]] = {
    "Nations in Transit": (
        (r"Democracy[\s-]+Score", 3),
        (r"Democracy[\s-]+Percentage", 3),
        (r"Nations in Transit", 3),
    ),
    "Freedom in the World": (
        (r"Freedom in the World", 3),
        (r"Political Rights\W{0,6}\d", 2),
        (r"Civil Liberties\W{0,6}\d", 2),
        (r"Global freedom statuses", 2),
        (r"Last Year'?s Score\s*&\s*Status", 2),
        (r"\b(?:Aggregate Score|Freedom Rating|Freedom Status)\b", 1),
        (r"head of government or other chief national authority", 2),
        (r"^\s*(?:Free|Partly Free|Not Free)\s*$", 1),
        (r"Key Developments", 1),
    ),
    "Freedom on the Net": (
        (r"Freedom on the Net", 3),
        (r"Obstacles to Access|Limits on Content|Violations of User Rights", 2),
        (r"Internet Penetration", 1),
        (r"Internet freedom in\b", 2),
        (r"\(see [A-Z][A-Za-z ,]+\)", 1),
        (r"^\s*(?:Free|Partly Free|Not Free)\s*$", 1),
        (r"Key Developments", 1),
    ),
}


def read_raw(path: Path) -> str:
    """The file's text, or ImportFailure saying plainly why it cannot be a scraped page."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure("file not found") from None
    except IsADirectoryError:
        raise ImportFailure("is a directory, not a file") from None
    except OSError as error:
        raise ImportFailure(f"cannot read file: {error.strerror or error}") from None
    return decode_raw(data)


def decode_raw(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFailure(f"file is {len(data)} bytes; a scraped report page is far smaller")
    if not data.strip():
        raise ImportFailure("file is empty")
    if b"\x00" in data:
        raise ImportFailure("file is binary (it contains NUL bytes), not scraped page text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailure(f"file is not valid UTF-8 text (bad byte at offset {error.start})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise ImportFailure("file looks binary (many control characters), not scraped page text")
    # Non-breaking and other odd spaces become plain spaces: they are layout, never words; so
    # are page breaks. Other control characters (DEL, C1) are debris, which YAML cannot carry.
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r"[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    return re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f]", "", text)


# --- which series ------------------------------------------------------------------------------

def phrase(text: str) -> str:
    """A pattern for a title as pages print it: any case (the caller's flag), words apart by
    spaces or hyphens ("DEMOCRACY-SCORE"), not inside a longer word."""
    words = [re.escape(word) for word in text.split()]
    return r"(?<![\w])" + r"[\s-]+".join(words) + r"(?![\w])"


def question_start(node: CategoryNode, words: int = 8) -> str:
    """A pattern for the opening words of a leaf's question (wordings change a little over
    the years; the opening rarely does)."""
    opening = re.findall(r"[\w’']+", node.description)[:words]
    return r"[\W_]+".join(re.escape(w) for w in opening)


def covers_pattern(series: Series) -> re.Pattern | None:
    """The series' coverage period as pages print it ("June 1, 2018 – May 31, 2019" for
    "June 1, {year_before} – May 31, {edition}"): any dash, day numbers optional ("June 2014 -
    May 2015"); None when the template names no year."""
    template = series.covers
    if "{edition}" not in template and "{year_before}" not in template:
        return None
    parts = []
    for token in re.split(r"(\{edition\}|\{year_before\}|\s+)", template):
        if token in ("{edition}", "{year_before}"):
            parts.append(rf"(?P<{token[1:-1]}>\d{{4}})")
        elif token.isspace():
            parts.append(r"\s*")
        elif token:
            parts.append(_covers_token(token))
    return re.compile("".join(parts), re.I)


def _covers_token(token: str) -> str:
    if re.fullmatch(r"\d{1,2},?", token):
        return rf"(?:{re.escape(token)})?"  # a day number pages may leave out
    if re.fullmatch(r"[-–—]", token):
        return r"[-–—]"
    return re.escape(token)


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    weight: int
    node: bool = False  # a category's cue (their total weight is capped)


def series_cues(series: Series) -> tuple[Cue, ...]:
    """What marks a page of this series, all from its definition."""
    flags = re.I | re.M
    cues = [Cue(re.compile(phrase(series.name), flags), 3)]
    for score in series.scores:
        cues.append(Cue(re.compile(phrase(score.title), flags), 3))
        stem = re.sub(r"\s+(?:Score|Rating|Percentage|Index)$", "", score.title, flags=re.I)
        if stem != score.title and len(stem.split()) >= 2:  # "Internet freedom in Kazakhstan"
            cues.append(Cue(re.compile(phrase(stem), flags), 2))
    for era in series.history:
        cues += [Cue(re.compile(label_pattern(label), flags), 2) for label in era.labels]
    covers = covers_pattern(series)
    if covers is not None:
        cues.append(Cue(covers, 2))
    names = [n for s in series.statuses for n in (s.name, *s.aliases) if len(n) > 2]
    if names:
        cues.append(Cue(re.compile(r"^\s*(?:" + "|".join(phrase(n) for n in names) + r")\s*$", flags), 1))
    for node in series.all_nodes():
        cues += [Cue(re.compile(p, flags), w, node=True) for p, w in _node_cues(node)]
    return tuple(cues)


def _node_cues(node: CategoryNode) -> list[tuple[str, int]]:
    title = phrase(node.title)
    if node.is_group:
        cues = [(rf"{title}\W{{0,6}}-?\d{{1,3}}\s*[|/]?\s*{node.max:f}(?!\d)", 2)]  # "Political Rights 5 / 40"
        if node.code:
            cues.append((rf"^\s*{re.escape(node.code)}\s+{title}", 2))  # "A Electoral Process"
        return cues
    if node.code:  # its code alone is no mark: series share them ("A1"); its question is one
        return [(question_start(node), 2)] if len(node.description.split()) >= 6 else []
    return [(rf"^\s*{title}", 1)]  # a category heading ("Civil Society 1.00-7.00 pts")


def label_pattern(label: str) -> str:
    """A scale label as written in a definition ("0 = best"), spaces around '=' optional."""
    return r"\s*".join(re.escape(part.strip()) for part in re.split(r"(\s*=\s*|\s+)", label) if part.strip())


def cue_score(cues, head: str) -> tuple[int, int]:
    """(the weight of the cues found, with the categories' capped; the same uncapped, which
    tells apart two series the capped weight ties)."""
    total = node_total = 0
    for cue in cues:
        if cue.pattern.search(head):
            if cue.node:
                node_total += cue.weight
            else:
                total += cue.weight
    return total + min(node_total, NODE_CUES_MAX), total + node_total


def _other_score(cues: tuple[tuple[str, int], ...], head: str) -> int:
    return sum(weight for pattern, weight in cues if re.search(pattern, head, re.I | re.M))


def url_slug(name: str) -> str:
    """A series' segment in the publisher's addresses: 'freedom-world' for Freedom in the World."""
    words = [w for w in slugify(name).split("-") if w not in URL_STOP_WORDS]
    return "-".join(words)


def detect_series(text: str, definitions: Definitions, source_url: str | None = None) -> Series:
    """The series of the page, from its head and its address; ImportFailure when it is none of
    the site's series (naming what it is when that can be told)."""
    head = text[:HEAD_CHARS]
    defined = definitions.series
    scores = {s.key: cue_score(series_cues(s), head) for s in defined}
    url = identity_from_url(source_url, defined)
    ranked = sorted(defined, key=lambda s: (-scores[s.key][0], -scores[s.key][1], s.key != url.series))
    best = ranked[0]
    others = {name: _other_score(cues, head) for name, cues in OTHER_SERIES.items()
              if name.casefold() not in {s.name.casefold() for s in defined}}
    foreign = max(others, key=others.get, default=None)
    if foreign is not None and others[foreign] >= MIN_CUES and others[foreign] > scores[best.key][0]:
        raise _undefined(foreign, defined)
    if scores[best.key][0] >= MIN_CUES:
        tied = [s for s in ranked if scores[s.key] == scores[best.key]]
        if len(tied) > 1 and url.series not in {s.key for s in tied}:
            raise ImportFailure(
                "this page could be " + " or ".join(f"a {s.name} page" for s in tied) + "; give "
                "--source-url (the report's address names its series) to tell them apart")
        return best
    if url.series:
        return next(s for s in defined if s.key == url.series)
    if url.foreign:
        raise _undefined(url.foreign, defined, "its address names")
    names = " or ".join(s.name for s in defined)
    marks = "; ".join(f"{s.name}: " + ", ".join(_marks(s)) for s in defined)
    raise ImportFailure(f"this does not look like a {names} report (none of its marks found: {marks})")


def _marks(series: Series) -> list[str]:
    return [series.name] + [score.title for score in series.scores]


def _undefined(name: str, defined: tuple[Series, ...], how: str = "this is") -> ImportFailure:
    known = ", ".join(f"{s.name} ({s.key})" for s in defined)
    what = f"this is a {name} page" if how == "this is" else f"its address names {name}"
    return ImportFailure(f"{what}, a series this site does not define (data/series/ has: {known}); "
                         f"only those series' reports can be imported; add the series' definition "
                         "(docs/series.md) to import it")


# --- which scale -------------------------------------------------------------------------------

# "(1 = best, 7 = worst)", "(0 = Least Free, 100 = Most Free)": two numbers and which end is best.
PAIR_RE = re.compile(r"\(\s*(?P<a>-?\d+)\s*=\s*(?P<wa>[A-Za-z][A-Za-z ]{1,20}?)\s*,\s*(?P<b>-?\d+)\s*=\s*"
                     r"(?P<wb>[A-Za-z][A-Za-z ]{1,20}?)\s*\)", re.I)
# "with 7 representing the highest level of democratic progress and 1 the lowest"
REPRESENTING_RE = re.compile(r"with (?P<a>-?\d+) representing the (?P<wa>highest|lowest|most|least)\b"
                             r"[^.]{0,80}?\band (?P<b>-?\d+) the (?P<wb>highest|lowest|most|least)\b", re.I)
# "a scale of 0 (least free) to 100 (most free)"
SPAN_RE = re.compile(r"(?P<a>-?\d+)\s*\((?P<wa>[A-Za-z ]{2,20})\)\s*to\s*(?P<b>-?\d+)\s*\((?P<wb>[A-Za-z ]{2,20})\)", re.I)
GOOD_WORDS_RE = re.compile(r"^(?:best|highest|most\b.*)$", re.I)
BAD_WORDS_RE = re.compile(r"^(?:worst|lowest|least\b.*)$", re.I)


def detect_scale(text: str, series: Series, edition: int | None = None) -> str:
    """'old' for a page published on an inverted scale of the series' history, 'new' otherwise.

    What the page says decides: one of the labels the history gives for an inverted era, or a
    statement of which end of a category's scale is best ("1 = best, 7 = worst"). A page that
    says nothing is on the scale of its edition's era. A page stating both is refused."""
    old = any(re.search(label_pattern(label), text, re.I)
              for era in series.history if era.inverted for label in era.labels)
    stated = _stated_scales(text[:SCALE_CHARS], series)
    if "old" in stated:
        old = True
    if old and "new" in stated:
        raise ImportFailure(
            "the page states both an inverted scale (published with the best rating lowest) and "
            "today's one; refusing rather than mixing them")
    if old:
        return "old"
    if "new" in stated:
        return "new"
    era = series.era(edition) if edition else None
    return "old" if era is not None and era.inverted else "new"


def _stated_scales(text: str, series: Series) -> set[str]:
    """'new' / 'old' for each statement of a category's or score's scale on the page."""
    spans = {(n.min, n.max) for n in series.all_nodes()}
    spans |= {(s.min, s.max) for s in series.scores if s.min is not None and s.max is not None}
    found = set()
    for pattern in (PAIR_RE, REPRESENTING_RE, SPAN_RE):
        for match in pattern.finditer(text):
            a, b = int(match["a"]), int(match["b"])
            good_a = bool(GOOD_WORDS_RE.match(match["wa"].strip()))
            good_b = bool(GOOD_WORDS_RE.match(match["wb"].strip()))
            if good_a == good_b or not (BAD_WORDS_RE.match(match["wa"].strip())
                                        or BAD_WORDS_RE.match(match["wb"].strip())):
                continue
            best, worst = (a, b) if good_a else (b, a)
            if (min(a, b), max(a, b)) in spans:
                found.add("new" if best > worst else "old")
    return found


# --- whose report ------------------------------------------------------------------------------

def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def country_from_slug(slug: str, known: tuple[str, ...] = ()) -> str:
    """A country's display name from an address slug: a known name if one matches."""
    for name in known:
        if slugify(name) == slug.lower():
            return name
    small = {"and", "of", "the"}
    words = slug.lower().split("-")
    return " ".join(w if w in small and i else w.capitalize() for i, w in enumerate(words))


@dataclass
class UrlIdentity:
    country: str | None
    edition: int | None
    series: str | None = None  # the key of the defined series the address names
    foreign: str | None = None  # the name of a series the address names that the site lacks

    @property
    def other_type(self) -> bool:
        return self.foreign is not None


REPORT_URL_RES = (
    re.compile(r"/country/(?P<country>[a-z0-9-]+)/(?P<slug>[a-z-]+)/(?P<year>\d{4})\b", re.I),
    re.compile(r"/report/(?P<slug>[a-z-]+)/(?P<year>\d{4})/(?P<country>[a-z0-9-]+)\b", re.I),
)


def identity_from_url(url: str | None, series: tuple[Series, ...] = (),
                      known: tuple[str, ...] = ()) -> UrlIdentity:
    """Country, edition and series from a report address (`/country/<country>/<series>/<year>`,
    `/report/<series>/<year>/<country>`); `known`: the covered countries' names."""
    if not url:
        return UrlIdentity(None, None)
    ours = {}
    for item in series:
        ours[url_slug(item.name)] = item.key
        ours[slugify(item.name)] = item.key
    theirs = {slug: name for name in OTHER_SERIES for slug in (url_slug(name), slugify(name))}
    for pattern in REPORT_URL_RES:
        for match in pattern.finditer(url):
            slug = match["slug"].lower()
            if slug in ours:
                return UrlIdentity(country_from_slug(match["country"], known), int(match["year"]),
                                   series=ours[slug])
            if slug in theirs:
                return UrlIdentity(None, None, foreign=theirs[slug])
    for slug, name in theirs.items():
        if slug not in ours and re.search(rf"/{re.escape(slug)}(?:/|-\d{{4}}|$)", url, re.I):
            return UrlIdentity(None, None, foreign=name)
    return UrlIdentity(None, None)


_NAME = r"[A-Z][\w'’.-]*(?: (?:and|of|the|[A-Z][\w'’.-]*)){0,3}"
_COUNTRY_CUES = (
    re.compile(rf"^\s*On (?P<country>{_NAME})\s*\n\s*\n?\s*See all data", re.M),
    re.compile(rf"\bThe full (?P<country>{_NAME}) (?:country )?report"),
    re.compile(rf"\b(?P<country>{_NAME})[’']s (?:rating for|[a-z ]{{3,60}} rating (?:remains|stagnates|declined|improved))"),
    re.compile(rf"\b(?P<country>{_NAME})[’']s status (?:declined|improved|changed|rose|fell)\b"),
)
_EDITION_CUES = (
    re.compile(r"^\s*(?:header\d+\s+)?(?:Score |Status |Ratings? )?Changes in (?P<year>\d{4})\b", re.M | re.I),
    re.compile(r"\bNo (?:score |status )?changes in (?P<year>\d{4})\b", re.I),
    re.compile(r"^\s*(?P<year>\d{4}) Scores\s*$", re.M),
    re.compile(r"^\s*(?:header\d+\s+)?Outlook for (?P<year>\d{4})\b", re.M | re.I),
)
# The year whose events an edition covers, as headings print it.
COVERED_YEAR_RE = re.compile(r"^\s*(?:header\d+\s+)?Key Developments in (?P<year>\d{4})\b", re.M | re.I)
NOT_A_NAME_RE = re.compile(r"\d|Nations in Transit|Freedom|Democracy|Score|Status|Summary|Overview|"
                           r"Introduction|Key Developments")


def _plausible_name(name: str, statuses: set[str], series: Series | None = None) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 4
        and name.casefold() not in statuses
        and not NOT_A_NAME_RE.search(name)
        and (series is None or name.casefold() not in {series.name.casefold(),
                                                       series.publisher.casefold()})
    )


def _title_patterns(series: Series | None) -> tuple[re.Pattern, ...]:
    """Title lines naming the country: "Nations in Transit 2020 - Kazakhstan", "Kazakhstan |
    Freedom House" (the series' name and publisher from its definition)."""
    names = [phrase(series.name)] if series else [phrase("Nations in Transit")]
    patterns = []
    for name in names:
        patterns += [
            re.compile(rf"^\s*{name} (?P<year>\d{{4}})\s*[-–—:|]\s*(?P<country>{_NAME})\s*$", re.M),
            re.compile(rf"^\s*(?P<country>{_NAME})\s*[-–—:|]\s*{name} (?P<year>\d{{4}})\s*$", re.M),
        ]
    if series is not None and series.publisher:
        patterns.append(re.compile(rf"^\s*(?P<country>{_NAME})\s*\|\s*{phrase(series.publisher)}\s*$", re.M))
    return tuple(patterns)


def country_from_text(text: str, status_names: set[str], known: tuple[str, ...] = (),
                      series: Series | None = None) -> tuple[str | None, bool]:
    """(country, strong): strong when a structural cue names it (title line, footer, "As a
    result, X's Democracy Score", "X remained a consolidated ..."), weak when only counted
    (among the `known` country names)."""
    for pattern in _title_patterns(series):
        match = pattern.search(text)
        if match and _plausible_name(match["country"], status_names, series):
            return match["country"], True
    first = _title_line(text, status_names, series)
    if first:
        return first, True
    statuses = "|".join(re.escape(s) for s in sorted(status_names, key=len, reverse=True))
    cues = _COUNTRY_CUES[:1] + _result_cues(series) + _COUNTRY_CUES[1:] + (
        re.compile(rf"\b(?P<country>{_NAME}) (?:remained|remains|is|was|became) an? (?:{statuses})\b", re.I),
    ) + _score_cues(series)
    for pattern in cues:
        for match in pattern.finditer(text):
            name = match["country"]
            if _plausible_name(name, status_names, series) and name[0].isupper():
                return name, True
    return _most_named_country(text, known), False


def _result_cues(series: Series | None) -> tuple[re.Pattern, ...]:
    """"As a result, Kyrgyzstan's Democracy Score declined": a country's score, by its title."""
    titles = [s.title for s in series.scores] if series else ["Democracy Score"]
    return tuple(re.compile(rf"\bAs a result, (?P<country>{_NAME})[’']s? {phrase(title)}") for title in titles)


def _score_cues(series: Series | None) -> tuple[re.Pattern, ...]:
    """"Internet freedom in Kazakhstan remained ...": a score's subject (its title without
    "Score") about a country."""
    if series is None:
        return ()
    cues = []
    for score in series.scores:
        stem = re.sub(r"\s+(?:Score|Rating|Percentage|Index)$", "", score.title, flags=re.I)
        if stem != score.title and len(stem.split()) >= 2:
            cues.append(re.compile(rf"{phrase(stem)} in (?P<country>{_NAME}) (?:remained|declined|"
                                   r"improved|deteriorated|was|is)\b", re.I))
    return tuple(cues)


def _most_named_country(text: str, known: tuple[str, ...]) -> str | None:
    """Last resort: the covered country the text names clearly most often (possessives count
    double: a report says "Estonia's institutions" about its own country). A single mention
    counts when no other covered country is named at all ("ruled Kazakhstan from 1990")."""
    if len(known) < 2:
        return None
    scores = []
    for country in known:
        plain = len(re.findall(rf"\b{re.escape(country)}\b", text))
        possessive = len(re.findall(rf"\b{re.escape(country)}[’']s\b", text))
        scores.append((plain + 2 * possessive, country))
    scores.sort(reverse=True)
    (best, country), (second, _) = scores[0], scores[1]
    if best >= 2 and best >= 2 * second:
        return country
    return country if best == 1 and second == 0 else None


def _title_line(text: str, status_names: set[str], series: Series | None = None) -> str | None:
    """A first line that is just a name, followed within a few lines by the status line; or,
    among the first lines, a name next to the series' own title line ("Freedom on the Net /
    Kazakhstan / Freedom on the Net 2014")."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:6]
    if len(lines) < 2:
        return None
    first = lines[0]
    if _plausible_name(first, status_names, series) and re.fullmatch(_NAME, first):
        following = {line.casefold() for line in lines[1:4]}
        if following & status_names:
            return first
    if series is None:
        return None
    own = re.compile(rf"^{phrase(series.name)}(?:\s+\d{{4}})?\s*$", re.I)
    for index, line in enumerate(lines):
        beside = lines[max(0, index - 1): index] + lines[index + 1: index + 2]
        if re.fullmatch(_NAME, line) and _plausible_name(line, status_names, series) \
                and any(own.match(b) for b in beside):
            return line
    return None


def edition_from_text(text: str, series: Series | None = None) -> int | None:
    """The edition the page names: its own headings ("Score changes in 2020", "Outlook for
    2015"), the series' title with a year, the coverage period of the series' definition, or
    the year a "Key Developments in ..." heading covers (the edition after it when the series
    covers the year before its edition)."""
    name = phrase(series.name) if series else phrase("Nations in Transit")
    cues = (*_EDITION_CUES[:2], re.compile(rf"^\s*{name} (?P<year>\d{{4}})\b", re.M | re.I),
            *_EDITION_CUES[2:])
    for pattern in cues:
        match = pattern.search(text)
        if match and _plausible_year(int(match["year"])):
            return int(match["year"])
    covers = covers_pattern(series) if series else None
    match = covers.search(text) if covers else None
    if match:
        found = match.groupdict()
        year = int(found["edition"]) if found.get("edition") else int(found["year_before"]) + 1
        if _plausible_year(year):
            return year
    if series is not None and "{year_before}" in series.covers and "{edition}" not in series.covers:
        match = COVERED_YEAR_RE.search(text)
        if match and _plausible_year(int(match["year"]) + 1):
            return int(match["year"]) + 1
    return None


def _plausible_year(year: int) -> bool:
    return 1990 <= year <= 2100
