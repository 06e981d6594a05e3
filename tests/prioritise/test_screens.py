"""The prioritise / estimate / ready screens as a user drives them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, SelectionList

from model.commands import EditItem, EditSettings
from model.item import Status
from model.store import Store
from tests.tui.scenario import make_service
from tui.app import GroomApp
from tui.screens.estimate_mode import EstimateMode
from tui.screens.grooming import GroomingScreen
from tui.screens.health import HealthScreen
from tui.screens.questions import QuestionsScreen
from tui.screens.rank_by_score import RankByScoreScreen
from tui.screens.score_form import ScoreForm
from tui.screens.settings import SettingsScreen


@pytest.fixture
def service(tmp_path: Path):
    return make_service(tmp_path / "backlog.json")


def on_disk(service):
    return Store.open(service.store.path)[1]


async def test_estimate_mode_walks_the_unestimated_items(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EstimateMode)
        assert screen.queue == ["SHOP-9", "SHOP-12", "SHOP-14", "SHOP-18"]
        await pilot.press("3")  # SHOP-9: 3 points
        await pilot.press("space")  # skip SHOP-12
        await pilot.press("h")  # SHOP-14: ½
        await pilot.press("b", "b")  # back to SHOP-12
        await pilot.press("t")  # SHOP-12: 13
        await pilot.pause()
        assert service.backlog.item("SHOP-9").points == 3
        assert service.backlog.item("SHOP-12").points == 13
        assert service.backlog.item("SHOP-14").points == 0.5
        assert service.backlog.item("SHOP-18").points is None
        assert on_disk(service).item("SHOP-12").points == 13
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        await pilot.press("u")  # every estimate is its own undo step
        await pilot.pause()
        assert service.backlog.item("SHOP-12").points is None


async def test_estimate_mode_does_not_offer_keys_it_does_not_have(service):
    # The detail pane on the list says "press c" / "press n"; in estimate mode c and n do
    # nothing (n is not an estimate key, c is not either), so the hint must not be there.
    app = GroomApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, EstimateMode)
        item = service.backlog.item(app.screen.queue[0])
        assert not item.acceptance_criteria and not item.questions
        text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Acceptance criteria (0/0)" in text
        assert "press c" not in text and "press n" not in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_score_form_shows_each_formula_whole(service, size):
    # A formula has one row in the form; WSJF's was cut after "risk", at every terminal size.
    from textual.widgets import Static

    app = GroomApp(service)
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ScoreForm)
        formulas = list(app.screen.query(".score-formula").results(Static))
        assert len(formulas) == 3
        for formula in formulas:
            assert formula.size.height == 1
            assert len(str(formula.render())) <= formula.size.width, str(formula.render())
        assert "÷ job size" in str(formulas[0].render())


async def test_rank_preview_says_whole_when_nothing_would_move(service):
    # With nothing to move the preview's one line sat in the table's title column, cut at 80.
    service.execute(EditSettings({"score_model": "wsjf"}))
    service.execute(EditItem("SHOP-2", {"scores": {"business_value": 8, "time_criticality": 5,
                                                   "risk_reduction": 3, "job_size": 2}}))
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, RankByScoreScreen)
        text = " ".join("\n".join(strip.text for strip in app.screen._compositor.render_strips()).split())
        assert "Nothing would move: the scored items are already in order." in text
        await pilot.press("3")  # opportunity: no item has its inputs
        await pilot.pause()
        text = " ".join("\n".join(strip.text for strip in app.screen._compositor.render_strips()).split())
        assert "Nothing to rank: no item has Opp inputs yet." in text
        assert "already in order" not in text


async def test_estimate_mode_with_nothing_to_estimate(service):
    for key in ("SHOP-9", "SHOP-12", "SHOP-14", "SHOP-18"):
        from model.commands import SetPoints

        service.execute(SetPoints(key, 1))
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await pilot.pause()
        assert "nothing to estimate" in str(app.screen.query_one("#estimate-title").render())
        await pilot.press("5")  # harmless
        await pilot.press("escape")


async def test_questions_view_answers_by_stakeholder(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionsScreen)
        asks = [e.ask for e in screen.entries if e is not None]
        assert asks == ["Finance", "Head of Logistics (Sam)"]  # grouped and sorted by whom to ask
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Yes, up to the item price", "enter")
        await pilot.pause()
        assert app.screen is screen
        refund = service.backlog.item("SHOP-13")
        assert refund.questions[0].answer == "Yes, up to the item price"
        assert refund.status == Status.NEW  # it was needs-info; its last open question is answered
        assert [e.key for e in screen.entries if e is not None] == ["SHOP-3"]
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert app.screen.list.current_key == "SHOP-3"


async def test_rank_by_score_preview_then_apply_or_cancel(service):
    service.execute(EditItem("SHOP-12", {"scores": {"importance": 10, "satisfaction": 0}}))
    service.execute(EditItem("SHOP-2", {"scores": {"importance": 2, "satisfaction": 2}}))
    before = list(service.backlog.order)
    app = GroomApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, RankByScoreScreen)
        await pilot.press("3")  # opportunity score
        await pilot.pause()
        assert "2 of 2 scored items move" in str(app.screen.query_one("#rank-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert service.backlog.order == before
        await pilot.press("S")
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert service.backlog.order[1] == "SHOP-12"
        await pilot.press("u")
        await pilot.pause()
        assert service.backlog.order == before


async def test_score_form_saves_inputs_and_refuses_bad_ones(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScoreForm)
        form.query_one("#score-business_value", Select).value = "8"
        form.query_one("#score-time_criticality", Select).value = "5"
        form.query_one("#score-risk_reduction", Select).value = "3"
        form.query_one("#score-job_size", Select).value = "2"
        form.query_one("#score-reach", Input).value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "not a number" in str(form.query_one("#score-error").render())
        form.query_one("#score-reach", Input).value = "2000"
        await pilot.pause()
        assert "WSJF 8.0" in str(form.query_one("#score-result").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        scores = on_disk(service).item("SHOP-1").scores
        assert (scores.business_value, scores.job_size, scores.reach) == (8, 2, 2000)


async def test_settings_choose_score_column_and_ready_rules(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("O")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#setting-score", Select).value = "wsjf"
        screen.query_one("#setting-ready", SelectionList).deselect("moscow")
        screen.query_one("#setting-threshold", Input).value = "eight"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a number" in str(screen.query_one("#settings-error").render())
        screen.query_one("#setting-threshold", Input).value = "8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        settings = on_disk(service).meta.settings
        assert settings.score_model == "wsjf"
        assert "moscow" not in settings.ready_rules
        assert settings.split_threshold == 8
        header = str(app.screen.query_one("#list-header").render())
        assert "WSJF" in header


async def test_health_jumps_to_the_items_concerned(service):
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HealthScreen)
        await pilot.press("j", "j", "enter")  # bigger than the split threshold
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GroomingScreen)
        assert list(screen.list.keys) == ["SHOP-13"]
        assert screen.query_one("#filter", Input).value.endswith("points:>13")
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.list.keys) == len(service.backlog)


def _scored_app(tmp_path: Path) -> GroomApp:
    service = make_service(tmp_path / "b.json")
    service.execute(EditSettings({"score_model": "wsjf"}))
    for key, values in (("SHOP-12", (20, 20, 20, 1)), ("SHOP-3", (2, 1, 1, 8)), ("SHOP-5", (8, 5, 3, 2))):
        fields = dict(zip(("business_value", "time_criticality", "risk_reduction", "job_size"), values, strict=True))
        service.execute(EditItem(key, {"scores": fields}))
    return GroomApp(service)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "view", ["score_column", "rank_preview", "score_form", "estimate_mode", "health", "questions", "settings"])
def test_snapshot_views(snap_compare, tmp_path, view, size):
    keys = {"score_column": [], "rank_preview": ["S"], "score_form": ["j", "j", "w"], "estimate_mode": ["E"],
            "health": ["H"], "questions": ["Q"], "settings": ["O"]}[view]
    assert snap_compare(_scored_app(tmp_path), press=keys, terminal_size=size)
