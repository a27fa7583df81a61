"""Content errors: every problem names a file and a line, so an editor can jump to it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in the content: `path:line: message`."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"
    code: str = ""  # the kind of problem, for grouping many of one kind (see GROUPS)

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {label}{self.message}"


# Problems that come by the dozen in one file, and how a group of them is summed up.
GROUPS = {"missing-note": "notes have no text yet ([missing]; 'build.py check --verbose' "
                          "lists each)"}


def grouped(problems: list[Problem]) -> list[Problem]:
    """The problems with each file's many of one kind (see GROUPS) summed up as one, at the
    line of the first; the rest as they are, in order."""
    counts: dict[tuple[str, str], int] = {}
    for problem in problems:
        if problem.code in GROUPS:
            counts[(problem.path, problem.code)] = counts.get((problem.path, problem.code), 0) + 1
    result, done = [], set()
    for problem in problems:
        key = (problem.path, problem.code)
        if counts.get(key, 0) < 2:
            result.append(problem)
        elif key not in done:
            done.add(key)
            result.append(Problem(problem.path, problem.line,
                                  f"{counts[key]} {GROUPS[problem.code]}", problem.severity,
                                  problem.code))
    return result


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def error_problems(error: BaseException, templates: Path) -> list[Problem]:
    """Problems naming a file and line for any build error (content, template, disk or other)."""
    import traceback

    from jinja2 import TemplateSyntaxError

    if isinstance(error, ContentError):
        return list(error.problems)
    if isinstance(error, TemplateSyntaxError):
        where = error.filename or str(templates / (error.name or "?"))
        return [Problem(display_path(where), error.lineno or 0, f"template error: {error.message}")]
    if isinstance(error, OSError):
        return [disk_problem(error)]
    where, line = "build", 0
    templates_dir = str(templates.resolve())
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(templates_dir):
            where, line = display_path(filename), lineno
    return [Problem(where, line, f"{'template error: ' if line else ''}"
                                 f"{type(error).__name__}: {error}")]


def disk_problem(error: OSError) -> Problem:
    """A file-system failure (no space left, a read-only folder, permissions) as one problem
    naming the path it concerns and what to do."""
    import errno

    where = display_path(error.filename) if error.filename else "build"
    reason = (error.strerror or str(error)).lower()
    advice = {errno.ENOSPC: "free some space and build again",
              errno.EDQUOT: "free some space and build again",
              errno.EROFS: "build into a writable folder (--out)",
              errno.EACCES: "check the folder's permissions"}.get(error.errno, "")
    return Problem(where, 0, reason + (f": {advice}" if advice else ""))
