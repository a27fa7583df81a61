"""Importer stage 1: reading the raw file, report type, scale, country and edition."""
from __future__ import annotations

import pytest

from publisher.importer.identify import (
    country_from_text,
    decode_raw,
    detect_scale,
    edition_from_text,
    identity_from_url,
    refuse_other_type,
    report_type,
    slugify,
)
from publisher.importer.model import ImportFailure
from import_helpers import definitions

KNOWN = definitions().countries  # data/countries.yaml
STATUSES = {"consolidated authoritarian regime", "semi-consolidated democracy", "consolidated democracy"}
NIT_HEAD = (
    "Consolidated Democracy\nDEMOCRACY-PERCENTAGE Democracy Percentage 83.33 100\n"
    "DEMOCRACY-SCORE Democracy Score 6.00 7\n"
)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"Democracy Score\x00\x01", "binary"),
    (b"Democracy Score \xff\xfe caf\xe9", "UTF-8"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_unreadable_input_is_refused_with_a_clear_reason(data, message):
    with pytest.raises(ImportFailure, match=message):
        decode_raw(data)


def test_decoding_normalises_line_ends_bom_and_odd_spaces():
    assert decode_raw("\ufeffA\r\nB\rC\u00a0D\u200bE".encode()) == "A\nB\nC DE"


@pytest.mark.parametrize("text, kind", [
    (NIT_HEAD, "nit"),
    ("Nations in Transit 2020 - Kazakhstan\n\nCONSOLIDATED AUTHORITARIAN REGIME\n", "nit"),
    ("Partly Free\nPR Political Rights 27 40\nCL Civil Liberties 43 60\nLast Year's Score & Status\n", "fiw"),
    ("Political Rights | 5 / 40 |\nCivil Liberties | 18 / 60 |\n", "fiw"),
    ("Freedom on the Net\n\nKazakhstan\n\nObstacles to Access\n", "fotn"),
    ("Not Free\nKey Developments:\n(see Blocking and Filtering)\nInternet freedom in X remained poor.", "fotn"),
    ("A recipe for bread: flour, water, salt.", "unknown"),
])
def test_report_type_from_the_page_head(text, kind):
    assert report_type(text) == kind


def test_an_nit_page_citing_other_reports_in_its_body_stays_nit():
    body = "\n\nSee Freedom on the Net and Freedom in the World for more. " * 3
    assert report_type(NIT_HEAD + "x " * 2000 + body) == "nit"


@pytest.mark.parametrize("kind, words", [
    ("fiw", "Freedom in the World"), ("fotn", "Freedom on the Net"), ("unknown", "Nations in Transit")])
def test_refusals_name_what_the_page_is(kind, words):
    with pytest.raises(ImportFailure, match=words):
        refuse_other_type(kind)
    refuse_other_type("nit")  # no exception


def test_scale_detection_and_refusal_of_mixed_scales():
    assert detect_scale("with 7 representing the highest level of democratic progress") == "new"
    assert detect_scale("Democracy Score (1 = best, 7 = worst): 6.61") == "old"
    assert detect_scale("no scale statement at all") == "new"
    with pytest.raises(ImportFailure, match="both"):
        detect_scale("(1 = best, 7 = worst) ... with 7 representing the highest level of democratic progress")


@pytest.mark.parametrize("url, country, edition", [
    ("https://freedomhouse.org/country/kazakhstan/nations-transit/2015", "Kazakhstan", 2015),
    ("https://1.800.gay/https/freedomhouse.org/country/ukraine/nations-transit/2024", "Ukraine", 2024),
    ("https://freedomhouse.org/country/bosnia-and-herzegovina/nations-transit/2019",
     "Bosnia and Herzegovina", 2019),
    ("https://freedomhouse.org/report/nations-transit/2012/north-macedonia", "North Macedonia", 2012),
    ("https://www.ecoi.net/en/document/2035822.html", None, None),
])
def test_identity_from_report_addresses(url, country, edition):
    found = identity_from_url(url, KNOWN)
    assert (found.country, found.edition) == (country, edition)


def test_a_country_missing_from_the_list_is_spelled_from_its_address():
    found = identity_from_url("https://freedomhouse.org/country/isle-of-man/nations-transit/2021", KNOWN)
    assert (found.country, found.edition) == ("Isle of Man", 2021)


def test_other_report_type_address_is_flagged():
    assert identity_from_url("https://freedomhouse.org/country/hungary/freedom-world/2019").other_type


@pytest.mark.parametrize("text, country, strong", [
    ("Nations in Transit 2020 - Kazakhstan\n\nConsolidated Authoritarian Regime", "Kazakhstan", True),
    ("Poland\n\nConsolidated Democracy\n68\n100", "Poland", True),
    ("x\n\nOn Estonia\n\nSee all data, scores & information on this country or territory.", "Estonia", True),
    ("As a result, Kyrgyzstan’s Democracy Score declined from 1.96 to 1.83.", "Kyrgyzstan", True),
    ("In 2015, Kazakhstan remained a consolidated authoritarian regime.", "Kazakhstan", True),
    ("Hungary’s elections were free but not fair. Orban won in Hungary.", "Hungary", False),
    ("Nothing here names a country.", None, False),
])
def test_country_from_structural_cues_then_counting(text, country, strong):
    found, is_strong = country_from_text(text, STATUSES, KNOWN)
    assert found == country
    if country:
        assert is_strong is strong


def test_counting_refuses_to_guess_between_two_equally_named_countries():
    assert country_from_text("Russia and Ukraine; Ukraine and Russia.", STATUSES, KNOWN)[0] is None


def test_counting_only_counts_the_countries_in_the_list():
    text = "Hungary’s elections were free but not fair. Orban won in Hungary."
    assert country_from_text(text, STATUSES, KNOWN)[0] == "Hungary"
    assert country_from_text(text, STATUSES, ("Poland", "Estonia"))[0] is None


@pytest.mark.parametrize("text, edition", [
    ("header1 Score changes in 2022\n", 2022),
    ("header2 Changes in 2024\n", 2024),
    ("  • No score changes in 2016.", 2016),
    ("Nations in Transit 2019\n\n\nConsolidated Democracy", 2019),
    ("2014 Scores\n\nDemocracy Score (1 = best, 7 = worst): 6.61", 2014),
    ("Outlook for 2015.\n", 2015),
    ("In 2016 voters pushed back; in 1998 too.", None),
])
def test_edition_from_text(text, edition):
    assert edition_from_text(text) == edition


def test_slugify_folds_accents():
    assert slugify("Bosnia and Herzegovina") == "bosnia-and-herzegovina"
    assert slugify("Česko Ü") == "cesko-u"


def test_control_characters_are_dropped_and_page_breaks_become_line_breaks():
    from publisher.importer.identify import decode_raw
    assert decode_raw("Kaz\x7fakh\x85stan\x0cpage two\x9b".encode()) == "Kazakh\nstan\npage two"
