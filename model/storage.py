"""A TinyDB storage that never leaves a half-written file.

Each write goes to a temporary file in the same folder, is flushed to disk (fsync), and then
atomically replaces the backlog file (`os.replace`), so a crash or `kill -9` at any moment
leaves either the old or the new complete document. Serialisation is orjson, pretty-printed
with sorted keys: the same backlog always gives the same bytes, and diffs read well.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from model.errors import StoreError

NEW_FILE_MODE = 0o600
_DUMP_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
_DOC_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
_BLOCK_DOCS = 2000  # documents joined per block written: ~2 MB, so no single step holds the GIL for long


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many objects at once.

    Loading 50k items creates millions of containers; without this, repeated collections
    make parsing and validation several times slower. Nothing built here forms cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def dumps(tables: dict[str, Any]) -> bytes:
    return orjson.dumps(tables, option=_DUMP_OPTIONS)


def dump_entry(doc_id: str, doc: Any) -> bytes:
    """One document with its id, exactly as `dumps` writes it inside the file (`"12": {…}`,
    two levels deep).

    JSON strings never hold a raw line break, so re-indenting is a plain replace. Keeping
    these per document lets a write re-serialise only the documents that changed.
    """
    return b"%s: %s" % (_quoted(doc_id), orjson.dumps(doc, option=_DOC_OPTIONS).replace(b"\n", b"\n    "))


def _quoted(name: str) -> bytes:
    return b'"' + name.encode() + b'"' if name.isalnum() and name.isascii() else orjson.dumps(name)


def document_blocks(tables: Mapping[str, Mapping[str, bytes]], ids: Mapping[str, Sequence[str]]) -> Iterator[bytes]:
    """The whole file, byte for byte what `dumps` gives, from entries already dumped
    (`dump_entry`); `ids[table]` lists each table's document ids in sorted order.

    Yielded in blocks of a few thousand documents: each join is one short step, and the
    writes between them release the GIL, so a background writer never stalls the UI for long.
    """
    names = sorted(tables)
    if not names:
        yield b"{}\n"
        return
    yield b"{"
    for number, name in enumerate(names):
        docs, order = tables[name], ids[name]
        head = b"%s\n  %s: " % (b"," if number else b"", _quoted(name))
        if not order:
            yield head + b"{}"
            continue
        yield head + b"{\n    "
        entry = docs.__getitem__
        for start in range(0, len(order), _BLOCK_DOCS):
            if start:
                yield b",\n    "
            yield b",\n    ".join(map(entry, order[start:start + _BLOCK_DOCS]))
        yield b"\n  }"
    yield b"\n}\n"


def loads(data: bytes, path: Path) -> Any:
    try:
        with gc_paused():
            return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, temp file + fsync + os.replace."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({exc.strerror})") from None
        if not data.strip():
            return None
        return loads(data, self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_bytes(dumps(data))

    def write_bytes(self, payload: bytes) -> None:
        self.write_blocks((payload,))

    def write_blocks(self, blocks: Iterable[bytes]) -> None:
        """Write the blocks, in order, as the new content of the file: temp file, fsync, rename."""
        self.install(self.write_temp(blocks)[0])

    def write_temp(self, blocks: Iterable[bytes]) -> tuple[Path, int, int]:
        """Write the blocks to a temporary file beside the file, durably (fsync): (its path, its
        size, the crc32 of its bytes). `install` then makes it the file."""
        path = self.path
        temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        size = crc = 0
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            try:
                os.fchmod(fd, mode)  # O_CREAT's mode is masked by umask; keep the file's own
                for block in blocks:
                    crc = zlib.crc32(block, crc)
                    size += len(block)
                    view = memoryview(block)
                    while view:
                        written = os.write(fd, view)
                        view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            self.discard(temp)
            raise StoreError(f"{path}: cannot save ({exc.strerror}); the file on disk is unchanged") from None
        return temp, size, crc

    def install(self, temp: Path) -> None:
        """Make a temporary file from `write_temp` the file (atomic rename, then the folder fsynced)."""
        try:
            os.replace(temp, self.path)
        except OSError as exc:
            self.discard(temp)
            raise StoreError(f"{self.path}: cannot save ({exc.strerror}); the file on disk is unchanged") from None
        _fsync_dir(self.path.parent)

    @staticmethod
    def discard(temp: Path) -> None:
        with contextlib.suppress(OSError):
            os.unlink(temp)

    def close(self) -> None:
        pass


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable, not only the file's bytes.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
