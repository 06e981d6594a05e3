"""Fuzzing the forms through the app as a user would: pasting hostile text (markup, escape
codes, control and wide characters, random unicode, a megabyte) into the item form, the
prompt dialogs and the filter. Never a crash; either the whole change is on disk or the form
stays open saying why and the file is byte for byte what it was."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Input, TextArea

from model.errors import StoreError
from model.store import Store
from tests.hostile.strategies import MEGABYTE, hostile_text
from tests.tui.scenario import make_service
from tui.app import GroomApp
from tui.screens.dialogs import PromptDialog
from tui.screens.grooming import GroomingScreen
from tui.screens.item_form import ItemForm

# Each example runs the app: few examples, and no shrinking (it would run the app hundreds of
# times); a failure still prints the example that failed.
FUZZ = settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                phases=[Phase.explicit, Phase.reuse, Phase.generate])


def run(scenario) -> None:
    """Run an async scenario on a fresh scenario backlog (hypothesis calls this per example)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "webshop.json"
        asyncio.run(scenario(GroomApp(make_service(path)), path))


async def paste(pilot, widget, text: str) -> None:
    """Paste into `widget` as a terminal does: the app gets the paste and hands it to the focus."""
    widget.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def error_text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def one_line(text: str) -> str:
    """What an Input keeps of a paste (its first line)."""
    return text.splitlines()[0] if text.splitlines() else ""


ROUNDS = 4  # attempts per app run: starting the app costs more than an attempt


@FUZZ
@given(st.lists(st.tuples(hostile_text, hostile_text, hostile_text), min_size=ROUNDS, max_size=ROUNDS))
@example([(MEGABYTE, "", ""), ("ok", MEGABYTE, ""), ("ok", "", MEGABYTE),
          ("[bold]x[/] \x1b[31mred", "[link=http://x]y[/link]\x00", "[/], \x1b[0m")])
def test_the_item_form_saves_all_or_nothing(attempts):
    async def scenario(app: GroomApp, path: Path) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for title, description, labels in attempts:
                before = path.read_bytes()
                key = app.service.backlog.next_key()
                await pilot.press("a")
                form = app.screen
                assert isinstance(form, ItemForm)
                await paste(pilot, form.query_one("#title", Input), title)
                await paste(pilot, form.query_one("#labels", Input), labels)
                area = form.query_one("#description", TextArea)
                await paste(pilot, area, description)
                # What the fields took: an input keeps the first line of a paste, a text area turns
                # form feeds and the like into line breaks, and a paste too long is refused whole.
                typed = {name: form.query_one(f"#{name}", Input).value for name in ("title", "labels")}
                typed["description"] = area.text
                for name, text in (("title", title), ("labels", labels), ("description", description)):
                    if len(text) > 500_000:
                        assert typed[name] == "" and any("Not pasted" in n.message for n in app._notifications)
                await pilot.press("ctrl+s")
                await pilot.pause()
                _, backlog = Store.open(path)  # whatever happened, the file opens and validates
                if isinstance(app.screen, ItemForm):  # refused: it says why, and nothing was written
                    assert error_text(form, "#form-error").startswith("⚠ ")
                    assert path.read_bytes() == before
                    assert key not in app.service.backlog
                    await pilot.press("escape")
                else:  # saved: the whole item, as typed (titles are one line, spaces collapsed)
                    item = backlog.item(key)
                    assert item.title == " ".join(typed["title"].split())
                    assert item.title == " ".join(one_line(title).split())
                    assert item.description == typed["description"]
                    shown = [" ".join(label.split()) for label in typed["labels"].split(",")]
                    assert list(item.labels) == list(dict.fromkeys(label for label in shown if label))
                    assert app.service.backlog.items[key] == item
                assert isinstance(app.screen, GroomingScreen)

    run(scenario)


@FUZZ
@given(st.lists(st.tuples(hostile_text, hostile_text), min_size=ROUNDS, max_size=ROUNDS))
@example([(MEGABYTE, ""), ("fine", MEGABYTE), ("[/]", "\x1b[2J")])
def test_the_question_dialog_saves_all_or_nothing(attempts):
    async def scenario(app: GroomApp, path: Path) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("j")  # SHOP-2
            for text, ask in attempts:
                before = path.read_bytes()
                questions = app.service.backlog.item("SHOP-2").questions
                await pilot.press("n")  # raise a question on it
                dialog = app.screen
                assert isinstance(dialog, PromptDialog)
                await paste(pilot, dialog.query_one("#field-text", Input), text)
                await paste(pilot, dialog.query_one("#field-ask", Input), ask)
                typed = [dialog.query_one(f"#field-{name}", Input).value for name in ("text", "ask")]
                await pilot.press("ctrl+s")
                await pilot.pause()
                _, backlog = Store.open(path)
                if app.screen is dialog:
                    assert error_text(dialog, "#prompt-error").startswith("⚠ ")
                    assert path.read_bytes() == before
                    await pilot.press("escape")
                else:
                    *earlier, question = backlog.item("SHOP-2").questions
                    assert tuple(earlier) == questions
                    assert [question.text, question.ask] == [value.strip() for value in typed]
                    assert backlog.item("SHOP-2").status.value == "needs_info"

    run(scenario)


@FUZZ
@given(st.lists(hostile_text, min_size=ROUNDS, max_size=ROUNDS))
@example([MEGABYTE, 'kind:"[bold]" -label:\x1b[31m points:>[/] score:rice:x "unclosed', "x" * 5000])
def test_the_filter_takes_anything_and_answers_with_a_count_or_a_message(texts):
    async def scenario(app: GroomApp, path: Path) -> None:
        before = path.read_bytes()
        async with app.run_test(size=(80, 24)) as pilot:
            for text in texts:
                await pilot.press("slash")
                screen = app.screen
                field = screen.query_one("#filter", Input)
                field.value = ""
                await paste(pilot, field, text)
                status = error_text(screen, "#filter-status")
                assert status.startswith("⚠ ") or "match" in status or "type to filter" in status
                await pilot.press("j", "enter", "escape")  # and the app goes on working
                await pilot.press("j")
            assert path.read_bytes() == before

    run(scenario)


def test_a_refused_save_names_the_limit_and_a_huge_paste_is_refused_at_once():
    async def scenario(app: GroomApp, path: Path) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            form = app.screen
            title = form.query_one("#title", Input)
            await paste(pilot, title, "x" * 5000)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form
            assert "title: is 5,000 characters long; the limit is 200" in error_text(form, "#form-error")
            started = time.monotonic()
            await paste(pilot, title, MEGABYTE)
            assert time.monotonic() - started < 2  # no freeze
            assert title.value == "x" * 5000
            assert "Not pasted: 1,048,587 characters; this field takes at most 5,000 more." in [
                n.message for n in app._notifications]

    run(scenario)


def test_a_file_that_fails_to_write_changes_nothing(monkeypatch):
    """All or nothing also when the disk refuses: memory stays equal to the unchanged file."""
    async def scenario(app: GroomApp, path: Path) -> None:
        before = path.read_bytes()
        memory = app.service.backlog.to_tables()

        def full(self, payload):
            raise StoreError(f"{path}: cannot save (No space left on device); the file on disk is unchanged")

        async with app.run_test(size=(80, 24)) as pilot:
            for method in ("write_bytes", "write_temp"):  # whole payloads, or the writer's blocks
                monkeypatch.setattr(type(app.service.store.storage), method, full)
            await pilot.press("5", "m", "J")
            await pilot.press("c")
            await paste(pilot, app.screen.query_one(Input), "a criterion")
            await pilot.press("enter")
            assert isinstance(app.screen, PromptDialog)
            assert "No space left on device" in error_text(app.screen, "#prompt-error")
        assert path.read_bytes() == before
        assert app.service.backlog.to_tables() == memory

    run(scenario)
