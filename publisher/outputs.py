"""An output folder's lifecycle: what it holds (its manifest), and the mirror the next build
starts from.

- **Manifest.** Each output folder has a manifest in `.build-cache/outputs/`: every file with
  the fingerprint of what made it, the hash of its bytes and its stat, plus the hash of all
  inputs (the no-change fast path) and the input files' states (so an unchanged file costs a
  stat, not a read, in the next process too). After an edit only the entries that changed
  since the manifest was last stored whole are stored (`save_manifest`).
- **Mirror.** After a swap the folder holding the old output is turned into a hard-link
  mirror of the new one (`.<out>.spare`), where the next build starts: an edit then costs what
  it changes, not a link per file. A mirror this process made carries a token file naming it;
  a build takes the mirror by removing the token first, so a mirror another build has taken
  (and perhaps left half-written when it was killed) is never trusted: it is checked inode by
  inode against the current output and repaired.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .errors import Problem
from .fingerprints import digest, digest_parts
from .inputs import FileState
from .store import Store
from .write import Staging, make_mirror, output_lock, remove_tree, walk_output

MANIFEST_FORMAT = 3
DELTA_SHARE = 8  # the manifest is stored whole again once more than 1/8 of its entries changed
MIRROR_TOKEN = ".publisher-mirror"  # inside a mirror only: never part of a published site


@dataclass(frozen=True)
class OutputFile:
    """What a build wrote at one output path (the manifest's entry)."""

    kind: str  # "page", "static", "extra" or "derived" (made from the finished site, e.g. search)
    fp: str  # fingerprint of everything the file was made from
    digest: str  # hash of its bytes ("" for derived files)
    size: int
    mtime_ns: int
    ino: int
    reads: bool = True  # a page that read report sections (see plan.py: summary fingerprints)

    def intact(self, root: Path, path: str) -> bool:
        """Is the file on disk still the one this entry describes?"""
        return self.intact_at(os.path.join(root, path))

    def intact_at(self, full_path: str) -> bool:
        try:
            st = os.stat(full_path)
        except OSError:
            return False
        return st.st_ino == self.ino and st.st_size == self.size and st.st_mtime_ns == self.mtime_ns


@dataclass
class OutputManifest:
    """What an output folder holds, and what it was made from."""

    inputs: str = ""  # hash of every input (the no-change fast path)
    files: dict[str, OutputFile] = field(default_factory=dict)
    derived_key: str | None = None  # what the search index was made from
    derived_notes: list[Problem] = field(default_factory=list)
    reports: int = 0
    warnings: list[Problem] = field(default_factory=list)
    file_count: int = 0
    drafts: int = 0  # reports left out as drafts


def same_as_old(out: Path, path: str, previous: OutputFile | None, content: str) -> bool:
    """Are bytes of hash `content` already at `path` in the current output (so the file can be
    kept as it is)?"""
    if previous is not None and previous.kind != "derived":
        return previous.digest == content and previous.intact(out, path)
    if previous is not None:
        return False
    try:
        with open(os.path.join(out, path), "rb") as handle:
            return digest(handle.read()) == content
    except OSError:
        return False


def keep_or_write(staging: Staging, path: str, previous: OutputFile | None, content: str,
                  write: Callable[[], tuple[int, int, int]]) -> tuple[tuple[int, int, int], bool]:
    """Link the current output's file when it already holds bytes of hash `content`, else
    `write()` it. Returns (stat of the file, whether it was written)."""
    if same_as_old(staging.out_dir, path, previous, content):
        return staging.link(path), False
    return write(), True


def has_strays(out: Path, files: dict[str, OutputFile]) -> bool:
    """Does the output hold a file the manifest does not know (added by hand)?"""
    return len(walk_output(out)) != len(files)


def output_intact(out: Path, manifest: OutputManifest) -> bool:
    if not manifest.files or not out.is_dir():
        return False
    if not all(f.intact(out, p) for p, f in manifest.files.items()):
        return False
    return not has_strays(out, manifest.files)


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


class OutputFolder:
    """One output folder as a live engine knows it: its manifest and its mirror."""

    def __init__(self, out: Path, store: Store, keep_spare: bool):
        self.out = out.resolve()
        self.store = store
        self.keep_spare = keep_spare
        self._manifest: OutputManifest | None = None
        self._retired: tuple[Path, dict[str, OutputFile]] | None = None  # the last swap's old folder
        self._token: str | None = None  # the token of the mirror this process made, if any
        # The whole manifest last stored (its id and files), which saved changes apply to
        self._saved: tuple[str, dict[str, OutputFile]] | None = None

    # --- the manifest ----------------------------------------------------------------------

    def _key(self, part: str = "") -> str:
        return digest_parts(MANIFEST_FORMAT, str(self.out), part)

    def manifest(self) -> tuple[OutputManifest, dict[str, FileState]]:
        """The manifest of the output as last built, and the input states it was built from
        (these only when read from the store: a live engine keeps its own)."""
        if self._manifest is not None:
            return self._manifest, {}
        stored = self.store.read("outputs", self._key())
        self._saved = None
        if not (isinstance(stored, dict) and isinstance(stored.get("manifest"), OutputManifest)
                and isinstance(stored.get("inputs"), dict) and isinstance(stored.get("id"), str)):
            return OutputManifest(), {}
        manifest, inputs = stored["manifest"], stored["inputs"]
        self._saved = (stored["id"], manifest.files)
        delta = self.store.read("outputs", self._key("delta"))
        if (isinstance(delta, dict) and delta.get("base") == stored["id"]
                and isinstance(delta.get("manifest"), OutputManifest)
                and isinstance(delta.get("changed"), dict) and isinstance(delta.get("removed"), list)
                and isinstance(delta.get("inputs"), dict)):
            files = dict(manifest.files)
            for path in delta["removed"]:
                files.pop(path, None)
            files.update(delta["changed"])
            manifest, inputs = replace(delta["manifest"], files=files), delta["inputs"]
        return manifest, inputs

    def save_manifest(self, manifest: OutputManifest, inputs: dict[str, FileState]) -> None:
        """Store the manifest: as the changes since the whole one last stored, while they are
        few (an edit changes a few entries of thousands: pickling them all was most of the
        cost), else whole. The changes name the whole manifest they apply to, so changes left
        over from before the last whole save are never applied to it."""
        self._manifest = manifest
        if self._saved is not None:
            base_id, base = self._saved
            files = manifest.files
            changed = {p: f for p, f in files.items() if base.get(p) is not f}
            removed = [p for p in base if p not in files]
            if len(changed) + len(removed) <= len(files) // DELTA_SHARE:
                self.store.write("outputs", self._key("delta"), {
                    "base": base_id, "manifest": replace(manifest, files={}), "changed": changed,
                    "removed": removed, "inputs": inputs})
                return
        base_id = secrets.token_hex(8)
        self._saved = None  # until the whole manifest is stored
        self.store.write("outputs", self._key(), {"manifest": manifest, "inputs": inputs,
                                                 "id": base_id})
        self._saved = (base_id, manifest.files)
        try:
            os.unlink(self.store.path("outputs", self._key("delta")))
        except OSError:
            pass  # changes for another whole manifest: never applied to this one

    def forget(self) -> None:
        """Forget what memory knew of this folder (read it from the store again)."""
        self._manifest = None
        self._saved = None

    # --- the mirror the next build starts from ---------------------------------------------

    def take_mirror(self, files: dict[str, OutputFile]) -> Path | None:
        """A folder mirroring the current output, if one can be had cheaply (else None).
        Call with the output lock held."""
        spare = spare_path(self.out)
        mine, self._token = self._token, None
        if not self.keep_spare or not spare.is_dir():
            return None
        token = spare / MIRROR_TOKEN
        try:
            found = token.read_text(encoding="ascii")
        except OSError:
            found = None
        try:
            if found is not None:
                token.unlink()
        except OSError:
            remove_tree(spare)
            return None
        if mine is not None and found == mine:
            return spare  # made by this process right after the last swap, untouched since
        if not files or not self.out.is_dir():
            return None
        try:  # left by another process (or taken by one): check it file by file, fix what differs
            make_mirror(spare, self.out, files)
            return spare
        except OSError:
            remove_tree(spare)
            return None

    def retire(self, folder: Path | None, files: dict[str, OutputFile]) -> None:
        """After a swap: `folder` holds the old output; `files` is the new output's manifest."""
        if folder is not None:
            self._retired = (folder, files)

    def tidy(self) -> None:
        """Deal with the folder the last swap left behind: delete it, or (`keep_spare`) make it
        a mirror of the new output for the next build. Call with the output lock held."""
        if self._retired is None:
            return
        folder, files = self._retired
        self._retired = None
        if self.keep_spare:
            spare = spare_path(self.out)
            try:
                make_mirror(folder, self.out, files)
                if folder != spare:
                    if spare.exists():
                        remove_tree(spare)
                    os.rename(folder, spare)
                self._mark(spare)
                return
            except OSError:
                pass
        remove_tree(folder)

    def prepare_spare(self) -> None:
        """Make the mirror the next build starts from, if the last build left none (a first
        build into an empty folder): `serve` calls this while idle, so that the first save of
        a session costs what it changes, not a link per file of the site."""
        if not self.keep_spare or self._token is not None or self._retired is not None:
            return
        manifest = self._manifest
        if manifest is None or not manifest.files or not self.out.is_dir():
            return
        with output_lock(self.out):
            spare = spare_path(self.out)
            try:
                spare.mkdir(exist_ok=True)
                make_mirror(spare, self.out, manifest.files)
                self._mark(spare)
            except OSError:
                remove_tree(spare)

    def _mark(self, spare: Path) -> None:
        token = secrets.token_hex(16)
        (spare / MIRROR_TOKEN).write_text(token, encoding="ascii")
        self._token = token
