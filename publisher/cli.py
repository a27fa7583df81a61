"""Command line: one parser per command, each with its own --help; the work is in pipeline,
serve, scaffold and importer.

    build.py [build] [options]      validate and render the site (the default command)
    build.py check [options]        validate only; list every problem
    build.py serve [options]        preview with live reload
    build.py new COUNTRY EDITION    start a report from the country's previous edition
    build.py import RAW.txt ...     turn scraped report pages into content files
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import TextIO

from . import VERSION
from .errors import ContentError, Problem, grouped
from .write import BuildLocked

COMMANDS = {
    "build": "validate the content and render the site (the default command)",
    "check": "validate the content only and list every problem",
    "serve": "build, preview on localhost, rebuild and reload the browser on every save",
    "new": "start a report: content/reports/[<series>/]<country>/<edition>.md from the previous edition",
    "import": "turn scraped report pages into content files (build.py import --help)",
}
WARNINGS_SHOWN = 10  # a build lists a few (grouped); `check` lists them all


def main(argv: list[str]) -> int:
    if argv[:1] == ["import"]:
        from .importer.cli import main as import_main

        return import_main(argv[1:])
    if argv[:1] in (["-h"], ["--help"]):
        _overview().print_help()
        return 0
    if argv[:1] in (["-V"], ["--version"]):
        print(f"build.py (report publisher) {VERSION}")
        return 0
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        return _unknown_command(argv[0])
    command = argv[0] if argv and argv[0] in COMMANDS else "build"
    args = _parser(command).parse_args(argv[1:] if argv and argv[0] in COMMANDS else argv)
    try:
        if command == "check":
            return _check(args)
        if command == "serve":
            from .serve import serve

            return serve(_project(args), Path(args.out), args.host, args.port, args.base_url,
                         search=args.search, drafts=not args.no_drafts)
        if command == "new":
            from .scaffold import new_report

            return new_report(_project(args), args.country, args.edition, args.series)
        return _build(args)
    except ContentError as error:
        _print_problems(error.problems)
        errors = sum(1 for p in error.problems if p.severity == "error")
        print(f"Build failed: {errors} error(s); the previous output was left untouched.",
              file=sys.stderr)
        return 1
    except BuildLocked as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _unknown_command(word: str) -> int:
    close = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.6)
    hint = (f"did you mean '{close[0]}'?" if close
            else "the commands are: " + ", ".join(COMMANDS))
    print(f"build.py: unknown command '{word}'; {hint} (build.py --help lists them)",
          file=sys.stderr)
    return 2


def _overview() -> argparse.ArgumentParser:
    """`build.py --help`: every command, then the options of the default one (build)."""
    parser = _parser("build")
    parser.usage = "build.py [COMMAND] [options]"
    parser.description = ("Static-site publisher for country democracy reports. Without a "
                          "command, builds the site.")
    parser.epilog = ("commands:\n" + "\n".join(f"  {name:<8} {text}" for name, text in COMMANDS.items())
                     + "\n\n'build.py COMMAND --help' shows a command's options; "
                       "'build.py --version' the version.")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def _parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py" if command == "build" else f"build.py {command}",
        description=COMMANDS[command][0].upper() + COMMANDS[command][1:] + ".")
    if command == "new":
        parser.add_argument("country", help="the country's name, e.g. Kazakhstan")
        parser.add_argument("edition", type=int, help="the edition's year, e.g. 2016")
        parser.add_argument("--series", default=None, help="the series' key (data/series/<key>.yaml); "
                            "needed when the site has several, e.g. --series fiw")
    parser.add_argument("--content", default="content", help="content folder (default: content/)")
    parser.add_argument("--root", default=".", help="project folder holding data/, templates/, "
                        "static/ and site.yaml (default: .)")
    if command in ("build", "serve"):
        parser.add_argument("--out", default="site", help="output folder (default: site/)")
        parser.add_argument("--base-url", default=None, help="path the site is served under, "
                            "e.g. /reports-site/ (default: base_url in site.yaml, else /)")
    if command in ("build", "check"):
        parser.add_argument("--drafts", action="store_true",
                            help="include reports marked 'draft: true' (left out by default)")
        parser.add_argument("-q", "--quiet", action="store_true",
                            help="print errors and the summary line only")
    if command == "check":
        parser.add_argument("-v", "--verbose", action="store_true",
                            help="list every warning one by one (default: grouped per file)")
    if command == "build":
        parser.add_argument("--no-search", action="store_true",
                            help="skip the full-text search index (faster; search page offers browsing)")
    if command == "serve":
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000,
                            help="port (default: 8000; 0 picks a free one)")
        parser.add_argument("--search", action="store_true",
                            help="also rebuild the full-text search index after each change (slow "
                                 "on big sites; without it the preview's search page offers browsing)")
        parser.add_argument("--no-drafts", action="store_true",
                            help="leave drafts out, as a published build does (default: show them, "
                                 "marked as drafts)")
    return parser


def _project(args: argparse.Namespace):
    from .inputs import Project

    return Project.at(Path(args.root), Path(args.content))


def _build(args: argparse.Namespace) -> int:
    from .pipeline import Builder

    progress = Progress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    builder = Builder(_project(args), progress=progress, drafts=args.drafts)
    try:
        result = builder.build(Path(args.out), args.base_url, not args.no_search)
        builder.tidy(Path(args.out))
        builder.prune_cache()
    finally:
        if progress is not None:
            progress.clear()
    if not args.quiet:
        shown = grouped(result.warnings)
        _print_problems(shown[:WARNINGS_SHOWN])
        if len(shown) > WARNINGS_SHOWN:
            print(f"… and {len(shown) - WARNINGS_SHOWN} more; 'build.py check' lists them all.",
                  file=sys.stderr)
    drafts = f", {result.drafts} draft(s) left out" if result.drafts else ""
    print(f"Built {result.reports} report(s){drafts}, {result.files} file(s) into {args.out}/ "
          f"in {result.seconds:.2f} s ({len(result.warnings)} warning(s)).")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .pipeline import Builder

    builder = Builder(_project(args), drafts=args.drafts)
    try:
        site, problems = builder.load()
        reports: int | None = len(site.reports)
    except ContentError as error:
        problems, reports = error.problems, None
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if args.quiet:
        _print_problems(errors)
    else:
        _print_problems(problems if args.verbose else grouped(problems))
    files = builder.report_files()
    status = "OK" if not errors else "FAILED"
    counted = (f"{reports} report(s)" if reports is not None
               else f"{files} report file(s)")
    drafts = f" ({builder.drafts_left_out} draft(s) left out)" if builder.drafts_left_out else ""
    print(f"check {status}: {counted}{drafts}, {len(warnings)} warning(s), {len(errors)} error(s)")
    return 0 if not errors else 1


def _print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    for problem in problems:
        print(problem, file=stream or sys.stderr)


class Progress:
    """One line on a terminal, rewritten as the build goes: `reports 120/300`, `pages 40/900`."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.shown = False

    def __call__(self, step: str, done: int, total: int) -> None:
        if total < 2:
            return
        self.stream.write(f"\r\x1b[2K  {step} {done}/{total}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
