"""The backlog file: a TinyDB JSON document with tables meta, items, sprints, team, sessions, history.

The store keeps the parsed file in memory and writes whole documents atomically (see
`storage.AtomicJSONStorage`). Several processes may share one file: every
read-modify-write holds an OS file lock, and before changing anything a process pulls in
what others wrote since it last looked, so no write ever drops another's change.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB

from model.backlog import META_DOC_ID, Backlog, InvalidBacklog, Written
from model.change import HISTORY, META, SESSIONS, TABLES, Change, DocChange, diff_docs
from model.errors import CommandError, GroomError, StoreError
from model.history import InvalidHistory
from model.meta import SCHEMA_VERSION
from model.storage import AtomicJSONStorage, gc_paused, loads

LOCK_TIMEOUT_SECONDS = 10.0
Tables = dict[str, dict[str, Any]]



def _add_history_and_sessions(tables: Tables) -> Tables:
    """Format 1 → 2: the (empty) change log and refinement sessions tables."""
    tables.setdefault(HISTORY, {})
    tables.setdefault(SESSIONS, {})
    return tables


# Upgrades from an older schema_version to the next one. Each takes and returns the tables.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: _add_history_and_sessions}


@dataclass(frozen=True)
class Signature:
    """Identity of one version of the file. Writers replace the file, so a changed inode,
    size or mtime means another write happened; equal signatures mean nothing changed."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> Signature:
        return cls(stat.st_ino, stat.st_size, stat.st_mtime_ns)


class Store:
    def __init__(self, path: Path, tables: Tables, signature: Signature | None) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path)
        self.tables = tables  # the file as last read or written: the base for the next write
        self.signature = signature
        self._lock = FileLock(lock_path(path), timeout=LOCK_TIMEOUT_SECONDS)

    # ----- creating and opening ------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], backlog: Backlog) -> Store:
        """Write a new backlog file; refuses to replace an existing one."""
        path = Path(path)
        if path.exists():
            raise StoreError(f"{path} already exists; open it instead of creating it")
        if not path.parent.is_dir():
            raise StoreError(f"{path.parent} is not a folder")
        store = cls(path, backlog.to_tables(), None)
        with store.locked():
            if path.exists():
                raise StoreError(f"{path} already exists; open it instead of creating it")
            store.storage.write(store.tables)
            store.signature = store._stat()
        return store

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> tuple[Store, Backlog]:
        """Read and validate a backlog file. Never writes unless it migrates an old schema."""
        path = Path(path)
        tables, signature = _read(path)
        version = _schema_version(tables, path)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer Groom (file format {version}; this one reads up to "
                f"{SCHEMA_VERSION}). Update Groom to open it."
            )
        if version < SCHEMA_VERSION:
            return cls._migrate(path, tables, version)
        backlog = _build(tables, path)
        gc.freeze()  # the loaded backlog lives as long as the app: keep it out of GC scans
        return cls(path, tables, signature), backlog

    @classmethod
    def _migrate(cls, path: Path, tables: Tables, version: int) -> tuple[Store, Backlog]:
        backup = path.with_name(f"{path.name}.v{version}.bak")
        store = cls(path, tables, None)
        with store.locked():
            if not backup.exists():
                shutil.copy2(path, backup)  # the user's original stays beside the new file
            while version < SCHEMA_VERSION:
                if version not in MIGRATIONS:
                    raise StoreError(f"{path}: no way to upgrade file format {version}")
                tables = MIGRATIONS[version](tables)
                version += 1
                tables[META][str(META_DOC_ID)]["schema_version"] = version
            backlog = _build(tables, path)
            store.tables = tables
            store.storage.write(tables)
            store.signature = store._stat()
        return store, backlog

    def database(self) -> TinyDB:
        """The file through TinyDB's own API (for scripts and checks; the app never uses it)."""
        return TinyDB(self.path, storage=AtomicJSONStorage)

    # ----- sharing the file with other processes ---------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the file lock: only one process reads-modifies-writes at a time."""
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path} is locked by another Groom (waited {LOCK_TIMEOUT_SECONDS:.0f} s); try again"
            ) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot lock ({exc.strerror})") from None
        try:
            yield
        finally:
            self._lock.release()

    def changed_on_disk(self) -> bool:
        """Cheap check (one stat) for a write by another process since we last looked."""
        try:
            return self._stat() != self.signature
        except FileNotFoundError:
            return True

    def pull(self, backlog: Backlog) -> Change | None:
        """Bring into `backlog` what other processes wrote since we last read or wrote.

        Returns those changes (None when there were none). Hold the lock while calling it
        before a write, so nothing can slip in between.
        """
        if not self.changed_on_disk():
            return None
        if not self.path.exists():
            raise StoreError(f"{self.path} has been moved or deleted; nothing was saved")
        tables, signature = _read(self.path)
        if _schema_version(tables, self.path) != SCHEMA_VERSION:
            raise StoreError(f"{self.path} was rewritten in another file format; reopen it")
        docs: list[DocChange] = []
        for table in TABLES:
            old, new = self.tables.get(table, {}), tables.get(table, {})
            if table == HISTORY or old == new:
                continue
            for doc_id in sorted(set(old) | set(new), key=int):
                if old.get(doc_id) != new.get(doc_id):
                    change = diff_docs(table, int(doc_id), old.get(doc_id), new.get(doc_id))
                    if change is not None:
                        docs.append(change)
        external = Change("changes from another Groom", tuple(docs))
        history = tables.get(HISTORY, {})
        try:
            if not isinstance(history, dict):
                raise InvalidBacklog("the history table is not a JSON object of documents")
            incoming = backlog.history.incoming(history)
            with gc_paused():
                backlog.apply(external)
            # The others' history entries, as they wrote them (with their own names).
            backlog.history.take(history, incoming)
        except (CommandError, InvalidBacklog, InvalidHistory) as exc:
            raise StoreError(
                f"{self.path} was changed outside this Groom and is no longer valid: {exc}. "
                "Nothing was saved; fix the file or reopen it."
            ) from None
        self.tables, self.signature = tables, signature
        return external if docs else None

    def save(self, backlog: Backlog, written: list[Written]) -> None:
        """Write the documents a change produced, plus the bumped revision. Hold the lock."""
        tables = self.tables
        previous: list[tuple[dict[str, Any], str, Any]] = []
        for doc in written:
            table = tables.setdefault(doc.table, {})
            doc_id = str(doc.doc_id)
            previous.append((table, doc_id, table.get(doc_id)))
            if doc.doc is None:
                table.pop(doc_id, None)
            else:
                table[doc_id] = doc.doc
        meta_table = tables.setdefault(META, {})
        previous.append((meta_table, str(META_DOC_ID), meta_table.get(str(META_DOC_ID))))
        revised = backlog.meta.model_copy(update={"revision": backlog.meta.revision + 1})
        meta_table[str(META_DOC_ID)] = revised.model_dump(mode="json")
        try:
            self.storage.write(tables)
        except StoreError:
            for table, doc_id, old in reversed(previous):
                if old is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = old
            raise
        backlog.meta = revised
        self.signature = self._stat()

    def _stat(self) -> Signature:
        return Signature.of(os.stat(self.path))


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _read(path: Path) -> tuple[Tables, Signature]:
    try:
        with open(path, "rb") as handle:
            # The signature is of the very file read: writers replace, they never modify.
            signature = Signature.of(os.fstat(handle.fileno()))
            data = handle.read()
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a backlog file") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    if not data.strip():
        raise StoreError(f"{path} is empty; it is not a backlog file")
    tables = loads(data, path)
    if not isinstance(tables, dict):
        raise StoreError(f"{path}: not a backlog file (expected a JSON object of tables)")
    return tables, signature


def _schema_version(tables: Tables, path: Path) -> int:
    meta = tables.get(META)
    record = meta.get(str(META_DOC_ID)) if isinstance(meta, dict) else None
    if not isinstance(record, dict):
        raise StoreError(f"{path}: not a Groom backlog (no meta table with the backlog record)")
    version = record.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise StoreError(f"{path}: backlog record: schema_version must be a whole number, got {version!r}")
    return version


def _build(tables: Tables, path: Path) -> Backlog:
    try:
        with gc_paused():
            return Backlog.from_tables(tables)
    except GroomError as exc:
        raise StoreError(f"{path}: {exc}") from None
