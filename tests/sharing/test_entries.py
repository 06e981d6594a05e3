"""Criteria and questions are lists: a command names the entry by its position as the user saw
it and by its text, so another Groom moving, adding or removing entries meanwhile never makes it
act on the wrong one."""

from __future__ import annotations

import pytest

from model.commands import (
    AddCriterion,
    AddQuestion,
    DeleteCriterion,
    DeleteQuestion,
    EditCriterion,
    EditQuestion,
    MoveCriterion,
    ToggleCriterion,
)
from model.errors import CommandError
from model.service import BacklogService
from tests.model._helpers import add_items, reopen


@pytest.fixture
def backlog_path(tmp_path):
    return tmp_path / "entries.json"


@pytest.fixture
def pair(backlog_path):
    service = BacklogService.create(backlog_path, "Shop", "SHOP", user="me")
    add_items(service, "one")
    for text in ("first", "second", "third"):
        service.execute(AddCriterion("SHOP-1", text))
    for text in ("why?", "who?"):
        service.execute(AddQuestion("SHOP-1", text))
    return service, BacklogService.open(backlog_path, user="partner")


def texts(backlog_path):
    return [(c.text, c.done) for c in reopen(backlog_path).item("SHOP-1").acceptance_criteria]


def test_a_tick_finds_its_criterion_after_the_partner_moved_it(pair, backlog_path):
    mine, partner = pair
    partner.execute(MoveCriterion("SHOP-1", 2, -1))  # third moves above second
    mine.execute(ToggleCriterion("SHOP-1", 2, expected="third"))  # I saw "third" at position 3
    assert texts(backlog_path) == [("first", False), ("third", True), ("second", False)]


def test_a_delete_finds_its_criterion_after_the_partner_added_one_above(pair, backlog_path):
    mine, partner = pair
    partner.execute(DeleteCriterion("SHOP-1", 0, expected="first"))
    partner.execute(AddCriterion("SHOP-1", "fourth"))
    mine.execute(DeleteCriterion("SHOP-1", 1, expected="second"))
    assert texts(backlog_path) == [("third", False), ("fourth", False)]


def test_acting_on_a_criterion_the_partner_removed_is_refused(pair, backlog_path):
    mine, partner = pair
    partner.execute(EditCriterion("SHOP-1", 1, "second, reworded", expected="second"))
    for command in (EditCriterion("SHOP-1", 1, "mine", expected="second"),
                    ToggleCriterion("SHOP-1", 1, expected="second"),
                    MoveCriterion("SHOP-1", 1, 1, expected="second"),
                    DeleteCriterion("SHOP-1", 1, expected="second")):
        with pytest.raises(CommandError, match="criterion “second” was changed or removed by another Groom"):
            mine.execute(command)
    assert texts(backlog_path) == [("first", False), ("second, reworded", False), ("third", False)]


def test_an_answer_finds_its_question_and_keeps_the_partners_edit_of_whom_to_ask(pair, backlog_path):
    mine, partner = pair
    partner.execute(DeleteQuestion("SHOP-1", 0, expected="why?"))
    partner.execute(EditQuestion("SHOP-1", 0, ask="Legal", expected="who?"))
    mine.execute(EditQuestion("SHOP-1", 1, answer="Ana", expected="who?"))
    [question] = reopen(backlog_path).item("SHOP-1").questions
    assert (question.text, question.ask, question.answer) == ("who?", "Legal", "Ana")


def test_without_expected_text_the_position_is_used_as_before(pair, backlog_path):
    mine, _ = pair
    mine.execute(ToggleCriterion("SHOP-1", 0))
    assert texts(backlog_path)[0] == ("first", True)
    with pytest.raises(CommandError, match="SHOP-1 has no criterion 9"):
        mine.execute(ToggleCriterion("SHOP-1", 8))


def test_scores_merge_by_input_and_only_a_replaced_input_is_reported(pair, backlog_path):
    from model.commands import EditScores

    mine, partner = pair
    mine.execute(EditScores("SHOP-1", {"business_value": 8, "job_size": 2}))
    partner.execute(EditScores("SHOP-1", {"reach": 500}))
    assert mine.refresh().replaced == ()  # the partner scored another input: nothing of mine replaced
    partner.execute(EditScores("SHOP-1", {"job_size": 13}))
    assert mine.refresh().replaced == ("SHOP-1 scores: your change was replaced by a later one from another Groom",)
    scores = reopen(backlog_path).item("SHOP-1").scores
    assert (scores.business_value, scores.job_size, scores.reach) == (8, 13, 500)
