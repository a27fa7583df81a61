"""Stage 2: section Markdown -> HTML with resolved, accessible notes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

from publisher.fastlinks import PLAIN_ADDRESS, is_plain_address
from publisher.markdown import render_section
from publisher.model import RawSection


def render(source: str, title: str = "Civil Society", section_id: str = "civil-society", line: int = 10):
    return render_section(RawSection(title, line, source, None), section_id, "r.md")


def test_reference_keeps_the_authors_number_and_links_both_ways():
    section, problems = render("Claim.[^12]\n\n[^12]: Source twelve.\n")
    assert problems == []
    assert ('<a href="#civil-society-fn12" id="civil-society-fn12-ref" role="doc-noteref" '
            'aria-describedby="civil-society-notes">[12]</a>') in section.html
    (note,) = section.footnotes
    assert (note.label, note.note_id, note.ref_ids) == ("12", "civil-society-fn12", ("civil-society-fn12-ref",))
    assert note.html == "Source twelve."


def test_ids_are_namespaced_so_sections_can_share_numbers():
    a, _ = render("A.[^1]\n\n[^1]: a\n", "Electoral Process", "electoral-process")
    b, _ = render("B.[^1]\n\n[^1]: b\n", "Civil Society", "civil-society")
    assert a.footnotes[0].note_id != b.footnotes[0].note_id
    assert 'id="electoral-process-fn1-ref"' in a.html and 'id="civil-society-fn1-ref"' in b.html


def test_fresh_state_per_section():
    # Reusing markdown-it's env would leak the first section's notes into the second.
    render("A.[^1] B.[^2]\n\n[^1]: a\n[^2]: b\n")
    section, _ = render("C.[^1]\n\n[^1]: c\n")
    assert [n.label for n in section.footnotes] == ["1"]


def test_repeated_reference_gets_distinct_ids():
    section, _ = render("One[^1] and again[^1].\n\n[^1]: n\n")
    assert section.footnotes[0].ref_ids == ("civil-society-fn1-ref", "civil-society-fn1-ref-2")
    assert section.html.count('href="#civil-society-fn1"') == 2


def test_missing_note_text_is_kept_as_none_and_warned():
    section, problems = render("Claim.[^1]\n\n[^1]: [missing]\n")
    assert section.footnotes[0].html is None and section.footnotes[0].text is None
    assert [(p.severity, p.line) for p in problems] == [("warning", 13)]


@pytest.mark.parametrize("definition", ["[^1]:", "[^1]:   ", "[^1]: []()"])
def test_empty_note_is_an_error_not_a_lost_note(definition):
    section, problems = render(f"Claim.[^1]\n\n{definition}\n")
    assert [(p.severity, p.line, p.message) for p in problems] == [
        ("error", 13, "note [^1] in 'Civil Society' is empty: write its text, or [missing] if the "
                      "source lost it")]


def test_dangling_and_unused_are_errors_with_lines():
    _, problems = render("Para.\n\nClaim.[^7]\n\n[^8]: never used\n")
    messages = {(p.line, p.message) for p in problems}
    assert (13, "reference [^7] in 'Civil Society' has no note: add '[^7]: …' to this section") in messages
    assert (15, "note [^8] in 'Civil Society' is never referenced") in messages


def test_plain_text_excludes_notes_and_references():
    section, _ = render("First *para*.[^1]\n\nSecond\nline.\n\n[^1]: The note text.\n")
    assert section.text == "First para.\n\nSecond line."


def test_raw_html_is_escaped_and_unsafe_links_are_not_links():
    section, _ = render('<script>alert(1)</script> [x](javascript:alert(1)) [y](data:text/html,hi) '
                        '[ok](https://example.org) <img src=x onerror=alert(1)>\n')
    assert "<script>" not in section.html and "&lt;script&gt;" in section.html
    assert 'href="javascript:' not in section.html and 'href="data:' not in section.html
    assert '<a href="https://example.org">ok</a>' in section.html
    assert "<img" not in section.html


def test_bare_urls_in_notes_become_links_marked_as_addresses():
    section, _ = render("C.[^1]\n\n[^1]: See http://www.osce.org/pc/123990?download=true.\n")
    assert '<a href="http://www.osce.org/pc/123990?download=true" class="url">' in section.footnotes[0].html


def test_a_section_rendered_again_elsewhere_in_the_file_reports_its_own_lines():
    # The second render comes from the engine's memory of recent sections: same result, lines moved.
    from publisher.memo import Memory, remembering

    source = "Claim.[^1] Other.[^9]\n\n[^1]: One.\n[^1]: Again.\n[^7]: Unused.\n"
    with remembering(Memory()):
        first, first_problems = render(source, line=10)
    memory = Memory()
    with remembering(memory):
        fresh, fresh_problems = render(source, line=40)
        again, again_problems = render(source, line=40)
    assert memory.footprint()["recent results"] == 1
    assert again == fresh == first
    assert again_problems == fresh_problems
    assert [p.line - 30 for p in fresh_problems] == [p.line for p in first_problems]
    assert {p.line for p in fresh_problems} == {41, 44, 45}  # dangling ref, duplicate, unused note


def test_recent_sections_are_bounded(monkeypatch):
    import publisher.markdown as markdown
    from publisher.memo import Memory, remembering

    monkeypatch.setattr(markdown, "RECENT_SECTIONS", 3)
    memory = Memory()
    with remembering(memory):
        for n in range(10):
            render(f"Paragraph {n}.\n")
    assert memory.footprint()["recent results"] == 3


ADDRESS_PARTS = st.sampled_from(["http://", "https://", "HTTP://", "a", "Z", "0", ".", "-", "/",
                                 "?", "#", "=", "&", "%", "%20", "@", ":", "8080", "xn--", "[", "]",
                                 " ", "é", "~", "_", "(", ")", "'", "*", "+", ",", ";"])


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.from_regex(PLAIN_ADDRESS, fullmatch=True),
                 st.lists(ADDRESS_PARTS, max_size=12).map("".join)))
def test_plain_addresses_skip_normalisation_without_changing_it(url):
    if is_plain_address(url):
        assert normalizeLink(url) == url and normalizeLinkText(url) == url


def test_addresses_that_need_normalising_still_get_it():
    for url in ["http://Example.org/", "https://example.org/a%20b", "http://xn--e1afmkfd.xn--p1ai/",
                "https://example.org/caf\u00e9", "http://[::1]/", "https://example.org/a b"]:
        assert not is_plain_address(url)
    section, _ = render("See <https://example.org/caf\u00e9> and [x](https://Example.org/a b).\n")
    assert 'href="https://example.org/caf%C3%A9"' in section.html


def test_a_protocol_relative_link_is_written_out_as_https():
    section, problems = render("See [the law](//example.org/law?a=1) and [here](/about/).\n")
    assert 'href="https://example.org/law?a=1"' in section.html
    assert 'href="/about/"' in section.html and not problems
