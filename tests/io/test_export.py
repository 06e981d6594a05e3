"""Exports: Markdown for stakeholders, Jira CSV (read back by the Jira importer), JSON = the file."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from model.commands import AddItem, EditItem
from model.errors import GroomError
from model.io.exporters import EXPORTERS, Exporter, export_backlog, register, write_export
from model.io.importing import import_file
from model.io.jira import parse_jira
from model.store import Store
from tests.io.conftest import ALL_FIXTURES
from tests.tui import scenario

NOW = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def webshop(tmp_path):
    path = tmp_path / "webshop.json"
    scenario.make_service(path)
    return path


def test_markdown_has_sprints_ranks_readiness_and_criteria(webshop):
    text = export_backlog("markdown", webshop, NOW).decode()
    backlog = Store.open(webshop)[1]
    assert text.startswith("# Webshop checkout\n\nBacklog as of 2026-11-05 · ")
    assert "capacity 20 points per sprint (velocity)" in text
    assert "## Sprint 1 (next) — 13 of 20 points" in text and "## Sprint 2 — " in text and "## Later" in text
    assert "| 1 | SHOP-1 | Pay with a saved card | story | 5 | Must | yes |" in text
    assert "- [x] Given a saved card, when I choose it, then the CVC is the only field asked" in text
    assert "**Not ready:** 1 open question" in text
    assert "- Which carriers give reliable dates? (ask Head of Logistics (Sam))" in text
    open_items = [i for i in backlog if not i.is_closed]
    assert text.count("\n### ") == len(open_items)  # every open item, closed ones left out
    assert all(f"| {i.key} |" in text for i in open_items)


def test_markdown_shows_user_text_literally(webshop):
    text = export_backlog("markdown", webshop, NOW).decode()
    assert "\\[bold\\]markup\\[/\\]" in text  # escaped: shown as typed, not as a link or markup
    assert "\x1b" not in text and "␛\\[31mANSI" in text


def test_top_n_limits_to_the_first_open_items(webshop):
    text = export_backlog("markdown", webshop, NOW, top=3).decode()
    assert "The top 3 open items." in text and text.count("\n### ") == 3
    rows = list(csv.reader(io.StringIO(export_backlog("csv", webshop, NOW, top=3).decode())))
    assert [row[1] for row in rows[1:]] == ["SHOP-1", "SHOP-2", "SHOP-3"]


def test_json_is_exactly_the_file(webshop):
    assert export_backlog("json", webshop, NOW) == webshop.read_bytes()
    with pytest.raises(GroomError, match="--top does not apply"):
        export_backlog("json", webshop, NOW, top=2)


def test_csv_has_jira_column_names_and_repeated_labels(webshop):
    rows = list(csv.reader(io.StringIO(export_backlog("csv", webshop, NOW).decode())))
    header = rows[0]
    for name in ("Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Priority", "Story Points",
                 "Description"):
        assert header.count(name) == 1
    assert header.count("Labels") == 2
    first = dict(zip(header, rows[1], strict=False))
    assert (first["Summary"], first["Issue Type"], first["Story Points"], first["Status"]) == (
        "Pay with a saved card", "Story", "5", "To Do")
    assert "h3. Acceptance criteria\n* (/) Given a saved card" in first["Description"]


def test_csv_round_trip_through_the_jira_importer(webshop, tmp_path):
    service = scenario.make_service(tmp_path / "second.json")
    parent = service.execute(AddItem("Epic: checkout", kind="epic")).change.docs[-1].after["key"]
    service.execute(EditItem("SHOP-1", {"parent": parent, "labels": ["payments", "sprint:Sprint 9", "priority:high"]}))
    original = Store.open(tmp_path / "second.json")[1]
    export = parse_jira(export_backlog("csv", tmp_path / "second.json", NOW), "x.csv")
    assert len(export.items) == len(original)
    by_key = {i.name: i for i in export.items}
    for item in original:
        fields = by_key[item.key].fields
        assert fields["title"] == item.title
        assert fields["kind"] == item.kind.value
        assert fields["points"] == item.points
        assert fields["status"] == item.status.value
        assert fields["moscow"] == (item.moscow.value if item.moscow else None)
        assert fields["acceptance_criteria"] == [c.model_dump() for c in item.acceptance_criteria]
        assert sorted(fields["labels"]) == sorted("_".join(label.split()) if not label.startswith("sprint:")
                                                  else label for label in item.labels)
        assert by_key[item.key].parent_ref == (f"jira:{item.parent}" if item.parent else None)


@pytest.mark.parametrize(("kind", "path"), ALL_FIXTURES, ids=lambda v: getattr(v, "name", v))
def test_every_imported_fixture_survives_export_and_reimport(tmp_path, kind, path):
    """Import a real export, export it as Jira CSV, import that into a new backlog: the same items."""
    first = tmp_path / "first.json"
    import_file(kind, path, first)
    csv_file = tmp_path / "out.csv"
    csv_file.write_bytes(export_backlog("csv", first, NOW))
    second = tmp_path / "second.json"
    import_file("jira", csv_file, second, prefix=Store.open(first)[1].meta.prefix)
    a, b = Store.open(first)[1], Store.open(second)[1]
    assert list(a.order) == list(b.order)  # same keys, same order
    for key in a.order:
        x, y = a.items[key], b.items[key]
        assert (x.title, x.kind, x.status, x.points, x.parent) == (y.title, y.kind, y.status, y.points, y.parent)
        assert x.acceptance_criteria == y.acceptance_criteria


def test_write_export_is_atomic_and_never_over_the_backlog(webshop, tmp_path):
    target = tmp_path / "out.md"
    write_export(b"hello\n", target, webshop)
    assert target.read_bytes() == b"hello\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    with pytest.raises(GroomError, match="is the backlog itself"):
        write_export(b"x", webshop, webshop)
    with pytest.raises(GroomError, match="is a folder"):
        write_export(b"x", tmp_path, webshop)


def test_another_export_kind_is_one_registration(webshop):
    register(Exporter("keys", "the keys", lambda source: " ".join(i.key for i in source.open_items()).encode(), ".txt"))
    try:
        assert export_backlog("keys", webshop, NOW, top=2) == b"SHOP-1 SHOP-2"
    finally:
        del EXPORTERS["keys"]
