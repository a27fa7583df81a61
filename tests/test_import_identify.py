"""Importer stage 1: reading the raw file, report type, scale, country and edition."""
from __future__ import annotations

import pytest

from publisher.importer.identify import (
    country_from_text,
    covers_pattern,
    decode_raw,
    detect_scale,
    detect_series,
    edition_from_text,
    identity_from_url,
    slugify,
    url_slug,
)
from publisher.importer.model import ImportFailure
from import_helpers import all_series, definitions

NIT_ONLY = definitions()  # the repository's data/: Nations in Transit alone
ALL = all_series()  # plus Freedom in the World and Freedom on the Net
SERIES = {s.key: s for s in ALL.series}
NIT, FIW, FOTN = SERIES["nit"], SERIES["fiw"], SERIES["fotn"]
KNOWN = NIT_ONLY.countries  # data/countries.yaml
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
    ("Not Free\nA Obstacles to Access 10 25\nB Limits on Content 11 35\n", "fotn"),
    ("Not Free\nKey Developments:\n\nJune 1, 2017 - May 31, 2018\nInternet freedom in X remained poor.", "fotn"),
])
def test_the_series_from_the_page_head_with_cues_from_the_definitions(text, kind):
    assert detect_series(text, ALL).key == kind


def test_the_address_decides_when_the_page_says_too_little():
    text = "Not Free\n\nA short page that says nothing else."
    with pytest.raises(ImportFailure, match="does not look like"):
        detect_series(text, ALL)
    url = "https://freedomhouse.org/country/kazakhstan/freedom-net/2019"
    assert detect_series(text, ALL, url).key == "fotn"


def test_an_nit_page_citing_other_reports_in_its_body_stays_nit():
    body = "\n\nSee Freedom on the Net and Freedom in the World for more. " * 3
    assert detect_series(NIT_HEAD + "x " * 2000 + body, ALL).key == "nit"


@pytest.mark.parametrize("text, name", [
    ("Partly Free\nPR Political Rights 27 40\nCL Civil Liberties 43 60\nLast Year's Score & Status\n",
     "Freedom in the World"),
    ("Freedom on the Net\n\nKazakhstan\n\nObstacles to Access\n", "Freedom on the Net"),
])
def test_a_page_of_a_series_the_site_does_not_define_is_refused_by_name(text, name):
    with pytest.raises(ImportFailure, match=f"this is a {name} page, a series this site does not define"):
        detect_series(text, NIT_ONLY)


def test_a_page_of_no_series_names_what_was_looked_for():
    with pytest.raises(ImportFailure, match="Nations in Transit") as error:
        detect_series("A recipe for bread: flour, water, salt.", NIT_ONLY)
    assert "Democracy Score" in str(error.value)


def test_scale_detection_and_refusal_of_mixed_scales():
    assert detect_scale("with 7 representing the highest level of democratic progress and 1 the lowest",
                        NIT) == "new"
    assert detect_scale("Democracy Score (1 = best, 7 = worst): 6.61", NIT) == "old"
    assert detect_scale("no scale statement at all", NIT) == "new"
    with pytest.raises(ImportFailure, match="both"):
        detect_scale("(1 = best, 7 = worst) ... with 7 representing the highest level of democratic "
                     "progress and 1 the lowest", NIT)


@pytest.mark.parametrize("text, edition, scale", [
    ("Obstacles to Access\n(0 = best, 25 = worst)\n15", 2014, "old"),  # a label of the history
    ("Total Score: 61 (0 = Best, 100 = Worst)", None, "old"),
    ("Not Free\nKey Developments", 2018, "old"),  # nothing said: the era of the edition
    ("Not Free\nKey Developments", 2019, "new"),
    ("Scores are based on a scale of 0 (least free) to 100 (most free).", 2017, "new"),  # said: today's
])
def test_an_inverted_era_from_a_label_or_the_edition(text, edition, scale):
    assert detect_scale(text, FOTN, edition) == scale


def test_a_page_on_the_current_scale_of_an_inverted_era_edition_stays_new():
    # freedomhouse.org shows Nations in Transit 2017 converted, and says so.
    text = "The ratings are based on a scale of 1 to 7, with 7 representing the highest level of " \
           "democratic progress and 1 the lowest."
    assert detect_scale(text, NIT, 2017) == "new"
    assert detect_scale("nothing said", NIT, 2017) == "old"


def test_the_coverage_period_from_the_definition():
    pattern = covers_pattern(FOTN)
    for text, edition in (("June 1, 2018 – May 31, 2019", "2019"), ("June 2014 - May 2015", "2015")):
        assert pattern.search(text)["edition"] == edition


@pytest.mark.parametrize("url, country, edition", [
    ("https://freedomhouse.org/country/kazakhstan/nations-transit/2015", "Kazakhstan", 2015),
    ("https://1.800.gay/https/freedomhouse.org/country/ukraine/nations-transit/2024", "Ukraine", 2024),
    ("https://freedomhouse.org/country/bosnia-and-herzegovina/nations-transit/2019",
     "Bosnia and Herzegovina", 2019),
    ("https://freedomhouse.org/report/nations-transit/2012/north-macedonia", "North Macedonia", 2012),
    ("https://www.ecoi.net/en/document/2035822.html", None, None),
])
def test_identity_from_report_addresses(url, country, edition):
    found = identity_from_url(url, NIT_ONLY.series, KNOWN)
    assert (found.country, found.edition) == (country, edition)


@pytest.mark.parametrize("url, series, country, edition", [
    ("https://freedomhouse.org/country/hungary/freedom-world/2019", "fiw", "Hungary", 2019),
    ("https://freedomhouse.org/country/kazakhstan/freedom-net/2019", "fotn", "Kazakhstan", 2019),
    ("https://freedomhouse.org/report/freedom-net/2012/kazakhstan", "fotn", "Kazakhstan", 2012),
    ("https://freedomhouse.org/country/poland/nations-transit/2019", "nit", "Poland", 2019),
])
def test_an_address_names_its_series(url, series, country, edition):
    found = identity_from_url(url, ALL.series, KNOWN)
    assert (found.series, found.country, found.edition) == (series, country, edition)


def test_series_segments_of_addresses_come_from_the_names():
    assert [url_slug(s.name) for s in (NIT, FIW, FOTN)] == ["nations-transit", "freedom-world", "freedom-net"]


def test_a_country_missing_from_the_list_is_spelled_from_its_address():
    found = identity_from_url("https://freedomhouse.org/country/isle-of-man/nations-transit/2021",
                              NIT_ONLY.series, KNOWN)
    assert (found.country, found.edition) == ("Isle of Man", 2021)


def test_an_address_of_a_series_the_site_lacks_is_flagged():
    found = identity_from_url("https://freedomhouse.org/country/hungary/freedom-world/2019", NIT_ONLY.series)
    assert found.other_type and found.foreign == "Freedom in the World"


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


@pytest.mark.parametrize("text, series, country", [
    ("Freedom in the World 2022 - Kazakhstan\n\nNot Free\n", FIW, "Kazakhstan"),
    ("Kazakhstan | Freedom House\n\nFreedom on the Net\n", FOTN, "Kazakhstan"),
    ("Freedom on the Net\n\nKazakhstan\n\nFreedom on the Net 2014\n", FOTN, "Kazakhstan"),
    ("Not Free\nInternet freedom in Kazakhstan remained “Not Free” in 2018.", FOTN, "Kazakhstan"),
    ("Partly Free\nHungary’s status declined from Free to Partly Free due to attacks.", FIW, "Hungary"),
])
def test_country_from_the_title_lines_of_a_series(text, series, country):
    statuses = {s.name.casefold() for s in series.statuses}
    assert country_from_text(text, statuses, KNOWN, series) == (country, True)


def test_a_single_mention_counts_when_no_other_country_is_named():
    assert country_from_text("President Nazarbaev ruled Kazakhstan from 1990 to 2019.", STATUSES, KNOWN)[0] \
        == "Kazakhstan"
    assert country_from_text("Kazakhstan and Russia signed it.", STATUSES, KNOWN)[0] is None


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
    assert edition_from_text(text, NIT) == edition


@pytest.mark.parametrize("text, series, edition", [
    ("Freedom in the World 2017 - Kazakhstan", FIW, 2017),
    ("header2 Key Developments in 2020\n", FIW, 2021),  # FIW 2021 covers the events of 2020
    ("Key Developments: \n\nJune 1, 2017 - May 31, 2018\n", FOTN, 2018),
    ("Freedom on the Net 2014\nPopulation: 17 million", FOTN, 2014),
    ("Key Developments in 2020", FOTN, None),  # FOTN's coverage is not a calendar year
])
def test_edition_from_the_series_title_and_coverage(text, series, edition):
    assert edition_from_text(text, series) == edition


def test_slugify_folds_accents():
    assert slugify("Bosnia and Herzegovina") == "bosnia-and-herzegovina"
    assert slugify("Česko Ü") == "cesko-u"


def test_control_characters_are_dropped_and_page_breaks_become_line_breaks():
    from publisher.importer.identify import decode_raw
    assert decode_raw("Kaz\x7fakh\x85stan\x0cpage two\x9b".encode()) == "Kazakh\nstan\npage two"
