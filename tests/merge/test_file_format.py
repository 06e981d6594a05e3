"""The file is a good citizen in git: deterministic bytes, one block of lines per item."""

from __future__ import annotations

import difflib
import re

from model.commands import AddCriterion, EditItem, MoveItem, SetPoints
from model.service import BacklogService
from model.store import Store
from tests.tui import scenario
from tui.app import GroomApp


def test_writing_the_same_backlog_twice_gives_the_same_bytes(tmp_path):
    backlog = scenario.build_backlog()
    Store.create(tmp_path / "a.json", backlog)
    Store.create(tmp_path / "b.json", scenario.build_backlog())
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_opening_and_saving_without_a_change_changes_nothing(tmp_path):
    path = tmp_path / "shop.json"
    scenario.make_service(path)
    before = path.read_bytes()
    store, backlog = Store.open(path)
    store.storage.write(store.tables)  # what every save writes, with no change in it
    assert path.read_bytes() == before
    Store.create(tmp_path / "again.json", backlog)  # and from the model, not the raw tables
    assert (tmp_path / "again.json").read_bytes() == before


async def test_opening_the_app_and_quitting_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "shop.json"
    scenario.make_service(path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    app = GroomApp(BacklogService.open(path, clock=scenario.frozen_clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "tab", "k", "slash", "c", "escape")
        await pilot.pause()
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def _item_blocks(text: str) -> dict[str, range]:
    """Line ranges of each item's document in the file (0-based)."""
    lines = text.splitlines()
    start = lines.index('  "items": {')
    blocks: dict[str, range] = {}
    current = None
    for number, line in enumerate(lines[start + 1:], start=start + 1):
        match = re.match(r'^    "(\d+)": \{$', line)
        if match:
            current = (match.group(1), number)
        elif current and re.match(r"^    \},?$", line):
            blocks[current[0]] = range(current[1], number + 1)
            current = None
        elif line.startswith("  }"):
            break
    return blocks


def _changed_lines(old: str, new: str) -> set[int]:
    """Line numbers (in `old`) that an edit from `old` to `new` touches."""
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            changed.update(range(i1, max(i2, i1 + 1)))
    return changed


def test_each_item_is_one_block_of_lines_in_the_order_of_its_document_id(tmp_path):
    path = tmp_path / "shop.json"
    scenario.make_service(path)
    text = path.read_text()
    blocks = _item_blocks(text)
    assert sorted(blocks, key=int) == [str(n) for n in range(1, 19)]
    assert list(blocks) == sorted(blocks)  # sorted keys: "1", "10", "11", … "2": stable, predictable
    for doc_id, lines in blocks.items():
        body = "\n".join(text.splitlines()[lines.start:lines.stop])
        assert f'"key": "SHOP-{doc_id}"' in body


def _table_lines(text: str, table: str) -> set[int]:
    """Line numbers of a top-level table, from its opening line to its closing brace."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f'  "{table}": {{'))
    if lines[start].rstrip(",").endswith("{}"):
        return {start}
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"^  \},?$", lines[i]))
    return set(range(start, end + 1))


def test_an_edit_of_one_item_changes_only_its_block_its_history_and_the_revision(tmp_path):
    path = tmp_path / "shop.json"
    service = scenario.make_service(path)
    for command in (SetPoints("SHOP-12", 3), AddCriterion("SHOP-4", "Given two providers, when compared, then…"),
                    EditItem("SHOP-13", {"title": "Refund to the card used", "labels": ["refunds"]}),
                    MoveItem("SHOP-5", "up")):
        old = path.read_text()
        service.execute(command)
        new = path.read_text()
        key = command.key
        block = _item_blocks(old)[key.split("-")[1]]
        revision = next(i for i, line in enumerate(old.splitlines()) if line.strip().startswith('"revision"'))
        # The item's history entry is a new document of the history table: its own lines too.
        allowed = set(block) | {revision} | _table_lines(old, "history")
        assert _changed_lines(old, new) <= allowed, command
        assert _changed_lines(old, new) & set(block), command
