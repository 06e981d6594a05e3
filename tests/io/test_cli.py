"""`groom import` and `groom export` through tui.cli.main: output, exit codes, error messages."""

from __future__ import annotations

import sys

import pytest

from model.store import Store
from tests.io.conftest import CLEARCORRECT, GOCD, JWPROGRAM
from tui.cli import main


def test_import_jira_into_a_new_backlog_prints_the_report(tmp_path, capsys):
    into = tmp_path / "cc.json"
    assert main(["import", "jira", str(CLEARCORRECT), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert f"Created a new backlog “Clear Correct Case Study Gallery” at {into} (keys CCCSG-…)" in out
    assert "Imported jira-clearcorrect.csv: 127 new, 0 updated, 0 unchanged, 0 skipped (Jira CSV export)." in out
    assert "Statuses: Done → done (22), In Progress → planned (11), To Do → new (88), UAT → planned (6)" in out
    assert len(Store.open(into)[1]) == 127


def test_reimport_says_unchanged(tmp_path, capsys):
    into = tmp_path / "jw.json"
    main(["import", "jira", str(JWPROGRAM), "--into", str(into)])
    capsys.readouterr()
    assert main(["import", "jira", str(JWPROGRAM), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert "Created" not in out and "0 new, 0 updated, 90 unchanged" in out


def test_import_trello_reports_skipped_cards(tmp_path, capsys):
    assert main(["import", "trello", str(GOCD), "--into", str(tmp_path / "g.json"), "--no-comments"]) == 0
    out = capsys.readouterr().out
    assert "44 new" in out and "86 skipped" in out and "archived card" in out
    assert "### Comments" not in (tmp_path / "g.json").read_text()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"a,b\n1,2\n", "is not a Jira CSV export"),
    (b"\x00\x00\x00", "is a binary file"),
])
def test_bad_file_exit_1_with_a_clear_message_and_store_untouched(tmp_path, capsys, content, message):
    into = tmp_path / "b.json"
    main(["import", "jira", str(CLEARCORRECT), "--into", str(into)])
    before = into.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    capsys.readouterr()
    assert main(["import", "jira", str(bad), "--into", str(into)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("groom: bad.csv") and message in err and "Traceback" not in err
    assert into.read_bytes() == before


def test_missing_file_and_missing_into(tmp_path, capsys):
    assert main(["import", "trello", str(tmp_path / "nope.json"), "--into", str(tmp_path / "x.json")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "jira", str(CLEARCORRECT)])
    assert exit_info.value.code == 2
    assert "--into" in capsys.readouterr().err


def test_export_to_stdout_and_to_a_file(tmp_path, capsysbinary):
    backlog = tmp_path / "jw.json"
    main(["import", "jira", str(JWPROGRAM), "--into", str(backlog)])
    capsysbinary.readouterr()
    target = tmp_path / "out.md"
    assert main(["export", "markdown", str(backlog), "-o", str(target), "--top", "5"]) == 0
    assert f"Exported {backlog} as markdown to {target}" in capsysbinary.readouterr().err.decode()
    text = target.read_text()
    assert text.startswith("# jwprogram\n") and text.count("\n### ") == 5
    assert main(["export", "json", str(backlog)]) == 0
    assert capsysbinary.readouterr().out == backlog.read_bytes()


def test_export_errors(tmp_path, capsys):
    backlog = tmp_path / "jw.json"
    main(["import", "jira", str(JWPROGRAM), "--into", str(backlog)])
    capsys.readouterr()
    assert main(["export", "json", str(backlog), "--top", "3"]) == 1
    assert "--top does not apply to the json export" in capsys.readouterr().err
    assert main(["export", "csv", str(backlog), "--top", "0"]) == 1
    assert "--top must be 1 or more" in capsys.readouterr().err
    assert main(["export", "markdown", str(tmp_path / "missing.json")]) == 1
    assert "missing.json" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "pdf", str(backlog)])
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_import_and_export_do_not_load_textual(tmp_path):
    import subprocess

    code = (
        "import sys; from tui.cli import main; "
        f"main(['import', 'jira', {str(JWPROGRAM)!r}, '--into', {str(tmp_path / 'a.json')!r}]); "
        f"main(['export', 'csv', {str(tmp_path / 'a.json')!r}, '-o', {str(tmp_path / 'a.csv')!r}]); "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


def test_keys_of_another_project_are_reported_as_such(tmp_path, capsys):
    """The JW program export holds issues of several projects; the new backlog takes JWP."""
    assert main(["import", "jira", str(JWPROGRAM), "--into", str(tmp_path / "jw.json")]) == 0
    out = capsys.readouterr().out
    assert "got a new key (another project's key; this backlog's prefix is JWP): INNT-" in out
    assert "number is taken here" not in out  # nothing in a new backlog is taken
