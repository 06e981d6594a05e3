"""Build the sample backlogs from their source: `python -m sample_backlogs.build`.

The source (`sample_backlogs/source/*.py`) is written the way a team writes its backlog; this
turns it into the app's file format through the model itself (Item, Sprint and TeamMember
validation, `initial_ranks`, `Backlog.from_tables`, `Store.create`), so the JSON is exactly what
Groom writes. The same source always gives the same bytes. `--check` writes nothing and exits 1
when a committed JSON file differs from what its source builds (CI and tests use it).

Besides the model's own rules, the build refuses a sample whose story does not add up: an item
marked ready that breaks the Definition of Ready, a split without children, a timestamp or
sprint after the day the samples describe.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model.backlog import Backlog
from model.errors import GroomError
from model.item import Item, Status, make_key
from model.meta import BacklogMeta, Settings
from model.rank import initial_ranks
from model.readiness import readiness
from model.store import Store
from model.validation import describe
from sample_backlogs.source import SAMPLES
from sample_backlogs.spec import DONE_MARK, Sample, Spec

FOLDER = Path(__file__).resolve().parent
# The day the samples describe: every timestamp and every sprint lies before it.
AS_OF = datetime(2026, 11, 25, tzinfo=UTC)
_REF = re.compile(r"\[\[([a-z0-9-]+)\]\]")
_WORKDAY_START = 8 * 60 + 30  # derived times of day fall between 08:30 and 17:30
_WORKDAY_MINUTES = 9 * 60


class SampleError(ValueError):
    """The sample's source is inconsistent; the message names the sample and the item."""


# ----- building ---------------------------------------------------------------------------


def build_backlog(sample: Sample) -> Backlog:
    """The sample as the app holds it in memory, validated by the model."""
    _check_refs(sample)
    keys = _keys(sample)
    settings = Settings.model_validate(sample.settings)
    numbers = [int(key.rsplit("-", 1)[1]) for key in keys.values()]
    next_number = max([*numbers, *sample.deleted]) + 1
    meta = BacklogMeta(name=sample.name, prefix=sample.prefix, next_number=next_number, settings=settings)
    ranks = initial_ranks(len(sample.items))
    items = {}
    for spec, rank in zip(sample.items, ranks, strict=True):
        try:
            item = Item.model_validate(_item_doc(spec, keys, rank))
        except ValidationError as exc:
            raise SampleError(f"{sample.file}: {describe(exc, f'{keys[spec.ref]} ({spec.ref})')}") from None
        items[str(item.number)] = item.to_doc()
    _check_dates(sample)
    tables = {
        "meta": {"1": meta.model_dump(mode="json")},
        "items": items,
        "sprints": {str(i): s.model_dump(mode="json") for i, s in enumerate(sample.sprints, start=1)},
        "team": {str(i): m.model_dump(mode="json") for i, m in enumerate(sample.team, start=1)},
    }
    backlog = Backlog.from_tables(tables)
    if backlog.warnings:
        raise SampleError(f"{sample.file}: {backlog.warnings[0]}")
    _check_story(sample, backlog, keys)
    return backlog


def render(sample: Sample) -> bytes:
    """The sample's file, byte for byte: written by `Store.create` and read back by `Store.open`."""
    backlog = build_backlog(sample)
    with tempfile.TemporaryDirectory(prefix="groom-sample-") as folder:
        path = Path(folder) / f"{sample.file}.json"
        Store.create(path, backlog)
        _, reopened = Store.open(path)
        if reopened.warnings:
            raise SampleError(f"{sample.file}: {reopened.warnings[0]}")
        return path.read_bytes()


def path_of(sample: Sample) -> Path:
    return FOLDER / f"{sample.file}.json"


def write(sample: Sample, payload: bytes) -> None:
    """Replace the sample's file atomically, readable by everyone (it ships with the package)."""
    target = path_of(sample)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temp.write_bytes(payload)
    temp.chmod(0o644)
    os.replace(temp, target)


# ----- from source to documents -----------------------------------------------------------


def _keys(sample: Sample) -> dict[str, str]:
    """ref → key, numbered in order of creation (as Groom numbers new items), skipping deleted ones."""
    created = sorted(enumerate(sample.items), key=lambda pair: (_created(pair[1]), pair[0]))
    keys, number = {}, 0
    for _, spec in created:
        number += 1
        while number in sample.deleted:
            number += 1
        keys[spec.ref] = make_key(sample.prefix, number)
    return keys


def _item_doc(spec: Spec, keys: dict[str, str], rank: str) -> dict[str, Any]:
    def text(value: str) -> str:
        return _REF.sub(lambda match: _ref_key(match.group(1), keys, spec), value)

    questions = [{"ask": ask, "text": text(question), "answer": text(answer)}
                 for ask, question, answer in spec.questions]
    status = spec.status or ("needs_info" if any(not q["answer"] for q in questions) else "new")
    criteria = [
        {"text": text(c.removeprefix(DONE_MARK)), "done": c.startswith(DONE_MARK)} for c in spec.criteria
    ]
    return {
        "key": keys[spec.ref],
        "title": spec.title,
        "kind": spec.kind,
        "description": text(spec.description.strip("\n")),
        "rank": rank,
        "status": status,
        "points": spec.points,
        "moscow": spec.moscow,
        "acceptance_criteria": criteria,
        "questions": questions,
        "labels": list(spec.labels),
        "parent": keys[spec.parent] if spec.parent else None,
        "evidence": [{"text": text(what), "link": link} for what, link in spec.evidence],
        "scores": spec.scores,
        "source": spec.source,
        "created": _created(spec),
        "updated": _updated(spec),
    }


def _ref_key(ref: str, keys: dict[str, str], spec: Spec) -> str:
    if ref not in keys:
        raise SampleError(f"{spec.ref}: [[{ref}]] names no item")
    return keys[ref]


def _created(spec: Spec) -> datetime:
    if not spec.created:
        raise SampleError(f"{spec.ref}: no created date")
    return _moment(spec.created, spec.ref)


def _updated(spec: Spec) -> datetime:
    created = _created(spec)
    if not spec.updated:
        return created
    updated = _moment(spec.updated, spec.ref + "/updated")
    if updated.date() == created.date() and updated < created:
        updated = created + timedelta(minutes=7 + zlib.crc32(spec.ref.encode()) % 90)
    return updated


def _moment(text: str, seed: str) -> datetime:
    """"2026-09-03 14:20" as given; "2026-09-03" at a working-hours time derived from `seed`
    (crc32, not hash(): the same on every run)."""
    if " " in text:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    minutes = _WORKDAY_START + zlib.crc32(seed.encode()) % _WORKDAY_MINUTES
    day = date.fromisoformat(text)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)


# ----- does the story add up? ---------------------------------------------------------------


def _check_refs(sample: Sample) -> None:
    refs = [spec.ref for spec in sample.items]
    repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
    if repeated:
        raise SampleError(f"{sample.file}: ref {repeated[0]!r} is used twice")
    by_ref = {spec.ref: spec for spec in sample.items}
    for spec in sample.items:
        if spec.parent and spec.parent not in by_ref:
            raise SampleError(f"{sample.file}: {spec.ref} is split from {spec.parent!r}, which is not in the sample")


def _check_dates(sample: Sample) -> None:
    for spec in sample.items:
        created, updated = _created(spec), _updated(spec)
        if updated < created:
            raise SampleError(f"{sample.file}: {spec.ref} is updated before it is created")
        if updated >= AS_OF:
            raise SampleError(f"{sample.file}: {spec.ref} is dated {updated:%Y-%m-%d}, not before {AS_OF:%Y-%m-%d}")
    previous = None
    for record in sample.sprints:
        if record.start is None or record.end is None:
            raise SampleError(f"{sample.file}: {record.name} needs start and end dates")
        if record.end >= AS_OF.date():
            raise SampleError(f"{sample.file}: {record.name} ends {record.end}, not before {AS_OF:%Y-%m-%d}")
        if previous is not None and record.start <= previous.end:
            raise SampleError(f"{sample.file}: {record.name} starts before {previous.name} ends")
        previous = record


def _check_story(sample: Sample, backlog: Backlog, keys: dict[str, str]) -> None:
    settings = backlog.meta.settings
    for spec in sample.items:
        item = backlog.items[keys[spec.ref]]
        where = f"{sample.file}: {item.key} ({spec.ref})"
        if item.status == Status.READY and not readiness(item, settings).ready:
            raise SampleError(f"{where} is marked ready but: {'; '.join(readiness(item, settings).failures)}")
        if item.status in (Status.NEW, Status.READY) and item.open_questions:
            raise SampleError(f"{where} has open questions, so it is needs_info, not {item.status.value}")
        if item.status == Status.DONE and not all(c.done for c in item.acceptance_criteria):
            raise SampleError(f"{where} is done with criteria not ticked")
        if item.status == Status.SPLIT and not backlog.children(item.key):
            raise SampleError(f"{where} is split but has no children")
        if item.parent:
            parent = backlog.items[item.parent]
            if parent.status != Status.SPLIT:
                raise SampleError(f"{where} is split from {parent.key}, which is {parent.status.value}, not split")
            if item.created < parent.created:
                raise SampleError(f"{where} is created before {parent.key}, which it was split from")


# ----- the command ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_backlogs.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed sample differs from what its source builds")
    options = parser.parse_args(argv)
    stale = []
    for sample in SAMPLES:
        try:
            payload = render(sample)
        except (ValueError, GroomError) as exc:  # SampleError, a model rule, or the store
            print(f"sample_backlogs: {exc}", file=sys.stderr)
            return 1
        target = path_of(sample)
        current = target.read_bytes() if target.exists() else None
        if options.check:
            if current != payload:
                stale.append(target.name)
            continue
        if current == payload:
            print(f"{target.name}: unchanged")
        else:
            write(sample, payload)
            print(f"{target.name}: written ({len(sample.items)} items)")
    if stale:
        print(f"sample_backlogs: out of date with their source: {', '.join(stale)}; "
              "run python -m sample_backlogs.build", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
