"""The demos as a user meets them: `groom check`, `groom --demo`'s scratch copy, and the app on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.commands import AddItem, CycleMoscow, DeleteItem, MoveItem, SetPoints
from model.service import BacklogService
from model.store import Store
from tests.samples.conftest import packaged
from tests.tui.conftest import backlog_list, screen_text
from tests.tui.scenario import frozen_clock
from tui import cli
from tui.app import GroomApp
from tui.cli import demo_copy
from tui.screens.health import HealthScreen
from tui.screens.questions import QuestionsScreen


def test_groom_check_passes_on_every_sample(demo: str, capsys):
    assert cli.main(["check", str(packaged(demo))]) == 0
    out = capsys.readouterr().out
    assert f"{packaged(demo)}: valid" in out
    assert "Velocity:" in out and "no sprint history" not in out
    assert "Ready in the next two sprints:" in out


def test_demo_copy_is_a_private_scratch_copy(demo: str, scratch: Path):
    copy = demo_copy(demo)
    assert copy.parent.parent == scratch
    assert copy.name == f"{demo}.json"
    assert copy.read_bytes() == packaged(demo).read_bytes()
    assert copy.stat().st_mode & 0o777 == 0o600
    assert demo_copy(demo) != copy, "every demo gets its own copy"


def test_changes_to_the_demo_never_reach_the_sample(demo: str, scratch: Path):
    sample = packaged(demo)
    original = sample.read_bytes()
    service = BacklogService.open(demo_copy(demo), clock=frozen_clock(), user="tester")
    backlog = service.backlog
    top, second = backlog.order[0], backlog.order[1]
    service.execute(SetPoints(top, 13))
    service.execute(CycleMoscow(second))
    service.execute(MoveItem(backlog.order[-1], "top"))
    service.execute(AddItem("Try the demo", below=top))
    service.execute(DeleteItem(second))
    service.undo()
    copy = service.store.path
    assert copy.read_bytes() != original
    assert Store.open(copy)[1].items[top].points == 13
    assert sample.read_bytes() == original


def test_the_demo_command_opens_a_copy_and_says_where(demo: str, scratch: Path, monkeypatch, capsys):
    opened: list[BacklogService] = []
    monkeypatch.setattr(cli, "run_app", opened.append)
    assert cli.main(["--demo", demo]) == 0
    out = capsys.readouterr()
    [service] = opened
    assert service.store.path.parent.parent == scratch
    assert f"a scratch copy of the {demo} sample" in out.out
    assert f"Your demo changes are in {service.store.path}" in out.out
    assert out.err == "", "no warnings when a sample is opened"


# ----- in the app ----------------------------------------------------------------------------


def demo_app(name: str) -> GroomApp:
    return GroomApp(BacklogService.open(demo_copy(name), clock=frozen_clock(), user="tester"))


async def test_each_demo_opens_and_the_cursor_moves(demo: str, scratch: Path):
    app = demo_app(demo)
    backlog = app.service.backlog
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = backlog_list(app)
        assert widget.current_key == backlog.order[0]
        text = screen_text(app)
        assert backlog.meta.name in text
        assert "end of sprint 1" in text and "Next sprint" in text
        await pilot.press("j", "j", "j")
        assert widget.current_key == backlog.order[3]
        await pilot.press("G")
        assert widget.current_key == backlog.order[-1]
        await pilot.press("k", "g")
        assert widget.current_key == backlog.order[0]
        await pilot.press("tab", "j", "tab")
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HealthScreen)
        await pilot.press("escape", "Q")
        await pilot.pause()
        assert isinstance(app.screen, QuestionsScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app._exception is None
    assert app.service.store.path.read_bytes() == packaged(demo).read_bytes(), "looking changes nothing"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_webshop_demo_main_screen(snap_compare, scratch: Path, size: tuple[int, int]):
    """The default demo as `groom --demo` opens it: carried-over work on top, three sprint lines,
    the split guest checkout, a full meter."""
    app = demo_app("webshop")
    assert snap_compare(app, terminal_size=size)
    assert app._exception is None, f"the app crashed while taking the snapshot: {app._exception!r}"

