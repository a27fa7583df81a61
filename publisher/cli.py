"""Command-line interface: argument parsing only; the work is in pipeline/serve/importer."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentError, Problem
from .write import BuildLocked

COMMANDS = ("build", "check", "serve", "import")
WARNINGS_SHOWN = 10  # a build lists a few; `check` lists every warning


def main(argv: list[str]) -> int:
    if argv and argv[0] == "import":
        from .importer.cli import main as import_main

        return import_main(argv[1:])
    command = argv[0] if argv and argv[0] in COMMANDS else "build"
    args = _parser(command).parse_args(argv[1:] if argv and argv[0] in COMMANDS else argv)
    try:
        if command == "check":
            return _check(args)
        if command == "serve":
            from .serve import serve

            return serve(_paths(args), Path(args.out), args.host, args.port, args.base_url,
                         search=args.search)
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


def _parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"build.py {command}" if command != "build" else "build.py",
        description={
            "build": "Validate the content and render the site.",
            "check": "Validate the content only and print a summary.",
            "serve": "Build, serve on localhost, rebuild and reload the browser on every change.",
        }[command],
    )
    parser.add_argument("--content", default="content", help="content folder (default: content/)")
    parser.add_argument("--root", default=".", help="project folder holding data/, templates/, "
                        "static/ and site.yaml (default: .)")
    if command in ("build", "serve"):
        parser.add_argument("--out", default="site", help="output folder (default: site/)")
        parser.add_argument("--base-url", default=None, help="path the site is served under, "
                            "e.g. /reports-site/ (default: base_url in site.yaml, else /)")
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
    return parser


def _paths(args: argparse.Namespace):
    from .pipeline import Paths

    return Paths.at(Path(args.root), Path(args.content))


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build

    result = build(_paths(args), Path(args.out), args.base_url, search=not args.no_search)
    _print_problems(result.warnings[:WARNINGS_SHOWN])
    if len(result.warnings) > WARNINGS_SHOWN:
        print(f"… and {len(result.warnings) - WARNINGS_SHOWN} more warning(s); "
              "'python build.py check' lists them all.", file=sys.stderr)
    print(f"Built {result.reports} report(s), {result.files} file(s) into {args.out}/ "
          f"in {result.seconds:.2f} s ({len(result.warnings)} warning(s)).")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .pipeline import load_site

    try:
        data, problems = load_site(_paths(args))
        reports = len(data.reports)
    except ContentError as error:
        from .load import find_report_files

        problems, reports = error.problems, len(find_report_files(_paths(args).content))
    _print_problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    failing = len({p.path for p in problems if p.severity == "error"})
    status = "OK" if errors == 0 else "FAILED"
    print(f"check {status}: {reports} report(s){f' ({failing} file(s) with errors)' if failing else ''}, "
          f"{warnings} warning(s), {errors} error(s)")
    return 0 if errors == 0 else 1


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
