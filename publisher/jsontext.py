"""Indented JSON text, byte for byte what `json.dumps(value, ensure_ascii=False, indent=2)`
writes, several times faster.

The standard library's C encoder cannot indent, so `json.dumps(..., indent=2)` runs its pure
Python encoder, a chain of generators with a `yield` per token: ~1 ms for a report's
`report.json`, one per report on every full build. This writes the same text with one plain
recursive function (strings still escaped by the C `encode_basestring`). tests/test_jsontext.py
compares it with `json.dumps` on arbitrary values.
"""
from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

_INFINITY = float("inf")


def indented(value: Any, indent: str = "  ") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=len(indent))` (the same text)."""
    out: list[str] = []
    _encode(value, out, "\n", indent)
    return "".join(out)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dict key as JSON's encoder turns it into text (the same order of tests)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _encode(value: Any, out: list[str], newline: str, indent: str) -> None:
    """Append `value`'s text to `out`; `newline` is a line break and the current indentation."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + indent
        opening = "[" + inner
        separator = "," + inner
        for item in value:
            out.append(opening)
            opening = separator
            _encode(item, out, inner, indent)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + indent
        opening = "{" + inner
        separator = "," + inner
        for key, item in value.items():
            out.append(opening + encode_basestring(_key(key)) + ": ")
            opening = separator
            _encode(item, out, inner, indent)
        out.append(newline + "}")
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
