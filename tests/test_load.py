"""Stage 1: each kind of bad content gives its own message, with file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, report_text, write_tree
from publisher.definitions import load_definitions
from publisher.assemble import assemble
from publisher.load import load_reports

DEFINITIONS = load_definitions(ROOT / "data")
GOOD = report_text()


def problems_for(tmp_path: Path, text: str | bytes, name: str = "reports/testland/2015.md"):
    """Load and assemble (the Markdown stage checks notes), as `check` does."""
    write_tree(tmp_path / "content", {name: text})
    sources, problems = load_reports(tmp_path / "content", DEFINITIONS)
    reports, more = assemble(sources)
    problems = problems + more
    if any(p.severity == "error" for p in problems):
        return [], problems
    return sources, problems


def test_good_report_loads(tmp_path):
    reports, problems = problems_for(tmp_path, GOOD)
    assert problems == []
    (report,) = reports
    assert report.country == "Testland" and report.edition == 2015
    assert str(report.democracy_score) == "3.00"
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
    # The parser notices an unclosed bracket on the next line, and says so there.
    "malformed YAML": (GOOD.replace("country: Testland", "country: [Testland"), "edition: 2015", "invalid YAML"),
    "tab in YAML": (GOOD.replace("  civil-society", "\tcivil-society"), "\tcivil-society", "tab character"),
    "duplicate key": (GOOD.replace("ratings:", "country: Other\nratings:"), "country: Other",
                      "duplicate key 'country' (first defined on line 2)"),
    "alias bomb": (GOOD.replace("ratings:", "a: &a [x, x]\nb: &b [*a, *a]\nratings:"), "a: &a", "YAML anchors (&name) are not allowed"),
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
            "Text about corruption.", "Text[^1]."),
    })
    _, problems = load_reports(tmp_path / "content", DEFINITIONS)
    paths = {p.path.split("reports/")[1] for p in problems}
    assert paths == {"aland/2015.md", "bland/2015.md"}
    assert len([p for p in problems if "bland" in p.path]) >= 2


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
    assert [(p.message, p.severity) for p in problems] == [
        ("country 'Testlandia' differs from 'Testland' in other reports of reports/testland/ "
         "(if it was renamed, its pages use the latest name)", "warning")]


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
    import shutil

    from publisher.errors import ContentError

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    assert "Kazakhstan" in load_definitions(data).countries
    (data / "countries.yaml").unlink()
    assert load_definitions(data).countries == ()
    (data / "countries.yaml").write_text("- name: Estonia\n- title: Latvia\n")
    with pytest.raises(ContentError) as error:
        load_definitions(data)
    (problem,) = error.value.problems
    assert (problem.path.endswith("countries.yaml"), problem.line) == (True, 2)
    assert "entry 2 is invalid" in problem.message
