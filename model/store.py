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
import functools
import gc
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb import TinyDB

from model import journal
from model.backlog import META_DOC_ID, Backlog, InvalidBacklog
from model.change import HISTORY, META, SESSIONS, TABLES, Change, DocChange, diff_docs
from model.duplicates import find_duplicates
from model.errors import CommandError, GroomError, StoreError
from model.history import InvalidHistory
from model.journal import BadJournal, Base, Follows, Header, journal_path
from model.meta import SCHEMA_VERSION
from model.storage import AtomicJSONStorage, document_blocks, dump_entry, gc_paused, loads

if TYPE_CHECKING:
    from filelock import FileLock

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


@dataclass
class LogState:
    """The change log as this Groom knows it (see model/journal.py)."""

    header: Header
    header_length: int
    length: int  # bytes read or written: the file beside it plus these lines is our base
    inode: int


@dataclass
class Loaded:
    """A backlog file as read, with its change log applied."""

    tables: Tables
    signature: Signature
    log: LogState | None
    log_seen: tuple[int, int] | None  # the log file's (inode, size) when read; None: no log file
    notices: list[str]
    main_base: Base | None  # the file's identity, when it was worked out


class FileChanged(StoreError):
    """The file changed while we held the lock (a tool that ignores it): pull before writing."""


class Store:
    def __init__(self, path: Path, tables: Tables, signature: Signature | None,
                 loaded: Loaded | None = None) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path)
        # The file as last read or written: the base for the next write and for pulls. Parsed
        # documents (dicts) become their dumped bytes at the first write: compact, and never
        # serialised again unless they change.
        self._base: Tables = tables
        self._ids: dict[str, list[str]] | None = None  # each table's document ids, sorted as the file has them
        self._all_dumped = False
        # Tables (and their id lists) no compaction snapshot shares: changed in place; others
        # are copied before their first change (see `_put`).
        self._private: set[str] = set()
        self.signature = signature
        # The writer, the compactor and the owner's pulls touch the base and the log state from
        # three threads; this keeps each of those steps whole. Always taken after the file lock.
        self._mutex = threading.RLock()
        self.log_path = journal_path(path)
        self._log: LogState | None = loaded.log if loaded else None
        self._log_seen: tuple[int, int] | None = loaded.log_seen if loaded else None
        self._main_base: Base | None = loaded.main_base if loaded else None
        self._news: list[str] = []  # found by a pull while open, for the app to say (`take_news`)

    @property
    def tables(self) -> Tables:
        """The file's tables as last read or written, as parsed JSON (a copy: for exports)."""
        return {name: {doc_id: orjson.loads(doc.partition(b": ")[2]) if isinstance(doc, bytes) else doc
                       for doc_id, doc in docs.items()}
                for name, docs in self._base.items()}

    @tables.setter
    def tables(self, tables: Tables) -> None:
        self._base, self._ids, self._all_dumped, self._private = tables, None, False, set()

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
        with gc_paused():  # parse and validate build millions of objects: no collection in between
            return cls._open(path)

    @classmethod
    def _open(cls, path: Path) -> tuple[Store, Backlog]:
        loaded = _load(path)
        tables = loaded.tables
        version = _schema_version(tables, path)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer Groom (file format {version}; this one reads up to "
                f"{SCHEMA_VERSION}). Update Groom to open it."
            )
        if version < SCHEMA_VERSION:
            return cls._migrate(path, tables, version)
        backlog = _build(tables, path)
        backlog.warnings.extend(loaded.notices)
        gc.freeze()  # the loaded backlog lives as long as the app: keep it out of GC scans
        return cls(path, tables, loaded.signature, loaded), backlog

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
        """The file through TinyDB's own API (for scripts and checks; the app never uses it).
        It reads the file alone: on a big backlog open in the app, changes of the last two
        idle seconds may still be only in the change log beside it (see model/journal.py)."""
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

    @functools.cached_property
    def _lock(self) -> FileLock:
        # filelock is imported when the lock is first taken (the first change), not while the
        # app starts: ~15 ms of every start, for a lock that opening a file does not take.
        from filelock import FileLock

        # Not thread-local: the lock is taken before a change is planned (UI thread) and let go
        # once it is written (the background writer).
        return FileLock(lock_path(self.path), timeout=LOCK_TIMEOUT_SECONDS, thread_local=False)

    def acquire(self) -> None:
        from filelock import Timeout

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
        """Cheap check (two stats) for a write by another process since we last looked."""
        try:
            if self._stat() != self.signature:
                return True
        except FileNotFoundError:
            return True
        return self._log_stat() != self._log_seen

    def _log_stat(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.log_path)
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_size

    def take_news(self) -> list[str]:
        """What pulls found that the user must hear (a change log moved aside), once."""
        news, self._news = self._news, []
        return news

    @property
    def log_bytes(self) -> int:
        """Bytes of changes in the log that the file does not hold yet (0: none, or no log)."""
        log = self._log
        return 0 if log is None else log.length - log.header_length

    def pull(self, backlog: Backlog) -> Change | None:
        """Bring into `backlog` what other processes wrote since we last read or wrote.

        Returns those changes (None when there were none). Hold the lock while calling it
        before a write, so nothing can slip in between.
        """
        with self._mutex:
            if not self.changed_on_disk():
                return None
            if not self.path.exists():
                raise StoreError(f"{self.path} has been moved or deleted; nothing was saved")
            if self._stat() != self.signature and not self._followed_compaction():
                return self._pull_everything(backlog)
            if self._log_stat() == self._log_seen:
                return None
            return self._pull_log_tail(backlog)

    def _followed_compaction(self) -> bool:
        """Another Groom folded the log into the file: if what it folded in is what we had read,
        our base is the new file plus the start of the new log, and we need read only the rest."""
        ours = self._log
        found = journal.read_header(self.log_path) if ours is not None else None
        if ours is None or found is None:
            return False
        header, head, stat = found
        follows = header.follows
        if follows is None or follows.id != ours.header.id or follows.length > ours.length:
            return False
        length = head + ours.length - follows.length
        if length > stat.st_size:
            return False
        data, signature = _read_bytes(self.path)
        if Base.of(data) != header.base:
            return False
        self.signature, self._main_base = signature, header.base
        self._log = LogState(header, head, length, stat.st_ino)
        self._log_seen = (stat.st_ino, length)  # the rest, if any, is read as a tail
        return True

    def _adopt_started_log(self) -> bool:
        """Another Groom started a log beside the file we hold: read it from its start."""
        found = journal.read_header(self.log_path)
        if found is None:
            return False
        header, head, stat = found
        if header.follows is not None or header.base != self._file_base():
            return False
        self._log = LogState(header, head, head, stat.st_ino)
        return True

    def _file_base(self) -> Base | None:
        """The identity of the file we read or wrote last (worked out once, from its bytes)."""
        if self._main_base is None:
            data, signature = _read_bytes(self.path)
            if signature != self.signature:
                return None
            self._main_base = Base.of(data)
        return self._main_base

    def _pull_log_tail(self, backlog: Backlog) -> Change | None:
        if self._log is None and not self._adopt_started_log():
            return self._pull_everything(backlog)
        log = self._log
        stat = self._log_stat()
        if log is None or stat is None or stat[0] != log.inode:
            return self._pull_everything(backlog)
        try:
            tail = journal.parse_tail(journal.read_from(self.log_path, log.length), self.log_path)
        except BadJournal as exc:
            raise StoreError(f"{exc}. Nothing was saved; reopen the backlog") from None
        final = journal.final_docs(tail.changes)
        docs: list[DocChange] = []
        history_added: dict[str, Any] = {}
        history_removed: set[str] = set()
        for (table, doc_id), after in sorted(final.items(), key=_in_table_order):
            if table == HISTORY:
                if after is None:
                    history_removed.add(doc_id)
                else:
                    history_added[doc_id] = after
                continue
            before = self._base.get(table, {}).get(doc_id)
            if isinstance(before, bytes):
                before = orjson.loads(before.partition(b": ")[2])
            change = diff_docs(table, int(doc_id), before, after)
            if change is not None:
                docs.append(change)
        external = Change("changes from another Groom", tuple(docs))
        history = backlog.history
        try:
            known = {str(doc_id) for doc_id in history.docs}
            table = {doc_id: None for doc_id in known - history_removed} | history_added
            incoming = history.incoming(table)
            with gc_paused():
                backlog.apply(external)
            history.take(table, incoming)
        except (CommandError, InvalidBacklog, InvalidHistory) as exc:
            raise StoreError(
                f"{self.log_path} holds changes from another Groom that are not valid: {exc}. "
                "Nothing was saved; reopen the backlog."
            ) from None
        self._put(final)
        log.length += tail.consumed
        self._log_seen = stat
        return external if docs else None

    def _pull_everything(self, backlog: Backlog) -> Change | None:
        """Read the whole file (and its log) again and take in every difference."""
        loaded = _load(self.path, locked=True)  # the caller holds the lock
        tables = loaded.tables
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
        backlog.warnings.extend(loaded.notices)
        self._news.extend(loaded.notices)
        self._base, self.signature = tables, loaded.signature
        self._log, self._log_seen, self._main_base = loaded.log, loaded.log_seen, loaded.main_base
        self._ids, self._all_dumped, self._private = None, False, set()
        return external if docs else None

    def _put(self, pending: Pending | dict[tuple[str, str], Any], *, in_place: bool = True) -> None:
        """Make `pending` part of the base. A table a compaction's snapshot may share is copied
        before its first change (copy-on-write); `in_place=False` copies every table it changes
        (the caller keeps the old base to fall back on)."""
        base = self._base
        tables, ids = dict(base), dict(self._ids) if self._ids is not None else None
        private = self._private if in_place else set()
        for (name, doc_id), doc in pending.items():
            if name not in private:
                tables[name] = dict(base.get(name, {}))
                if ids is not None:
                    ids[name] = list(ids.get(name, ()))
                private.add(name)
            docs = tables[name]
            order = ids[name] if ids is not None else None
            if doc is None:
                if docs.pop(doc_id, None) is not None and order is not None:
                    del order[bisect.bisect_left(order, doc_id)]
            else:
                if doc_id not in docs and order is not None:
                    bisect.insort(order, doc_id)
                docs[doc_id] = dump_entry(doc_id, doc)
        self._base, self._ids = tables, ids
        if not in_place:
            self._private = set()

    def _check_unchanged(self) -> None:
        if self.changed_on_disk():
            if not self.path.exists():
                raise StoreError(f"{self.path} has been moved or deleted; nothing was saved")
            raise FileChanged(f"{self.path} was changed by another program while Groom held its lock")

    def write(self, pending: Pending) -> int:
        """Write the base with `pending` documents replaced (None: deleted), atomically; it
        becomes the new base. Hold the lock. On error the file and the base stay as they were.

        Only the pending documents are serialised: the others are already bytes. Returns the
        file's size. A change log beside the file is folded in (the new file holds all of it)."""
        with self._mutex:
            self._check_unchanged()
            self._dump_all()
            saved_base, saved_ids = self._base, self._ids
            self._put(pending, in_place=False)
            if self._ids is None:
                self._ids = {name: sorted(docs) for name, docs in self._base.items()}
            try:
                temp, size, crc = self.storage.write_temp(document_blocks(self._base, self._ids))
                self.storage.install(temp)
            except StoreError:
                self._base, self._ids = saved_base, saved_ids
                raise
            self._after_replacing(Base(size, crc), tail=b"")
            return self.signature.size

    def append(self, pending: Pending) -> int:
        """Save `pending` by appending it to the change log (durable: fsync), not rewriting the
        file; it becomes part of the base. Hold the lock. Returns the bytes appended."""
        with self._mutex:
            self._check_unchanged()
            if self._log is None:
                self._start_log()
            log = self._log
            assert log is not None
            line = journal.encode_change((name, doc_id, doc) for (name, doc_id), doc in pending.items())
            stat = journal.append(self.log_path, line, after=log.length)
            log.length += len(line)
            self._log_seen = (stat.st_ino, stat.st_size)
            self._put(pending)
            return len(line)

    def _start_log(self) -> None:
        base = self._file_base()
        if base is None:
            raise FileChanged(f"{self.path} was changed by another program while Groom held its lock")
        header = journal.new_header(base)
        stat, head = journal.start(self.log_path, header, mode=self._mode())
        self._log = LogState(header, head, head, stat.st_ino)
        self._log_seen = (stat.st_ino, stat.st_size)

    def _mode(self) -> int:
        try:
            return os.stat(self.path).st_mode & 0o777
        except OSError:
            return 0o600

    def _dump_all(self) -> None:
        """Every document as the bytes it has in the file (new table objects: copy-on-write)."""
        if self._all_dumped:
            return
        self._base = _dumped(self._base)
        self._all_dumped = True

    def _after_replacing(self, base: Base, *, tail: bytes, holds: int | None = None) -> None:
        """The file was just replaced by one that is `base`: start the log anew after it (carrying
        `tail`, lines not in the file), so another Groom that had read the old log to `holds`
        carries on without reading the file again."""
        self.signature = self._stat()
        self._main_base = base
        old = self._log
        if old is not None:
            holds = old.length if holds is None else holds
            header = journal.new_header(base, Follows(old.header.id, holds))
            stat, head = journal.start(self.log_path, header, tail, mode=self._mode())
            # Our place in the new log: past what we had read of the old one. Lines after it
            # (another Groom's, not pulled yet) make the next look find a tail to pull.
            self._log = LogState(header, head, head + old.length - holds, stat.st_ino)
            self._log_seen = (stat.st_ino, head + old.length - holds)
        elif self._log_seen is not None:  # a log left over, all of it already in the file
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.log_path)
            self._log_seen = None

    def compact(self) -> bool:
        """Fold the change log into the file: one whole-file write, most of it without any lock,
        so appends (ours and other Groom's) go on meanwhile. Returns whether it did.

        Safe to call from a thread of its own. Gives up (False) if another Groom replaced the
        file meanwhile; a crash at any point leaves the file and a log that together hold every
        change (see model/journal.py)."""
        with self._mutex:
            log = self._log
            if log is None or log.length == log.header_length:
                return False
            tables, ids, holds, signature = self._base, self._ids, log.length, self.signature
            self._private = set()  # the snapshot shares every table now
        # The base is never changed in place (see `_put`): this snapshot stays as it was.
        dumped = _dumped(tables)
        if ids is None:
            ids = {name: sorted(docs) for name, docs in dumped.items()}
        temp: Path | None
        temp, size, crc = self.storage.write_temp(document_blocks(dumped, ids))
        base = Base(size, crc)
        try:
            with self.locked(), self._mutex:
                if self._log is not log or self._stat() != signature or self._log_stat() is None:
                    return False  # another Groom replaced the file or the log meanwhile
                rest = journal.read_from(self.log_path, holds)
                tail = rest[:journal.parse_tail(rest, self.log_path).consumed]
                journal.append(self.log_path, journal.encode_marker(base, holds), after=holds + len(tail))
                self.storage.install(temp)
                temp = None
                self._after_replacing(base, tail=tail, holds=holds)
                if self._base is tables:  # nothing changed meanwhile: keep the compact, dumped copy
                    self._base, self._ids, self._all_dumped, self._private = dumped, ids, True, set()
                return True
        except (BadJournal, OSError) as exc:
            raise StoreError(f"{self.log_path}: cannot fold the changes into {self.path.name} ({exc})") from None
        finally:
            if temp is not None:
                self.storage.discard(temp)

    def _stat(self) -> Signature:
        return Signature.of(os.stat(self.path))


def _dumped(tables: Tables) -> Tables:
    return {name: {doc_id: doc if isinstance(doc, bytes) else dump_entry(doc_id, doc) for doc_id, doc in docs.items()}
            for name, docs in tables.items()}


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _read_bytes(path: Path) -> tuple[bytes, Signature]:
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
    return data, signature


def _parse(data: bytes, path: Path) -> Tables:
    if not data or data.isspace():  # not data.strip(): that copies the whole file (40 ms at 50k items)
        raise StoreError(f"{path} is empty; it is not a backlog file")
    tables = loads(data, path)
    if not isinstance(tables, dict):
        raise StoreError(f"{path}: not a backlog file (expected a JSON object of tables)")
    duplicates = find_duplicates(data, tables)
    if duplicates:  # the parser kept only the last of each: refuse rather than lose the others
        more = f" (and {len(duplicates) - 1} more)" if len(duplicates) > 1 else ""
        raise StoreError(f"{path}: {duplicates[0]}{more}. Nothing was changed.")
    return tables


class _NeedsLock(Exception):
    """The log does not match the file: look again holding the lock (a compaction may be midway)."""

    def __init__(self, data: bytes, signature: Signature, tables: Tables) -> None:
        super().__init__()
        self.read = (data, signature, tables)  # the file as read: no need to parse it again if unchanged


def _load(path: Path, *, locked: bool = False) -> Loaded:
    """The file with its change log applied. A log that does not match the file is looked at
    again under the file lock: finished if a compaction was cut short, ignored if the file
    already holds all of it, otherwise moved aside (never applied to a file it was not made for)."""
    try:
        return _load_once(path, locked=locked)
    except _NeedsLock as needs:
        read = needs.read
    from filelock import FileLock, Timeout  # see Store._lock

    lock = FileLock(lock_path(path), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        lock.acquire()
    except (Timeout, OSError) as exc:
        raise StoreError(f"{journal_path(path)} holds changes that may not belong to {path}, and the file "
                         f"cannot be locked to sort it out ({exc}); try again") from None
    try:
        return _load_once(path, locked=True, read=read)
    finally:
        lock.release()


def _load_once(path: Path, *, locked: bool, read: tuple[bytes, Signature, Tables] | None = None) -> Loaded:
    """`read`: the file as read (and parsed) before taking the lock, used again if it is unchanged
    (writers replace the file: the same signature is the same file; at 50k items parsing it again
    and checking it for duplicates would cost ~0.6 s)."""
    try:
        unchanged = read is not None and Signature.of(os.stat(path)) == read[1]
    except OSError:
        unchanged = False  # _read_bytes says what is wrong
    if unchanged and read is not None:
        data, signature, tables = read
    else:
        data, signature = _read_bytes(path)
        tables = _parse(data, path)
    log_path = journal_path(path)
    log_file = journal.read(log_path)
    if log_file is None:
        return Loaded(tables, signature, None, None, [], None)
    base = Base.of(data)
    log_data, log_stat = log_file
    seen = (log_stat.st_ino, log_stat.st_size)
    try:
        log = journal.parse(log_data, log_path)
    except BadJournal as exc:
        raise StoreError(str(exc)) from None
    if log.header.base == base:
        _apply_entries(tables, log.changes_from(0))
        state = LogState(log.header, log.header_length, log.length, log_stat.st_ino)
        return Loaded(tables, signature, state, seen, [], base)
    if not locked:
        raise _NeedsLock(data, signature, tables)
    holds = log.compacted_into(base)
    if holds is not None:  # a compaction replaced the file and was cut short before the new log
        tail = log_data[holds:log.length]
        header = journal.new_header(base, Follows(log.header.id, holds))
        stat, head = journal.start(log_path, header, tail, mode=os.stat(path).st_mode & 0o777)
        _apply_entries(tables, log.changes_from(holds))
        state = LogState(header, head, head + len(tail), stat.st_ino)
        return Loaded(tables, signature, state, (stat.st_ino, stat.st_size), [], base)
    if _already_holds(tables, log.changes_from(0)):
        return Loaded(tables, signature, None, seen, [], base)  # left over: the next log replaces it
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = journal.set_aside(log_path, stamp)
    notice = (f"{len(log.changes)} change(s) saved in {log_path.name} were made to another version of "
              f"{path.name} (it was replaced since, e.g. by git), so they were not applied; they are "
              f"kept in {aside.name}")
    return Loaded(tables, signature, None, None, [notice], base)


def _in_table_order(entry: tuple[tuple[str, str], Any]) -> tuple[int, int]:
    """Documents in the order a whole-file pull applies them: by table (TABLES), then by id."""
    (table, doc_id), _ = entry
    return (TABLES.index(table) if table in TABLES else len(TABLES), int(doc_id))


def _apply_entries(tables: Tables, changes: list[list[journal.Entry]]) -> None:
    for entries in changes:
        for table, doc_id, doc in entries:
            docs = tables.setdefault(table, {})
            if doc is None:
                docs.pop(doc_id, None)
            else:
                docs[doc_id] = doc


def _already_holds(tables: Tables, changes: list[list[journal.Entry]]) -> bool:
    final = journal.final_docs(changes)
    return all(tables.get(table, {}).get(doc_id) == doc for (table, doc_id), doc in final.items())


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
