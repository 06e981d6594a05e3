"""What the first frame waits for: only what it shows.

Screens opened by keys, the session dialogs, rich's Markdown (the slowest part of the detail
pane) and Textual's TextArea (only forms show one) are imported when first needed, and the first
description is drawn right after the first frame. `groom` starts with the cyclic garbage collector
off; right after the first frame the app freezes what start-up made and turns it back on.
Measured in benchmarks/ (start to first paint); here only that it stays so.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from model.service import BacklogService
from tests.tui import scenario
from tests.tui.conftest import screen_text, started
from tui import cli

ROOT = Path(__file__).resolve().parents[2]
DEFERRED = ["tui.screens.session", "tui.screens.split_wizard", "tui.screens.team", "tui.screens.help",
            "model.io.session_markdown", "rich.markdown", "markdown_it", "textual.widgets._text_area",
            "textual.document", "filelock"]


def test_starting_the_app_imports_nothing_the_first_frame_does_not_need():
    code = ("import sys; import tui.app, tui.cli, model.service; "
            f"print(','.join(m for m in {DEFERRED!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


async def test_the_first_description_follows_the_first_frame(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "As a returning shopper I want to pay" in screen_text(app)


@pytest.mark.forecast_in_background
async def test_the_first_frame_is_the_whole_screen_and_start_up_work_waits_for_it(app, monkeypatch):
    """Textual mounts the first screen inside a batch, where a frame would be composed, thrown
    away, and yet counted as shown (the next frame then drew only what changed since: no title
    bar, no meter). No frame is composed in the batch; the first one after it is the whole
    screen. The footer's keys, the first description's Markdown and then the forecast's
    thread come after it."""
    from textual._compositor import LayoutUpdate
    from textual.app import App

    import model.forecast as forecast_module
    from tui.widgets.detail import DetailPane
    from tui.widgets.footer import KeysFooter

    monkeypatch.setattr(forecast_module, "_SIMULATED", set())
    forecast_module.simulate.cache_clear()
    events: list[str] = []
    display, draw = App._display, DetailPane._draw_description
    warm, compose = forecast_module.Forecast.warm, KeysFooter.compose

    def logged_display(self, screen, renderable):
        if renderable is not None:
            if self._batch_count:
                events.append("held frame")
            else:
                events.append("whole frame" if isinstance(renderable, LayoutUpdate) else "frame")
        display(self, screen, renderable)

    def logged_draw(self):
        events.append("description")
        draw(self)

    def logged_warm(self):
        events.append("forecast")
        warm(self)

    def logged_compose(self):
        if self._bindings_ready:
            events.append("footer keys")
        return compose(self)

    monkeypatch.setattr(App, "_display", logged_display)
    monkeypatch.setattr(DetailPane, "_draw_description", logged_draw)
    monkeypatch.setattr(forecast_module.Forecast, "warm", logged_warm)
    monkeypatch.setattr(KeysFooter, "compose", logged_compose)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):  # the later modules' import, the description, the forecast's thread
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert events[0] == "whole frame", events
        assert "held frame" not in events
        assert events.index("description") > 0 and events.index("forecast") > 0
        assert events.index("footer keys") > 0  # the footer's ~20 key widgets follow too
        assert events.index("forecast") > events.index("description")
        assert "J/K Move" in screen_text(app).splitlines()[-1]
        assert "As a returning shopper I want to pay" in screen_text(app)


async def test_a_key_pressed_before_markdown_is_imported_does_not_wait_for_it(app, monkeypatch):
    """Start-up imports rich's Markdown in a thread after the first frame. A key pressed before
    that is done shows its item without the description (importing Markdown then would have
    made the key wait for the whole import); the description of the item selected by then
    follows once the import is done."""
    import threading

    from tui.start_up import StartUp
    from tui.widgets.detail import DetailPane

    release = threading.Event()
    import_later = StartUp._import_later_modules

    def slow_import(self):
        release.wait(timeout=10)
        import_later(self)

    monkeypatch.setattr(StartUp, "_import_later_modules", slow_import)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(20):
            await pilot.pause()
            if app.start_up.reached == "frame":
                break
        assert app.start_up.reached == "frame"
        await pilot.press("j", "j")
        await pilot.pause()
        await pilot.pause()
        detail = app.screen.query_one(DetailPane)
        assert detail.item is not None and detail.item.key == "SHOP-3" and detail.item.description.strip()
        assert detail._sections["description"] == ""
        assert app.start_up.reached == "frame"
        release.set()
        await started(pilot)
        assert detail._sections["description"] != ""
        assert detail.item.description.split()[0] in screen_text(app)


async def test_start_up_styles_each_widget_once(app, monkeypatch):
    """Textual resumes the first screen right after mounting it, and its handler styled every
    widget (and each of their component classes) a second time: ~25 ms of the first frame. The
    grooming screen skips that first restyle; the snapshots show the same screen as before."""
    from collections import Counter

    from textual.css.stylesheet import Stylesheet

    styled: Counter[str] = Counter()
    apply = Stylesheet.apply

    def counted(self, node, *args, **kwargs):
        if node.id:
            styled[node.id] += 1
        return apply(self, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        once = ["title-bar", "session-bar", "panes", "backlog-pane", "list-header", "capacity", "detail"]
        assert {name: styled[name] for name in once} == dict.fromkeys(once, 1)


async def test_work_asked_for_after_the_first_frame_runs_soon(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ran: list[bool] = []
        app.after_first_frame(lambda: ran.append(True))
        await pilot.pause()
        assert ran == [True]


async def test_a_change_reaches_the_terminal_before_the_detail_pane_is_redrawn(app, monkeypatch):
    """J, m, an estimate: the list's frame goes out first; the detail pane (whose sections'
    layout is most of a frame's work) is redrawn for the next frame."""
    from textual.app import App

    from tui.widgets.detail import DetailPane

    events: list[str] = []
    display, show = App._display, DetailPane.show

    def logged_display(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None:
            events.append("frame")

    def logged_show(self, item):
        events.append("detail")
        show(self, item)

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        monkeypatch.setattr(App, "_display", logged_display)
        monkeypatch.setattr(DetailPane, "show", logged_show)
        for key in ("J", "m", "3"):
            events.clear()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert "detail" in events and events.index("frame") < events.index("detail"), (key, events)
async def test_a_paste_into_a_form_is_still_checked_once_text_areas_exist(app):
    """The paste check knows a TextArea without importing one at start-up (tests/hostile has the
    description form's paste; here the check itself, before and after TextArea is imported)."""
    from textual.widgets import Input, TextArea

    from tui.key_order import is_text_area

    assert is_text_area(TextArea()) and not is_text_area(Input()) and not is_text_area(None)


@pytest.fixture
def collector_restored():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()  # what the start froze belongs to this test run, not to the app
    if enabled:
        gc.enable()


def test_groom_opens_the_backlog_and_starts_the_app_with_the_collector_off(
        tmp_path, monkeypatch, collector_restored):
    scenario.make_service(tmp_path / "webshop.json").close()
    seen = {}
    real_open = BacklogService.open.__func__

    def open_(cls, *args, **kwargs):
        seen["collector on while opening"] = gc.isenabled()
        return real_open(cls, *args, **kwargs)

    def run_app(service):
        seen["collector on when the app starts"] = gc.isenabled()
        seen["items"] = len(service.backlog.items)

    monkeypatch.setattr(BacklogService, "open", classmethod(open_))
    monkeypatch.setattr(cli, "run_app", run_app)
    gc.unfreeze()
    assert cli.main([str(tmp_path / "webshop.json")]) == 0
    assert seen["collector on while opening"] is False
    assert seen["collector on when the app starts"] is False and seen["items"] == 18
    assert gc.isenabled()  # on again when groom returns, whether or not the app showed a frame


async def test_the_first_frame_freezes_what_start_up_made_and_turns_the_collector_on(app, collector_restored):
    gc.unfreeze()
    gc.disable()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() > 0


async def test_an_app_started_with_the_collector_on_freezes_nothing(app, collector_restored):
    """Tests and `groom serve` run the app with the collector on: nothing of theirs is frozen."""
    gc.unfreeze()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_bad_file_still_says_why_and_leaves_the_collector_on(tmp_path, capsys, collector_restored):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert cli.main([str(bad)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert gc.isenabled()
    assert bad.read_text() == "{not json"
