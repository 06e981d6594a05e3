"""Helpers shared by the model tests (not fixtures: plain functions)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson

from model.backlog import Backlog
from model.meta import SCHEMA_VERSION
from model.service import BacklogService
from model.store import Store

TIMESTAMP = "2024-05-01T09:00:00Z"


def comparable(backlog: Backlog) -> dict[str, Any]:
    """The backlog's tables without what legitimately moves on with every write: the meta
    revision and key counter, items' `updated` stamps, and the history (undo and redo are
    changes too, recorded in it)."""
    tables = copy.deepcopy(backlog.to_tables())
    del tables["history"]
    meta = tables["meta"]["1"]
    del meta["revision"], meta["next_number"]
    for doc in tables["items"].values():
        del doc["updated"]
    return tables


def reopen(path: Path) -> Backlog:
    _, backlog = Store.open(path)
    return backlog


def order(backlog: Backlog) -> list[str]:
    return [item.key for item in backlog]


def add_items(service: BacklogService, *titles: str) -> list[str]:
    """Add items one below the other (the first at the top); return their keys."""
    from model.commands import AddItem

    keys: list[str] = []
    for title in titles:
        below = keys[-1] if keys else (order(service.backlog)[-1] if len(service.backlog) else None)
        outcome = service.execute(AddItem(title, below=below))
        keys.append(outcome.change.docs[-1].after["key"])
    return keys


def item_doc(number: int, rank: str, prefix: str = "SHOP", **fields: Any) -> dict[str, Any]:
    """A complete stored item document, as the file holds it."""
    doc: dict[str, Any] = {
        "key": f"{prefix}-{number}",
        "title": f"Item {number}",
        "kind": "story",
        "description": "",
        "rank": rank,
        "status": "new",
        "points": None,
        "moscow": None,
        "acceptance_criteria": [],
        "questions": [],
        "labels": [],
        "parent": None,
        "evidence": [],
        "scores": {},
        "source": "",
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
    }
    doc.update(fields)
    return doc


def meta_doc(prefix: str = "SHOP", next_number: int = 1, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "name": "Shop",
        "prefix": prefix,
        "next_number": next_number,
        "revision": 0,
        "settings": {
            "estimate_unit": "points",
            "split_threshold": 13,
            "velocity_window": 3,
            "sprint_length_days": 10,
            "focus_factor": 0.7,
            "horizon": 3,
        },
    }
    doc.update(fields)
    return doc


def tables_with(items: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    """Whole-file tables holding `items` (documents keyed by their key number)."""
    highest = max((int(doc["key"].rsplit("-", 1)[1]) for doc in items), default=0)
    meta.setdefault("next_number", highest + 1)
    return {
        "meta": {"1": meta_doc(**meta)},
        "items": {doc["key"].rsplit("-", 1)[1]: doc for doc in items},
        "sprints": {},
        "team": {},
        "sessions": {},
        "history": {},
    }


def write_tables(path: Path, tables: Any) -> bytes:
    data = orjson.dumps(tables, option=orjson.OPT_INDENT_2)
    path.write_bytes(data)
    return data
