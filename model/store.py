"""The backlog file: a TinyDB JSON document with tables meta, items, sprints, team, sessions, history.

The store keeps the file's documents in memory (the base every write builds on) and writes
whole documents atomically (see `storage.AtomicJSONStorage`). Each document is kept as the
bytes it has in the file once it has been written, so a write re-serialises only the
documents that changed. Several processes may share one file: every read-modify-write holds
an OS file lock, and before changing anything a process pulls in what others wrote since it
last looked, so no write ever drops another's change. `model.writer` decides when to write.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB

from model.backlog import META_DOC_ID, Backlog, InvalidBacklog
from model.change import HISTORY, META, SESSIONS, TABLES, Change, DocChange, diff_docs
from model.duplicates import find_duplicates
from model.errors import CommandError, GroomError, StoreError
from model.history import InvalidHistory
from model.meta import SCHEMA_VERSION
from model.storage import AtomicJSONStorage, document_blocks, dump_entry, gc_paused, loads

LOCK_TIMEOUT_SECONDS = 10.0
Tables = dict[str, dict[str, Any]]
Pending = dict[tuple[str, str], Any]  # (table, document id) -> the document to store, or None: delete it



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


class FileChanged(StoreError):
    """The file changed while we held the lock (a tool that ignores it): pull before writing."""


class Store:
    def __init__(self, path: Path, tables: Tables, signature: Signature | None) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path)
        # The file as last read or written: the base for the next write and for pulls. Parsed
        # documents (dicts) become their dumped bytes at the first write: compact, and never
        # serialised again unless they change.
        self._base: Tables = tables
        self._ids: dict[str, list[str]] | None = None  # each table's document ids, sorted as the file has them
        self._all_dumped = False
        self.signature = signature
        # Not thread-local: the lock is taken before a change is planned (UI thread) and let go
        # once it is written (the background writer).
        self._lock = FileLock(lock_path(path), timeout=LOCK_TIMEOUT_SECONDS, thread_local=False)

    @property
    def tables(self) -> Tables:
        """The file's tables as last read or written, as parsed JSON (a copy: for exports)."""
        return {name: {doc_id: orjson.loads(doc.partition(b": ")[2]) if isinstance(doc, bytes) else doc
                       for doc_id, doc in docs.items()}
                for name, docs in self._base.items()}

    @tables.setter
    def tables(self, tables: Tables) -> None:
        self._base, self._ids, self._all_dumped = tables, None, False

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
        missing = next((v for v in range(version, SCHEMA_VERSION) if v not in MIGRATIONS), None)
        if missing is not None:  # said before anything is copied, locked or written
            raise StoreError(f"{path}: no way to upgrade file format {missing} (this Groom reads "
                             f"{min(MIGRATIONS, default=SCHEMA_VERSION)} to {SCHEMA_VERSION})")
        backup = path.with_name(f"{path.name}.v{version}.bak")
        store = cls(path, tables, None)
        with store.locked():
            if not backup.exists():
                shutil.copy2(path, backup)  # the user's original stays beside the new file
            while version < SCHEMA_VERSION:
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
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path} is locked by another Groom (waited {self._lock.timeout:.0f} s); try again"
            ) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot lock ({exc.strerror})") from None

    def release(self) -> None:
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
            old, new = self._base.get(table, {}), tables.get(table, {})
            if table == HISTORY or old == new:
                continue
            for doc_id in sorted(set(old) | set(new), key=int):
                before, after = old.get(doc_id), new.get(doc_id)
                if isinstance(before, bytes):
                    if after is not None and dump_entry(doc_id, after) == before:
                        new[doc_id] = before  # unchanged: keep it dumped
                        continue
                    before = orjson.loads(before.partition(b": ")[2])
                if before != after:
                    change = diff_docs(table, int(doc_id), before, after)
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
        self._base, self.signature = tables, signature
        self._ids, self._all_dumped = None, False
        return external if docs else None

    def write(self, pending: Pending) -> int:
        """Write the base with `pending` documents replaced (None: deleted), atomically; it
        becomes the new base. Hold the lock. On error the file and the base stay as they were.

        Only the pending documents are serialised: the others are already bytes. Returns the
        file's size."""
        if self.changed_on_disk():
            if not self.path.exists():
                raise StoreError(f"{self.path} has been moved or deleted; nothing was saved")
            raise FileChanged(f"{self.path} was changed by another program while Groom held its lock")
        base = self._base
        if not self._all_dumped:  # the first write after opening or pulling
            for docs in base.values():
                for doc_id, doc in docs.items():
                    if not isinstance(doc, bytes):
                        docs[doc_id] = dump_entry(doc_id, doc)
            self._all_dumped = True
        if self._ids is None:
            self._ids = {name: sorted(docs) for name, docs in base.items()}
        tables, ids = dict(base), dict(self._ids)
        for (name, doc_id), doc in pending.items():
            if tables.get(name) is base.get(name):  # copy only the tables that change
                tables[name] = dict(base.get(name, {}))
                ids[name] = list(self._ids.get(name, ()))
            docs, order = tables[name], ids[name]
            if doc is None:
                if docs.pop(doc_id, None) is not None:
                    del order[bisect.bisect_left(order, doc_id)]
            else:
                if doc_id not in docs:
                    bisect.insort(order, doc_id)
                docs[doc_id] = dump_entry(doc_id, doc)
        self.storage.write_blocks(document_blocks(tables, ids))
        self._base, self._ids = tables, ids
        self.signature = self._stat()
        return self.signature.size

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
    duplicates = find_duplicates(data, tables)
    if duplicates:  # the parser kept only the last of each: refuse rather than lose the others
        more = f" (and {len(duplicates) - 1} more)" if len(duplicates) > 1 else ""
        raise StoreError(f"{path}: {duplicates[0]}{more}. Nothing was changed.")
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
