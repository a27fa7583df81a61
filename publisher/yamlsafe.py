"""YAML through the safe loader only, with line numbers for every key and no aliases.

Aliases and anchors are refused outright: content never needs them, and refusing them makes an
alias bomb ("billion laughs") impossible. Duplicate keys are errors rather than silently
keeping the last value, because in a report they are almost always a copy-paste mistake.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LinePath = tuple  # a path of keys / list indices from the document root


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(event.start_mark.line + 1, "YAML aliases (*name) are not allowed")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise YamlError(event.start_mark.line + 1, "YAML anchors (&name) are not allowed")
        return super().compose_node(parent, index)


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[LinePath, int]]:
    """Parse YAML text; return the data and the line of every key/item (numbered from first_line)."""
    offset = first_line - 1
    try:
        loader = _NoAliasLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except YamlError as error:
        raise YamlError(error.line + offset, error.message) from None
    except yaml.MarkedYAMLError as error:
        raise YamlError(_error_line(error) + offset, _describe(error)) from None
    except yaml.YAMLError as error:  # e.g. a reader error on control characters
        raise YamlError(first_line, f"invalid YAML: {error}") from None
    if node is None:
        return None, {}
    lines: dict[LinePath, int] = {}
    _check_node(node, (), lines, offset)
    try:
        data = _construct(node)
    except yaml.MarkedYAMLError as error:  # e.g. a !!python/... tag the safe loader refuses
        raise YamlError(_error_line(error) + offset, _describe(error)) from None
    return data, lines


def load_yaml_file(path: Path, data: bytes | None = None) -> tuple[Any, dict[LinePath, int]]:
    """Parse a YAML file; `data`: its bytes, when the caller has read them already."""
    try:
        text = (path.read_bytes() if data is None else data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(1, f"not valid UTF-8 (byte {error.start})") from None
    except OSError as error:
        raise YamlError(1, f"cannot read file: {error.strerror}") from None
    return load_yaml(text.removeprefix("\ufeff"))


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_node(node: yaml.Node, path: LinePath, lines: dict, offset: int) -> None:
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                raise YamlError(line, f"duplicate key '{key}' (first defined on line {seen[key]})")
            seen[key] = line
            _check_node(value_node, path + (key,), lines, offset)
            lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_node(item, path + (index,), lines, offset)


def _error_line(error: yaml.MarkedYAMLError) -> int:
    mark = error.problem_mark or error.context_mark
    return mark.line + 1 if mark else 1


def _describe(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    if "'\\t'" in problem or "\t" in problem:
        return "tab character in YAML; indent with spaces"
    context = f" ({error.context})" if error.context else ""
    return f"invalid YAML: {problem}{context}"
