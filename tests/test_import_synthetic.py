"""Synthetic whole pages (tests/synthetic_pages.py) through the importer, against their gold.

The figures are measured on fixed seeds, so they are the same on every run; the properties run
on seeds hypothesis draws.
"""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.importer.pipeline import Overrides, missing_parts, parse_page
from publisher.importer.write import render

from import_helpers import every_note_once_and_defined, kept_words, words as _words
from synthetic_pages import DEFINITIONS, Figures, compare, import_damaged_page, make_page

PAGES = 120


def imported(seed: int):
    page = make_page(seed)
    return page, parse_page(page.text, DEFINITIONS, Overrides(country=page.country, edition=page.edition))


@pytest.fixture(scope="module")
def figures() -> Figures:
    result = Figures()
    for seed in range(PAGES):
        page, report = imported(seed)
        compare(page, report, result)
    return result


def test_references_are_found_where_the_page_has_them(figures):
    assert figures.pages == PAGES and figures.references > 10_000
    assert figures.found / figures.references >= 0.995, figures.line()
    assert figures.spurious <= figures.references * 0.0005, figures.line()


@pytest.mark.parametrize("kind, share", [
    ("final", 0.999), ("word", 0.995), ("comma", 0.995), ("semicolon", 0.995), ("quote", 0.99),
    ("year", 0.99), ("year-final", 0.99), ("number-mark", 0.99), ("number-final", 0.97),
    ("space", 0.95), ("number-glued", 0.8),
])
def test_every_family_of_reference_is_found(figures, kind, share):
    total = figures.by_kind[kind]
    assert total >= 20, (kind, total)
    assert figures.found_by_kind[kind] / total >= share, (kind, figures.found_by_kind[kind], total)


def test_surviving_note_texts_are_attached_to_their_references(figures):
    assert figures.notes > 3_000
    assert figures.attached / figures.notes >= 0.995, figures.line()
    assert figures.misattached <= figures.notes * 0.001, figures.line()

@given(st.integers(min_value=PAGES, max_value=2**32))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_body_word_is_lost_and_no_note_is_attached_twice(seed):
    page, report = imported(seed)
    assert not missing_parts(report)
    kept, attached = kept_words(report)
    written = Counter()
    for gold in page.sections:
        for text in gold.body:
            written += _words(text)
        for text in gold.note_texts.values():
            written += _words(text)
    assert not written - kept, written - kept
    # A note text is attached at most as often as the page shows it.
    available = Counter(t for g in page.sections for t in g.page_notes)
    assert all(count <= available[text] for text, count in attached.items() if text), attached
    every_note_once_and_defined(report, render(report))


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0), st.text(max_size=40))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_damaged_whole_page_never_crashes_the_importer(seed, position, noise):
    import_damaged_page(seed, position, noise)  # a longer run: python fuzz/run.py --target import-page
