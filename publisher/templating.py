"""Templates as build inputs: Jinja reads them from the build's one read of each file, and each
template's fingerprint covers every template it extends, includes or imports.
"""
from __future__ import annotations

from typing import Callable

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2 import meta as jinja_meta

from .errors import ContentError, error_problems
from .fingerprints import digest_parts
from .inputs import InputScan


class ScanLoader(BaseLoader):
    """Templates from the input scan (so what is rendered is what was hashed, and a template
    linking outside the project is never read). `scan()` gives the current build's scan."""

    def __init__(self, scan: Callable[[], InputScan]):
        self._scan = scan

    def _files(self) -> dict[str, str]:
        return dict(self._scan().listing["templates"])

    def get_source(self, environment: Environment, template: str):
        path = self._files().get(template)
        if path is None:
            raise TemplateNotFound(template)
        scan = self._scan()
        source = scan.read(path).decode("utf-8")
        seen = scan.digest(path)
        return source, path, lambda: self._scan().digest(path) == seen

    def list_templates(self) -> list[str]:
        return sorted(self._files())


class TemplateFingerprints:
    """Each template's hash, including every template it extends, includes or imports; the
    references found in a template's source are remembered by the source's hash."""

    def __init__(self) -> None:
        self._references: dict[str, tuple[str, ...]] = {}

    def forget(self) -> None:
        self._references.clear()

    def footprint(self) -> dict[str, int]:
        return {"template references": len(self._references)}

    def of(self, env: Environment, names: set[str], templates_dir) -> dict[str, str]:
        own: dict[str, str] = {}
        refs: dict[str, tuple[str, ...]] = {}
        pending = sorted(names)
        while pending:
            name = pending.pop()
            if name in own:
                continue
            source, filename, _ = env.loader.get_source(env, name)
            own[name] = digest_parts(name, source)
            if own[name] not in self._references:
                try:
                    parsed = env.parse(source, name, filename)
                except Exception as error:
                    raise ContentError(error_problems(error, templates_dir)) from None
                found = list(jinja_meta.find_referenced_templates(parsed))
                # A computed template name could be any template: depend on all of them.
                self._references[own[name]] = (tuple(env.list_templates())
                                               if any(r is None for r in found)
                                               else tuple(sorted(set(found))))
            refs[name] = self._references[own[name]]
            pending += [t for t in refs[name] if t not in own]
        result = {}
        for name in names:
            seen, stack = set(), [name]
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    stack += refs[current]
            result[name] = digest_parts(*[(t, own[t]) for t in sorted(seen)])
        # Keep the references of the templates as they are now only (bounded across edits).
        self._references = {h: self._references[h] for h in own.values()}
        return result
