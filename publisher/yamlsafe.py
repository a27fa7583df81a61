"""YAML through the safe loader only, with line numbers for every key, and errors in plain words.

Content needs plain YAML: text, numbers, true/false, lists and mappings. Everything else is
refused with a message saying how to write it instead:

- aliases and anchors (`*name`, `&name`): refusing them makes an alias bomb ("billion
  laughs") impossible; a summary starting with `*` is told to use quotes;
- tags (`!!python/object`, `!!binary` ...) and the implicit dates and merge keys of YAML 1.1:
  a date in a text field stays the text it is, `<<` is an unknown field like any other;
- nesting deeper than `MAX_DEPTH`: the composer recurses, so 20,000 `[` would overflow the
  stack; no content file nests more than four levels;
- control characters, also written as escapes ("\\0"): see `charset`;
- duplicate keys, which in a report are almost always a copy-paste mistake.

PyYAML's own words (`expected <block end>, but found '<block mapping start>'`) name parser
states; `explain` turns each syntax error into what the editor did (a line indented more than
its neighbours, a quote left open, a missing colon, a tab) and how to fix it, on the line
where the fix goes.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
import yaml.reader

from . import charset

LinePath = tuple  # a path of keys / list indices from the document root
MAX_DEPTH = 32
KEPT_TYPES = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:int",
              "tag:yaml.org,2002:null")


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more digits than Python converts: the field's check says what is wrong
        return node.value


_SYNTAX_CHARACTER = {
    "*": "a value starting with '*' is read as a YAML alias, which content does not use: put "
         "the value in quotes",
    "&": "a value starting with '&' is read as a YAML anchor, which content does not use: put "
         "the value in quotes",
}


class _Loader(yaml.SafeLoader):
    """The safe loader, without aliases, anchors, tags, dates or merge keys, depth-limited."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag in KEPT_TYPES]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    yaml_constructors = {**yaml.SafeLoader.yaml_constructors,
                         "tag:yaml.org,2002:int": _construct_int}

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(event.start_mark.line + 1, _SYNTAX_CHARACTER["*"])
        if event.anchor is not None:
            raise YamlError(event.start_mark.line + 1, _SYNTAX_CHARACTER["&"])
        if event.tag is not None and event.tag != "!":
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlError(event.start_mark.line + 1, f"the YAML tag '{tag}' is not allowed: "
                            "remove it (values are plain text, numbers, true/false, lists and "
                            "mappings)")
        if isinstance(event, yaml.ScalarEvent):
            return super().compose_node(parent, index)
        self.depth += 1  # a list or mapping: the composer recurses into it
        if self.depth > MAX_DEPTH:
            raise YamlError(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep: "
                            "lists and mappings in content need only a few levels")
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[LinePath, int]]:
    """Parse YAML text; return the data and the line of every key/item, numbered from
    `first_line`; raise YamlError, in plain words, for anything content may not hold."""
    offset = first_line - 1
    lines: dict[LinePath, int] = {}
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            _check_node(node, (), lines, offset)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except YamlError as error:
        raise YamlError(error.line + offset, error.message) from None
    except yaml.MarkedYAMLError as error:
        line, message = explain(error, text)
        raise YamlError(line + offset, message) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise YamlError(line + offset, f"{charset.describe(chr(error.character))} is not "
                                       "allowed: remove it") from None
    except yaml.YAMLError as error:  # no other kind is known; keep its words rather than crash
        raise YamlError(first_line, f"invalid YAML: {error}") from None
    return data, lines


def load_yaml_file(path: Path, data: bytes | None = None) -> tuple[Any, dict[LinePath, int]]:
    """Parse a YAML file; `data`: its bytes, when the caller has read them already."""
    try:
        text = (path.read_bytes() if data is None else data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(1, f"not valid UTF-8 (byte {error.start}); save the file as "
                           "UTF-8") from None
    except OSError as error:
        raise YamlError(1, f"cannot read file: {error.strerror or error}") from None
    return load_yaml(text.removeprefix("\ufeff"))


def _check_node(node: yaml.Node, path: LinePath, lines: dict, offset: int) -> None:
    """Record the line of every value (numbered from 1 + offset); refuse what content may not hold.

    Its errors are numbered from 1, like PyYAML's: `load_yaml` adds the offset."""
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        if charset.FORBIDDEN_RE.search(node.value):
            _refuse_characters(node, path)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1,
                                "a key must be plain text, not a list or a mapping")
            if charset.FORBIDDEN_RE.search(key_node.value):
                _refuse_characters(key_node, path)
            key, line = key_node.value, key_node.start_mark.line + 1
            if key in seen:
                raise YamlError(line, f"duplicate key '{key}' (first defined on line "
                                      f"{seen[key] + offset})")
            seen[key] = line
            _check_node(value_node, path + (key,), lines, offset)
            lines[path + (key,)] = line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_node(item, path + (index,), lines, offset)


def _refuse_characters(node: yaml.ScalarNode, path: LinePath) -> None:
    """Escapes ("\\0", "\\x07", "\\ud800") make characters a raw file could not hold."""
    index = charset.first_forbidden(node.value) or 0
    where = "'" + ".".join(map(str, path)) + "'" if path else "a value"
    char = node.value[index]
    code = ord(char)
    escape = "\\0" if code == 0 else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    raise YamlError(node.start_mark.line + 1 + node.value[:index].count("\n"),
                    f"{where} contains {charset.describe(char)}: remove it (as an escape in "
                    f"double quotes it is written \"{escape}\")")


# --- syntax errors in plain words -------------------------------------------------------------

def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line (1-based, in `text`) where the fix goes, and what is wrong in plain words."""
    lines = text.split("\n")
    problem, context = error.problem or "", error.context or ""
    at = error.problem_mark or error.context_mark
    line, column = (at.line, at.column) if at else (0, 0)
    start = error.context_mark.line if error.context_mark else line
    start_column = error.context_mark.column if error.context_mark else column
    opened = _char_at(lines, start, start_column)

    if "'\\t'" in problem:
        return line + 1, ("tab character in YAML: indent with spaces, and put a space (not a "
                          "tab) after ':'")
    token = re.search(r"found character '(.)' that cannot start any token", problem)
    if token:
        char = token.group(1)
        return line + 1, (f"a value cannot start with '{char}': put the whole value in quotes, "
                          f"e.g. \"{char}…\"")
    if "quoted scalar" in context:
        if "end of stream" in problem or "document separator" in problem:
            return start + 1, (f"the quote {opened} opened here is never closed: add a closing "
                               f"{opened} at the end of the value")
        if "escape" in problem:
            return line + 1, ("a backslash in double quotes starts an escape such as \\n: write "
                              "\\\\ for a backslash, or use single quotes")
    if "simple key" in context and "expected ':'" in problem:
        return start + 1, ("this line is not 'field: value': add the ':' after the field name "
                           "(or, to continue the value of the line above, indent this line)")
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        return start + 1, _SYNTAX_CHARACTER["*" if "alias" in context else "&"]
    if "block scalar" in context:
        return start + 1, ("text after '|' or '>' on the same line: start the text on the next "
                           "line, indented, or put the value in quotes")
    if "flow sequence" in context or "flow mapping" in context:
        close = "]" if opened == "[" else "}"
        return start + 1, (f"the '{opened}' opened here is not closed: add '{close}', or, if the "
                           f"'{opened}' is part of the text, put the value in quotes")
    if "single document" in context:
        return line + 1, ("a second YAML document ('---' or '...') inside the front matter: "
                          "remove this line")

    quote = _quote_before(text, line, column)
    if quote is not None and problem.startswith("expected <block end>"):
        return quote
    if "mapping values are not allowed" in problem:
        return _explain_colon(lines, line, column)
    if problem.startswith("expected <block end>") or "did not find expected" in problem:
        found = re.search(r"found '(.*)'$", problem)
        found_token = found.group(1) if found else ""
        if found_token == "-":
            return line + 1, ("a list item ('- ') where a 'field: value' line was expected: indent "
                              "the list under its field, e.g. '  - Joanna Lillis' under 'authors:'")
        if found_token == "?":
            return line + 1, ("a 'field: value' line among the items of a list: indent it like the "
                              "'- ' items, or end the list first")
        if found_token == ":":
            return line + 1, "a ':' with no field name before it: write the name before the ':'"
        return _explain_indent(lines, line)
    return line + 1, (f"invalid YAML: {problem}{f' ({context})' if context else ''}; check the "
                      "indentation and the quotes on this line and the one before")


def _char_at(lines: list[str], line: int, column: int) -> str:
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else "?"


def _quote_before(text: str, line: int, column: int) -> tuple[int, str] | None:
    """A quoted value just before the error: closed on a later line, or followed by more text."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) >= (line, column):
                break
            last = token
    except yaml.YAMLError:
        pass
    if not isinstance(last, yaml.ScalarToken) or last.style not in ("'", '"'):
        return None
    quote = last.style
    opened, closed = last.start_mark.line, last.end_mark.line
    if closed != opened:
        return opened + 1, (f"the quote {quote} opened here is closed only on line {closed + 1}: "
                            "close it at the end of this line")
    if quote == "'":
        return line + 1, ("text after the closing quote: inside single quotes write an "
                          "apostrophe twice ('Cote d''Ivoire'), or use double quotes")
    return line + 1, ("text after the closing quote: put the whole value in quotes, writing "
                      "\\\" for a quote inside it")


def _previous_line(lines: list[str], line: int) -> int | None:
    for index in range(line - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content_indent(text: str) -> int:
    """Where the fields of the line's mapping start: after any list dashes ("  - key: x" -> 4)."""
    indent = _indent(text)
    rest = text[indent:]
    while rest.startswith("- "):
        after = rest[2:]
        indent += 2 + _indent(after)
        rest = after.lstrip(" ")
    return indent


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _explain_colon(lines: list[str], line: int, column: int) -> tuple[int, str]:
    """'mapping values are not allowed here': a ': ' inside a value, or a line that the
    parser took as the continuation of the value above."""
    here = lines[line] if line < len(lines) else ""
    if re.search(r":\s", here[:column]):
        return line + 1, ("a second ': ' on this line: if it is part of the text, put the value "
                          "in quotes, e.g. summary: \"Note: …\"")
    previous = _previous_line(lines, line)
    if previous is not None:
        above = lines[previous]
        glued = re.match(r"^\s*(?:- )?([^\s:#'\"][^:\s]*):(\S+)", above)
        if glued and not re.search(r":\s", above):
            written = glued.group(0).strip()
            return previous + 1, (f"a space is missing after the ':' in '{written}': write "
                                  f"'{glued.group(1)}: {glued.group(2)}'")
        if _indent(here) > _content_indent(above):
            return line + 1, (f"this line is indented more than the line above "
                              f"({_spaces(_indent(here))}, not {_content_indent(above)}): the "
                              "fields of one mapping must line up")
    return line + 1, ("this line cannot continue the line above: check its indentation, and put a "
                      "value containing ': ' in quotes")


def _explain_indent(lines: list[str], line: int) -> tuple[int, str]:
    here = lines[line] if line < len(lines) else ""
    previous = _previous_line(lines, line)
    if previous is None:
        return line + 1, "this line does not fit the structure of the YAML: check its indentation"
    above = _indent(lines[previous])
    return line + 1, (f"this line is indented {_spaces(_indent(here))} where the line above "
                      f"has {above}: the fields of one mapping, and the '- ' items of one list, "
                      "must start in the same column")
