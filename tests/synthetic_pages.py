"""Synthetic whole Nations in Transit pages, with the gold facts beside each page.

`make_page(seed)` writes a scraped-looking page (header widgets, score changes, executive
summary, seven category sections, the "Note" box, author, footer) of random prose, with the
artefacts real captures show, in the places they show them:

- references mostly sentence-final right after the full stop ("time.4"), some mid-sentence after
  a word ("June4"), a comma, a semicolon or a closing mark, after a number and a mark
  ("in 2019,9 which", "Article 31;2 the"), glued to a year ("November 20142") or to another
  number mid-sentence ("Article 363 of" = Article 36 + note 3), a few separated by a space at the
  end of a paragraph ("torture. 20"), and a few lost altogether;
- real numbers that must stay text: years, "$1.6 billion", "16/12", "An-72", "1,700 kilometers",
  "27,632,000", "41.5 percent", "10:30", ratings such as "3.50";
- note texts lost, or kept in a bulleted list at the section's end (`• 12“The…`, often with blank
  lines between the bullets, sometimes with an item missing), or spliced into the body right after
  their reference (a bare URL line, or a citation ending at its URL, the body going on after it).

The gold (`GoldPage`) says, per section, every reference that is in the text (its number and the
text just before it) and every note text that survived. `measure(pages)` compares the importer
with the gold; `python tests/synthetic_pages.py --pages 300` prints the figures.
"""
from __future__ import annotations

import dataclasses

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from publisher import scores as arithmetic  # noqa: E402
from publisher.series import derive  # noqa: E402
from publisher.definitions import Definitions, load_definitions  # noqa: E402

CONTEXT = 12  # characters of body text before a reference that identify it

FUNCTION = ("the", "the", "the", "of", "of", "and", "and", "to", "in", "a", "for", "on", "with", "by",
            "that", "as", "from", "its", "was", "were", "has", "had", "which", "while", "after", "their")
NOUNS = ("government", "parliament", "court", "law", "amendment", "election", "party", "opposition",
         "coalition", "media", "journalist", "outlet", "broadcaster", "judge", "prosecutor", "ministry",
         "minister", "mayor", "council", "municipality", "budget", "reform", "commission", "agency",
         "activist", "protest", "rally", "union", "association", "organization", "campaign", "report",
         "investigation", "charges", "bribery", "procurement", "contract", "official", "citizens",
         "voters", "turnout", "ballot", "candidate", "legislation", "decree", "ombudsman", "police",
         "detention", "trial", "verdict", "appeal", "license", "regulator", "watchdog", "survey")
VERBS = ("adopted", "approved", "criticized", "rejected", "announced", "introduced", "dismissed",
         "blocked", "detained", "fined", "reported", "alleged", "ruled", "suspended", "appointed",
         "launched", "weakened", "strengthened", "restricted", "expanded", "questioned", "denied")
ADJECTIVES = ("independent", "local", "national", "controversial", "new", "former", "public", "private",
              "regional", "judicial", "electoral", "significant", "limited", "several", "major", "critical")
NAMES = ("Novak", "Horvat", "Kovacs", "Tamm", "Petrov", "Aliyev", "Nowak", "Kowalski", "Szabo",
         "Ivanova", "Marku", "Berisha", "Popescu", "Lazar", "Vukovic", "Saar", "Nazarov", "Dzhaksybekov")
PLACES = ("Almaty", "Zagreb", "Tallinn", "Warsaw", "Bratislava", "Kyiv", "Budapest", "Ashgabat", "Split",
          "Tartu", "Krakow", "Kosice", "Lviv", "Pecs")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
COUNTRIES = ("Ostravia", "Karvenia", "North Velmar", "Dravonia", "Lusatia Minor", "Belmark", "Orsova")
OUTLETS = ("Balkan Insight", "RFE/RL", "Reuters", "Eurasianet", "The Guardian", "Daily Courier",
           "Novaya Gazeta", "Index.hr", "ERR News", "Kyiv Post")


@dataclass
class GoldRef:
    number: int
    context: str  # the body text just before the reference (at most CONTEXT characters, stripped)
    kind: str  # the artefact family it was written as


@dataclass
class GoldSection:
    title: str
    category: str | None
    references: list[GoldRef] = field(default_factory=list)
    note_texts: dict[int, str] = field(default_factory=dict)  # surviving note texts of found references
    page_notes: list[str] = field(default_factory=list)  # every note text the page shows
    body: list[str] = field(default_factory=list)  # body text as written (for "no word lost")


@dataclass
class GoldPage:
    seed: int
    text: str
    country: str
    edition: int
    status: str
    democracy_score: Decimal
    democracy_percentage: Decimal
    ratings: dict[str, Decimal]
    authors: list[str]
    sections: list[GoldSection]


class _Writer:
    """Writes one section's paragraphs, numbering references and recording the gold."""

    def __init__(self, rng: random.Random, gold: GoldSection, edition: int, note_mode: str):
        self.rng = rng
        self.gold = gold
        self.edition = edition
        self.note_mode = note_mode  # "lost" | "list" | "spliced"
        self.number = 0
        self.texts: dict[int, str] = {}  # every note's text (surviving or not)
        self.lost: set[int] = set()  # numbers whose reference the page lost

    # --- prose ---------------------------------------------------------------------------

    def word(self) -> str:
        rng = self.rng
        pick = rng.random()
        if pick < 0.35:
            return rng.choice(FUNCTION)
        if pick < 0.7:
            return rng.choice(NOUNS) + ("s" if rng.random() < 0.2 else "")
        if pick < 0.82:
            return rng.choice(VERBS)
        if pick < 0.92:
            return rng.choice(ADJECTIVES)
        return rng.choice(NAMES + PLACES)

    def number_phrase(self) -> str:
        """A real number in one of the forms report prose uses; never a reference."""
        rng = self.rng
        year = rng.randint(1991, self.edition - 1)
        return rng.choice((
            f"in {year}", f"since {year}", f"in {rng.choice(MONTHS)} {year}", f"{year}–{(year + 7) % 100:02d}",
            f"{rng.randint(2, 60)} regions", f"{rng.randint(2, 95)} percent", f"{rng.randint(10, 99)}.{rng.randint(1, 9)} percent",
            f"${rng.randint(1, 9)}.{rng.randint(1, 9)} billion", f"€{rng.randint(2, 900)} million",
            f"${rng.randint(1, 99)},000", f"{rng.randint(1, 9)},{rng.randint(100, 999)} kilometers",
            f"{rng.randint(10, 99)},{rng.randint(100, 999)},000 people", "the portal 16/12", "An-72 aircraft",
            "COVID-19", f"Article {rng.randint(2, 120)}", f"Decree No. {rng.randint(10, 99)}/{rng.randint(10, 99)}",
            f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}", f"at {rng.randint(8, 20)}:{rng.choice(('00', '30'))}",
            f"from {rng.randint(1, 6)}.{rng.choice(('00', '25', '50', '75'))} to {rng.randint(1, 6)}.{rng.choice(('00', '25', '50', '75'))}",
            f"by {rng.randint(51, 99)} to {rng.randint(1, 49)}", f"{rng.randint(2, 40)} of {rng.randint(41, 150)} seats",
        ))

    def clause(self, low: int = 4, high: int = 12) -> list[str]:
        words = []
        for _ in range(self.rng.randint(low, high)):
            words.append(self.number_phrase() if self.rng.random() < 0.06 else self.word())
        return words

    # --- references ----------------------------------------------------------------------

    def _next(self) -> int:
        self.number += 1
        self.texts[self.number] = citation(self.rng, self.edition)
        return self.number

    def _record(self, text_before: str, number: int, kind: str) -> None:
        context = text_before.rstrip()[-CONTEXT:]
        self.gold.references.append(GoldRef(number, context, kind))

    def sentence(self, parts: list[str], refs: float) -> None:
        """Append one sentence (with any references) to `parts`, the paragraph so far."""
        rng = self.rng
        words = self.clause()
        if rng.random() < 0.3:
            words[-1] += rng.choice((",", ";"))
            words += self.clause(3, 8)
        words[0] = words[0][:1].upper() + words[0][1:]
        # Mid-sentence references: after a word, a comma, a semicolon, a number and a mark.
        if rng.random() < refs * 0.35:
            at = rng.randint(1, len(words) - 2)
            prefix = " ".join(parts + words[:at])
            kind = rng.choices(("word", "comma", "semicolon", "number-mark", "year", "number-glued",
                                "quote"), (20, 22, 8, 12, 8, 6, 4))[0]
            words[at] = self._glue_mid(words, at, kind, prefix)
        ending = "."
        if rng.random() < 0.06:
            words[-1] = "“" + words[-1]
            ending = ".”"
        last = words[-1]
        if rng.random() < refs:
            number = self._next()
            kind = rng.choices(("final", "year-final", "number-final", "lost", "space"), (90, 4, 2, 2, 1))[0]
            if kind == "year-final":
                words[-1] = f"{last} in {rng.randint(1991, self.edition - 1)}"
            elif kind == "number-final":
                words[-1] = f"{last} {rng.choice(('under Article', 'by Decree', 'in paragraph'))} {rng.randint(2, 99)}"
            body = " ".join(parts + words) + ending
            if kind == "lost":
                self.lost.add(number)  # the page lost this reference: its note can attach nowhere
                words[-1] = words[-1] + ending
            elif kind == "space":
                self._record(body, number, kind)
                words[-1] = words[-1] + ending + f" {number}"
            else:
                self._record(body, number, kind)
                words[-1] = words[-1] + ending + str(number)
        else:
            words[-1] = last + ending
        parts.append(" ".join(words))

    def _glue_mid(self, words: list[str], at: int, kind: str, prefix: str) -> str:
        rng = self.rng
        word = words[at]
        number = self._next()
        if word[-1:].isdigit() and kind in ("word", "quote"):
            kind = "number-glued"  # "Decree No. 59/58" + 29
        elif word[-1:].isdigit() and kind in ("comma", "semicolon"):
            kind = "number-mark"  # "from 3.50 to 2.50,7"
        if kind == "number-glued" and word[-1:].isdigit():
            self._record(prefix + " " + word, number, kind)
            return f"{word}{number}"
        if kind == "word":
            self._record(prefix + " " + word, number, kind)
            return f"{word}{number}"
        if kind in ("comma", "semicolon") or (kind == "number-mark" and word[-1:].isdigit()):
            mark = "," if kind == "comma" or rng.random() < 0.6 else ";"
            self._record(prefix + " " + word + mark, number, kind)
            return f"{word}{mark}{number}"
        if kind == "quote":
            self._record(prefix + " “" + word + "”", number, kind)
            return f"“{word}”{number}"
        if kind == "number-mark":
            year = rng.randint(1991, self.edition - 1)
            form = rng.choice((f"in {year},", f"Article {rng.randint(2, 99)};", f"(in {year})",
                               f"“Strategy {year + 10}”"))
            self._record(prefix + " " + word + " " + form, number, kind)
            return f"{word} {form}{number}"
        if kind == "year":
            form = f"in {rng.choice(MONTHS)} {rng.randint(1991, self.edition - 1)}"
            self._record(prefix + " " + word + " " + form, number, kind)
            return f"{word} {form}{number}"
        # A note number glued to another number mid-sentence: "Article 363 of", "Decree 28/857 the"
        form = rng.choice((f"Article {rng.randint(2, 99)}", f"Decree {rng.randint(10, 99)}/{rng.randint(10, 99)}",
                           f"Law No. {rng.randint(100, 999)}"))
        self._record(prefix + " " + word + " " + form, number, "number-glued")
        return f"{word} {form}{number}"


def citation(rng: random.Random, edition: int) -> str:
    """One note's text, as the report's notes are written."""
    year = rng.randint(edition - 3, edition - 1)
    date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"
    slug = "-".join(rng.choice(NOUNS) for _ in range(rng.randint(2, 5)))
    url = f"https://www.{rng.choice(('rferl', 'balkaninsight', 'eurasianet', 'gov', 'err', 'index'))}.example/{slug}/{rng.randint(1000, 999999)}"
    if rng.random() < 0.2:
        url = url[: rng.randint(30, len(url) - 1)] + "…"  # the site shortens long addresses
    title = " ".join(rng.choice(NOUNS + ADJECTIVES + VERBS) for _ in range(rng.randint(3, 8))).capitalize()
    return rng.choice((
        f"{rng.choice(NAMES)}, “{title},” {rng.choice(OUTLETS)}, {date}, {url}.",
        f"“{title},” {rng.choice(OUTLETS)}, {date}, {url}.",
        f"{rng.choice(OUTLETS)}, “{title},” {date}.",
        f"{year} Annual Report of the {rng.choice(NOUNS).capitalize()} Office, {url}.",
        f"{url}.",
        f"Interview with a {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}, {rng.choice(PLACES)}, {date}.",
    ))


def _paragraphs(writer: _Writer, count: int, refs: float) -> list[str]:
    """`count` paragraphs; returns them as page text blocks (with any spliced notes)."""
    rng = writer.rng
    blocks: list[str] = []
    for _ in range(count):
        parts: list[str] = []
        cuts: list[tuple[int, str]] = []  # (offset in the paragraph, note text spliced in there)
        for _ in range(rng.randint(2, 7)):
            before = writer.number
            writer.sentence(parts, refs)
            number = writer.number
            if number == before or writer.note_mode != "spliced" or rng.random() >= 0.4:
                continue
            ref = writer.gold.references[-1] if writer.gold.references else None
            ends = number in writer.lost or (ref is not None and ref.number == number and ref.kind in (
                "final", "year-final", "number-final", "space"))
            if ends and "http" in writer.texts[number]:
                # The page shows this reference's note right after it: the paragraph is cut
                # there, the note follows in a block of its own, and the body goes on after it.
                cuts.append((len(" ".join(parts)), writer.texts[number]))
                writer.gold.page_notes.append(writer.texts[number])
                if number not in writer.lost:
                    writer.gold.note_texts[number] = writer.texts[number]
        logical = " ".join(parts)
        writer.gold.body.append(logical)
        text, last = "", 0
        for offset, note in cuts:
            text += logical[last:offset] + "\n\n" + note + " "
            last = offset + 1
        blocks.append((text + logical[last:]).strip())
    return blocks


def _note_list(writer: _Writer, rng: random.Random) -> str:
    """The section's note list: `• 1Text`, blank lines between bullets on most long lists."""
    numbers = list(writer.texts)
    if not numbers:
        return ""
    if len(numbers) > 3 and rng.random() < 0.2:
        numbers.remove(rng.choice(numbers))  # the capture lost one item
    spaced = rng.random() < (0.8 if len(numbers) >= 10 else 0.3)
    lines = []
    for n in numbers:
        writer.gold.page_notes.append(writer.texts[n])
        if n not in writer.lost:
            writer.gold.note_texts[n] = writer.texts[n]
        lines.append(f"  • {n}{writer.texts[n]}")
    return ("\n\n" if spaced else "\n").join(lines)


NOTE_BOX = ("The ratings reflect the consensus of Freedom House, its academic advisers, and the author(s) of "
            "this report. The opinions expressed in this report are those of the author(s).")
SCALE_NOTE = ("The ratings are based on a scale of 1 to 7, with 7 representing the highest level of democratic "
              "progress and 1 the lowest. The Democracy Score is an average of ratings for the categories tracked "
              "in a given year. The Democracy Percentage, introduced in 2020, is a translation of the Democracy "
              "Score to the 0-100 scale, where 0 equals least democratic and 100 equals most democratic. See the "
              "methodology.")


def make_page(seed: int, definitions: Definitions | None = None) -> GoldPage:
    """One whole page, in the 2020s layout (authors and score-change bullets first) or the
    2015 one (score changes as a paragraph per category, an outlook, the "Note" box spliced
    into the last section, "Author:" at the end)."""
    rng = random.Random(seed)
    definitions = definitions or DEFINITIONS
    older = rng.random() < 0.35
    edition = rng.randint(2015, 2019) if older else rng.randint(2020, 2024)
    country = rng.choice(COUNTRIES)
    ratings = {c.key: Decimal(rng.randint(4, 28)) / 4 for c in definitions.categories}
    values = list(ratings.values())
    derived = derive(definitions.primary, dict(zip((c.key for c in definitions.categories), values)))
    score = arithmetic.round_2(derived.values["democracy-score"])
    percentage = arithmetic.round_2(derived.values["democracy-percentage"])
    status = definitions.status_for_score(score).name
    authors = [f"{rng.choice(('Ana', 'Boris', 'Liisa', 'Tena', 'Marek', 'Olena'))} {rng.choice(NAMES)}"]
    sections: list[GoldSection] = []
    out = [country, "", status, str(arithmetic.round_whole(percentage)), "100",
           f"DEMOCRACY-PERCENTAGE Democracy Percentage {percentage} 100",
           f"DEMOCRACY-SCORE Democracy Score {score} 7",
           "Last Year's Democracy Percentage & Status",
           f"{arithmetic.round_whole(percentage)} 100 {status}", SCALE_NOTE, ""]
    summary = GoldSection("Executive Summary", None)
    writer = _Writer(rng, summary, edition, rng.choice(("lost", "lost", "spliced")))
    if older:
        out += ["header1 Executive Summary", ""]
        out += [block + "\n" for block in _paragraphs(writer, rng.randint(2, 5), 0.3)]
        changes = GoldSection(f"Score changes in {edition}", None)
        out += [f"header2 Score changes in {edition}", ""]
        for category in definitions.categories:
            text = (f"{category.title}. " + " ".join(_Writer(rng, changes, edition, "lost").clause(8, 20))
                    + f". {country}’s rating for {category.title.lower()} remains unchanged at {ratings[category.key]:.2f}.")
            changes.body.append(text)
            out += [text, ""]
        outlook = GoldSection(f"Outlook for {edition}", None)
        out += [f"Outlook for {edition}.", ""]
        out += [block + "\n" for block in _paragraphs(_Writer(rng, outlook, edition, "lost"), rng.randint(1, 3), 0.0)]
        sections += [summary, changes, outlook]
    else:
        by_line = rng.random() < 0.3
        if not by_line:
            out += ["header1 Authors", "", f"  • {authors[0]}", ""]
        out += [f"header2 Score changes in {edition}", "", f"  • No score changes in {edition}.", "",
                f"As a result, {country}’s Democracy Score remained unchanged at {score}.", "",
                "header3 Executive Summary", ""]
        if by_line:
            out += [f"By {authors[0]}", ""]
        out += [block + "\n" for block in _paragraphs(writer, rng.randint(2, 5), 0.3)]
        sections.append(summary)
    for index, category in enumerate(definitions.categories):
        gold = GoldSection(category.title, category.key)
        mode = rng.choices(("lost", "list", "spliced"), (45, 30, 25))[0]
        writer = _Writer(rng, gold, edition, mode)
        rating = ratings[category.key]
        description = " ".join(category.description.split())
        out += [f"{category.title} 1.00-7.00 pts0-7 pts",
                f"{description} {rating:.2f}{int(rating)} 7.007", ""]
        blocks = _paragraphs(writer, rng.randint(3, 9), rng.choice((0.25, 0.5, 0.8)))
        if older and index == len(definitions.categories) - 1:
            # The site's "Note" box lands inside the last section, the body text glued to it.
            at = rng.randint(1, len(blocks) - 1)
            blocks[at] = "Note\n\n" + NOTE_BOX + " " + blocks[at]
        out += [block + "\n" for block in blocks]
        if mode == "list":
            notes = _note_list(writer, rng)
            if notes:
                out += [notes, ""]
        sections.append(gold)
    bio = f"{authors[0]} is a researcher based in {rng.choice(PLACES)}."
    out += [f"Author: {authors[0]}", "", bio, "", f"On {country}", "",
            "See all data, scores & information on this country or territory.", "",
            "See More", "  • Global Freedom Score", "", f"    {rng.randint(10, 95)} 100 partly free", ""]
    sections.append(GoldSection("About the Author", None, body=[bio]))
    return GoldPage(seed, "\n".join(out), country, edition, status, score, percentage, ratings, authors, sections)


# The generated pages are Nations in Transit pages: the definitions of a site of that series.
_ALL = load_definitions(ROOT / "data")
DEFINITIONS = dataclasses.replace(_ALL, series=(_ALL.series_by_key("nit"),))


def import_damaged_page(seed: int, position: int, noise: str) -> None:
    """Fuzz target: a synthetic page with `noise` written over it at `position`, imported as the
    command does (a draft when incomplete, as --partial would). Only ImportFailure may come out."""
    from publisher.importer.identify import decode_raw
    from publisher.importer.model import ImportFailure
    from publisher.importer.pipeline import Overrides, as_draft, draft_blocker, missing_parts, parse_page
    from publisher.importer.write import render

    page = make_page(seed).text
    cut = position % (len(page) + 1)
    try:
        text = decode_raw((page[:cut] + noise + page[cut + len(noise):]).encode("utf-8", "surrogatepass"))
        report = parse_page(text, DEFINITIONS, Overrides(edition=2020))
    except ImportFailure as error:
        assert str(error)
        return
    if not missing_parts(report):
        render(report)
    elif not draft_blocker(report):
        render(as_draft(report))


# --- measuring ------------------------------------------------------------------------------

@dataclass
class Figures:
    pages: int = 0
    references: int = 0  # in the gold
    found: int = 0  # gold references the importer found at the right place
    spurious: int = 0  # references the importer made where the gold has none
    notes: int = 0  # surviving note texts in the gold
    attached: int = 0  # of them, attached to the right reference
    misattached: int = 0  # note texts attached to a reference that is not theirs
    by_kind: Counter = field(default_factory=Counter)  # gold references per kind
    found_by_kind: Counter = field(default_factory=Counter)

    def line(self) -> str:
        return (f"{self.pages} pages: references {self.found}/{self.references} "
                f"({100 * self.found / max(1, self.references):.1f}%), {self.spurious} spurious; "
                f"notes attached {self.attached}/{self.notes} "
                f"({100 * self.attached / max(1, self.notes):.1f}%), {self.misattached} misattached")


def normal(text: str) -> str:
    return " ".join(text.split())


def compare(page: GoldPage, report, figures: Figures) -> None:
    """Add one imported page's agreement with its gold to `figures`."""
    figures.pages += 1
    imported = {s.title: s for s in report.sections}
    for gold in page.sections:
        section = imported.get(gold.title)
        got: Counter = Counter()
        texts: dict[int, str] = {}
        if section is not None:
            for paragraph in section.paragraphs:
                for ref in paragraph.refs:
                    got[(ref.number, paragraph.text[: ref.start].rstrip()[-CONTEXT:])] += 1
            texts = {n.number: normal(n.text) for n in section.notes if n.text}
        want = Counter((r.number, r.context) for r in gold.references)
        figures.references += sum(want.values())
        hits = want & got
        figures.found += sum(hits.values())
        figures.spurious += sum((got - want).values())
        for ref in gold.references:
            figures.by_kind[ref.kind] += 1
        remaining = Counter(hits)
        for ref in gold.references:
            key = (ref.number, ref.context)
            if remaining[key]:
                remaining[key] -= 1
                figures.found_by_kind[ref.kind] += 1
        figures.notes += len(gold.note_texts)
        for number, text in texts.items():
            if gold.note_texts.get(number) is not None and normal(gold.note_texts[number]) == text:
                figures.attached += 1
            else:
                figures.misattached += 1


def measure(count: int, first_seed: int = 0) -> Figures:
    from publisher.importer.pipeline import Overrides, parse_page

    figures = Figures()
    for seed in range(first_seed, first_seed + count):
        page = make_page(seed)
        report = parse_page(page.text, DEFINITIONS, Overrides(country=page.country, edition=page.edition))
        compare(page, report, figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description="Import synthetic whole pages and compare with their gold.")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--show", type=int, help="print the page of this seed and exit")
    args = parser.parse_args()
    if args.show is not None:
        print(make_page(args.show).text)
        return 0
    figures = measure(args.pages, args.first_seed)
    print(figures.line())
    for kind, total in sorted(figures.by_kind.items()):
        print(f"  {kind:14} {figures.found_by_kind[kind]:5}/{total:<5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
