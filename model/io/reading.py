"""Reading an export file as text: size, emptiness, binary content and encoding, said clearly."""

from __future__ import annotations

from pathlib import Path

from model.io.errors import BadImportFile

MAX_BYTES = 200 * 1024 * 1024  # far above any real export; stops a wrong path to a disk image


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise BadImportFile(f"{path} is a folder, not an export file")
        if size > MAX_BYTES:
            raise BadImportFile(f"{path} is {size / 1024 / 1024:.0f} MB: too big for an export file")
        return path.read_bytes()
    except FileNotFoundError:
        raise BadImportFile(f"{path}: no such file") from None
    except OSError as exc:
        raise BadImportFile(f"{path}: cannot read ({exc.strerror})") from None


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped), or a clear error for empty or binary files."""
    if not data.strip():
        raise BadImportFile(f"{name} is empty")
    if b"\x00" in data[:65536]:
        raise BadImportFile(f"{name} is a binary file, not a text export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadImportFile(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "export it again from Jira/Trello, or save it as UTF-8"
        ) from None
