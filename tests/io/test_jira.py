"""Jira CSV import: every real export in tests/io/fixtures, and hand-made edge cases."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest

from model.io.errors import BadImportFile
from model.io.jira import parse_jira
from tests.io.conftest import CLEARCORRECT, HIVE, JWPROGRAM

HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Priority,Description"


def parse(path, **options):
    return parse_jira(path.read_bytes(), path.name, **options)


def csv_bytes(*rows: str, header: str = HEADER, newline: str = "\n") -> bytes:
    return newline.join([header, *rows]).encode() + newline.encode()


# ----- the real exports --------------------------------------------------------------------


def test_hive_59_bugs_all_imported_with_their_resolutions():
    export = parse(HIVE)
    assert len(export.items) == 59 and export.skipped == ()
    assert {i.fields["kind"] for i in export.items} == {"bug"}
    # All 59 are Resolved; the resolution tells done (Fixed, Implemented, Done) from dropped.
    assert Counter(i.fields["status"] for i in export.items) == {"done": 24, "dropped": 35}
    assert export.name == "Hive" and export.prefix == "HIVE"


def test_hive_repeated_label_and_component_columns_are_read_by_position():
    by_key = {i.name: i for i in parse(HIVE).items}
    assert {"cli", "hive"} <= set(by_key["HIVE-4413"].fields["labels"])
    labelled = [i for i in by_key.values() if {"JDBC", "Thrift API"} <= set(i.fields["labels"])]
    assert labelled, "a row with two Component/s cells keeps both"
    # Major is the default priority and not kept; the others become labels.
    priorities = Counter(label for i in by_key.values() for label in i.fields["labels"]
                         if label.startswith("priority:"))
    assert priorities == {"priority:critical": 4, "priority:blocker": 3, "priority:minor": 1}


def test_hive_wiki_markup_is_converted_to_markdown():
    descriptions = [i.fields["description"] for i in parse(HIVE, comments=False).items]
    joined = "\n".join(descriptions)
    assert "{code" not in joined and "{noformat}" not in joined
    assert joined.count("```") >= 40  # the code and noformat blocks became fenced blocks
    assert "[~" not in joined  # mentions became @names
    assert re.search(r"@\w", joined)


def test_hive_comments_are_kept_with_author_and_date():
    by_key = {i.name: i for i in parse(HIVE).items}
    description = by_key["HIVE-4413"].fields["description"]
    assert "### Comments" in description
    assert "**qwertymaniac**, 19/Feb/14 13:56:" in description
    assert ";;;" not in description


def test_hive_summaries_with_brackets_stay_literal_and_order_follows_jira_rank():
    export = parse(HIVE)
    assert any("[" in i.fields["title"] for i in export.items)
    rows = HIVE.read_text(encoding="utf-8")
    assert "Order: by Jira rank" in export.mappings
    assert len(export.items) == 59 and rows.count("HIVE-4413") >= 1


def test_clearcorrect_127_issues_crlf_descriptions_and_two_sprints():
    export = parse(CLEARCORRECT)
    assert len(export.items) == 127 and export.skipped == ()
    assert Counter(i.fields["kind"] for i in export.items) == {"story": 105, "bug": 22}
    assert Counter(i.fields["status"] for i in export.items) == {"new": 88, "done": 22, "planned": 17}
    assert not any("\r" in i.fields["description"] for i in export.items)
    sprints = [[label for label in i.fields["labels"] if label.startswith("sprint:")] for i in export.items]
    assert sum(1 for s in sprints if len(s) == 2) == 12
    assert sum(1 for s in sprints if s) == 119
    assert all(i.fields["points"] is None for i in export.items)  # the points columns are empty


def test_clearcorrect_account_ids_are_shown_as_names():
    joined = "\n".join(i.fields["description"] for i in parse(CLEARCORRECT).items)
    assert "accountid:" not in joined
    assert "@Afzal Masra" in joined or "**Afzal Masra**" in joined
    assert "5c6f868fca97144c4716acfe" not in joined


def test_jwprogram_points_epics_and_two_projects():
    export = parse(JWPROGRAM)
    assert len(export.items) == 90
    assert sum(1 for i in export.items if i.fields["points"] is not None) == 46
    assert all(i.fields["points"] in (None, 1, 2, 3, 5) for i in export.items)
    rounded = [n for n in export.notes if "rounded up to 5" in n.text]
    assert rounded and all(n.text.startswith("4 points") for n in rounded)
    assert sum(1 for i in export.items if i.parent_ref) == 59
    assert Counter(i.fields["kind"] for i in export.items) == {"story": 59, "epic": 29, "bug": 2}
    assert set(export.scopes) == {"jira:JWP-", "jira:INNT-"}
    three = [i for i in export.items if sum(label.startswith("sprint:") for label in i.fields["labels"]) == 3]
    assert len(three) == 1


# ----- hand-made edge cases ----------------------------------------------------------------


def test_bom_and_crlf_are_read():
    data = b"\xef\xbb\xbf" + csv_bytes('Pay,SHOP-1,10,Story,To Do,Medium,"line one\r\nline two"', newline="\r\n")
    export = parse_jira(data, "bom.csv")
    assert [i.name for i in export.items] == ["SHOP-1"]
    assert export.items[0].fields["description"] == "line one  \nline two"


def test_mixed_line_endings_and_no_final_newline():
    data = (HEADER + "\r\nA,X-1,1,Bug,Done,High,\nB,X-2,2,Task,Open,Low,\"a\rb\"").encode()
    export = parse_jira(data, "mixed.csv")
    assert [(i.name, i.fields["kind"], i.fields["status"]) for i in export.items] == [
        ("X-1", "bug", "done"), ("X-2", "chore", "new")]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "is empty"),
    (b"   \n\n", "is empty"),
    (HEADER.encode() + b"\n", "has no issues: only the header row"),
    (b"name,age\nbob,3\n", "is not a Jira CSV export"),
    (b"\x00\x01\x02PK\x03\x04", "binary"),
    (b"Summary,Issue key\n\xff\xfe bad,X-1\n", "not UTF-8"),
    (b'Summary,Issue key\n"unterminated,X-1\n', "not a readable CSV file"),
])
def test_broken_files_give_a_clear_error(data, message):
    with pytest.raises(BadImportFile, match=message):
        parse_jira(data, "file.csv")


def test_rows_without_summary_or_key_and_duplicates_are_skipped_with_reasons():
    data = csv_bytes("Good,X-1,1,Story,To Do,,", ",X-2,2,Story,To Do,,", "Keyless,,,Story,To Do,,",
                     "Again,X-1,1,Story,To Do,,")
    export = parse_jira(data, "f.csv")
    assert [i.name for i in export.items] == ["X-1"]
    assert [(s.name, s.reason) for s in export.skipped] == [
        ("X-2", "no Summary"), ("row 4", "no Issue key or Issue id"),
        ("X-1", "X-1 appears twice in the file: the first one was imported")]


@pytest.mark.parametrize(("raw", "points", "note"), [
    ("5.0", 5, None), ("0.5", 0.5, None), ("4.0", 5, "4 points is not on the scale: rounded up to 5"),
    ("0.25", 0.5, "rounded up to ½"), ("150", 100, "above the scale: set to 100"), ("", None, None),
    ("abc", None, "is not a number"), ("-3", None, "not a usable number"),
])
def test_story_points_onto_the_scale(raw, points, note):
    header = HEADER + ",Custom field (Story point estimate)"
    export = parse_jira(csv_bytes(f"T,X-1,1,Story,To Do,,,{raw}", header=header), "p.csv")
    assert export.items[0].fields["points"] == points
    notes = [n.text for n in export.notes]
    assert (note is None and not notes) or (note is not None and note in notes[0])


def test_types_statuses_and_unknown_ones():
    header = "Summary,Issue key,Issue Type,Status,Status Category,Resolution"
    rows = ["a,X-1,Sub-task,Selected for Development,,", "b,X-2,New Feature,Waiting for customer,,",
            "c,X-3,Spike,Closed,,Won't Fix", "d,X-4,Widget,Gremlin,In Progress,", "e,X-5,Improvement,Weird,,"]
    export = parse_jira(csv_bytes(*rows, header=header), "t.csv")
    got = [(i.fields["kind"], i.fields["status"]) for i in export.items]
    assert got == [("chore", "ready"), ("feature", "needs_info"), ("spike", "dropped"), ("story", "planned"),
                   ("feature", "new")]
    assert [n.text for n in export.notes] == ["issue type 'Widget' is not one Groom knows: imported as a story"]


def test_parent_from_parent_id_parent_key_and_epic_name():
    header = "Summary,Issue key,Issue id,Issue Type,Parent id,Parent,Custom field (Epic Link),Custom field (Epic Name)"
    rows = ["Epic,X-1,100,Epic,,,,Payments", "Sub,X-2,101,Sub-task,100,,,", "Story,X-3,102,Story,,X-1,,",
            "Old,X-4,103,Story,,,Payments,", "Orphan,X-5,104,Story,,,Y-9,"]
    export = parse_jira(csv_bytes(*rows, header=header), "p.csv")
    assert [i.parent_ref for i in export.items] == [None, "jira:X-1", "jira:X-1", "jira:X-1", "jira:Y-9"]


def test_acceptance_criteria_section_becomes_criteria_and_flagged_is_marked():
    description = "As a user I pay.\n\nh3. Acceptance Criteria\n* (/) card saved\n* CVC asked\n\nh3. Notes\nmore"
    header = HEADER + ",Custom field (Flagged)"
    export = parse_jira(csv_bytes(f'T,X-1,1,Story,To Do,High,"{description}",Impediment', header=header), "a.csv")
    fields = export.items[0].fields
    assert fields["acceptance_criteria"] == [{"text": "card saved", "done": True}, {"text": "CVC asked", "done": False}]
    assert fields["description"] == "As a user I pay.\n\n### Notes\n\nmore"
    assert "flagged" in fields["labels"] and "priority:high" in fields["labels"]
    assert fields["status"] == "needs_info"
    assert fields["questions"][0]["text"].startswith("Flagged in Jira (Impediment)")


def test_long_summary_is_shortened_and_kept_whole_in_the_description():
    title = "word " * 60
    export = parse_jira(csv_bytes(f"{title},X-1,1,Story,To Do,,body"), "l.csv")
    fields = export.items[0].fields
    assert len(fields["title"]) == 200 and fields["title"].endswith("…")
    assert fields["description"].startswith("**" + " ".join(title.split()) + "**")
    assert "shortened to 200" in export.notes[0].text


def test_markup_like_text_is_kept_as_text():
    export = parse_jira(csv_bytes('[bold]Title[/],X-1,1,Story,To Do,,"Keep [bold] and [/] and [red]x[/red]"'), "m.csv")
    assert export.items[0].fields["title"] == "[bold]Title[/]"
    assert export.items[0].fields["description"] == "Keep [bold] and [/] and [red]x[/red]"


def test_created_dates_from_server_and_cloud_layouts():
    hive = {i.name: i for i in parse(HIVE).items}
    assert hive["HIVE-4413"].created.isoformat() == "2013-04-24T11:43:00+00:00"
    cloud = parse_jira(csv_bytes("a,X-1,1,Story,To Do,,", "b,X-2,2,Story,To Do,,",
                                 header="Summary,Issue key,Issue id,Issue Type,Status,Created,Description")
                       .replace(b"To Do,,", b"To Do,14/Jan/21 8:44 PM,", 1).replace(b"To Do,,", b"To Do,xx,", 1),
                       "c.csv")
    assert cloud.items[0].created.isoformat() == "2021-01-14T20:44:00+00:00"
    assert cloud.items[1].created is None  # not a date: the import time is used



@pytest.mark.parametrize("path", [HIVE, CLEARCORRECT, JWPROGRAM], ids=lambda p: p.name)
def test_real_export_cut_off_between_cells_is_refused(path):
    """A download that stops right after a comma still parses as CSV; the last record short of
    cells gives it away (Jira writes every cell of every record)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    out = io.StringIO()
    csv.writer(out).writerows(rows[:-1])
    out.write(",".join(rows[-1][:5]) + ",")  # Summary … Status, and the file stops
    with pytest.raises(BadImportFile, match=rf"{path.name} looks cut off: its last record has 6 of the "):
        parse_jira(out.getvalue().encode(), path.name)
    parse_jira(path.read_bytes(), path.name)  # the whole file imports
