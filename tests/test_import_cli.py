"""The import command end to end: summaries, --report JSON, safety rules, and `build.py check`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


import yaml

from conftest import nit_root
from import_helpers import FIXTURES, REPO, definitions, run_import

COMPLETE = FIXTURES / "complete_new_layout.txt"
OLD_SCALE = FIXTURES / "complete_old_scale.txt"
REPORT_FIELDS = {"source", "written", "draft", "problems", "series", "country", "edition", "scale", "status",
                 "scores", "democracy_score",
                 "democracy_percentage", "previous", "score_changes", "democracy_score_change", "ratings",
                 "authors", "sections"}


def check(content: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "check", "--root", str(nit_root()),
                           "--content", str(content)], cwd=REPO, capture_output=True, text=True)


def test_complete_page_is_written_and_passes_the_build_check(tmp_path: Path):
    content = tmp_path / "content"
    code, out, err, entries = run_import([str(COMPLETE), "--content", str(content)], tmp_path)
    assert code == 0, err
    written = content / "reports" / "moldavia-minor" / "2021.md"
    assert entries[0]["written"] == str(written) and written.exists()
    assert set(entries[0]) == REPORT_FIELDS
    assert entries[0]["score_changes"] == [
        {"category": "civil-society", "from": 5.25, "to": 5.0},
        {"category": "judicial-framework-and-independence", "from": 3.5, "to": 3.25}]
    assert "Electoral Process: 3 / 1 / 2 / 0" in out  # references / with text / missing / orphans
    result = check(content)
    assert result.returncode == 0, result.stdout + result.stderr


def test_never_overwrites_without_force(tmp_path: Path):
    content = tmp_path / "content"
    assert run_import([str(COMPLETE), "--content", str(content)], tmp_path)[0] == 0
    target = content / "reports" / "moldavia-minor" / "2021.md"
    target.write_text("edited by hand", encoding="utf-8")
    code, _, err, entries = run_import([str(COMPLETE), "--content", str(content)], tmp_path)
    assert code == 1 and "--force" in err and entries[0]["written"] is None
    assert target.read_text(encoding="utf-8") == "edited by hand"
    assert run_import([str(COMPLETE), "--content", str(content), "--force"], tmp_path)[0] == 0
    assert target.read_text(encoding="utf-8").startswith("---\ncountry: Moldavia Minor")


def test_many_files_go_on_past_a_bad_one(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Democracy Score caf\xe9".encode("latin-1"))
    missing = tmp_path / "nope.txt"
    content = tmp_path / "content"
    code, out, err, entries = run_import(
        [str(empty), str(binary), str(latin), str(missing), str(COMPLETE), "--content", str(content)], tmp_path)
    assert code == 1
    assert [e["written"] is not None for e in entries] == [False, False, False, False, True]
    assert "empty" in entries[0]["problems"][-1]
    assert "binary" in entries[1]["problems"][-1]
    assert "UTF-8" in entries[2]["problems"][-1]
    assert "not found" in entries[3]["problems"][-1]
    assert "Traceback" not in out + err
    assert len(list(content.rglob("*.md"))) == 1


def test_unknown_identity_asks_for_it(tmp_path: Path):
    page = COMPLETE.read_text(encoding="utf-8").replace("Moldavia Minor", "the country")
    page = page.replace("Score changes in 2021", "Score changes").replace("Outlook for 2021.", "Outlook.")
    raw = tmp_path / "anonymous.txt"
    raw.write_text(page, encoding="utf-8")
    code, out, err, entries = run_import([str(raw), "--content", str(tmp_path / "c")], tmp_path)
    assert code == 1 and "--country" in err and "--edition" in err
    assert entries[0]["democracy_score"] == 3.89  # facts still reported
    code, *_ = run_import([str(raw), "--content", str(tmp_path / "c"), "--country", "Moldavia Minor",
                           "--edition", "2021"], tmp_path)
    assert code == 0
    assert (tmp_path / "c" / "reports" / "moldavia-minor" / "2021.md").exists()


def test_source_url_gives_identity_and_is_recorded(tmp_path: Path):
    page = COMPLETE.read_text(encoding="utf-8").replace("Moldavia Minor", "the country")
    raw = tmp_path / "page.txt"
    raw.write_text(page, encoding="utf-8")
    url = "https://freedomhouse.org/country/moldova/nations-transit/2021"
    code, _, err, entries = run_import([str(raw), "--content", str(tmp_path / "c"), "--source-url", url],
                                       tmp_path)
    assert code == 0, err
    written = Path(entries[0]["written"])
    assert written == tmp_path / "c" / "reports" / "moldova" / "2021.md"
    assert f'url: "{url}"' in written.read_text(encoding="utf-8")


def test_incomplete_page_writes_nothing_but_reports_what_it_found(tmp_path: Path):
    page = COMPLETE.read_text(encoding="utf-8")
    raw = tmp_path / "cut.txt"
    raw.write_text(page[: page.index("Independent Media 1.00")], encoding="utf-8")
    code, out, err, entries = run_import([str(raw), "--content", str(tmp_path / "c")], tmp_path)
    assert code == 1 and entries[0]["written"] is None
    assert "incomplete" in err and "Independent Media" in err
    assert entries[0]["ratings"]["civil-society"] == 5.0
    assert entries[0]["previous"] == {"democracy_percentage": 50, "status": "Semi-Consolidated Democracy"}
    assert not (tmp_path / "c").exists()


def test_other_report_types_are_refused_by_name(tmp_path: Path):
    raw = tmp_path / "fiw.txt"
    raw.write_text("Freedom in the World 2022 - Testland\n\nNot Free\nPolitical Rights 5 / 40\n"
                   "Civil Liberties 18 / 60\n", encoding="utf-8")
    code, _, err, entries = run_import([str(raw), "--content", str(tmp_path / "c")], tmp_path)
    assert code == 1 and "Freedom in the World" in err and entries[0]["written"] is None


def test_old_scale_page_is_converted_and_says_so(tmp_path: Path):
    code, out, err, entries = run_import([str(OLD_SCALE), "--content", str(tmp_path / "c")], tmp_path)
    assert code == 0, err
    entry = entries[0]
    assert entry["ratings"]["national-democratic-governance"] == 1.25  # old 6.75
    assert entry["democracy_score"] == 1.39  # old 6.61
    text = Path(entry["written"]).read_text(encoding="utf-8")
    note = next(era.note for era in definitions().primary.history if era.inverted)  # the definition's
    assert yaml.safe_load(text.split("---\n")[1])["source"]["note"] == note
    assert check(tmp_path / "c").returncode == 0


def test_bad_arguments_are_messages_not_tracebacks(tmp_path: Path):
    code, out, err, _ = run_import(["--edition", "abc", str(COMPLETE)], tmp_path)
    assert code == 2 and "edition" in err and "Traceback" not in err


def test_build_py_import_calls_this_command(tmp_path: Path):
    result = subprocess.run([sys.executable, "build.py", "import", str(COMPLETE), "--content",
                             str(tmp_path / "c")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "written:" in result.stdout


def test_address_and_page_disagreeing_is_reported_and_the_address_wins(tmp_path: Path):
    url = "https://freedomhouse.org/country/moldova/nations-transit/2021"
    code, _, _, entries = run_import([str(COMPLETE), "--content", str(tmp_path / "c"), "--source-url", url],
                                     tmp_path)
    assert code == 0
    assert entries[0]["country"] == "Moldova"
    assert any("Moldavia Minor" in p and "Moldova" in p for p in entries[0]["problems"])
