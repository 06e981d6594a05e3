"""Scores by hand-computed examples, rank by score as a property, readiness and health."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from model.backlog import Backlog
from model.commands import EditItem, EditSettings
from model.errors import CommandError
from model.health import health
from model.item import Item
from model.meta import Settings
from model.rank import initial_ranks
from model.rank_by_score import RankByScore, preview
from model.readiness import readiness
from model.scoring import ScoreInputs, WeightedCriterion, missing_inputs, opportunity, rice, score, weighted, wsjf
from tests.tui.scenario import START, build_backlog, make_service


def test_wsjf_by_hand():
    # Cost of delay 8 + 5 + 3 = 16, job size 2: 16 / 2 = 8.
    assert wsjf(ScoreInputs(business_value=8, time_criticality=5, risk_reduction=3, job_size=2)) == 8
    assert wsjf(ScoreInputs(business_value=20, time_criticality=1, risk_reduction=1, job_size=13)) == pytest.approx(
        22 / 13)
    assert wsjf(ScoreInputs(business_value=8, time_criticality=5, risk_reduction=3)) is None


def test_rice_by_hand():
    # 2,000 people x high impact 2 x 80% / 4 person-months = 800.
    assert rice(ScoreInputs(reach=2000, impact=2, confidence=80, effort=4)) == pytest.approx(800)
    assert rice(ScoreInputs(reach=500, impact=0.25, confidence=50, effort=0.5)) == pytest.approx(125)
    assert rice(ScoreInputs(reach=500, impact=0.25, confidence=50)) is None


def test_opportunity_by_hand():
    # Importance 9, satisfaction 4: 9 + (9 - 4) = 14. Over-served: 6 + max(6 - 8, 0) = 6.
    assert opportunity(ScoreInputs(importance=9, satisfaction=4)) == 14
    assert opportunity(ScoreInputs(importance=6, satisfaction=8)) == 6
    assert opportunity(ScoreInputs(importance=6)) is None


def test_weighted_by_hand():
    criteria = (WeightedCriterion(name="Revenue", weight=3), WeightedCriterion(name="Fit", weight=2))
    # 3 x 4 + 2 x 5 = 22.
    assert weighted(ScoreInputs(weighted={"Revenue": 4, "Fit": 5}), criteria) == 22
    assert weighted(ScoreInputs(weighted={"Revenue": 4}), criteria) is None
    assert weighted(ScoreInputs(weighted={"Revenue": 4}), ()) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("job_size", 4, "not a WSJF value"), ("impact", 1.5, "not a RICE impact"), ("confidence", 90, "confidence"),
     ("importance", 11, "less than or equal to 10"), ("effort", 0, "greater than 0"), ("reach", -1, "greater")],
)
def test_inputs_off_their_scale_are_refused(field, value, message):
    with pytest.raises(ValidationError, match=message):
        ScoreInputs(**{field: value})


def test_missing_inputs_are_named():
    item = build_backlog().item("SHOP-1").revised(scores={"business_value": 8, "job_size": 3})
    assert missing_inputs(item, "wsjf", Settings()) == ["Time criticality", "Risk reduction / opportunity enablement"]
    assert missing_inputs(item, "weighted", Settings()) == ["no weighted criteria defined for this backlog"]


def test_scores_are_saved_and_filtered(tmp_path: Path):
    from model.filter import parse_filter

    service = make_service(tmp_path / "b.json")
    service.execute(EditSettings({"score_model": "wsjf"}))
    service.execute(EditItem("SHOP-2", {"scores": {"business_value": 8, "time_criticality": 5,
                                                   "risk_reduction": 3, "job_size": 2}}))
    assert score(service.backlog.item("SHOP-2"), "wsjf", service.backlog.meta.settings) == 8
    missing = parse_filter("score:missing", service.backlog.meta.settings).apply(service.backlog)
    assert "SHOP-2" not in missing and "SHOP-1" in missing
    with pytest.raises(CommandError, match="job_size"):
        service.execute(EditItem("SHOP-2", {"scores": {"job_size": 7}}))


# ----- rank by score ----------------------------------------------------------------------

def backlog_with_scores(values: list[float | None], closed: list[bool] | None = None) -> Backlog:
    backlog = Backlog.empty("Scores", "S")
    docs = {}
    closed = closed or [False] * len(values)
    for number, (value, rank, is_closed) in enumerate(zip(values, initial_ranks(len(values)), closed, strict=True),
                                                      start=1):
        scores = {"importance": value, "satisfaction": 10} if value is not None else {}
        docs[str(number)] = Item.model_validate({
            "key": f"S-{number}", "title": f"item {number}", "rank": rank, "scores": scores,
            "status": "done" if is_closed else "new", "created": START, "updated": START}).to_doc()
    meta = backlog.meta.model_copy(update={"next_number": len(values) + 1}).model_dump(mode="json")
    return Backlog.from_tables({"meta": {"1": meta}, "items": docs})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 10).map(float)), st.booleans()), max_size=25))
def test_rank_by_score_is_a_stable_permutation(entries):
    values = [value for value, _ in entries]
    closed = [is_closed for _, is_closed in entries]
    backlog = backlog_with_scores(values, closed)
    before = list(backlog.order)
    change = RankByScore("opportunity").plan(backlog, START)
    backlog.apply(change)
    after = backlog.order
    assert sorted(after) == sorted(before)  # a permutation
    for position, key in enumerate(before):  # unscored and closed items stay where they were
        item = backlog.items[key]
        if item.is_closed or item.scores.importance is None:
            assert after[position] == key
    scored = [k for k in after if not backlog.items[k].is_closed and backlog.items[k].scores.importance is not None]
    keyed = [(-backlog.items[k].scores.importance, before.index(k)) for k in scored]
    assert keyed == sorted(keyed)  # highest first, ties in their manual order
    # Only moved items are rewritten, and the set of ranks is unchanged.
    assert len(change.docs) == len(preview(backlog_with_scores(values, closed), "opportunity").moves)


def test_rank_by_score_preview_and_one_undo_step(tmp_path: Path):
    service = make_service(tmp_path / "b.json")
    service.execute(EditItem("SHOP-12", {"scores": {"importance": 10, "satisfaction": 0}}))
    service.execute(EditItem("SHOP-2", {"scores": {"importance": 2, "satisfaction": 2}}))
    result = preview(service.backlog, "opportunity")
    assert [(m.key, m.before, m.after) for m in result.moves] == [("SHOP-12", 11, 1), ("SHOP-2", 1, 11)]
    assert result.moves[0].distance == 10
    assert "SHOP-1" in result.unscored
    before = list(service.backlog.order)
    outcome = service.execute(RankByScore("opportunity"))
    assert outcome.label == "Rank by Opp: 2 items moved"
    assert service.backlog.order[1] == "SHOP-12"
    service.undo()
    assert service.backlog.order == before


# ----- readiness and health ---------------------------------------------------------------

def test_definition_of_ready_is_configurable():
    backlog = build_backlog()
    item = backlog.item("SHOP-4")  # a spike: 3 points, could, no criteria
    assert readiness(item, Settings()).failures == ("no acceptance criteria",)
    relaxed = Settings(ready_rules=("estimated", "moscow"))
    assert readiness(item, relaxed).ready
    strict = Settings(ready_rules=("criteria", "description"))
    assert readiness(item, strict).failures == ("no acceptance criteria", "no description")
    with pytest.raises(ValidationError, match="unknown Definition of Ready rule"):
        Settings(ready_rules=("telepathy",))


def test_health_by_hand():
    report = health(build_backlog())
    # Velocity 20 (last three sprints 20, 22, 18): sprint 1 and 2 from the top of the scenario.
    assert report.plan.capacity == 20
    assert report.upcoming[:3] == ("SHOP-1", "SHOP-2", "SHOP-3")
    assert set(report.not_ready_upcoming) <= set(report.upcoming)
    by_label = {f.label.split(" (")[0]: f for f in report.findings}
    assert by_label["Unestimated"].keys == ("SHOP-9", "SHOP-12", "SHOP-14", "SHOP-18")
    assert by_label["Bigger than the split threshold"].keys == ("SHOP-13",)
    assert by_label["With open questions"].keys == ("SHOP-3", "SHOP-13")
    assert report.must_share is not None and 0 < report.must_share < 1


def test_check_strict_gates_on_the_next_sprint(tmp_path: Path, capsys):
    from tui.cli import main

    service = make_service(tmp_path / "b.json")
    assert main(["check", str(service.store.path)]) == 0
    assert main(["check", "--strict", str(service.store.path)]) == 1
    assert "not ready in the next sprint" in capsys.readouterr().err
    # Make the next sprint ready: relax the Definition of Ready to what the top items meet.
    service.execute(EditSettings({"ready_rules": ()}))
    assert main(["check", "--strict", str(service.store.path)]) == 0
