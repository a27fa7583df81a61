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

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {label}{self.message}"


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
