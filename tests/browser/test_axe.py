"""axe-core (WCAG 2.0/2.1/2.2 A and AA, best practices) on one page of every kind the site has,
at desktop and phone widths, in the light and the dark colour scheme: zero violations."""
from __future__ import annotations

import pytest

from .checks import describe_violations, run_axe
from .conftest import DESKTOP, PHONE, page_kind

# The kinds the site has always had; more are discovered from the built site.
CORE_KINDS = {"index.html", "404.html", "countries/*/*/index.html"}


def test_page_kinds_are_discovered(sample_site):
    kinds = sample_site.kinds()
    assert CORE_KINDS <= set(kinds), kinds
    # One representative per URL pattern, and every HTML page belongs to one of them.
    assert len(set(kinds.values())) == len(kinds)
    patterns = {kind for kind in kinds if not kind.endswith("(largest)")}
    assert {page_kind(path) for path in sample_site.pages} == patterns
    assert len(sample_site.pages) > len(kinds)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_violations_on_any_page_kind(open_page, sample_site, axe_source, width, scheme):
    failures = []
    for kind, path in sample_site.kinds().items():
        page = open_page(path, width=width, color_scheme=scheme)
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(describe_violations(f"{path} [{kind}] at {width} px, {scheme}", violations))
        page.context.close()
    assert not failures, "axe violations:\n" + "\n".join(failures)


def test_axe_finds_no_violations_on_the_404_page_served_at_a_deep_missing_address(
        open_page, axe_source):
    page = open_page("no/such/report/here/")
    assert page.evaluate("document.querySelector('h1').textContent.trim()") == "Page not found"
    # Styles and icons load from the base path even two folders deep.
    assert page.page_errors == []
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    violations = run_axe(page, axe_source)
    assert not violations, describe_violations("404 at depth 4", violations)
