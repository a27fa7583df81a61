"""`import --partial`: incomplete pages become drafts with placeholders, which the loader accepts
with one grouped warning and the site renders; and what the command says after an import."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import data_folder, nit_root, report_text, write_tree
from publisher.assemble import assemble
from publisher.load import load_reports

from import_helpers import CORPUS, FIXTURES, REPO, definitions, run_import

DEFS = definitions()
CROATIA_2021 = CORPUS / "nit_croatia_2021.txt"  # cut off in the executive summary, no ratings at all
POLAND_2018 = CORPUS / "nit_poland_2018.txt"  # four ratings, from its score changes
COMPLETE = FIXTURES / "complete_new_layout.txt"


def build_py(*args: str) -> subprocess.CompletedProcess:
    """build.py in a Nations in Transit project (the imported pages are of that series)."""
    return subprocess.run([sys.executable, "build.py", *args, "--root", str(nit_root())], cwd=REPO,
                          capture_output=True, text=True)


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_without_the_flag_the_refusal_names_it(tmp_path):
    code, out, err, entries = run_import([str(CROATIA_2021), "--edition", "2021", "--content",
                                          str(tmp_path / "c")], tmp_path)
    assert code == 1 and entries[0]["written"] is None and "--partial" in err
    assert not (tmp_path / "c").exists()


def test_missing_categories_are_named_once_each(tmp_path):
    code, out, err, entries = run_import([str(POLAND_2018), "--content", str(tmp_path / "c")], tmp_path)
    message = entries[0]["problems"][-1]
    for category in DEFS.categories:
        assert message.count(category.title) == 1, (category.title, message)
    # Poland 2018 has four ratings from its score changes and no category section.
    assert "category sections: National Democratic Governance, Civil Society" in message
    assert "categories without section or rating: Electoral Process, Independent Media, Corruption" in message


def test_a_page_without_any_rating_becomes_a_draft_that_checks_with_one_warning_and_builds(tmp_path):
    """The least surprising form: every rating null, the page's stated figures, [missing] sections."""
    content = tmp_path / "content"
    code, out, err, entries = run_import([str(CROATIA_2021), "--edition", "2021", "--content", str(content),
                                          "--partial"], tmp_path)
    assert code == 0, err
    written = content / "reports" / "croatia" / "2021.md"
    assert entries[0]["written"] == str(written) and entries[0]["draft"] is True
    meta = front(written)
    assert meta["draft"] is True
    assert meta["ratings"] == {c.key: None for c in DEFS.categories}  # every rating a null placeholder
    assert (meta["democracy_score"], meta["status"]) == (4.25, "Semi-Consolidated Democracy")
    text = written.read_text(encoding="utf-8")
    for category in DEFS.categories:
        assert f"## {category.title}\n\n[missing]\n" in text
    assert "fill in the placeholders (7 sections [missing], 7 ratings null)" in out
    root = data_folder().parent  # the definitions the import read, so check reads them too
    assert f"python build.py check --content {content} --root {root} --drafts" in out
    check = build_py("check", "--content", str(content))
    assert check.returncode == 0, check.stdout + check.stderr
    warnings = [line for line in (check.stdout + check.stderr).splitlines() if ": warning: " in line]
    assert len(warnings) == 1, warnings
    assert "7 sections have no text ([missing]) and no rating (null): National Democratic Governance, " \
           "Electoral Process" in warnings[0]
    # A published build leaves the draft out; a build with drafts (as a preview) shows it.
    published = build_py("--content", str(content), "--out", str(tmp_path / "published"), "--no-search")
    assert published.returncode == 0 and "1 draft(s) left out" in published.stdout, published.stdout
    assert not (tmp_path / "published" / "countries" / "croatia" / "2021").exists()
    site = tmp_path / "site"
    build = build_py("--content", str(content), "--out", str(site), "--no-search", "--drafts")
    assert build.returncode == 0, build.stdout + build.stderr
    page = (site / "countries" / "croatia" / "2021" / "index.html").read_text(encoding="utf-8")
    assert page.count("Section text not available in the source.") == 7
    assert "Category ratings not available in the source." in page
    assert "4.25" in page and "Semi-Consolidated Democracy" in page


def test_a_draft_keeps_the_ratings_the_page_has(tmp_path):
    content = tmp_path / "content"
    code, out, err, entries = run_import([str(POLAND_2018), "--content", str(content), "--partial"], tmp_path)
    assert code == 0, err
    meta = front(Path(entries[0]["written"]))
    assert {k: v for k, v in meta["ratings"].items() if v is not None} == entries[0]["ratings"]
    assert len(entries[0]["ratings"]) == 4 and list(meta["ratings"]) == [c.key for c in DEFS.categories]
    check = build_py("check", "--content", str(content))
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("[missing]") + check.stderr.count("[missing]") >= 1


def test_a_partial_import_never_replaces_a_file_not_even_with_force(tmp_path):
    content = tmp_path / "content"
    target = content / "reports" / "croatia" / "2021.md"
    target.parent.mkdir(parents=True)
    target.write_text("a report edited by hand", encoding="utf-8")
    for extra in ([], ["--force"]):
        code, out, err, entries = run_import([str(CROATIA_2021), "--edition", "2021", "--content", str(content),
                                              "--partial", *extra], tmp_path)
        assert code == 1 and entries[0]["written"] is None and "never replaces" in err
    assert target.read_text(encoding="utf-8") == "a report edited by hand"


def test_a_complete_page_with_partial_is_written_as_a_report(tmp_path):
    code, out, err, entries = run_import([str(COMPLETE), "--content", str(tmp_path / "c"), "--partial"], tmp_path)
    assert code == 0 and entries[0]["draft"] is False
    assert "draft" not in front(Path(entries[0]["written"]))


def test_next_steps_after_a_successful_import(tmp_path):
    content = tmp_path / "c"
    code, out, err, _ = run_import([str(COMPLETE), "--content", str(content)], tmp_path)
    assert code == 0
    steps = out[out.index("  next steps:"):]
    assert f"python build.py check --content {content} --root {data_folder().parent}" in steps
    assert "/countries/moldavia-minor/2021/" in steps
    # Electoral Process 2 missing of 3, Executive Summary 2 of 2, ...: every section with some.
    assert "still [missing] (" in steps and "Electoral Process 2" in steps


def test_low_confidence_choices_are_printed_and_in_the_report(tmp_path):
    page = COMPLETE.read_text(encoding="utf-8").replace(
        "The speaker resigned in May.2", "The speaker resigned under Article 352 of the rules. It rained.3")
    raw = tmp_path / "page.txt"
    raw.write_text(page.replace("The prime minister survived a confidence vote by 51 to 49.3",
                                "The prime minister survived a confidence vote.4"), encoding="utf-8")
    code, out, err, entries = run_import([str(raw), "--content", str(tmp_path / "c")], tmp_path)
    assert code == 0, err
    section = next(s for s in entries[0]["sections"] if s["title"] == "National Democratic Governance")
    (choice,) = [u for u in section["uncertain"] if u["what"] == "reference 2"]
    assert "Article 35|2|" in choice["where"] and choice["taken"].startswith("read as note 2")
    assert "no reference" in choice["considered"]
    assert "low-confidence choices" in out and "National Democratic Governance, reference 2:" in out


# --- the loader's side of drafts -------------------------------------------------------------

CATEGORY_TITLES = {c.key: c.title for c in DEFS.categories}


def load(tmp_path: Path, text: str):
    write_tree(tmp_path / "content", {"reports/testland/2015.md": text})
    sources, problems = load_reports(tmp_path / "content", DEFS)
    reports, more = assemble(sources, DEFS)
    return reports, problems + more


def draft_text(ratings: dict, front_lines: str = "", sections: dict | None = None) -> str:
    lines = ["---", "country: Testland", "edition: 2015", "draft: true", "ratings:"]
    lines += [f"  {k}: {'null' if v is None else v}" for k, v in ratings.items()]
    lines += front_lines.strip("\n").split("\n") if front_lines else []
    lines.append("---")
    body = sections if sections is not None else {
        "Executive Summary": "Text.", **{CATEGORY_TITLES[k]: "[missing]" if v is None else "Text." for k, v in
                                        ratings.items()}}
    for title, text in body.items():
        lines += ["", f"## {title}", "", text]
    return "\n".join(lines) + "\n"


SOME_NULL = {**{k: "3.00" for k in CATEGORY_TITLES}, "civil-society": None, "corruption": None}


def test_a_draft_with_null_ratings_shows_its_stated_figures(tmp_path):
    reports, problems = load(tmp_path, draft_text(SOME_NULL, "democracy_score: 3.25\ndemocracy_percentage: 37.50"))
    assert [p.severity for p in problems] == ["warning"], [str(p) for p in problems]
    (report,) = reports
    assert str(report.score) == "3.25" and str(report.scores["democracy-percentage"]) == "37.50"
    assert report.status.name == "Transitional or Hybrid Regime"
    assert "civil-society" not in report.source.ratings and len(report.category_ratings) == 5
    assert [s.placeholder for s in report.sections if s.category and s.category.key == "corruption"] == [True]
    assert problems[0].message == ("2 sections have no text ([missing]) and no rating (null): "
                                   "Civil Society, Corruption")


@pytest.mark.parametrize("text, message", [
    (draft_text(SOME_NULL), "a draft with null ratings needs the source's democracy_score"),
    (draft_text(SOME_NULL, "democracy_score: 3.25\ndemocracy_percentage: 40.00"),
     "democracy_percentage: stated 40.00 but the democracy_score 3.25 gives about 37.50"),
    (draft_text(SOME_NULL, "democracy_score: 3.25\nstatus: Consolidated Democracy"),
     "status: stated 'Consolidated Democracy' but the Democracy Score 3.25 gives"),
    (draft_text(SOME_NULL, "democracy_score: 3.25").replace("draft: true", "draft: maybe"),
     "'draft' must be true or false"),
    (report_text(ratings={**{k: 3.0 for k in CATEGORY_TITLES}}).replace("corruption: 3.00", "corruption: null"),
     "rating for 'corruption' is empty: give the rating (only a draft, 'draft: true', may leave it null)"),
])
def test_draft_mistakes_are_errors_with_their_fix(tmp_path, text, message):
    _, problems = load(tmp_path, text)
    assert any(message in p.message and p.severity == "error" for p in problems), [str(p) for p in problems]


def test_all_placeholders_of_a_file_are_one_warning_naming_each_once(tmp_path):
    ratings = {**{k: "3.00" for k in CATEGORY_TITLES}, "civil-society": None, "electoral-process": None}
    sections = {"Executive Summary": "[missing]",
                **{t: ("[missing]" if k in ("civil-society", "corruption") else "Text.")
                   for k, t in CATEGORY_TITLES.items()}}
    reports, problems = load(tmp_path, draft_text(ratings, "democracy_score: 3.00", sections))
    (warning,) = problems
    assert warning.severity == "warning"
    assert warning.message == ("1 section has no text ([missing]) and no rating (null): Civil Society; "
                               "2 sections have no text ([missing]): Executive Summary, Corruption; "
                               "1 rating is not given (null): Electoral Process")
    assert warning.line == next(i for i, line in enumerate(
        draft_text(ratings, "democracy_score: 3.00", sections).split("\n"), 1) if line == "## Executive Summary")


def test_a_report_with_every_rating_may_have_a_placeholder_section_and_is_not_a_draft(tmp_path):
    text = report_text(sections={"Executive Summary": "[missing]",
                                 **{t: "Text." for t in CATEGORY_TITLES.values()}})
    reports, problems = load(tmp_path, text)
    assert [p.message for p in problems] == ["1 section has no text ([missing]): Executive Summary"]
    assert reports[0].sections[0].placeholder and reports[0].sections[0].html == ""
