"""Importing into a backlog: one command, ranks, keys, parents, re-import, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.commands import AddItem, EditItem, SetPoints
from model.errors import GroomError
from model.io.errors import BadImportFile
from model.io.importing import import_file, import_with, parse_file
from model.io.jira import parse_jira
from model.io.trello import parse_trello
from model.store import Store
from tests.io.conftest import CLEARCORRECT, GOCD, HIVE, JWPROGRAM, SIMPLE_BOARD

ALL = [("jira", HIVE), ("jira", CLEARCORRECT), ("jira", JWPROGRAM), ("trello", SIMPLE_BOARD), ("trello", GOCD)]
HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Custom field (Story Points),Description"


def jira(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def reopen(path: Path):
    return Store.open(path)[1]


@pytest.mark.parametrize(("kind", "path"), ALL, ids=lambda v: getattr(v, "name", v))
def test_every_fixture_into_a_new_backlog_then_reimport_changes_nothing(tmp_path, kind, path):
    into = tmp_path / "new.json"
    result = import_file(kind, path, into)
    export = parse_file(kind, path)
    assert result.created_backlog.startswith(f"Created a new backlog “{export.name}”")
    backlog = reopen(into)
    assert len(backlog) == len(export.items) == len(result.report.created)
    assert [i.source.partition("#")[0] for i in backlog] == [i.ref for i in export.items]  # the export's order
    before = into.read_bytes()
    again = import_file(kind, path, into)
    assert into.read_bytes() == before  # nothing to write
    assert len(again.report.unchanged) == len(export.items) and not again.report.created
    assert again.created_backlog is None


def test_imported_items_land_below_existing_ones_and_undo_takes_the_whole_import(shop):
    shop.execute(AddItem("Existing one"))
    shop.execute(AddItem("Existing two", below="SHOP-1"))
    outcome, report = import_with(shop, parse_file("jira", HIVE))
    order = list(shop.backlog.order)
    assert order[:2] == ["SHOP-1", "SHOP-2"] and len(order) == 61
    assert order[2:] == [f"SHOP-{n}" for n in range(3, 62)]  # other prefix: fresh keys, in rank order
    assert report.created[0].name == "HIVE-4413" and outcome.label.startswith("Import jira-hive.csv: 59 new")
    shop.undo()
    assert list(shop.backlog.order) == ["SHOP-1", "SHOP-2"]
    assert list(reopen(shop.store.path).order) == ["SHOP-1", "SHOP-2"]
    shop.redo()
    assert len(reopen(shop.store.path)) == 61


def test_jira_keys_are_kept_when_the_prefix_matches_and_the_number_is_free(tmp_path):
    result = import_file("jira", JWPROGRAM, tmp_path / "jw.json")
    backlog = reopen(tmp_path / "jw.json")
    jwp = [i for i in backlog if i.source.startswith("jira:JWP-")]
    assert all(i.key == i.source.partition("#")[0].removeprefix("jira:") for i in jwp)
    innt = [i for i in backlog if i.source.startswith("jira:INNT-")]
    assert len(innt) == 20 and all(i.key.startswith("JWP-") for i in innt)
    assert len(result.report.renamed) == 20
    assert backlog.meta.next_number == max(i.number for i in backlog) + 1


def test_epic_links_become_parents(tmp_path):
    import_file("jira", JWPROGRAM, tmp_path / "jw.json")
    backlog = reopen(tmp_path / "jw.json")
    children = [i for i in backlog if i.parent]
    assert len(children) == 59
    assert all(backlog.items[i.parent].kind == "epic" for i in children)


def test_parent_imported_earlier_is_linked_and_missing_parent_is_reported(shop):
    import_with(shop, parse_jira(jira("Epic,X-1,1,Epic,To Do,,"), "a.csv"))
    header = HEADER + ",Parent"
    _, report = import_with(shop, parse_jira(jira("Child,X-2,2,Story,To Do,,,X-1", "Orphan,X-3,3,Story,To Do,,,Z-9",
                                                   header=header), "b.csv"))
    assert shop.backlog.items["SHOP-2"].parent == "SHOP-1"
    assert shop.backlog.items["SHOP-3"].parent is None
    assert [n.text for n in report.notes] == [
        "its parent Z-9 is neither in this file nor imported before: no parent link"]


def test_reimport_takes_changes_made_in_jira_and_keeps_grooming_done_here(shop):
    first = jira("Pay by card,X-1,1,Story,To Do,3,old text", "Refunds,X-2,2,Story,To Do,,")
    import_with(shop, parse_jira(first, "j.csv"))
    # Groomed here: X-1 estimated 8 (was 3), X-2 retitled.
    shop.execute(SetPoints("SHOP-1", 8))
    shop.execute(EditItem("SHOP-2", {"title": "Refunds within 14 days"}))
    # Changed in Jira since: X-1's description, and X-2's title too (a conflict), plus a new issue.
    second = jira("Pay by card,X-1,1,Story,To Do,3,new text", "Refunds (all),X-2,2,Story,Done,,",
                  "Invoices,X-3,3,Bug,To Do,,")
    _, report = import_with(shop, parse_jira(second, "j.csv"))
    one, two = shop.backlog.items["SHOP-1"], shop.backlog.items["SHOP-2"]
    assert (one.description, one.points) == ("new text", 8)  # theirs taken, ours kept
    assert (two.title, two.status) == ("Refunds within 14 days", "done")
    assert [(e.key, e.fields) for e in report.updated] == [("SHOP-1", ("description",)), ("SHOP-2", ("status",))]
    assert [(e.key, e.fields) for e in report.kept] == [("SHOP-2", ("title",))]
    assert [e.name for e in report.created] == ["X-3"]
    lines = report.lines()
    at = lines.index("Updated from the export (2):")
    assert lines[at:at + 5] == [
        "Updated from the export (2):",
        "  SHOP-1 (X-1): description",
        "  SHOP-2 (X-2): status",
        "Changed both here and in the export — kept as groomed here (1):",
        "  SHOP-2 (X-2): title",
    ]
    # A third import of the same file: the conflict was reported once; nothing changes now.
    _, third = import_with(shop, parse_jira(second, "j.csv"))
    assert not third.updated and not third.kept and len(third.unchanged) == 3


def test_items_imported_before_but_gone_from_the_file_are_reported_not_deleted(shop):
    import_with(shop, parse_jira(jira("A,X-1,1,Story,To Do,,", "B,X-2,2,Story,To Do,,"), "j.csv"))
    _, report = import_with(shop, parse_jira(jira("A,X-1,1,Story,To Do,,"), "j.csv"))
    assert [(e.key, e.name) for e in report.missing] == [("SHOP-2", "X-2")]
    assert "SHOP-2" in shop.backlog.items


def test_a_trello_card_moved_to_another_board_is_the_same_item(shop):
    import_with(shop, parse_trello(SIMPLE_BOARD.read_bytes(), "a.json"))
    moved = SIMPLE_BOARD.read_bytes().replace(b'"shortLink": "joJVJ2KP"', b'"shortLink": "OTHERBRD"')
    _, report = import_with(shop, parse_trello(moved, "b.json"))
    assert not report.created and len(report.unchanged) == 9


@pytest.mark.parametrize("content", [b"", b"not,a,jira\n1,2,3\n", b"\x00\x01binary", b"Summary,Issue key\n"])
def test_a_bad_file_leaves_the_backlog_byte_identical(tmp_path, content):
    backlog = tmp_path / "backlog.json"
    import_file("jira", CLEARCORRECT, backlog)
    before = backlog.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(BadImportFile):
        import_file("jira", bad, backlog)
    assert backlog.read_bytes() == before


def test_a_bad_file_creates_no_backlog(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"cards": [')
    with pytest.raises(BadImportFile):
        import_file("trello", bad, tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()


def test_import_into_a_broken_backlog_is_refused_and_it_stays_as_it_was(tmp_path):
    backlog = tmp_path / "broken.json"
    backlog.write_text('{"meta": {')
    with pytest.raises(GroomError, match="not valid JSON"):
        import_file("jira", HIVE, backlog)
    assert backlog.read_text() == '{"meta": {'


def test_new_backlog_name_and_prefix_can_be_chosen(tmp_path):
    result = import_file("trello", GOCD, tmp_path / "g.json", name="GoCD test drive", prefix="GO")
    backlog = reopen(tmp_path / "g.json")
    assert backlog.meta.name == "GoCD test drive" and backlog.order[0] == "GO-1"
    assert "keys GO-" in result.created_backlog
