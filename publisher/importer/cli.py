"""`python build.py import RAW.txt [RAW2.txt ...] [options]`: raw scraped pages -> content files.

Each file is handled on its own: a bad one is reported and the rest go on; the exit status is 1
if any failed. Nothing is written for a page that is refused or incomplete (unless `--partial`
asks for a draft), but its summary and its `--report` entry still carry everything recovered.
No existing file of any kind, content or `--report`, is replaced without `--force`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from ..definitions import load_definitions
from ..errors import ContentError
from ..reportfields import change_field
from .identify import read_raw
from .model import ImportFailure, ParsedReport
from .pipeline import Overrides, as_draft, draft_blocker, missing_parts, parse_page
from .write import MISSING, content_path, render, write_new


@dataclass
class Outcome:
    source: str
    report: ParsedReport | None = None
    written: str | None = None
    problems: list[str] = field(default_factory=list)
    failed: bool = False
    draft: bool = False  # written with --partial, placeholders for what the page lacks


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit 2 with a traceback-free text
        raise ImportFailure(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py import", description="Import scraped report pages of the series "
                                                         "data/series/ defines.")
    parser.add_argument("files", nargs="+", metavar="RAW.txt")
    parser.add_argument("--content", default="content", help="content folder (default: content)")
    parser.add_argument("--data", default="data", help="shared definitions folder (default: data)")
    parser.add_argument("--source-url", help="the page's address, e.g. .../country/<country>/<series>/<year> "
                                             "(it names the country, the series and the edition)")
    parser.add_argument("--country", help="the country's name, when the page does not say")
    parser.add_argument("--edition", type=int, help="the edition year, when the page does not say")
    parser.add_argument("--force", action="store_true",
                        help="overwrite existing content files and an existing --report file")
    parser.add_argument("--partial", action="store_true",
                        help="write an incomplete page as a draft (draft: true) with a placeholder for "
                             "each missing part; never replaces an existing file")
    parser.add_argument("--report", metavar="FILE.json",
                        help="write a JSON report of every input (a new file, unless --force)")
    return parser


def main(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        if args.edition is not None and not 1990 <= args.edition <= 2100:
            raise ImportFailure(f"--edition {args.edition} is not a plausible edition year")
        definitions = load_definitions(Path(args.data))
    except ImportFailure as error:
        print(f"import: error: {error}", file=err)
        return 2
    except ContentError as error:
        print(f"import: cannot read the shared definitions:\n{error}", file=err)
        return 2
    try:
        _check_report_target(args)
    except ImportFailure as error:
        print(f"import: error: {error}", file=err)
        return 2
    overrides = Overrides(args.source_url, args.country, args.edition)
    outcomes = [import_file(Path(f), definitions, overrides, Path(args.content), args.force, args.partial)
                for f in args.files]
    for outcome in outcomes:
        print_summary(outcome, out)
        print_next_steps(outcome, args.content, out, args.data)
    if args.report:
        text = json.dumps([report_entry(o) for o in outcomes], ensure_ascii=False, indent=2) + "\n"
        try:
            write_new(Path(args.report), text, args.force)
        except ImportFailure as error:
            print(f"import: error: the report was not written: {error}", file=err)
            return 1
    failed = [o for o in outcomes if o.failed]
    for outcome in failed:
        print(f"{outcome.source}: error: {'; '.join(outcome.problems[-1:])}", file=err)
    return 1 if failed else 0


def _check_report_target(args) -> None:
    """Refuse a `--report` file before importing anything, so no content is written in vain."""
    if not args.report:
        return
    report = Path(args.report)
    reports_dir = Path(args.content) / "reports"
    if report.resolve().is_relative_to(reports_dir.resolve()):
        raise ImportFailure(f"--report {report} is inside {reports_dir}, where every file is read as a "
                            "report; write the JSON report somewhere else")
    if os.path.lexists(report) and not args.force:
        raise ImportFailure(f"--report {report} already exists; use --force to overwrite it, "
                            "or name a new file")


def import_file(path: Path, definitions, overrides: Overrides, content_dir: Path, force: bool,
                partial: bool = False) -> Outcome:
    """Import one page; every failure becomes a message in the outcome, never an exception."""
    outcome = Outcome(str(path))
    try:
        text = read_raw(path)
        report = parse_page(text, definitions, overrides)
        outcome.report = report
        outcome.problems.extend(report.problems)
        missing = missing_parts(report)
        if missing and not partial:
            raise ImportFailure("incomplete page, nothing written; missing " + "; ".join(missing)
                                + " (--partial writes it as a draft with placeholders)")
        if missing:
            blocker = draft_blocker(report)
            if blocker:
                raise ImportFailure("incomplete page, not even a draft written; missing " + blocker)
            report = outcome.report = as_draft(report)
            outcome.draft = True
            outcome.problems.append("incomplete page, written as a draft with placeholders; missing "
                                    + "; ".join(missing))
        target = content_path(content_dir, report, len(definitions.series) > 1)
        if outcome.draft and os.path.lexists(target):
            # A draft must never take the place of a report, not even with --force.
            raise ImportFailure(f"{target} already exists; a partial import never replaces a file "
                                "(move it away first if the draft should take its place)")
        write_new(target, render(report), force and not outcome.draft)
        outcome.written = str(target)
    except ImportFailure as error:
        outcome.failed = True
        outcome.problems.append(str(error))
    except Exception as error:  # a bug must not stop the other files or print a traceback
        outcome.failed = True
        outcome.problems.append(f"internal error while importing ({type(error).__name__}: {error}); "
                                "nothing written, please report this page")
    return outcome


def _num(value: Decimal | None):
    return None if value is None else float(value)


def section_entry(section) -> dict:
    return {
        "title": section.title,
        "category": section.category,
        "placeholder": section.placeholder,
        "references": len(section.notes),
        "notes_with_text": sum(1 for n in section.notes if n.text),
        "missing_notes": sum(1 for n in section.notes if not n.text),
        "orphan_notes": len(section.orphan_notes),
        "uncertain": [{"what": u.what, "where": u.where, "considered": list(u.considered), "taken": u.taken}
                      for u in section.uncertain],
    }


def _score_name(report: ParsedReport, key: str) -> str:
    score = report.series.score(key)
    return score.field or key


def _previous(r: ParsedReport | None) -> dict | None:
    if r is None or r.previous is None:
        return None
    entry = {_score_name(r, key): _num(value) if isinstance(value, Decimal) else value
             for key, value in r.previous.scores.items()}
    entry["status"] = r.previous.status
    return entry


def _change(r: ParsedReport, key: str) -> dict | None:
    if not r.score_change or r.score_change[0] != key:
        return None
    return {"from": _num(r.score_change[1]), "to": _num(r.score_change[2])}


def report_entry(outcome: Outcome) -> dict:
    """The `--report` object for one input (its fields are listed in the README's Import section)."""
    r = outcome.report
    entry = {"source": outcome.source, "written": outcome.written, "draft": outcome.draft,
             "problems": list(outcome.problems)}
    entry.update({
        "series": r.series.key if r else None,
        "country": r.country if r else None,
        "edition": r.edition if r else None,
        "scale": r.scale if r else None,
        "status": r.status if r else None,
        "scores": {key: _num(value) for key, value in r.scores.items()} if r else {},
    })
    if r:  # a series' own front-matter fields for its scores (democracy_score, ...)
        entry.update({s.field: _num(r.scores.get(s.key)) for s in r.series.scores if s.field})
    entry.update({
        "previous": _previous(r),
        "score_changes": ([{"category": c.category, "from": _num(c.before), "to": _num(c.after)}
                           for c in r.score_changes] if r and r.score_changes is not None else None),
    })
    if r:  # and the stated change of those scores (democracy_score_change)
        entry.update({change_field(r.series): _change(r, s.key) for s in r.series.scores
                      if s.field and s.key == r.series.main})
    entry.update({
        "ratings": {k: _num(v) for k, v in r.ratings.items() if v is not None} if r else {},
        "authors": list(r.authors) if r else [],
        "sections": [section_entry(s) for s in r.sections] if r else [],
    })
    return entry


def print_summary(outcome: Outcome, out: TextIO) -> None:
    r = outcome.report
    print(f"== {outcome.source}", file=out)
    if r is not None:
        series = r.series
        facts = [
            ("series", series.name), ("country", r.country), ("edition", r.edition), ("scale", r.scale),
            ("status", r.status),
            *[(s.title.lower(), r.scores.get(s.key)) for s in series.scores],
            ("previous", ", ".join([f"{series.score(k).title} {v}" for k, v in r.previous.scores.items()]
                                   + ([r.previous.status] if r.previous.status else [])) or None
             if r.previous else None),
            ("ratings", ", ".join(f"{k} {v}" for k, v in r.ratings.items() if v is not None) or None),
            ("score changes", "none" if r.score_changes == [] else
             ", ".join(f"{c.category} {c.before}->{c.after}" for c in r.score_changes or []) or None),
            ("score change", f"{series.score(r.score_change[0]).title} {r.score_change[1]}->{r.score_change[2]}"
             if r.score_change else None),
            ("authors", ", ".join(r.authors) or None),
            ("other scores", ", ".join(f"{o.label} {o.score}/{o.max} {o.status or ''}".strip()
                                       for o in r.other_scores) or None),
            ("source", r.source_url),
        ]
        for label, value in facts:
            print(f"  {label}: {value if value is not None else '-'}", file=out)
        print("  sections (references / notes with text / missing notes / orphan note texts):", file=out)
        for s in r.sections:
            e = section_entry(s)
            if s.placeholder:
                print(f"    {s.title}: not in the page ({MISSING} placeholder)", file=out)
                continue
            print(f"    {s.title}: {e['references']} / {e['notes_with_text']} / "
                  f"{e['missing_notes']} / {e['orphan_notes']}", file=out)
        print_uncertain(r, out)
        if r.dropped:
            print(f"  dropped ({len(r.dropped)}):", file=out)
            for item in r.dropped:
                shown = item if len(item) <= 70 else item[:67] + "..."
                print(f"    - {shown}", file=out)
    for problem in outcome.problems:
        print(f"  problem: {problem}", file=out)
    if outcome.written:
        print(f"  written: {outcome.written}" + (" (a draft: draft: true)" if outcome.draft else ""), file=out)
    else:
        print("  written: nothing", file=out)


def print_uncertain(report: ParsedReport, out: TextIO) -> None:
    """The choices made on weak evidence, per section: what, where, what was weighed, what won."""
    choices = [(s.title, u) for s in report.sections for u in s.uncertain]
    if not choices:
        return
    print(f"  low-confidence choices ({len(choices)}; check them in the content file):", file=out)
    for title, choice in choices:
        print(f"    {title}, {choice.what}: {choice.taken}", file=out)
        print(f"      at: {choice.where}", file=out)
        print(f"      considered: {'; '.join(choice.considered)}", file=out)


def print_next_steps(outcome: Outcome, content: str, out: TextIO, data: str = "data") -> None:
    """After a written page: how to check and preview it, and what is left to fill in."""
    r = outcome.report
    if not outcome.written or r is None:
        return
    option = "" if content == "content" else f" --content {content}"
    if Path(data).name == "data" and Path(data).resolve() != Path("data").resolve():
        option += f" --root {Path(data).parent}"  # check and serve read <root>/data
    print("  next steps:", file=out)
    drafts = " --drafts" if outcome.draft else ""  # check counts drafts only when asked to
    print(f"    python build.py check{option}{drafts}        # validate it with the rest of the content",
          file=out)
    # On a site of several series (reports/<series>/<country>/...) addresses name the series too:
    # the page is named by its file there.
    place = Path(outcome.written).relative_to(Path(content) / "reports")
    page = (f"its page, from {(Path('reports') / place).as_posix()}" if len(place.parts) > 2
            else f"it at /countries/{place.parts[0]}/{r.edition}/")
    print(f"    python build.py serve{option}        # preview {page}"
          + (" (a preview shows drafts; a published build leaves them out)" if outcome.draft else ""), file=out)
    missing = [(s.title, sum(1 for n in s.notes if not n.text)) for s in r.sections]
    missing = [(title, count) for title, count in missing if count]
    if missing:
        total = sum(count for _, count in missing)
        print(f"    {total} note text{'s' if total != 1 else ''} still {MISSING} ("
              + ", ".join(f"{title} {count}" for title, count in missing)
              + f"): fill them in {outcome.written} when you have them", file=out)
    if outcome.draft:
        placeholders = [s.title for s in r.sections if s.placeholder]
        unrated = [k for k, v in r.ratings.items() if v is None]
        parts = ([f"{len(placeholders)} section{'s' if len(placeholders) != 1 else ''} {MISSING}"]
                 if placeholders else []) + ([f"{len(unrated)} rating{'s' if len(unrated) != 1 else ''} null"]
                                             if unrated else [])
        print(f"    a draft: fill in the placeholders ({', '.join(parts)}), then remove 'draft: true'",
              file=out)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
