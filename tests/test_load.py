"""Stage 1: each kind of bad content gives its own message, with file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_data, nit_definitions, report_text, write_tree
from publisher.definitions import load_definitions
from publisher.assemble import assemble
from publisher.load import check_collection, load_report_data, load_report_file, load_reports

DEFINITIONS = nit_definitions()
GOOD = report_text()


def problems_for(tmp_path: Path, text: str | bytes, name: str = "reports/testland/2015.md"):
    """Load and assemble (the Markdown stage checks notes), as `check` does."""
    write_tree(tmp_path / "content", {name: text})
    sources, problems = load_reports(tmp_path / "content", DEFINITIONS)
    reports, more = assemble(sources, DEFINITIONS)
    problems = problems + more
    if any(p.severity == "error" for p in problems):
        return [], problems
    return sources, problems


def test_good_report_loads(tmp_path):
    reports, problems = problems_for(tmp_path, GOOD)
    assert problems == []
    (report,) = reports
    assert report.country == "Testland" and report.edition == 2015
    assert str(report.score) == "3.00"
    assert report.status.name == "Semi-Consolidated Authoritarian Regime"  # band 2.01-3.00
    assert [s.title for s in report.sections][:2] == ["Executive Summary", "National Democratic Governance"]
    assert report.sections[1].category.key == "national-democratic-governance"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


BAD_CASES = {
    "rating out of range": (GOOD.replace("civil-society: 3.00", "civil-society: 8.2"),
                            "civil-society: 8.2", "rating for 'civil-society' 8.2 is out of range (1-7)"),
    "rating not a number": (GOOD.replace("civil-society: 3.00", "civil-society: high"),
                            "civil-society: high", "rating for 'civil-society' must be a number, got 'high'"),
    "unknown category": (GOOD.replace("civil-society: 3.00", "civil-society: 3.00\n  civil-sociey: 3.00"),
                         "civil-sociey", "unknown category 'civil-sociey'; did you mean 'civil-society'?"),
    "stated score disagrees": (GOOD.replace("ratings:", "democracy_score: 3.10\nratings:"),
                               "democracy_score: 3.10", "democracy_score: stated 3.10 but the ratings give 3.00"),
    "stated percentage disagrees": (GOOD.replace("ratings:", "democracy_percentage: 33.00\nratings:"),
                                    "democracy_percentage", "democracy_percentage: stated 33.00 but the ratings give 33.33"),
    "stated status disagrees": (GOOD.replace("ratings:", "status: Consolidated Democracy\nratings:"),
                                "status:", "status: stated 'Consolidated Democracy' but the Democracy Score 3.00 gives 'Semi-Consolidated Authoritarian Regime'"),
    "unknown status": (GOOD.replace("ratings:", "status: Hybrid\nratings:"), "status:", "unknown status 'Hybrid'"),
    "missing field": (GOOD.replace("country: Testland\n", ""), "---", "missing required field 'country'"),
    "extra field with near miss": (GOOD.replace("ratings:", "summmary: x\nratings:"), "summmary",
                                   "unknown field 'summmary'; did you mean 'summary'?"),
    # The parser notices an unclosed bracket on the next line; the message points at the bracket.
    "malformed YAML": (GOOD.replace("country: Testland", "country: [Testland"), "country: [Testland",
                       "the '[' opened here is not closed: add ']', or, if the '[' is part of the text, "
                       "put the value in quotes"),
    "tab in YAML": (GOOD.replace("  civil-society", "\tcivil-society"), "\tcivil-society", "tab character"),
    "duplicate key": (GOOD.replace("ratings:", "country: Other\nratings:"), "country: Other",
                      "duplicate key 'country' (first defined on line 2)"),
    "alias bomb": (GOOD.replace("ratings:", "a: &a [x, x]\nb: &b [*a, *a]\nratings:"), "a: &a",
                   "a value starting with '&' is read as a YAML anchor, which content does not use: "
                   "put the value in quotes"),
    "edition differs from file name": (GOOD.replace("edition: 2015", "edition: 2016"), "edition: 2016",
                                       "edition 2016 does not match the file name 2015.md"),
    "undefined footnote reference": (GOOD.replace("Text about corruption.", "Text about corruption.[^3]"),
                                     "[^3]", "reference [^3] in 'Corruption' has no note"),
    "unused footnote definition": (GOOD.replace("Text about corruption.", "Text about corruption.\n\n[^4]: Lost."),
                                   "[^4]: Lost.", "note [^4] in 'Corruption' is never referenced"),
    "duplicate footnote definition": (GOOD.replace("Text about corruption.", "Text[^1] about corruption.\n\n[^1]: One.\n[^1]: Two."),
                                      "[^1]: Two.", "note [^1] is defined twice in 'Corruption'"),
    "section without rating": (GOOD.replace("  corruption: 3.00\n", ""), "## Corruption",
                               "section 'Corruption' has no rating: add 'corruption' under ratings"),
    "rating without section": (GOOD.replace("## Corruption", "## Graft"), "corruption: 3.00",
                               "rating for 'corruption' has no section"),
    "text before first section": (GOOD.replace("---\n\n## Executive", "---\nStray text.\n\n## Executive"), "Stray text.",
                                  "text before the first section"),
    "level-1 heading": (GOOD.replace("## Executive Summary", "# Executive Summary"), "# Executive Summary",
                        "level-1 heading"),
    "no front matter": (GOOD.split("---\n", 2)[2], None, "missing front matter"),
    "unclosed front matter": (GOOD.replace("---\n\n## Executive", "\n## Executive"), None, "front matter is not closed"),
    "score change to disagrees": (GOOD.replace("ratings:", "score_changes:\n  - {category: corruption, from: 3.25, to: 3.50}\nratings:"),
                                  "score_changes", "score change for 'corruption' says it went to 3.50 but ratings give 3.00"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_content_names_file_line_and_problem(tmp_path, case):
    text, needle, message = BAD_CASES[case]
    reports, problems = problems_for(tmp_path, text)
    errors = [p for p in problems if p.severity == "error"]
    assert reports == [], f"{case}: a report with errors must not load"
    assert any(message in p.message for p in errors), [str(p) for p in errors]
    problem = next(p for p in errors if message in p.message)
    assert problem.path.endswith("reports/testland/2015.md")
    if needle == "---":
        assert problem.line == 2
    elif needle is not None:
        if "score_changes" == needle:
            assert problem.line == line_of(text, "- {category")
        else:
            assert problem.line == line_of(text, needle), str(problem)


@pytest.mark.parametrize("data,message", [
    (b"", "file is empty"),
    (b"---\ncountry: T\xe9st\n---\n", "not valid UTF-8: byte 0xe9"),
    (b"\x00\x01binary", "NUL byte"),
])
def test_unreadable_files(tmp_path, data, message):
    _, problems = problems_for(tmp_path, data)
    assert any(message in p.message for p in problems), problems


def test_bom_and_crlf_are_read_with_a_warning(tmp_path):
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    reports, problems = problems_for(tmp_path, text.encode("utf-8"))
    assert len(reports) == 1
    messages = [p.message for p in problems]
    assert any("byte-order mark" in m for m in messages)
    assert any("CRLF" in m for m in messages)
    assert all(p.severity == "warning" for p in problems)


def test_file_location_rules(tmp_path):
    write_tree(tmp_path / "content", {
        "reports/Bad Slug/2015.md": GOOD,
        "reports/testland/latest.md": GOOD,
        "reports/testland/2015.txt": GOOD,
        "reports/stray.md": GOOD,
    })
    _, problems = load_reports(tmp_path / "content", DEFINITIONS)
    messages = " | ".join(p.message for p in problems)
    assert "country folder 'Bad Slug' is not a valid slug" in messages
    assert "file name 'latest.md' must be the edition's year" in messages
    assert "must end in .md" in messages
    assert "expected reports/<country-slug>/<edition>.md" in messages


def test_every_problem_of_every_file_is_reported(tmp_path):
    write_tree(tmp_path / "content", {
        "reports/aland/2015.md": GOOD.replace("civil-society: 3.00", "civil-society: 9"),
        "reports/bland/2015.md": GOOD.replace("corruption: 3.00", "corruption: 0").replace(
            "edition: 2015", "edition: 2015\nsumary: x"),
    })
    _, problems = load_reports(tmp_path / "content", DEFINITIONS)
    found = sorted((p.path.split("reports/")[1], p.message) for p in problems)
    assert found == [
        ("aland/2015.md", "rating for 'civil-society' 9 is out of range (1-7)"),
        ("bland/2015.md", "rating for 'corruption' 0 is out of range (1-7)"),
        ("bland/2015.md", "unknown field 'sumary'; did you mean 'summary'?"),
    ]


def test_large_file_is_refused_without_reading_it(tmp_path):
    big = GOOD + ("x" * 1024 + "\n") * (6 * 1024)
    _, problems = problems_for(tmp_path, big)
    assert any("file is too large" in p.message for p in problems)


def test_missing_note_placeholder_is_a_warning(tmp_path):
    text = GOOD.replace("Text about corruption.", "Text[^1].\n\n[^1]: [missing]")
    reports, problems = problems_for(tmp_path, text)
    assert len(reports) == 1
    (problem,) = problems
    assert problem.severity == "warning"
    assert problem.line == line_of(text, "[^1]: [missing]")
    assert "note [^1] in 'Corruption' has no text yet" in problem.message


def test_duplicate_report_for_the_same_country_and_edition(tmp_path):
    write_tree(tmp_path / "content", {"reports/testland/2015.md": GOOD,
                                      "reports/test-land/2015.md": GOOD})
    _, problems = load_reports(tmp_path / "content", DEFINITIONS)
    (problem,) = problems
    assert problem.path.endswith("reports/testland/2015.md") and problem.line == 2
    assert problem.message.startswith("duplicate report: Testland 2015 is also defined in ")
    assert problem.message.endswith("reports/test-land/2015.md")


def test_one_folder_one_country_name(tmp_path):
    write_tree(tmp_path / "content", {"reports/testland/2015.md": GOOD,
                                      "reports/testland/2016.md": report_text("Testlandia", 2016)})
    _, problems = load_reports(tmp_path / "content", DEFINITIONS)
    (problem,) = problems
    assert problem.path.endswith("reports/testland/2016.md") and problem.line == 2
    assert problem.severity == "warning"
    assert problem.message.startswith("country 'Testlandia' differs from 'Testland' in ")
    assert problem.message.endswith("reports/testland/2015.md (if it was renamed, its pages use "
                                    "the latest name)")


@pytest.mark.parametrize("folder", ["...", "..evil", "UPPER", "sp ace", "x_y", "-lead"])
def test_slug_that_could_escape_or_mislead_is_refused(tmp_path, folder):
    write_tree(tmp_path / "content", {f"reports/{folder}/2015.md": GOOD})
    reports, problems = load_reports(tmp_path / "content", DEFINITIONS)
    assert reports == []
    assert [p.message for p in problems] == [
        f"country folder '{folder}' is not a valid slug (lower-case letters, digits and single hyphens)"]


def test_dot_dot_paths_are_never_loaded(tmp_path):
    # "reports/../2015.md" is content/2015.md: outside reports/, so it is not a report at all.
    write_tree(tmp_path / "content", {"reports/../2015.md": GOOD, "reports/a/../b/2015.md": GOOD})
    reports, _ = load_reports(tmp_path / "content", DEFINITIONS)
    assert [r.slug for r in reports] == ["b"]


def test_fifty_megabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "content/reports/testland/2015.md"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, no time spent writing
    _, problems = load_reports(tmp_path / "content", DEFINITIONS)
    assert [p.message for p in problems] == ["file is too large (50.0 MB; the limit is 5 MB)"]


def test_countries_list_is_optional_and_checked(tmp_path):
    from publisher.errors import ContentError

    data = copy_data(tmp_path / "data")
    assert "Kazakhstan" in load_definitions(data).countries
    (data / "countries.yaml").unlink()
    assert load_definitions(data).countries == ()
    (data / "countries.yaml").write_text("- name: Estonia\n- title: Latvia\n")
    with pytest.raises(ContentError) as error:
        load_definitions(data)
    (problem,) = error.value.problems
    assert (problem.path.endswith("countries.yaml"), problem.line) == (True, 2)
    assert "entry 2 is invalid" in problem.message


# --- across files: check_collection ------------------------------------------------------------

def sources_of(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path / "content", files)
    return [load_report_file(tmp_path / "content" / name, tmp_path / "content", DEFINITIONS)[0]
            for name in sorted(files)]


def test_check_collection_is_pure_and_order_free(tmp_path):
    sources = sources_of(tmp_path, {"reports/kazakhstan/2016.md": report_text("Kazakhstan", 2016),
                                    "reports/kazakstan/2016.md": report_text("Kazakhstan", 2016),
                                    "reports/kazakhstan/2015.md": report_text("Kazakhstan", 2015)})
    problems = check_collection(sources)
    assert check_collection(list(reversed(sources))) == problems
    assert check_collection(sources) == problems  # the records are not changed by the check
    (problem,) = problems
    assert problem.path.endswith("reports/kazakstan/2016.md") and problem.line == 2
    assert problem.message.startswith("duplicate report: Kazakhstan 2016 is also defined in ")
    assert problem.message.endswith("reports/kazakhstan/2016.md")


def test_duplicate_is_found_whatever_the_case_of_the_name(tmp_path):
    sources = sources_of(tmp_path, {"reports/testland/2015.md": GOOD,
                                    "reports/testland-copy/2015.md": GOOD.replace("Testland", "TESTLAND")})
    (problem,) = check_collection(sources)
    assert problem.message.startswith("duplicate report: TESTLAND 2015 is also defined in ")


def test_one_country_in_two_folders_is_reported_once_per_folder(tmp_path):
    sources = sources_of(tmp_path, {"reports/testland/2015.md": GOOD,
                                    "reports/testlnd/2016.md": report_text(edition=2016),
                                    "reports/testlnd/2017.md": report_text(edition=2017)})
    (problem,) = check_collection(sources)
    assert problem.path.endswith("reports/testlnd/2016.md") and problem.line == 2
    assert problem.message.startswith("country 'Testland' already has a folder, reports/testland/ (")
    assert problem.message.endswith("testland/2015.md): keep one country's reports in one folder")


def test_different_countries_in_different_folders_are_fine(tmp_path):
    sources = sources_of(tmp_path, {"reports/testland/2015.md": GOOD,
                                    "reports/otherland/2015.md": report_text("Otherland")})
    assert check_collection(sources) == []


# --- one mistake, one message ----------------------------------------------------------------

STATED = GOOD.replace("ratings:", "status: Semi-Consolidated Authoritarian Regime\n"
                                  "democracy_score: 3.00\ndemocracy_percentage: 33.33\n"
                                  "democracy_score_change: {from: 3.00, to: 3.00}\nratings:")


@pytest.mark.parametrize("mistake,message", [
    ("civil-sciety: 3.00", "unknown category 'civil-sciety'; did you mean 'civil-society'?"),
    ("civil_society: 3.00", "unknown category 'civil_society'; did you mean 'civil-society'?"),
    ("society: 3.00", "unknown category 'society'; expected one of: civil-society"),
    ("civil-society: 8", "rating for 'civil-society' 8 is out of range (1-7)"),
    ("civil-society: \"1,50\"", "rating for 'civil-society' must be a number, got '1,50' "
                                "(write decimals with a point: 1.50)"),
    ("civil-society: 1.30", "rating for 'civil-society' 1.3 is off the scale's step of 0.25 "
                            "(1 to 7): use 1.25 or 1.50"),
    ("civil-society: 6.90", "rating for 'civil-society' 6.9 is off the scale's step of 0.25 "
                            "(1 to 7): use 6.75 or 7.00"),
    ("civil-society: 1.255", "rating for 'civil-society' 1.255 is off the scale's step of 0.25 "
                             "(1 to 7): use 1.25 or 1.50"),
    ("civil-society: 1e99", "rating for 'civil-society' 1e99 is out of range (1-7)"),
    ("civil-society: -.inf", "rating for 'civil-society' must be a number, got -inf"),
    ("civil-society: " + "9" * 100_000,
     "rating for 'civil-society' 99999999999999999999… (100000 characters) is out of range (1-7)"),
])
def test_a_wrong_rating_gives_one_message_on_its_line(tmp_path, mistake, message):
    text = STATED.replace("civil-society: 3.00", mistake)
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(line_of(text, mistake[:12]), message)]


def test_a_section_title_close_to_a_category_says_which(tmp_path):
    text = STATED.replace("## Electoral Process", "## Electoral Proces")
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(
        line_of(text, "## Electoral Proces"),
        "section 'Electoral Proces' is not a category's title; did you mean 'Electoral Process'? "
        "(the rating for 'electoral-process' needs its section)")]


def test_free_sections_are_not_taken_for_misspelt_categories(tmp_path):
    # 'Corruption' has its own section, so a section 'Anti-Corruption' is just another section.
    text = GOOD.replace("## Executive Summary", "## Anti-Corruption")
    reports, problems = problems_for(tmp_path, text)
    assert problems == [] and len(reports) == 1


@pytest.mark.parametrize("ratings", ["ratings: 3", "ratings:", "ratings: {}", "ratings: [3]"])
def test_ratings_that_are_not_a_mapping_give_one_message(tmp_path, ratings):
    text = GOOD.split("ratings:")[0] + ratings + "\n---\n" + GOOD.split("---\n", 2)[2]
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(4, (
        "'ratings' must map category keys to ratings, e.g. 'civil-society: 1.50'"))]


@pytest.mark.parametrize("field", ["country", "edition"])
def test_an_empty_required_field_gives_one_message(tmp_path, field):
    text = GOOD.replace("country: Testland" if field == "country" else "edition: 2015", f"{field}:")
    _, problems = problems_for(tmp_path, text)
    assert [p.message for p in problems] == [f"'{field}' is empty"]


def test_unknown_field_without_a_close_match_lists_the_fields(tmp_path):
    text = GOOD.replace("ratings:", "region: Central Asia\nratings:")
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(line_of(text, "region:"), (
        "unknown field 'region'; expected one of: country, edition, draft, ratings, status, "
        "scores, democracy_score, democracy_percentage, previous, score_changes, "
        "democracy_score_change, other_scores, authors, summary, source"))]


@pytest.mark.parametrize("front,message", [
    ("Summary: x", "unknown field 'Summary'; did you mean 'summary'?"),
    ("auhtors: [A]", "unknown field 'auhtors'; did you mean 'authors'?"),
    ("previous: {democracy_precentage: 7}",
     "unknown field 'previous.democracy_precentage'; did you mean 'democracy_percentage'?"),
    ("source: {link: 'https://example.org'}", "unknown field 'source.link'; expected one of: url, note"),
    ("score_changes:\n  - {category: civil-society, from: 1.30, to: 3.00}",
     "score change 'from' 1.3 is off the scale's step of 0.25 (1 to 7): use 1.25 or 1.50"),
    ("score_changes:\n  - {category: civil-sciety, from: 3.25, to: 3.00}",
     "unknown category 'civil-sciety'; did you mean 'civil-society'?"),
    ("democracy_score: 1e99", "'democracy_score' 1e99 is out of range (1-7)"),
    ("democracy_percentage: 1e99", "'democracy_percentage' 1e99 is out of range (0-100)"),
    ("other_scores: {global-freedom: {score: 1, max: 1e99}}",
     "other_scores.global-freedom.max 1e99 is too large"),
    ("country: NO", "'country' must be text, got false: YAML reads an unquoted yes, no, on, off, "
                    "true or false as true/false, so put the value in quotes"),
    ("draft: maybe", "'draft' must be true or false, got 'maybe'"),
    ("contry: Testland", "unknown field 'contry'; did you mean 'country'?"),
    ("score_changes:\n  - {category: civil-society, form: 3.25, to: 3.00}",
     "unknown field 'score_changes.0.form'; did you mean 'from'?"),
    ("score_changes:\n  - {category: civil-society, to: 3.00}",
     "missing required field 'score_changes.0.from'"),
    ("score_changes:\n  - civil-society 3.25 to 3.00",
     "each score change is a mapping with: category, from, to"),
    ("democracy_score_change: {from: 3.10, too: 3.00}",
     "unknown field 'democracy_score_change.too'; did you mean 'to'?"),
    ("edition: " + "2" * 5000, "'edition' must be a year such as 2015, got '2222222222222222222… "
                               "(5000 characters)"),
])
def test_front_matter_value_messages(tmp_path, front, message):
    text = GOOD.replace("country: Testland\n", "country: Testland\n" + front + "\n")
    if front.startswith("contry:"):
        text = GOOD.replace("country: Testland", front)
    if front.startswith(("country:", "edition:")):
        text = GOOD.replace(front.split(":")[0] + ": " + ("Testland" if front.startswith("country")
                                                          else "2015"), front)
    _, problems = problems_for(tmp_path, text)
    assert [p.message for p in problems] == [message]
    assert problems[0].line == line_of(text, front.split("\n")[-1][:14].strip())


def test_draft_is_a_declared_boolean(tmp_path):
    (report,), _ = problems_for(tmp_path, GOOD.replace("ratings:", "draft: true\nratings:"))
    assert report.draft is True
    (report,), _ = problems_for(tmp_path / "b", GOOD)
    assert report.draft is False


# --- YAML syntax, in plain words, on the line to fix ------------------------------------------

@pytest.mark.parametrize("before,after,needle,message", [
    ("  civil-society: 3.00", " civil-society: 3.00", " civil-society",
     "this line is indented 1 space where the line above has 2: the fields of one mapping, and "
     "the '- ' items of one list, must start in the same column"),
    ("  civil-society: 3.00", "   civil-society: 3.00", "   civil-society",
     "this line is indented more than the line above (3 spaces, not 2): the fields of one "
     "mapping must line up"),
    ("country: Testland", "country: \"Testland", "country:",
     "the quote \" opened here is never closed: add a closing \" at the end of the value"),
    ("country: Testland", "country: 'Cote d'Ivoire'", "country:",
     "text after the closing quote: inside single quotes write an apostrophe twice "
     "('Cote d''Ivoire'), or use double quotes"),
    ("edition: 2015", "edition 2015", "edition 2015",
     "this line is not 'field: value': add the ':' after the field name (or, to continue the "
     "value of the line above, indent this line)"),
    ("country: Testland", "country:Testland", "country:Testland",
     "a space is missing after the ':' in 'country:Testland': write 'country: Testland'"),
    ("country: Testland", "country: Testland: the republic", "country:",
     "a second ': ' on this line: if it is part of the text, put the value in quotes, e.g. "
     "summary: \"Note: …\""),
    ("country: Testland", "country: @Testland", "country:",
     "a value cannot start with '@': put the whole value in quotes, e.g. \"@…\""),
    ("country: Testland", "country: *Testland*", "country:",
     "a value starting with '*' is read as a YAML alias, which content does not use: put the "
     "value in quotes"),
    ("country: Testland", "country: !!binary VGVzdA==", "country:",
     "the YAML tag '!!binary' is not allowed: remove it (values are plain text, numbers, "
     "true/false, lists and mappings)"),
    ("country: Testland", "country: Testland\n- Another", "- Another",
     "a list item ('- ') where a 'field: value' line was expected: indent the list under its "
     "field, e.g. '  - Joanna Lillis' under 'authors:'"),
    ("country: Testland", "country: \"Test\\qland\"", "country:",
     "a backslash in double quotes starts an escape such as \\n: write \\\\ for a backslash, or "
     "use single quotes"),
    ("country: Testland", "country: " + "[" * 20_000 + "]" * 20_000, "country:",
     "nested more than 32 levels deep: lists and mappings in content need only a few levels"),
])
def test_yaml_mistakes_in_plain_words(tmp_path, before, after, needle, message):
    text = GOOD.replace(before, after)
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(line_of(text, needle), message)]


# --- control characters, raw or escaped -------------------------------------------------------

@pytest.mark.parametrize("value,message", [
    ('"Kaz\\0akhstan"', "'country' contains U+0000 (NUL): remove it (as an escape in double "
                        "quotes it is written \"\\0\")"),
    ('"Kaz\\aakhstan"', "'country' contains U+0007 (BEL): remove it (as an escape in double "
                        "quotes it is written \"\\x07\")"),
    ('"Kaz\\rakhstan"', "'country' contains U+000D (carriage return): remove it (as an escape in "
                        "double quotes it is written \"\\x0d\")"),
    ('"Kaz\\x7fakhstan"', "'country' contains U+007F (DEL): remove it (as an escape in double "
                          "quotes it is written \"\\x7f\")"),
    ('"Kaz\\Nakhstan"', "'country' contains U+0085 (NEL): remove it (as an escape in double "
                        "quotes it is written \"\\x85\")"),
    ('"Kaz\\x92akhstan"', "'country' contains U+0092 (a control character; probably a garbled "
                          "'’'): remove it (as an escape in double quotes it is written \"\\x92\")"),
    ('"Kaz\\ud800akhstan"', "'country' contains U+D800 (half of a surrogate pair, which is not a "
                            "character): remove it (as an escape in double quotes it is written "
                            "\"\\ud800\")"),
    ('"Kaz\\uffffakhstan"', "'country' contains U+FFFF (a non-character): remove it (as an escape "
                            "in double quotes it is written \"\\uffff\")"),
])
def test_escaped_control_characters_are_refused(tmp_path, value, message):
    text = GOOD.replace("country: Testland", f"country: {value}")
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(2, message)]


def test_escaped_control_characters_are_refused_in_every_text_field(tmp_path):
    text = GOOD.replace("ratings:", 'authors: ["Jane\\x1bDoe"]\nratings:')
    _, problems = problems_for(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(line_of(text, "authors:"), (
        "'authors.0' contains U+001B (ESC): remove it (as an escape in double quotes it is "
        "written \"\\x1b\")"))]


def test_raw_control_characters_are_refused_with_line_and_column(tmp_path):
    text = GOOD.replace("Text about corruption.", "Text \x07about\x0c corruption.\n\nMore\x1b.")
    _, problems = problems_for(tmp_path, text)
    first = line_of(text, "Text \x07")
    assert [(p.line, p.message) for p in problems] == [(first, (
        "U+0007 (BEL) at column 6: content may not hold control characters; remove it "
        f"(2 more such character(s), on line(s) {first}, {line_of(text, 'More')})"))]


def test_raw_c1_control_names_the_character_it_probably_was(tmp_path):
    text = GOOD.replace("Text about corruption.", "The \x93party\x94.")
    _, problems = problems_for(tmp_path, text)
    assert [p.message for p in problems] == [
        "U+0093 (a control character; probably a garbled '“') at column 5: content may not hold "
        f"control characters; remove it (1 more such character(s), on line(s) "
        f"{line_of(text, 'The')})"]


def test_tabs_and_line_separators_in_text_become_spaces(tmp_path):
    text = GOOD.replace("ratings:", 'summary: "One\\tTwo\\LThree\\PFour\\nFive"\nratings:')
    (report,), problems = problems_for(tmp_path, text)
    assert problems == [] and report.summary == "One Two Three Four Five"


def test_an_unreadable_file_is_one_message(tmp_path, monkeypatch):
    write_tree(tmp_path / "content", {"reports/testland/2015.md": GOOD})
    original = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "2015.md":
            raise PermissionError(13, "Permission denied")
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    reports, problems = load_reports(tmp_path / "content", DEFINITIONS)
    assert reports == []
    assert [(p.line, p.message) for p in problems] == [
        (1, "cannot read file: Permission denied (check its permissions)")]


def test_load_report_data_parses_the_bytes_it_is_given(tmp_path):
    path = tmp_path / "content/reports/testland/2015.md"
    report, problems = load_report_data(GOOD.encode(), path, tmp_path / "content", DEFINITIONS)
    assert problems == [] and report.country == "Testland"  # no file was read: none exists
    _, problems = load_report_data(b"x" * (6 * 1024 * 1024), path, tmp_path / "content", DEFINITIONS)
    assert [p.message for p in problems] == ["file is too large (6.0 MB; the limit is 5 MB)"]
