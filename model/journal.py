"""The change log beside a big backlog file (`.NAME.journal`): durable changes in a few bytes.

Rewriting the whole file per change costs what the file weighs (at 50k items a 65 MB write and
an fsync of up to 0.2 s), so on big backlogs the app appends each change here instead: one line
holding the documents it wrote, then fsync (well under a millisecond). Every so often the log is
folded into the file by one whole-file write (`Store.compact`), off the UI thread.

The format, one line each, every line `CRC32 JSON` (crc of the JSON, 8 hex digits), so a line
cut short by a crash is told apart from a whole one:

    header  {"groom_journal": 1, "id": "…", "base": {"size": N, "crc32": C}, "follows": null}
    change  [["items", "12", {…}], ["history", "903", null], …]     (null: the document was deleted)
    marker  {"compacting": {"size": N, "crc32": C, "length": L}}

`base` names the very file the changes apply to: its size and the crc32 of its bytes. A log
whose base is not the file beside it (the file was replaced meanwhile, say by a git checkout) is
never applied. `follows` is set when a compaction started this log: the previous log's id and
the length of it that the new file already holds, so another Groom that had read that far just
carries on reading from here instead of reading the whole file again.

A compaction (holding the file lock) first appends a marker to the old log: the new file's
identity and how much of the log it holds. Then it replaces the file, then starts the new log
with the old log's lines after `length`. A crash between the two replaces leaves the new file
beside the old log; the marker says which lines it still needs (`Journal.compacted_into`).

A crash can cut only the last line (appends are one write each, under the file lock); such a
tail is ignored and cut off before the next append.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from model.errors import StoreError

FORMAT = 1
Entry = tuple[str, str, Any]  # (table, document id, the document or None: deleted)


def journal_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.journal")


@dataclass(frozen=True)
class Base:
    """Which file a log's changes apply to."""

    size: int
    crc32: int

    @classmethod
    def of(cls, data: bytes) -> Base:
        return cls(len(data), zlib.crc32(data))


@dataclass(frozen=True)
class Follows:
    """The log a compaction replaced, and how much of it the new file holds."""

    id: str
    length: int


@dataclass(frozen=True)
class Header:
    id: str
    base: Base
    follows: Follows | None = None


@dataclass(frozen=True)
class Journal:
    """A log as read: its header, the changes of its whole lines, and where they end."""

    header: Header
    changes: list[tuple[int, list[Entry]]]  # (where the line starts, its documents)
    length: int  # bytes up to the end of the last whole change (what an append goes after)
    header_length: int
    markers: list[tuple[Base, int]]  # compactions begun: (the new file, the log length it holds)

    def changes_from(self, start: int) -> list[list[Entry]]:
        return [entries for offset, entries in self.changes if offset >= start]

    def compacted_into(self, base: Base) -> int | None:
        """If a compaction made `base` from this log: the length of the log it holds."""
        return next((length for target, length in self.markers if target == base), None)


@dataclass(frozen=True)
class Tail:
    """The lines another Groom appended after the part of the log already read."""

    changes: list[list[Entry]]
    consumed: int  # bytes of whole changes read (markers after the last change are not counted)


class BadJournal(StoreError):
    """A log that is not one Groom wrote, or damaged other than at its end."""


def new_header(base: Base, follows: Follows | None = None) -> Header:
    return Header(secrets.token_hex(8), base, follows)


def encode_header(header: Header) -> bytes:
    follows = None if header.follows is None else {"id": header.follows.id, "length": header.follows.length}
    return _line({"groom_journal": FORMAT, "id": header.id,
                  "base": {"size": header.base.size, "crc32": header.base.crc32}, "follows": follows})


def encode_change(entries: Iterable[Entry]) -> bytes:
    return _line([[table, doc_id, doc] for table, doc_id, doc in entries])


def encode_marker(base: Base, length: int) -> bytes:
    return _line({"compacting": {"size": base.size, "crc32": base.crc32, "length": length}})


def _line(value: Any) -> bytes:
    body = orjson.dumps(value)
    return b"%08x %s\n" % (zlib.crc32(body), body)


def parse(data: bytes, path: Path) -> Journal:
    """A whole log as read from disk."""
    lines = _lines(data, path, 0)
    if not lines or not isinstance(lines[0][1], dict) or "groom_journal" not in lines[0][1]:
        raise BadJournal(f"{path}: not a change log Groom wrote (no header)")
    header = _header(lines[0][1], path)
    header_length = length = lines[0][2]
    changes: list[tuple[int, list[Entry]]] = []
    markers: list[tuple[Base, int]] = []
    for offset, value, end in lines[1:]:
        if isinstance(value, dict):
            markers.append(_marker(value, path))
        else:
            changes.append((offset, _entries(value, path)))
            length = end
    return Journal(header, changes, length, header_length, markers)


def parse_tail(data: bytes, path: Path) -> Tail:
    """The lines after the part of a log already read (`data` starts there)."""
    changes: list[list[Entry]] = []
    consumed = 0
    for _, value, end in _lines(data, path, 0):
        if not isinstance(value, dict):
            changes.append(_entries(value, path))
            consumed = end
        else:
            _marker(value, path)
    return Tail(changes, consumed)


def _lines(data: bytes, path: Path, position: int) -> list[tuple[int, Any, int]]:
    """(start, decoded value, end) of each whole line; a damaged last line is a crash's cut."""
    lines = []
    size = len(data)
    while position < size:
        end = data.find(b"\n", position)
        if end < 0:
            break  # the last line has no end: cut short
        value = _decoded(data[position:end])
        if value is None:
            if data.find(b"\n", end + 1) >= 0:  # whole lines after it: not a crash's cut
                number = data.count(b"\n", 0, position) + 1
                raise BadJournal(f"{path}: line {number} is damaged (not a change Groom wrote). Nothing "
                                 "was changed; move the file aside to open the backlog without the "
                                 "changes it holds.")
            break  # the last line, damaged: a crash (or power cut) in the middle of writing it
        lines.append((position, value, end + 1))
        position = end + 1
    return lines


def _decoded(line: bytes) -> Any:
    crc, _, body = line.partition(b" ")
    if len(crc) != 8:
        return None
    try:
        if int(crc, 16) != zlib.crc32(body):
            return None
        return orjson.loads(body)
    except ValueError:
        return None


def _header(value: Any, path: Path) -> Header:
    try:
        if value["groom_journal"] != FORMAT:
            raise BadJournal(f"{path}: written by a newer Groom (change log format {value['groom_journal']}); "
                             "update Groom to open this backlog")
        base = Base(int(value["base"]["size"]), int(value["base"]["crc32"]))
        follows = value.get("follows")
        return Header(str(value["id"]), base,
                      None if follows is None else Follows(str(follows["id"]), int(follows["length"])))
    except (KeyError, TypeError, ValueError):
        raise BadJournal(f"{path}: not a change log Groom wrote (its header is not one)") from None


def _marker(value: dict, path: Path) -> tuple[Base, int]:
    try:
        marker = value["compacting"]
        return Base(int(marker["size"]), int(marker["crc32"])), int(marker["length"])
    except (KeyError, TypeError, ValueError):
        raise BadJournal(f"{path}: a line is not a change Groom wrote") from None


def _entries(value: Any, path: Path) -> list[Entry]:
    if not isinstance(value, list) or not all(
            isinstance(e, list) and len(e) == 3 and isinstance(e[0], str) and isinstance(e[1], str)
            and e[1].isdigit() and (e[2] is None or isinstance(e[2], dict)) for e in value):
        raise BadJournal(f"{path}: a line is not a change Groom wrote")
    return [(table, doc_id, doc) for table, doc_id, doc in value]


def read(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The log's bytes and its stat, or None when there is none."""
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def read_header(path: Path) -> tuple[Header, int, os.stat_result] | None:
    """The log's header, its length and the log's stat, reading its first line only (None: no
    log, or none Groom wrote)."""
    try:
        with open(path, "rb") as handle:
            line, stat = handle.readline(), os.fstat(handle.fileno())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return parse(line, path).header, len(line), stat
    except BadJournal:
        return None


def final_docs(changes: Iterable[list[Entry]]) -> dict[tuple[str, str], Any]:
    """What the changes leave of each document they touch: (table, id) -> document (None: deleted)."""
    final: dict[tuple[str, str], Any] = {}
    for entries in changes:
        for table, doc_id, doc in entries:
            final[(table, doc_id)] = doc
    return final


def read_from(path: Path, offset: int) -> bytes:
    """The log's bytes after `offset` (a tail to pull)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            return handle.read()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def append(path: Path, line: bytes, *, after: int) -> os.stat_result:
    """Append one line durably (write + fsync) right after byte `after` (cutting off a torn tail).
    Hold the file lock. Returns the log's stat after the append."""
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            if os.fstat(fd).st_size != after:
                os.ftruncate(fd, after)
            os.lseek(fd, after, os.SEEK_SET)
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            return os.fstat(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):  # leave no half line behind if we can help it
            with open(path, "r+b") as handle:
                handle.truncate(after)
        raise StoreError(f"{path}: cannot save ({exc.strerror}); the backlog on disk is unchanged") from None


def start(path: Path, header: Header, tail: bytes = b"", *, mode: int = 0o600) -> tuple[os.stat_result, int]:
    """Start a new log (header, then `tail`: lines carried over), replacing any old one
    atomically. Hold the file lock. Returns the log's stat and its header's length."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            os.fchmod(fd, mode)
            head = encode_header(header)
            data = memoryview(head + tail)
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
            stat = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise StoreError(f"{path}: cannot save ({exc.strerror}); the backlog on disk is unchanged") from None
    return stat, len(head)


def set_aside(path: Path, stamp: str) -> Path:
    """Move a log that cannot be applied out of the way, keeping it: `NAME.unapplied-STAMP.journal`."""
    name = path.name[1:].removesuffix(".journal")
    target = path.with_name(f"{name}.unapplied-{stamp}.journal")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{name}.unapplied-{stamp}-{number}.journal")
    try:
        os.replace(path, target)
    except OSError as exc:
        raise StoreError(f"{path} holds changes that do not apply to the backlog beside it, and cannot be "
                         f"moved aside ({exc.strerror}); move it yourself to open the backlog") from None
    return target
