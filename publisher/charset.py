"""Which characters content may hold: none that break the XML feed, the HTML or a terminal.

Refused everywhere (written raw in a file or as a YAML escape such as "\\0"): the C0 controls
except tab and newline, DEL, the C1 controls, unpaired surrogates (only an escape can make
one, and no encoder can write it) and the non-characters U+FFFE and U+FFFF. None of them is
allowed in XML 1.0, so one of them in a summary makes `feed.xml` ill-formed, and none has a
use in a report. U+2028 and U+2029 (line and paragraph separator) are whitespace: front-matter
text collapses them into a space like any line break; in the body they are kept as written,
which is valid HTML.
"""
from __future__ import annotations

import re
import unicodedata

FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Raw carriage returns are read as line ends before the check (see `load`); an escaped one
# ("\r") in a YAML value is refused like the other controls.

CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
    0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
}


def first_forbidden(text: str, start: int = 0) -> int | None:
    """Index of the first character content may not hold, or None."""
    match = FORBIDDEN_RE.search(text, start)
    return match.start() if match else None


def describe(char: str) -> str:
    """'U+0007 (BEL)', 'U+0092 (a control character; as Windows-1252 it would be ’)' ..."""
    code = ord(char)
    label = f"U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return f"{label} (half of a surrogate pair, which is not a character)"
    if code in (0xFFFE, 0xFFFF):
        return f"{label} (a non-character)"
    name = CONTROL_NAMES.get(code)
    if 0x80 <= code <= 0x9F and name is None:
        # Text decoded as Latin-1 where it was Windows-1252 turns quotes and dashes into these.
        try:
            meant = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            meant = ""
        if meant and unicodedata.category(meant)[0] != "C":
            return f"{label} (a control character; probably a garbled '{meant}')"
    return f"{label} ({name or 'a control character'})"
