"""How one field merges when both branches changed it."""

from __future__ import annotations

from model.merge_values import MISSING, merge_value


def criterion(text: str, done: bool = False) -> dict:
    return {"text": text, "done": done}


def test_a_value_changed_on_one_side_takes_that_side():
    assert merge_value("points", 5, 8, 5).value == 8
    assert merge_value("points", 5, 5, 8).value == 8
    assert merge_value("points", 5, 3, 3).value == 3
    assert merge_value("points", 5, 3, 8).clash == (3, 8)


def test_labels_merge_as_a_set():
    result = merge_value("labels", ["a", "b", "c"], ["a", "c", "ours"], ["b", "c", "theirs"])
    assert result.clash is None
    assert result.value == ["c", "ours", "theirs"]  # a and b removed on one side each


def test_ticking_a_criterion_and_adding_one_merge():
    base = [criterion("one"), criterion("two")]
    ours = [criterion("one", True), criterion("two")]
    theirs = [criterion("one"), criterion("two"), criterion("three")]
    result = merge_value("acceptance_criteria", base, ours, theirs)
    assert result.clash is None
    assert result.value == [criterion("one", True), criterion("two"), criterion("three")]


def test_criteria_added_on_both_sides_at_the_end_are_all_kept_ours_first():
    base = [criterion("one")]
    result = merge_value("acceptance_criteria", base, [*base, criterion("ours")], [*base, criterion("theirs")])
    assert result.clash is None
    assert result.value == [criterion("one"), criterion("ours"), criterion("theirs")]


def test_one_criterion_changed_both_ways_is_a_clash_that_keeps_the_other_changes():
    base = [criterion("one"), criterion("two"), criterion("three")]
    ours = [criterion("one", True), criterion("two"), criterion("three ours")]
    theirs = [criterion("one"), criterion("two"), criterion("three theirs")]
    result = merge_value("acceptance_criteria", base, ours, theirs)
    mine, other = result.clash
    assert mine == [criterion("one", True), criterion("two"), criterion("three ours")]
    assert other == [criterion("one", True), criterion("two"), criterion("three theirs")]
    assert result.value == mine


def test_descriptions_merge_line_by_line_and_clash_on_the_same_line():
    base = "Why\n\nfirst\n\nsecond\n"
    clean = merge_value("description", base, "Why\n\nFIRST\n\nsecond\n", "Why\n\nfirst\n\nSECOND\n")
    assert (clean.value, clean.clash) == ("Why\n\nFIRST\n\nSECOND\n", None)
    clash = merge_value("description", base, "Why\n\nours\n\nsecond\n", "Why\n\ntheirs\n\nsecond\n")
    assert clash.clash == ("Why\n\nours\n\nsecond\n", "Why\n\ntheirs\n\nsecond\n")


def test_scores_merge_input_by_input():
    clean = merge_value("scores", {"reach": 10}, {"reach": 10, "effort": 2}, {"reach": 20})
    assert (clean.value, clean.clash) == ({"effort": 2, "reach": 20}, None)
    clash = merge_value("scores", {"reach": 10}, {"reach": 30, "effort": 2}, {"reach": 20})
    assert clash.clash == ({"effort": 2, "reach": 30}, {"effort": 2, "reach": 20})


def test_without_a_common_ancestor_different_values_clash():
    assert merge_value("title", MISSING, "a", "b").clash == ("a", "b")
    assert merge_value("title", MISSING, "a", "a").value == "a"


def test_an_edited_entry_next_to_entries_the_other_side_added_keeps_both():
    question = {"text": "Partial refunds?", "ask": "Finance", "answer": ""}
    answered = {**question, "answer": "Yes"}
    raised = {"text": "Which currencies?", "ask": "Finance", "answer": ""}
    result = merge_value("questions", [question], [answered], [question, raised])
    assert (result.value, result.clash) == ([answered, raised], None)
    result = merge_value("questions", [question], [raised, question], [answered])
    assert (result.value, result.clash) == ([raised, answered], None)
