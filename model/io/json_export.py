"""The whole backlog file as JSON: exactly its tables, in Groom's own layout (sorted keys,
pretty-printed), readable by TinyDB and by `groom` itself."""

from __future__ import annotations

from model.io.export_input import ExportInput
from model.storage import dumps


def render_json(source: ExportInput) -> bytes:
    return dumps(source.tables)
