"""How to cite a report: one `Citation` record per report, written out in every form readers
and reference managers use.

- the page's "Cite this report" text (Chicago notes-bibliography style, a chapter in the
  edition), with the access date left for the reader;
- BibTeX (`@incollection`), RIS (`CHAP`) and CSL-JSON (`chapter`) files beside it;
- Highwire Press `citation_*` meta tags, which Zotero and Google Scholar read from the page.

All of them credit the publisher of the series (the series definition's `publisher`, or
`series_publisher` in site.yaml, which wins), never the site, name the series and the edition
as the series definition does, and give the stable address of the report on this site. A report with no named author
is credited to the publisher as a corporate author, as such reports are usually cited.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import urls
from .config import SiteConfig
from .jsontext import indented
from .model import Report
from .series import Series

# Words that start a family name ("van Gogh", "de la Cruz"), as BibTeX's "von" part does.
_PARTICLES = {"da", "de", "del", "della", "der", "di", "du", "la", "le", "ter", "van", "von",
              "zu", "bin", "ibn", "al", "el"}


@dataclass(frozen=True)
class Person:
    """An author's name in the parts reference formats want. `given` is empty for a name
    that is not a person's (a corporate author such as "Freedom House")."""

    given: str
    family: str
    corporate: bool = False

    @property
    def inverted(self) -> str:
        """ "Lillis, Joanna" (a corporate name stays as it is)."""
        return f"{self.family}, {self.given}" if self.given and not self.corporate else self.family

    @property
    def natural(self) -> str:
        return f"{self.given} {self.family}" if self.given and not self.corporate else self.family


def split_name(name: str) -> Person:
    """A personal name as given and family name: "Joanna Lillis" -> Joanna / Lillis,
    "Anna van der Berg" -> Anna / van der Berg, "Lillis, Joanna" (already inverted) as written,
    a one-word name as the family name alone."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return Person(given.strip(), family.strip())
    words = name.split(" ")
    if len(words) == 1:
        return Person("", name)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Person(" ".join(words[:start]), " ".join(words[start:]))


@dataclass(frozen=True)
class Citation:
    """Everything a citation of one report says."""

    key: str  # citation key, ASCII letters and digits: "lillis2015kazakhstan"
    authors: tuple[Person, ...]  # the report's authors, or the publisher as corporate author
    title: str  # the report's title: the country, "Kazakhstan"
    container: str  # the edition it is a chapter of: "Nations in Transit 2015"
    series: str  # "Nations in Transit"
    publisher: str  # the series' publisher: "Freedom House"
    year: int  # the edition's year of publication
    url: str  # the report's stable, absolute address on this site
    language: str  # BCP 47 tag of the text: "en"
    abstract: str | None  # the report's one-paragraph summary, when it has one

    @property
    def author_line(self) -> str:
        """The authors as a bibliography lists them: "Lillis, Joanna, and Jane Doe"."""
        names = [self.authors[0].inverted] + [a.natural for a in self.authors[1:]]
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]}, and {names[1]}"
        return ", ".join(names[:-1]) + ", and " + names[-1]

    @property
    def author_sentence(self) -> str:
        """The author line as the citation's first sentence (no second full stop after "Jr.")."""
        line = self.author_line
        return line if line.endswith(".") else line + "."


def credited_publisher(config: SiteConfig, series: Series) -> str:
    """Who a citation credits: the site's `series_publisher` setting, else the series
    definition's publisher, else the site's own publisher (or title)."""
    return config.series_publisher or series.publisher or config.publisher or config.title


def citation_of(report: Report, config: SiteConfig, series: Series) -> Citation:
    """The citation of `report`, a report of `series`."""
    publisher = credited_publisher(config, series)
    authors = tuple(split_name(a) for a in report.source.authors) or (
        Person("", publisher, corporate=True),)
    lead = authors[0]
    # The key starts with the first author's family name without particles ("berg" for
    # "van der Berg"), or a corporate author's whole name.
    first = _ascii_word(lead.family if lead.corporate else lead.family.split(" ")[-1]) or "report"
    return Citation(
        key=f"{first}{report.edition}{_ascii_word(report.slug)}",
        authors=authors, title=report.country, container=series.title_of(report.edition),
        series=series.name, publisher=publisher, year=report.edition,
        url=urls.absolute(config, report.url), language=config.language,
        abstract=report.source.summary)


def _ascii_word(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


# --- the files --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CitationFile:
    """One of a report's citation files, as the page links it."""

    label: str  # "BibTeX"
    description: str  # what it is for, for the link's title text
    url: str  # site path
    download_name: str  # the file name a browser saves it under: "kazakhstan-2015.bib"


def citation_files(report: Report) -> tuple[CitationFile, ...]:
    stem = f"{report.slug}-{report.edition}"
    return (
        CitationFile("BibTeX", "for LaTeX, BibDesk, JabRef",
                     urls.report_bibtex(report.slug, report.scope, report.edition), stem + ".bib"),
        CitationFile("RIS", "for Zotero, EndNote, Mendeley",
                     urls.report_ris(report.slug, report.scope, report.edition), stem + ".ris"),
        CitationFile("CSL-JSON", "for Zotero, Pandoc, citeproc",
                     urls.report_csl(report.slug, report.scope, report.edition), stem + ".csl.json"),
    )


# LaTeX's special characters, as BibTeX field text must write them.
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
          "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))


def _tex(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], " ".join(text.split()))


def _tex_url(url: str) -> str:
    """An address as a BibTeX `url` field holds it: a brace or backslash percent-encoded (they
    would end or escape the field), then % and # escaped (LaTeX reads % as a comment)."""
    url = url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return url.replace("%", r"\%").replace("#", r"\#")


def _bibtex_name(person: Person) -> str:
    # A corporate name in braces, so BibTeX never takes its last word for a family name.
    return "{" + _tex(person.family) + "}" if person.corporate else _tex(person.inverted)


def bibtex(citation: Citation) -> str:
    fields = [
        ("author", " and ".join(_bibtex_name(a) for a in citation.authors)),
        # Double braces keep the title's capitals in styles that lower-case titles.
        ("title", "{" + _tex(citation.title) + "}"),
        ("booktitle", _tex(citation.container)),
        ("series", _tex(citation.series)),
        ("publisher", _tex(citation.publisher)),
        ("year", str(citation.year)),
        ("url", _tex_url(citation.url)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{citation.key},\n{body}\n}}\n"


def _ris_value(text: str) -> str:
    return " ".join(text.split())


def ris(citation: Citation) -> str:
    """RIS, one tag per line ("TY  - CHAP"), lines ending CR LF as the format asks."""
    lines = [("TY", "CHAP")]
    lines += [("AU", a.inverted) for a in citation.authors]
    lines += [("TI", citation.title), ("T2", citation.container), ("T3", citation.series),
              ("PY", str(citation.year)), ("PB", citation.publisher), ("UR", citation.url),
              ("LA", citation.language)]
    if citation.abstract:
        lines.append(("AB", citation.abstract))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)


def csl_item(citation: Citation) -> dict:
    authors = [{"literal": a.family} if a.corporate or not a.given
               else {"family": a.family, "given": a.given} for a in citation.authors]
    item = {
        "id": citation.key,
        "type": "chapter",
        "title": citation.title,
        "container-title": citation.container,
        "collection-title": citation.series,
        "publisher": citation.publisher,
        "author": authors,
        "issued": {"date-parts": [[citation.year]]},
        "URL": citation.url,
        "language": citation.language,
    }
    if citation.abstract:
        item["abstract"] = citation.abstract
    return item


def csl_json(citation: Citation) -> str:
    """CSL-JSON: an array of one item."""
    return indented([csl_item(citation)]) + "\n"


def highwire_tags(citation: Citation) -> tuple[tuple[str, str], ...]:
    """Highwire Press meta tags (name, content): Google Scholar reads `citation_inbook_title`
    for a chapter's book, Zotero `citation_book_title` (which also makes the item a book
    section), both `citation_publisher`, `citation_public_url` and the others."""
    tags = [("citation_title", citation.title)]
    tags += [("citation_author", a.inverted) for a in citation.authors]
    tags += [("citation_publication_date", str(citation.year)),
             ("citation_publisher", citation.publisher),
             ("citation_inbook_title", citation.container),
             ("citation_book_title", citation.container),
             ("citation_series_title", citation.series),
             ("citation_public_url", citation.url),
             ("citation_language", citation.language)]
    if citation.abstract:
        tags.append(("citation_abstract", citation.abstract))
    return tuple(tags)
