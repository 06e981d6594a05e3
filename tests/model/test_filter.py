"""The filter's readiness term on a real sample backlog."""

from __future__ import annotations

from pathlib import Path

from model.filter import parse_filter
from model.item import CLOSED_STATUSES
from model.readiness import readiness
from model.store import Store

WEBSHOP = Path(__file__).resolve().parents[2] / "sample_backlogs" / "webshop.json"


def test_ready_no_lists_the_open_items_that_fail_the_definition_of_ready_only():
    _, backlog = Store.open(WEBSHOP)
    settings = backlog.meta.settings
    shown = parse_filter("ready:no", settings).apply(backlog)
    expected = [item.key for item in backlog
                if item.status not in CLOSED_STATUSES and not readiness(item, settings).ready]
    assert shown == expected and shown
    closed = [item.key for item in backlog if item.status in CLOSED_STATUSES]
    assert closed and not set(closed) & set(shown)  # a split record or a dropped item is not work to refine
    # Negated, it is everything else: closed items and ready ones.
    rest = parse_filter("-ready:no", settings).apply(backlog)
    assert sorted(rest + shown) == sorted(backlog.order)


def test_words_find_the_backlog_as_it_is_after_every_kind_of_change(tmp_path):
    """The search texts are kept per backlog between keystrokes: an edit, a new item, a move, a
    delete and an undo must each show in the next search."""
    from model.commands import AddItem, DeleteItem, EditItem, MoveItem
    from model.service import BacklogService

    path = tmp_path / "webshop.json"
    path.write_bytes(WEBSHOP.read_bytes())
    service = BacklogService.open(path)
    backlog = service.backlog

    def found(text: str) -> list[str]:
        shown = parse_filter(text, backlog.meta.settings).apply(service.backlog)
        expected = [item.key for item in service.backlog
                    if all(word in f"{item.key}\n{item.title}".casefold() for word in text.casefold().split())]
        assert shown == expected
        return shown

    assert found("zebra") == []
    first, second = backlog.order[0], backlog.order[1]
    service.execute(EditItem(first, {"title": "Zebra crossing for the checkout"}))
    assert found("zebra") == [first]
    added = service.execute(AddItem("Zebra stripes on the receipt", below=second)).change.docs[-1].after["key"]
    assert found("zebra") == [first, added]
    service.execute(MoveItem(first, "bottom"))
    assert found("zebra") == [added, first]
    service.execute(DeleteItem(added))
    assert found("zebra") == [first]
    service.undo()
    assert found("zebra") == [added, first]
    assert found("zebra crossing") == [first]
    service.close()
