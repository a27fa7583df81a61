"""Page kinds (publisher/pages.py): what a page shows is covered by what it depends on.

The engine renders a page again only when the fingerprint of its `Page.deps` changed. So for
every page kind, on the fixture site (five countries, 2013-2016), each report is perturbed in
turn (a rating, the text, the summary, the country name, the authors, the status, last year's
figures; deleted; a report added), the page list is made again, and every page whose dependency fingerprint,
computed as the engine computes it, did not change must come out byte for byte the same.
A page that read no report's sections when it was rendered is fingerprinted, as by the engine,
with the reports' summaries (the record without its sections).

The same check is shown to fail on a page kind with too few dependencies.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import nit_definitions, FIXTURE_SITE, ROOT
from publisher import urls
from publisher.browse import category_view, edition_view, neighbours_of
from publisher.model import Report
from publisher.pages import PAGE_KINDS, PageKind, SiteIndex, Shown
from publisher.assemble import assemble
from publisher.config import load_config
from publisher.essays import load_edition_essays
from publisher.load import load_pages, load_reports
from publisher.mapdata import load_world
from publisher.render import ALL_REPORTS, Page, SiteData, make_environment, site_pages

BASE = "/reports-site/"


class ReadLog:
    """Notes that a page read some report's sections (the engine tracks the same reads)."""

    def __init__(self) -> None:
        self.reads = 0


class WatchedSections(tuple):
    """A report's sections, in memory, that tell the log when they are read."""

    def __new__(cls, items, log: ReadLog):
        return super().__new__(cls, items)

    def __init__(self, items, log: ReadLog):
        super().__init__()
        self.log = log

    def __iter__(self):
        self.log.reads += 1
        return super().__iter__()

    def __len__(self) -> int:
        self.log.reads += 1
        return super().__len__()

    def __getitem__(self, index):
        self.log.reads += 1
        return super().__getitem__(index)


def watched(report: Report, log: ReadLog, sections=None, raw=None) -> Report:
    sections = tuple.__iter__(report.sections) if sections is None else sections
    raw = tuple.__iter__(report.source.sections) if raw is None else raw
    return replace(report, sections=WatchedSections(tuple(sections), log),
                   source=replace(report.source, sections=WatchedSections(tuple(raw), log)))


def _digest(value: Any) -> str:
    return hashlib.sha1(repr(value).encode()).hexdigest()


def report_fingerprints(reports: tuple[Report, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Per "report:" dependency: the full fingerprint and the summary one (no sections)."""
    full, summary = {}, {}
    for report in reports:
        dep = f"report:{report.series}/{report.slug}/{report.edition}"
        full[dep] = _digest(report)
        summary[dep] = _digest(replace(report, sections=(),
                                       source=replace(report.source, sections=())))
    return full, summary


def page_fingerprint(page: Page, fingerprints: dict[str, str]) -> tuple:
    """As the engine resolves `Page.deps`: a report's fingerprint, a value as written, and
    anything else (ALL_REPORTS) as all the reports together."""
    everything = tuple(sorted(fingerprints.items()))
    resolved = []
    for dep in page.deps:
        if dep.startswith("report:"):
            resolved.append(fingerprints.get(dep, ("missing", dep)))
        elif dep.startswith("value:"):
            resolved.append(dep)
        else:
            resolved.append(everything)
    return (page.template, tuple(resolved))


@dataclass
class Rendered:
    page: Page
    data: bytes
    read_sections: bool


def render_all(pages: list[Page], log: ReadLog) -> dict[str, Rendered]:
    result = {}
    for page in pages:
        log.reads = 0
        data = page.produce()
        result[page.path] = Rendered(page, data, log.reads > 0)
    return result


MakePages = Callable[[SiteData], list[Page]]


@dataclass
class Verdict:
    stale: list[str]  # pages whose fingerprint stayed but whose bytes changed
    compared: int  # pages whose fingerprint stayed (so were compared byte for byte)
    changed: int  # pages whose fingerprint changed (the engine renders them again)


def check(make_pages: MakePages, before: SiteData, after: SiteData,
          baseline: dict[str, Rendered], log: ReadLog) -> Verdict:
    old_full, old_summary = report_fingerprints(before.reports)
    new_full, new_summary = report_fingerprints(after.reports)
    verdict = Verdict([], 0, 0)
    for page in make_pages(after):
        old = baseline.get(page.path)
        if old is None:
            continue  # a new page: always rendered
        old_fps, new_fps = ((old_full, new_full) if old.read_sections
                            else (old_summary, new_summary))
        if page_fingerprint(old.page, old_fps) != page_fingerprint(page, new_fps):
            verdict.changed += 1
            continue
        verdict.compared += 1
        log.reads = 0
        if page.produce() != old.data:
            verdict.stale.append(page.path)
    return verdict


# --- perturbations of one report record -------------------------------------------------------

def change_rating(report: Report, log: ReadLog, site: SiteData) -> Report:
    first = report.category_ratings[0]
    rating = first.rating + Decimal("0.25") if first.rating <= 6 else first.rating - Decimal("0.25")
    changed = replace(first, rating=rating,
                      change=None if first.previous is None else rating - first.previous)
    ratings = dict(report.source.ratings, **{first.category.key: rating})
    return replace(report, category_ratings=(changed, *report.category_ratings[1:]),
                   source=replace(report.source, ratings=ratings))


def change_text(report: Report, log: ReadLog, site: SiteData) -> Report:
    sections = list(tuple.__iter__(report.sections))
    sections[-1] = replace(sections[-1], html=sections[-1].html + "<p>Perturbed.</p>\n",
                           text=sections[-1].text + " Perturbed.")
    return watched(report, log, sections=sections)


def change_summary(report: Report, log: ReadLog, site: SiteData) -> Report:
    return replace(report, source=replace(report.source, summary="A perturbed summary."))


def rename_country(report: Report, log: ReadLog, site: SiteData) -> Report:
    return replace(report, source=replace(report.source, country=report.country + " Nova"))


def change_authors(report: Report, log: ReadLog, site: SiteData) -> Report:
    return replace(report, source=replace(report.source,
                                          authors=(*report.source.authors, "A. Perturbed")))


def change_status(report: Report, log: ReadLog, site: SiteData) -> Report:
    other = next(s for s in site.definitions.statuses if s != report.status)
    return replace(report, source=replace(report.source, status=other))


def change_last_years_figures(report: Report, log: ReadLog, site: SiteData) -> Report:
    if report.previous is None:
        return replace(report, score_change=Decimal("0.5"))
    return replace(report, previous=replace(report.previous, scores={**report.previous.scores,
                                                               "democracy-score": Decimal("6.99")}))


PERTURBATIONS = (change_rating, change_text, change_summary, rename_country, change_authors,
                 change_status, change_last_years_figures)


def with_report_replaced(site: SiteData, index: int, report: Report | None) -> SiteData:
    reports = list(site.reports)
    if report is None:
        del reports[index]
    else:
        reports[index] = report
    return replace(site, reports=tuple(reports))


def with_report_added(site: SiteData, report: Report) -> SiteData:
    reports = sorted((*site.reports, report), key=lambda r: (r.slug, r.edition))
    return replace(site, reports=tuple(reports))


def new_report(template: Report, log: ReadLog, slug: str, edition: int, country: str) -> Report:
    source = replace(template.source, slug=slug, edition=edition, country=country)
    return watched(replace(template, source=source, url=urls.report(slug, "", edition),
                           country_url=urls.country(slug), previous_url=None, next_url=None,
                           previous=None, score_change=None, changes={}), log)


def variants(site: SiteData, log: ReadLog):
    """(name, site) for every perturbation of the fixture site."""
    for index, report in enumerate(site.reports):
        name = f"{report.slug}/{report.edition}"
        for perturb in PERTURBATIONS:
            yield f"{perturb.__name__} {name}", with_report_replaced(
                site, index, perturb(report, log, site))
        yield f"delete {name}", with_report_replaced(site, index, None)
    last = site.reports[-1]
    yield "add a new edition", with_report_added(
        site, new_report(last, log, last.slug, max(r.edition for r in site.reports) + 1,
                         last.country))
    yield "add a new country", with_report_added(
        site, new_report(site.reports[0], log, "zembla", site.reports[0].edition, "Zembla"))
    # the latest edition's essay edited (its page and the home page show it), and removed
    *older, essay = site.essays
    yield "edit an essay", replace(site, essays=(*older, replace(
        essay, key_findings=(*essay.key_findings, "A perturbed finding."))))
    yield "remove an essay", replace(site, essays=tuple(older))
    # a new edition whose one report leaves a category unrated: that category's page gains a
    # column all the same
    partial = new_report(last, log, last.slug, max(r.edition for r in site.reports) + 1, last.country)
    unrated = partial.category_ratings[-1].category.key
    yield "add a report that rates fewer categories", with_report_added(site, replace(
        partial, category_ratings=partial.category_ratings[:-1],
        source=replace(partial.source, ratings={k: v for k, v in partial.source.ratings.items()
                                                if k != unrated})))


# --- the fixture site, in memory ----------------------------------------------------------------

@dataclass
class Fixture:
    site: SiteData
    log: ReadLog
    env: Any


@pytest.fixture(scope="module")
def fixture() -> Fixture:
    definitions = nit_definitions()
    sources, problems = load_reports(FIXTURE_SITE, definitions)
    reports, more = assemble(sources, definitions)
    pages, page_problems = load_pages(FIXTURE_SITE)
    essays, essay_problems = load_edition_essays(
        ((str(path), path.read_bytes()) for path in sorted((FIXTURE_SITE / "editions").glob("*.md"))),
        definitions)
    assert essays
    assert not [p for p in problems + more + page_problems + essay_problems
                if p.severity == "error"]
    log = ReadLog()
    config = load_config(ROOT / "site.yaml").with_base_url(BASE)
    site = SiteData(config, definitions, tuple(watched(r, log) for r in reports), tuple(pages),
                    essays, load_world())
    return Fixture(site, log, make_environment(ROOT / "templates", config))


def check_every_variant(fixture: Fixture, make_pages: MakePages) -> tuple[dict[str, list[str]], int]:
    """Stale pages per variant, and how many pages were compared in all."""
    baseline = render_all(make_pages(fixture.site), fixture.log)
    stale, compared = {}, 0
    for name, after in variants(fixture.site, fixture.log):
        verdict = check(make_pages, fixture.site, after, baseline, fixture.log)
        compared += verdict.compared
        assert verdict.changed, f"{name}: changed no page's dependencies (a perturbation that tests nothing)"
        if verdict.stale:
            stale[name] = verdict.stale
    return stale, compared


def test_every_page_kind_depends_on_all_it_shows(fixture: Fixture):
    stale, compared = check_every_variant(fixture, lambda site: site_pages(site, fixture.env))
    assert not stale, f"pages that changed while their dependencies did not: {stale}"
    # every kind's pages were compared at least once, and many pages in all
    kinds = {p.kind for p in site_pages(fixture.site, fixture.env)}
    # the fixture site has one series: no overview of several (tests/test_series_site.py)
    assert kinds == {k.name for k in PAGE_KINDS} - {"overview"}
    assert compared > 1000


def test_a_page_with_a_missing_dependency_is_caught(fixture: Fixture):
    """A country page that forgot its first report: perturbing that report changes the page
    while its fingerprint stays the same."""
    def pages_missing_a_dep(site: SiteData) -> list[Page]:
        return [replace(p, deps=p.deps[1:]) if p.kind == "country" else p
                for p in site_pages(site, fixture.env)]

    stale, _ = check_every_variant(fixture, pages_missing_a_dep)
    assert stale, "the check missed a page kind declared with too few dependencies"
    first_reports = {f"{slug}/{reports[0].edition}"
                     for slug, reports in SiteIndex(fixture.site, PAGE_KINDS).by_country.items()}
    caught = {name.split(" ", 1)[1] for name in stale}
    assert caught <= first_reports
    assert all(path.startswith("countries/") and path.count("/") == 2
               for paths in stale.values() for path in paths)


def test_a_view_that_reads_past_its_inputs_is_caught(fixture: Fixture):
    """An edition kind written carelessly: its inputs name the year only, and its view takes
    the year's reports from the site it saw when the pages were listed."""
    seen: dict[str, SiteIndex] = {}

    def keys(site: SiteIndex):
        seen["site"] = site
        return (("", year) for year in site.primary.years)

    def view(shared, year):
        site = seen["site"].primary
        return {"edition": edition_view(year, site.by_year[year], neighbours_of(site.years, year),
                                        shared.definitions, shared.cells),
                "essay": None, "map": None}

    careless = PageKind("edition", urls.edition, "edition.html", keys=keys,
                        inputs=lambda site, scope, year: {"year": year}, view=view)
    kinds = tuple(careless if k.name == "edition" else k for k in PAGE_KINDS)

    stale, _ = check_every_variant(fixture, lambda site: site_pages(site, fixture.env, kinds))
    assert stale, "the check missed a view reading records its page does not depend on"
    assert all(path.startswith("editions/") for paths in stale.values() for path in paths)


def _reports_in(value: Any, path: str = "") -> list[str]:
    """Where a Report hides inside a value (a fact must not hold one: the page would depend on
    its whole repr instead of its fingerprint)."""
    if isinstance(value, Report):
        return [path or "."]
    if isinstance(value, (tuple, list)):
        return [found for i, item in enumerate(value) for found in _reports_in(item, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [found for k, item in value.items() for found in _reports_in(item, f"{path}[{k!r}]")]
    if hasattr(value, "__dataclass_fields__"):
        return [found for name in value.__dataclass_fields__
                for found in _reports_in(getattr(value, name), f"{path}.{name}")]
    return []


def test_reports_are_inputs_of_their_own_never_inside_facts(fixture: Fixture):
    site = SiteIndex(fixture.site, PAGE_KINDS)
    for kind in PAGE_KINDS:
        for key in kind.keys(site):
            for name, value in kind.inputs(site, *key).items():
                if isinstance(value, Report):
                    continue
                if isinstance(value, tuple) and value and isinstance(value[0], Report):
                    assert all(isinstance(r, Report) for r in value), f"{kind.name}: {name}"
                    continue
                if isinstance(value, Shown):
                    value = value.values
                assert not _reports_in(value), f"{kind.name} {key}: {name} holds a report"


def test_pages_given_every_report_depend_on_all_reports(fixture: Fixture):
    pages = {p.path: p for p in site_pages(fixture.site, fixture.env)}
    assert pages["data/reports.csv"].deps == (ALL_REPORTS,)
    assert pages["data/reports.json"].deps == (ALL_REPORTS,)


def test_the_old_category_page_dependencies_are_caught(fixture: Fixture):
    """Before page kinds, a category page depended on the ratings given in its category alone,
    while its columns are every edition on the site: a new edition whose reports did not rate
    the category left the page without that column until a clean build. Declared that way
    again, the check finds it."""
    seen: dict[str, SiteIndex] = {}

    def keys(site: SiteIndex):
        seen["site"] = site
        return (("", c.key) for c in site.definitions.categories)

    def inputs(site: SiteIndex, scope: str, key: str):
        table = site.rating_table(scope, key)
        rated = [(v, d) for v, d in zip(table.values, table.digests) if v.cell is not None]
        return {"category": site.definitions.category(key),
                "entries": Shown(tuple(v for v, _ in rated), tuple(r for _, r in rated))}

    def view(shared, category, entries):
        return {"category": category_view(category, entries.values, seen["site"].primary.years)}

    old = PageKind("category", urls.category, "category.html", keys=keys, inputs=inputs, view=view)
    kinds = tuple(old if k.name == "category" else k for k in PAGE_KINDS)
    stale, _ = check_every_variant(fixture, lambda site: site_pages(site, fixture.env, kinds))
    assert stale == {"add a report that rates fewer categories": [
        f"categories/{fixture.site.reports[-1].category_ratings[-1].category.key}/index.html"]}
