"""Each sample reads like a real team's backlog, with everything the demo is there to show.

Real backlogs are uneven: a refined top with criteria, estimates and priorities, a vague middle,
a tail nobody has looked at, items too big for a sprint, questions waiting for stakeholders.
These tests hold the samples to that, so an edit to a sample cannot quietly flatten it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import UTC, date, datetime
from statistics import pstdev

import pytest

from model.backlog import Backlog
from model.capacity import capacity_report, sprint_plan
from model.forecast import forecast_for
from model.health import health
from model.item import Item, Kind, Status
from model.readiness import readiness
from model.scoring import score
from tests.samples.conftest import open_sample

AS_OF = datetime(2026, 11, 25, tzinfo=UTC)
GWT = re.compile(r"^Given .+, when .+, then .+", re.IGNORECASE)


@pytest.fixture
def backlog(demo: str) -> Backlog:
    return open_sample(demo)


def open_items(backlog: Backlog) -> list[Item]:
    return [item for item in backlog if not item.is_closed]


def test_size_and_key_prefix(backlog: Backlog, demo: str):
    assert 40 <= len(backlog) <= 80
    expected = {"webshop": ("Webshop checkout", "SHOP"), "banking": ("Mobile banking app", "BANK"),
                "platform": ("Platform", "PLAT")}[demo]
    assert (backlog.meta.name, backlog.meta.prefix) == expected


def test_every_kind_is_used_and_stories_lead(backlog: Backlog):
    kinds = Counter(item.kind for item in backlog)
    assert set(kinds) == set(Kind), f"missing kinds: {set(Kind) - set(kinds)}"
    assert kinds[Kind.EPIC] >= 1
    assert kinds[Kind.STORY] >= 10
    assert kinds[Kind.BUG] >= 3 and kinds[Kind.CHORE] >= 3


def test_criteria_are_given_when_then_on_some_and_absent_on_many(backlog: Backlog):
    with_gwt = [i for i in backlog if any(GWT.match(c.text) for c in i.acceptance_criteria)]
    plain = [c.text for i in backlog for c in i.acceptance_criteria if not GWT.match(c.text)]
    without = [i for i in open_items(backlog) if not i.acceptance_criteria]
    assert len(with_gwt) >= 10
    assert plain, "some criteria are checklists, not Given/When/Then, as in real backlogs"
    assert len(without) >= 15


def test_work_in_progress_has_some_criteria_ticked(backlog: Backlog):
    in_progress = [i for i in backlog if i.status == Status.PLANNED]
    assert in_progress
    assert any(0 < sum(c.done for c in i.acceptance_criteria) < len(i.acceptance_criteria) for i in in_progress)
    assert all(c.done for i in backlog if i.status == Status.DONE for c in i.acceptance_criteria)


def test_vague_items_have_nothing_but_a_title(backlog: Backlog):
    vague = [i for i in open_items(backlog)
             if not i.acceptance_criteria and i.points is None and re.match(r"(Make|Improve|Better)\b", i.title)]
    assert vague, "a vague item like \"Improve performance\" or \"Make onboarding better\""


def test_some_items_are_too_big_for_a_sprint(backlog: Backlog):
    threshold = backlog.meta.settings.split_threshold
    big = [i for i in open_items(backlog) if i.points is not None and i.points > threshold]
    assert len(big) >= 2
    assert {i.points for i in big} & {40, 100}
    assert any(i.kind == Kind.EPIC and not i.is_closed for i in backlog)


def test_questions_are_open_and_answered_for_named_stakeholders(backlog: Backlog):
    questions = [q for i in backlog for q in i.questions]
    open_ = [q for i in open_items(backlog) for q in i.open_questions]
    assert len(open_) >= 5
    assert any(q.answer for q in questions)
    askers = {q.ask for q in open_}
    assert len(askers) >= 3
    assert all(q.ask for q in questions), "every question says whom to ask"
    for item in backlog:
        if item.open_questions and item.status in (Status.NEW, Status.READY):
            pytest.fail(f"{item.key} has open questions but is {item.status.value}")


def test_a_refined_top_and_an_unestimated_tail(backlog: Backlog):
    items = open_items(backlog)
    top, tail = items[:15], items[-10:]
    assert sum(i.moscow is not None for i in top) >= 13, "MoSCoW on most of the top"
    assert sum(i.points is not None for i in top) >= 13
    assert all(i.moscow is None for i in tail), "no MoSCoW on the tail"
    assert sum(i.points is None for i in tail) >= 7, "the tail is mostly unestimated"
    unestimated = [i for i in items if i.points is None]
    assert len(unestimated) >= 10


def test_descriptions_are_markdown_some_long_some_absent(backlog: Backlog):
    descriptions = [i.description for i in backlog]
    assert any(len(d) > 700 for d in descriptions)
    assert any(re.search(r"^\|.*\|$", d, re.MULTILINE) or "```" in d for d in descriptions), "a table or code"
    assert any(re.search(r"^(#+ |- |\*\*)", d, re.MULTILINE) for d in descriptions)
    assert sum(not d for d in descriptions) >= 10


def test_all_samples_together_show_a_table_and_code():
    descriptions = [i.description for name in ("webshop", "banking", "platform") for i in open_sample(name)]
    assert any(re.search(r"^\|---", d, re.MULTILINE) for d in descriptions)
    assert any("```" in d for d in descriptions)


def test_evidence_links_and_labels(backlog: Backlog):
    evidence = [e for i in backlog for e in i.evidence]
    assert len(evidence) >= 5
    assert all(e.link.startswith("https://") for e in evidence)
    assert sum(bool(i.labels) for i in backlog) >= len(backlog) // 2


def test_closed_items_done_dropped_and_split(backlog: Backlog):
    statuses = Counter(i.status for i in backlog)
    assert statuses[Status.DONE] >= 2
    assert statuses[Status.DROPPED] >= 1
    split = [i for i in backlog if i.status == Status.SPLIT]
    assert split
    for parent in split:
        children = backlog.children(parent.key)
        assert len(children) >= 3
        assert all(c.parent == parent.key for c in children)
        assert sum(c.points or 0 for c in children) <= (parent.points or 0)


def test_ready_items_meet_the_definition_of_ready(backlog: Backlog):
    settings = backlog.meta.settings
    marked = [i for i in backlog if i.status == Status.READY]
    assert len(marked) >= 3
    assert all(readiness(i, settings).ready for i in marked)
    assert any(not readiness(i, settings).ready for i in open_items(backlog)[:10]), "refinement still has work"


def test_scoring_inputs_on_some_items(backlog: Backlog):
    scored = [i for i in backlog if score(i, "wsjf", backlog.meta.settings) is not None
              or score(i, "rice", backlog.meta.settings) is not None]
    assert len(scored) >= 3
    assert len(scored) < len(backlog) // 2, "scores on some items, not all"


def test_all_samples_together_use_wsjf_and_rice():
    samples = [open_sample(name) for name in ("webshop", "banking", "platform")]
    for model in ("wsjf", "rice"):
        assert any(score(i, model, b.meta.settings) is not None for b in samples for i in b), model


def test_sprint_history_and_team(backlog: Backlog):
    history = backlog.sprint_history()
    assert len(history) >= 6
    completed = [s.completed for s in history]
    assert pstdev(completed) >= 2, "velocity varies from sprint to sprint"
    assert all(s.completed <= s.committed for s in history)
    assert all(s.available_days for s in history[-3:]), "recent sprints record person-days"
    assert any(s.available_days is None for s in history), "older ones, from before the team tracked them"
    team = list(backlog.team.values())
    assert 4 <= len(team) <= 7
    assert all(0 < m.available_days <= backlog.meta.settings.sprint_length_days for m in team)
    assert capacity_report(backlog).warnings == ()


def test_dates_are_consistent_and_in_the_past(backlog: Backlog):
    for item in backlog:
        assert item.created <= item.updated < AS_OF, item.key
        if item.parent:
            assert item.created >= backlog.items[item.parent].created
    history = backlog.sprint_history()
    for earlier, later in itertools.pairwise(history):
        assert earlier.end < later.start
    assert history[-1].end < date(2026, 11, 25)
    assert max(i.updated for i in backlog).date() >= history[-1].end, "refined since the last sprint"


def test_the_sprint_lines_meter_and_forecast_have_something_to_say(backlog: Backlog):
    plan = sprint_plan(backlog)
    assert plan.capacity and not plan.note
    assert len(plan.sprints) == backlog.meta.settings.horizon
    next_sprint = plan.sprints[0]
    assert 0.8 * plan.capacity <= next_sprint.points <= plan.capacity, "the next sprint is planned, not over"
    assert len(next_sprint.keys) >= 4
    statement = forecast_for(backlog).statement()
    assert not statement.problem
    assert 0 < statement.covered < statement.open_items, "the forecast reaches some of the backlog, not all"
    report = health(backlog, plan)
    assert report.not_ready_upcoming, "health finds items to refine before planning"
    assert report.ready_upcoming >= 3


def test_the_demos_differ_in_what_they_show():
    """Between them the demos show an unestimated item inside the next sprint, an item bigger than a
    sprint among the sprint lines, the focus-factor capacity basis, a score column, imported items."""
    samples = {name: open_sample(name) for name in ("webshop", "banking", "platform")}
    plans = {name: sprint_plan(b) for name, b in samples.items()}
    assert any(plan.sprints[0].unestimated for plan in plans.values())
    assert any(s.oversized for plan in plans.values() for s in plan.sprints)
    assert {b.meta.settings.capacity_basis for b in samples.values()} == {"velocity", "focus"}
    assert any(b.meta.settings.score_model for b in samples.values())
    assert samples["webshop"].meta.settings.score_model is None, "the default demo keeps titles wide at 80x24"
    imported = [i for i in samples["webshop"] if i.source]
    assert imported and all(i.source.startswith("jira:") for i in imported), "the oldest items came from Jira"
