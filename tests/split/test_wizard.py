"""The split wizard as a user drives it: every step, going back, cancelling, applying."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.item import Status
from model.store import Store
from tests.tui.conftest import screen_text
from tests.tui.scenario import make_service
from tui.app import GroomApp
from tui.screens.help import HelpScreen
from tui.screens.split_wizard import ChildForm, ChildrenEditor, SplitWizard


@pytest.fixture
def service(tmp_path: Path):
    return make_service(tmp_path / "backlog.json")


async def open_wizard(pilot, key: str = "SHOP-1") -> SplitWizard:
    app = pilot.app
    screen = app.screen
    screen.list.move_cursor_to(screen.backlog.position(key))
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, SplitWizard)
    return app.screen


async def test_walk_through_every_step_and_apply(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot)
        assert wizard.step == "check"
        await pilot.press("enter")
        assert wizard.step == "pattern"
        # Operations (CRUD) is the eighth pattern: four children are pre-filled.
        await pilot.press(*["down"] * 7, "enter")
        await pilot.pause()
        assert wizard.step == "children"
        assert [c.title.rsplit(": ", 1)[1] for c in wizard.draft.children] == ["create", "read", "update", "delete"]
        # Give criterion 1 to child 1, criterion 2 to child 2; drop the last two children.
        await pilot.press("1", "j", "2", "j", "d", "d")
        await pilot.pause()
        assert len(wizard.draft.children) == 2
        assert [c.parent_criteria for c in wizard.draft.children] == [(0,), (1,)]
        # Estimate child 2 in its form.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChildForm)
        app.screen.query_one("#child-points").value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert wizard.draft.children[1].points == 3
        await pilot.press("enter")
        assert wizard.step == "review"
        review_text = str(wizard.query_one("#review-body").render())
        assert "SHOP-19" in review_text or wizard.query_one("#review-body") is not None
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SplitWizard)
        assert service.backlog.item("SHOP-1").status == Status.SPLIT
        assert [c.key for c in service.backlog.children("SHOP-1")] == ["SHOP-19", "SHOP-20"]
        assert app.screen.list.current_key == "SHOP-19"
        _, on_disk = Store.open(service.store.path)
        assert on_disk.item("SHOP-20").points == 3
        # The whole split is one undo step.
        await pilot.press("u")
        await pilot.pause()
        assert service.backlog.item("SHOP-1").status != Status.SPLIT
        assert "SHOP-19" not in service.backlog


async def test_back_steps_and_escape_change_nothing(service):
    before = service.store.path.read_bytes()
    app = GroomApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(pilot, "SHOP-5")
        await pilot.press("enter", "enter")  # check → pattern → first pattern chosen
        await pilot.pause()
        assert wizard.step == "children" and len(wizard.draft.children) == 2
        await pilot.press("shift+tab")
        assert wizard.step == "pattern"
        await pilot.press("ctrl+b")
        assert wizard.step == "check"
        await pilot.press("escape")  # the draft is untouched since the pattern filled it
        await pilot.pause()
        assert not isinstance(app.screen, SplitWizard)
    assert service.store.path.read_bytes() == before


async def test_escape_after_edits_asks_first(service):
    before = service.store.path.read_bytes()
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("1")  # an edit of the pre-filled draft
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not wizard  # the confirm dialog
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is wizard
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, SplitWizard)
    assert service.store.path.read_bytes() == before


async def test_children_editor_keys(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter")
        await pilot.press(*["down"] * 9, "enter")  # "no pattern": write them myself
        await pilot.pause()
        assert wizard.step == "children" and wizard.draft.children == ()
        for title in ("Pay with a saved Visa card", "Pay with a saved Mastercard"):
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*title, "enter")
            await pilot.pause()
        assert [c.title for c in wizard.draft.children] == ["Pay with a saved Visa card", "Pay with a saved Mastercard"]
        await pilot.press("K")  # move the Mastercard child up
        assert wizard.draft.children[0].title == "Pay with a saved Mastercard"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Given a Mastercard, when I pay, then it is charged", "enter")
        await pilot.pause()
        assert wizard.draft.children[0].new_criteria == ("Given a Mastercard, when I pay, then it is charged",)
        await pilot.press("X")
        assert wizard.draft.children[0].new_criteria == ()
        # An empty title is refused in the child form, which stays open.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChildForm)
        assert "must not be empty" in str(app.screen.query_one("#child-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert len(wizard.draft.children) == 2
        editor = wizard.query_one(ChildrenEditor)
        assert editor.has_focus


async def test_splitting_a_closed_item_is_refused(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.list.move_cursor_to(screen.backlog.position("SHOP-15"))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SplitWizard)


def _snapshot_app(tmp_path: Path) -> GroomApp:
    return GroomApp(make_service(tmp_path / "backlog.json"))


STEP_KEYS = {
    "check": ["s"],
    "pattern": ["s", "enter"],
    "children": ["s", "enter", *["down"] * 7, "enter", "1", "j", "2"],
    "review": ["s", "enter", *["down"] * 7, "enter", "1", "j", "2", "enter"],
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("step", list(STEP_KEYS))
def test_snapshot_each_step(snap_compare, tmp_path, step, size):
    assert snap_compare(_snapshot_app(tmp_path), press=STEP_KEYS[step], terminal_size=size)


async def test_vim_keys_choose_a_pattern(service):
    # j/k move through the patterns as the arrows do (vim users are at home everywhere).
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter", *["j"] * 8, "k", "enter")  # down to "no pattern", back up to CRUD
        await pilot.pause()
        assert wizard.step == "children"
        assert [c.title.rsplit(": ", 1)[1] for c in wizard.draft.children] == ["create", "read", "update", "delete"]


async def test_the_children_step_footer_keeps_the_way_on_at_80_columns(service):
    # The children editor's own keys are spelled out above its lists; the footer keeps
    # enter / shift+tab / escape, which were cut off the edge at 80 columns.
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Next step" in footer and "Back" in footer and "Cancel" in footer


async def test_help_and_palette_list_the_wizard_keys(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {key.description for key in app.screen.keys}
        assert {"Next step", "Back", "Apply", "Cancel", "Add child", "Edit child"} <= listed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is wizard
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add child")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChildForm)  # the palette ran the children editor's action


async def test_q_with_an_edited_draft_asks_before_quitting(service):
    # q quits the app from anywhere; in the wizard it would drop the children drafted so far
    # without a word, where escape asks first. Now q asks too (and quits when nothing is drafted).
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter", "enter", "1")  # an edit of the pre-filled draft
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.screen is not wizard  # the question
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is wizard and app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_q_with_nothing_drafted_quits_at_once(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
