"""Importer stage 4: reference detection (best increasing chain) and note-text attachment."""
from __future__ import annotations

import pytest

from publisher.importer.footnotes import (
    build_section,
    choose_chain,
    find_candidates,
    numbered_items,
    split_spliced_note,
)
from publisher.importer.sections import Block


def refs(*paragraphs: str) -> list[tuple[int, str]]:
    """(number, text just before it) for every reference chosen in these paragraphs."""
    section = build_section("Test", None, [Block("para", [p]) for p in paragraphs])
    return [(r.number, p.text[max(0, r.start - 8): r.start]) for p in section.paragraphs for r in p.refs]


def test_glued_forms_are_references():
    text = ("It takes time.1 A sentence2 and November 20142 then cover;11 later (GDP1 ) and "
            "torture. 20")
    chosen = [c.value for c in choose_chain(find_candidates(text))]
    assert chosen == [1, 2]  # 11 and 20 cannot follow 2 without skipping 3..10


def test_sequence_decides_between_real_numbers_and_references():
    got = refs(
        "In 2014, 14 regions were reorganised.1 Officials stole $1.6 billion.2 The portal 16/12.3",
        "An An-72 crashed in November 20144 and the site 16/12 reported 35 deaths.5",
        "Since 2005.6 The fine was $10,000 and 27,632,000 people watched.7 It ended. 8",
    )
    assert [n for n, _ in got] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert got[3][1].endswith("2014")  # "20144" = year 2014 + note 4
    assert got[2][1].endswith("16/12.")


def test_a_lone_decimal_is_not_a_reference():
    assert refs("Version 2.1 of the law passed.") == []
    assert refs("Turnout was 41.5 percent and 23.1 million voted.") == []


def test_a_missing_number_is_skipped_only_when_the_chain_goes_on():
    got = [n for n, _ in refs("One.1 Two.2 Four.4 Five.5 Six.6 Seven.7")]
    assert got == [1, 2, 4, 5, 6, 7]
    assert [n for n, _ in refs("One.1 Two.2 In 2014 there were 40 cases.9")] == [1, 2]


def test_references_in_brackets_and_superscripts():
    assert [n for n, _ in refs("A claim.[1] Another claim.[2]")] == [1, 2]
    assert [n for n, _ in refs("A claim.¹ Another claim.²")] == [1, 2]


def test_numbers_inside_urls_are_never_references():
    assert refs("See http://example.org/node/1 and http://example.org/2 for details.") == []


@pytest.mark.parametrize("items, expected", [
    (["1President of the Republic, 2013.", "27,632,000 people of 17 million.", "3Zhanna Nakipova, Bnews.kz."],
     [(1, "President of the Republic, 2013."), (2, "7,632,000 people of 17 million."),
      (3, "Zhanna Nakipova, Bnews.kz.")]),
    (["12Source A.", "13Source B."], [(12, "Source A."), (13, "Source B.")]),
    (["1. Source A.", "2. Source B."], [(1, "Source A."), (2, "Source B.")]),
    (["Civil Society rating declined.", "2Other."], None),
])
def test_numbered_note_lists_use_consecutive_numbering(items, expected):
    assert numbered_items(items) == expected


def test_spliced_citation_ends_at_its_url_and_the_body_goes_on():
    prev = "prompting international expressions of concern.15"
    text = ("As delivered by Ambassador Baer, 18 September 2014, http://www.osce.org/pc/123990?download=true. "
            "Mukhortova was detained in July.16")
    assert split_spliced_note(prev, text) == (
        "As delivered by Ambassador Baer, 18 September 2014, http://www.osce.org/pc/123990?download=true.",
        "Mukhortova was detained in July.16",
    )


def test_body_paragraph_with_a_url_is_not_a_note():
    prev = "The ministry published its plan."
    assert split_spliced_note(prev, "The site http://gov.example is blocked, officials said.1") is None
    assert split_spliced_note("Ends with a reference.3", "Officials said.4 See http://x.example.") is None


def test_section_attaches_every_surviving_note_shape():
    blocks = [
        Block("para", ["A warning not to cover the rally;1"]),
        Block("para", ["http://www.internews.kz/newspage/4738. in April, another journalist was hurt;2"]),
        Block("para", ["His father was abused in jail.3"]),
        Block("para", ["http://www.englishpen.org/campaigns/atabek…."]),
        Block("para", ["Next paragraph with no note text.4"]),
        Block("bullets", ["4Bulletin, 2014.", "5Nobody refers to this one."]),
    ]
    section = build_section("Media", "independent-media", blocks)
    assert section.references == [1, 2, 3, 4]
    texts = {n.number: n.text for n in section.notes}
    assert texts == {1: "http://www.internews.kz/newspage/4738.", 2: None,
                     3: "http://www.englishpen.org/campaigns/atabek….", 4: "Bulletin, 2014."}
    assert section.paragraphs[0].text == (
        "A warning not to cover the rally;1 in April, another journalist was hurt;2")
    assert section.orphan_notes == ["Nobody refers to this one."]


def test_a_section_numbering_from_one_is_required():
    assert refs("Late start.11 Then.12") == []


def test_body_bullets_are_kept_as_a_list():
    section = build_section("Score Changes", None, [Block("bullets", ["Civil Society rating declined.",
                                                                      "No other changes."])])
    assert [p.bullet for p in section.paragraphs] == [True, True]
    assert section.notes == []


def test_a_url_in_the_middle_of_a_body_sentence_is_not_a_note():
    prev = "Officials blocked another site.3"
    assert split_spliced_note(prev, "The website http://x.kz, which was popular, went dark.4") is None
    assert split_spliced_note(prev, "Readers moved to http://y.kz. It was blocked too.4") is None
