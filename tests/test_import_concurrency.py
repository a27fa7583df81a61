"""Import never replaces a file without --force, and creates files exclusively: of two imports
of the same report at once, exactly one writes it and the other says why it did not."""
from __future__ import annotations

import io
import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from publisher.importer.cli import main
from publisher.importer.model import ImportFailure
from publisher.importer.write import write_new

from conftest import data_folder
from import_helpers import FIXTURES, run_import

COMPLETE = FIXTURES / "complete_new_layout.txt"
ROUNDS = 20
FORK = multiprocessing.get_context("fork")


def _run(barrier, results, args: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    barrier.wait()
    code = main(args, out=out, err=err)
    results.put((code, out.getvalue(), err.getvalue()))


def race(args_a: list[str], args_b: list[str]) -> list[tuple[int, str, str]]:
    """Run two imports in two processes released at the same moment; their (code, out, err)."""
    barrier, results = FORK.Barrier(2), FORK.Queue()
    data = ["--data", str(data_folder())]  # made here, before the fork, so both read the same
    workers = [FORK.Process(target=_run, args=(barrier, results, [*args, *data]))
               for args in (args_a, args_b)]
    for worker in workers:
        worker.start()
    outcome = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return outcome


def test_two_imports_of_the_same_report_at_once_never_both_write(tmp_path: Path):
    for round_ in range(ROUNDS):
        content = tmp_path / f"round{round_}"
        outcome = race([str(COMPLETE), "--content", str(content)], [str(COMPLETE), "--content", str(content)])
        codes = sorted(code for code, _, _ in outcome)
        assert codes == [0, 1], (round_, outcome)
        winner = next(o for o in outcome if o[0] == 0)
        loser = next(o for o in outcome if o[0] == 1)
        target = content / "reports" / "moldavia-minor" / "2021.md"
        assert f"written: {target}" in winner[1]
        assert "written: nothing" in loser[1] and "already exists; use --force" in loser[2]
        assert target.read_text(encoding="utf-8").startswith("---\ncountry: Moldavia Minor")
        assert [p.name for p in target.parent.iterdir()] == ["2021.md"]  # no temporary file left


def test_two_imports_writing_the_same_report_file_at_once_never_both_write_it(tmp_path: Path):
    for round_ in range(ROUNDS):
        report = tmp_path / f"report{round_}.json"
        outcome = race([str(COMPLETE), "--content", str(tmp_path / f"a{round_}"), "--report", str(report)],
                       [str(COMPLETE), "--content", str(tmp_path / f"b{round_}"), "--report", str(report)])
        codes = sorted(code for code, _, _ in outcome)
        assert codes[0] == 0 and codes[1] in (1, 2), (round_, outcome)
        loser = next(o for o in outcome if o[0] != 0)
        assert "already exists" in loser[2] and "--force" in loser[2]
        assert len(json.loads(report.read_text(encoding="utf-8"))) == 1


def test_write_new_from_two_threads_at_once_lets_exactly_one_win(tmp_path: Path):
    for round_ in range(ROUNDS):
        target = tmp_path / str(round_) / "2015.md"
        barrier, outcome = threading.Barrier(2), []

        def attempt(text: str) -> None:
            barrier.wait()
            try:
                write_new(target, text)
                outcome.append(("written", text))
            except ImportFailure as error:
                outcome.append(("refused", str(error)))

        threads = [threading.Thread(target=attempt, args=(name * 10_000,)) for name in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(kind for kind, _ in outcome) == ["refused", "written"], outcome
        written = next(text for kind, text in outcome if kind == "written")
        assert target.read_text() == written  # whole, and the winner's
        assert "already exists; use --force" in next(text for kind, text in outcome if kind == "refused")


@pytest.mark.parametrize("existing", ["file", "symlink", "dangling symlink", "folder"])
def test_nothing_in_the_way_is_ever_replaced_without_force(tmp_path: Path, existing: str):
    target = tmp_path / "reports" / "testland" / "2015.md"
    target.parent.mkdir(parents=True)
    other = tmp_path / "other.txt"
    other.write_text("someone else's file", encoding="utf-8")
    if existing == "file":
        target.write_text("edited by hand", encoding="utf-8")
    elif existing == "symlink":
        target.symlink_to(other)
    elif existing == "dangling symlink":
        target.symlink_to(tmp_path / "nowhere")
    else:
        target.mkdir()
    with pytest.raises(ImportFailure, match="already exists; use --force"):
        write_new(target, "new text")
    assert other.read_text(encoding="utf-8") == "someone else's file"
    if existing == "file":
        assert target.read_text(encoding="utf-8") == "edited by hand"


def test_the_report_file_is_never_replaced_without_force(tmp_path: Path):
    report = tmp_path / "import-report.json"
    report.write_text("my notes", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = [str(COMPLETE), "--content", str(tmp_path / "c"), "--data", str(data_folder()), "--report", str(report)]
    assert main(args, out=out, err=err) == 2
    assert "already exists; use --force" in err.getvalue()
    assert report.read_text(encoding="utf-8") == "my notes"
    assert not (tmp_path / "c").exists()  # refused before anything was imported
    assert main([*args, "--force"], out=io.StringIO(), err=io.StringIO()) == 0
    assert json.loads(report.read_text(encoding="utf-8"))[0]["written"]


def test_the_report_file_never_goes_into_the_content_folder(tmp_path: Path):
    content = tmp_path / "content"
    assert run_import([str(COMPLETE), "--content", str(content)], tmp_path)[0] == 0
    target = content / "reports" / "moldavia-minor" / "2021.md"
    before = target.read_text(encoding="utf-8")
    for extra in ([], ["--force"]):
        out, err = io.StringIO(), io.StringIO()
        code = main([str(COMPLETE), "--content", str(content), "--data", str(data_folder()),
                     "--report", str(target), *extra], out=out, err=err)
        assert code == 2 and "is inside" in err.getvalue()
        assert target.read_text(encoding="utf-8") == before  # the content file is not JSON now
