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
