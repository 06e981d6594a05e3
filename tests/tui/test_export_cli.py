"""`groom export session`: the latest or a chosen session as Markdown, to stdout or a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.commands import SetPoints
from model.service import BacklogService
from model.session import EndSession, StartSession
from model.session_record import SessionOwner
from model.store import Store
from tests.model.test_session import ManualClock
from tests.tui import scenario
from tui.cli import main


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Two ended sessions: 1 estimates SHOP-9, 2 estimates SHOP-12."""
    target = tmp_path / "webshop.json"
    Store.create(target, scenario.build_backlog())
    manual = ManualClock()
    service = BacklogService.open(target, clock=manual, user="ana")
    for doc_id, key in ((1, "SHOP-9"), (2, "SHOP-12")):
        service.execute(StartSession(30, (key,), SessionOwner.this_process("ana"), "chosen"))
        manual.advance(minutes=5)
        service.execute(SetPoints(key, 3))
        manual.advance(minutes=5)
        service.execute(EndSession(doc_id, {key: 300}, 0))
        manual.advance(hours=1)
    return target


def test_the_latest_session_goes_to_standard_output(path, capsys):
    assert main(["export", "session", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Refinement session 2: Webshop checkout\n")
    assert "| SHOP-12 | 5:00 | Make checkout better | estimated ? → 3 |" in out
    assert main(["export", "session", str(path), "--last"]) == 0
    assert capsys.readouterr().out == out


def test_a_chosen_session_goes_to_a_file(path, tmp_path, capsys):
    target = tmp_path / "session-1.md"
    assert main(["export", "session", str(path), "--id", "1", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert "| SHOP-9 | 5:00 | Redesign the payment page | estimated ? → 3 |" in target.read_text()


def test_an_unknown_session_is_a_clear_error(path, capsys):
    assert main(["export", "session", str(path), "--id", "7"]) == 1
    assert capsys.readouterr().err == f"groom: {path} has no refinement session 7 (it has 1, 2)\n"


def test_a_backlog_without_sessions_says_so(tmp_path, capsys):
    target = tmp_path / "new.json"
    Store.create(target, scenario.build_backlog())
    before = target.read_bytes()
    assert main(["export", "session", str(target)]) == 1
    assert "has no refinement sessions yet (R starts one in the app)" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_a_running_session_is_exported_as_it_is_so_far(tmp_path, capsys):
    target = tmp_path / "webshop.json"
    Store.create(target, scenario.build_backlog())
    service = BacklogService.open(target, user="ana")
    service.execute(StartSession(60, ("SHOP-9",), SessionOwner.this_process("ana"), "chosen"))
    assert main(["export", "session", str(target)]) == 0
    captured = capsys.readouterr()
    assert "session 1 has not ended; this is its summary so far" in captured.err
    assert captured.out.startswith("# Refinement session 1")


def test_an_unwritable_output_is_a_clear_error(path, tmp_path, capsys):
    assert main(["export", "session", str(path), "-o", str(tmp_path / "missing" / "x.md")]) == 1
    assert "cannot save" in capsys.readouterr().err
