"""Merging the backlog record (meta), sprints, team and any other table, record by record.

These tables carry no conflicts of their own: a field both branches changed keeps ours'
value, and the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from model.backlog import META_DOC_ID
from model.change import META
from model.merge_items import edited
from model.merge_report import Branches, Doc, MergeReport, Tables
from model.merge_values import MISSING, merge_value
from model.meta import BacklogMeta

_TIME_FIELDS = ("at", "started", "start", "created")


def merge_meta(base: Tables | None, ours: Tables, theirs: Tables, items: Mapping[int, Doc],
                branches: Branches, report: MergeReport) -> Doc:
    def record(tables: Tables | None) -> Doc:
        return dict((tables or {}).get(META, {}).get(str(META_DOC_ID), {}))

    before, mine, other = record(base), record(ours), record(theirs)
    merged: Doc = {}
    for name in sorted((set(mine) | set(other)) - {"next_number", "revision", "settings"}):
        result = merge_value(name, before.get(name, MISSING), mine.get(name, MISSING), other.get(name, MISSING))
        if result.clash is not None:
            report.notes.append(f"backlog {name}: changed on both branches; kept {branches.name('ours')}'s "
                                f"{result.clash[0]!r} (theirs: {result.clash[1]!r})")
        if result.value is not MISSING:
            merged[name] = result.value
    settings: Doc = {}
    old_settings = before.get("settings") or {}
    my_settings, their_settings = mine.get("settings") or {}, other.get("settings") or {}
    for name in sorted(set(my_settings) | set(their_settings)):
        result = merge_value(name, old_settings.get(name, MISSING), my_settings.get(name, MISSING),
                             their_settings.get(name, MISSING))
        if result.clash is not None:
            report.notes.append(f"setting {name}: changed on both branches; kept {branches.name('ours')}'s "
                                f"{result.clash[0]!r} (theirs: {result.clash[1]!r})")
        if result.value is not MISSING:
            settings[name] = result.value
    merged["settings"] = settings
    highest = max(items, default=0)
    merged["next_number"] = max(mine.get("next_number", 1), other.get("next_number", 1), highest + 1)
    merged["revision"] = max(mine.get("revision", 0), other.get("revision", 0)) + 1
    try:
        return BacklogMeta.model_validate(merged).model_dump(mode="json")
    except ValidationError:
        report.notes.append(f"backlog settings: the branches' settings do not combine; kept "
                            f"{branches.name('ours')}'s")
        return {**merged, "settings": my_settings}


def merge_records(name: str, base: Mapping[str, Doc], ours: Mapping[str, Doc], theirs: Mapping[str, Doc],
                   model: type[BaseModel] | None, branches: Branches, report: MergeReport, *,
                   renumber_by_time: bool) -> dict[str, Doc]:
    """Records keyed by document id (sprints, team, history…), merged record by record and
    field by field; a clash keeps ours. Records added on both sides are all kept."""
    result: dict[int, Doc] = {}
    ours_label = branches.name("ours")
    for doc_id in sorted({int(i) for i in base}):
        key = str(doc_id)
        before, mine, other = base[key], ours.get(key), theirs.get(key)
        if mine is None and other is None:
            continue
        if mine is None or other is None:
            kept = mine if other is None else other
            if edited(before, kept):
                result[doc_id] = dict(kept)
                report.notes.append(f"{name} record {doc_id}: deleted on one branch and changed on the other; kept")
            continue
        merged: Doc = {}
        for field_name in sorted(set(before) | set(mine) | set(other)):
            value = merge_value(field_name, before.get(field_name, MISSING), mine.get(field_name, MISSING),
                                other.get(field_name, MISSING))
            if value.clash is not None:
                value = type(value)(value.clash[0])
                report.notes.append(f"{name} record {doc_id} {field_name}: changed on both branches; "
                                    f"kept {ours_label}'s")
            if value.value is not MISSING:
                merged[field_name] = value.value
        if model is not None:
            try:
                merged = model.model_validate(merged).model_dump(mode="json")
            except ValidationError:
                report.notes.append(f"{name} record {doc_id}: the branches' changes do not combine; "
                                    f"kept {ours_label}'s")
                merged = dict(mine)
        result[doc_id] = merged
    added_ours = {int(i): doc for i, doc in ours.items() if i not in base}
    added_theirs = {int(i): doc for i, doc in theirs.items() if i not in base}
    clashes = {i for i in added_ours.keys() & added_theirs.keys() if added_ours[i] != added_theirs[i]}
    for doc_id in sorted(added_theirs.keys() & added_ours.keys() - clashes):
        added_theirs.pop(doc_id)  # the same record on both sides
    if not clashes:
        result.update(added_ours)
        result.update(added_theirs)
    elif renumber_by_time:
        # Append-only logs: both sides' new records after the common ones, in time order.
        fresh = [(_time_of(doc), 0, i, doc) for i, doc in added_ours.items()]
        fresh += [(_time_of(doc), 1, i, doc) for i, doc in added_theirs.items()]
        first = max([0, *(int(i) for i in base)]) + 1
        for offset, (_, _, _, doc) in enumerate(sorted(fresh, key=lambda t: (t[0], t[1], t[2]))):
            result[first + offset] = doc
        # Log record ids are internal (nothing refers to them): renumbering them is not news.
    else:
        result.update(added_ours)
        following = max([0, *result, *added_theirs]) + 1
        for doc_id in sorted(added_theirs):
            if doc_id in clashes:
                result[following] = added_theirs[doc_id]
                report.notes.append(f"{name} record {doc_id} added on both branches: "
                                    f"{branches.name('theirs')}'s is now record {following}")
                following += 1
            else:
                result[doc_id] = added_theirs[doc_id]
    return {str(doc_id): result[doc_id] for doc_id in sorted(result)}


def _time_of(doc: Doc) -> str:
    for name in _TIME_FIELDS:
        value = doc.get(name) if isinstance(doc, dict) else None
        if isinstance(value, str):
            return value
    return ""


def rekeyed(table: Mapping[str, Any], renamed: Mapping[str, str]) -> dict[str, Any]:
    """Other tables' references to renumbered items follow them: any text that is exactly a
    renumbered key becomes the new key."""
    if not renamed:
        return dict(table)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return renamed.get(value, value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return {doc_id: walk(doc) for doc_id, doc in table.items()}

