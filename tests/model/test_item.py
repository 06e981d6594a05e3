"""Items: cleaning and validation of user input, and the words validation errors are said in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from model.commands import AddItem, EditItem
from model.item import POINT_SCALE, Item, Status, parse_points, prefix_from, scale_text
from model.meta import BacklogMeta
from model.team import TeamMember
from model.validation import describe, field_path

from ._helpers import TIMESTAMP, reopen

BASE = {"key": "SHOP-1", "title": "Pay with a saved card", "rank": "V", "created": TIMESTAMP, "updated": TIMESTAMP}


def make(**fields: Any) -> Item:
    return Item.model_validate({**BASE, **fields})


def problem(**fields: Any) -> str:
    """describe() of the validation error the fields cause (fails the test if they are valid)."""
    with pytest.raises(ValidationError) as caught:
        make(**fields)
    return describe(caught.value)


# ----- title -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  Pay with card  ", "Pay with card"),
        ("Pay\twith\n\ncard", "Pay with card"),
        ("Pay   with \r\n card", "Pay with card"),
        ("x", "x"),
    ],
)
def test_title_is_trimmed_and_whitespace_collapsed(given, stored):
    assert make(title=given).title == stored


@pytest.mark.parametrize("title", ["", "   ", "\t\n "])
def test_empty_title_is_refused_naming_the_field(title):
    assert problem(title=title).startswith("title: ")


@pytest.mark.parametrize("title", ["", "   "])
def test_empty_title_message_is_plain_words(title):
    assert problem(title=title) == "title: must not be empty"


def test_title_of_200_characters_is_accepted():
    assert make(title="x" * 200).title == "x" * 200


def test_title_of_201_characters_is_refused_naming_the_field():
    message = problem(title="x" * 201)
    assert message.startswith("title: ")
    assert "201" in message and "200" in message


def test_title_too_long_message_counts_characters():
    assert problem(title="x" * 201) == "title: is 201 characters long; the limit is 200"


def test_title_length_counts_after_cleaning():
    # 200 characters once the surrounding whitespace is trimmed: accepted.
    assert make(title="  " + "x" * 200 + "  ").title == "x" * 200


# ----- points -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "points"),
    [
        ("½", 0.5),
        ("1/2", 0.5),
        ("0.5", 0.5),
        (".5", 0.5),
        (" 0.5 ", 0.5),
        (0.5, 0.5),
        ("5", 5),
        (5, 5),
        (5.0, 5),
        ("13", 13),
        ("100", 100),
        ("0", 0),
        (0, 0),
        ("?", None),
        ("", None),
        (None, None),
    ],
)
def test_points_parsing(given, points):
    parsed = parse_points(given)
    assert parsed == points
    assert (parsed is None) == (points is None)
    assert make(points=given).points == points


def test_every_point_on_the_scale_round_trips_through_its_text():
    for point in POINT_SCALE:
        text = "½" if point == 0.5 else str(int(point))
        assert parse_points(text) == point


@pytest.mark.parametrize("given", [7, "7", 4.5, -1, 1000, "seven", "five points", "nan", "inf", [5]])
def test_points_off_the_scale_are_refused_listing_the_scale(given):
    with pytest.raises(ValueError) as caught:
        parse_points(given)
    assert scale_text() in str(caught.value)
    message = problem(points=given)
    assert message.startswith("points: ")
    assert scale_text() in message


@pytest.mark.parametrize("given", [True, False])
def test_points_refuse_booleans(given):
    with pytest.raises(ValueError, match="true/false"):
        parse_points(given)
    assert problem(points=given).startswith("points: ")


def test_points_boolean_refusal_lists_the_scale():
    assert scale_text() in problem(points=True)


# ----- labels -----------------------------------------------------------------------------


def test_labels_are_cleaned_and_deduplicated_in_first_seen_order():
    item = make(labels=[" ux ", "back  end", "ux", "", "   ", "back end", "Payments"])
    assert item.labels == ("ux", "back end", "Payments")


def test_labels_are_case_sensitive():
    assert make(labels=["UX", "ux"]).labels == ("UX", "ux")


def test_label_that_is_not_text_is_refused():
    assert problem(labels=["ok", 3]) == "labels: labels must be text"


def test_label_longer_than_100_characters_is_refused():
    assert make(labels=["x" * 100]).labels == ("x" * 100,)
    assert "longer than 100 characters" in problem(labels=["x" * 101])


# ----- keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["SHOP-1", "S-7", "A1B2-42", "ABCDEFGHIJ-1", "SHOP-999999999"])
def test_valid_keys(key):
    assert make(key=key).key == key


@pytest.mark.parametrize(
    "key",
    [
        "shop-1", "Shop-1", "SHOP-0", "SHOP-01", "SHOP1", "SHOP_1", "1SHOP-1", "-1", "SHOP-",
        "ABCDEFGHIJK-1", "SHOP-1234567890", " SHOP-1", "SHOP-1 ", "SHOP-1\n", "SHOP--1", "SHOP-1-2",
    ],
)
def test_invalid_keys_are_refused(key):
    assert problem(key=key).startswith("key: ")


def test_parent_uses_the_key_pattern_too():
    assert make(parent="SHOP-2").parent == "SHOP-2"
    assert problem(parent="shop-2").startswith("parent: ")


# ----- user text is stored verbatim ------------------------------------------------------

MARKUP = "[bold]x[/] [link=https://evil.example]click[/link]"
ANSI = "\x1b[31mred\x1b[0m \x1b]0;title\x07"


def test_markup_and_escapes_in_title_are_stored_verbatim():
    assert make(title=f"{MARKUP} {ANSI}").title == f"{MARKUP} {ANSI}"


def test_markup_and_escapes_in_other_text_are_stored_verbatim():
    description = f"line 1 {MARKUP}\n\n  {ANSI}\n"
    item = make(
        description=description,
        labels=[MARKUP],
        acceptance_criteria=[{"text": ANSI}],
        questions=[{"text": MARKUP, "ask": ANSI}],
    )
    assert item.description == description
    assert item.labels == (MARKUP,)
    assert item.acceptance_criteria[0].text == ANSI.strip()
    assert item.questions[0].text == MARKUP
    assert item.questions[0].ask == ANSI.strip()


def test_markup_and_escapes_survive_the_file(service, backlog_path):
    title = f"{MARKUP} {ANSI}"
    description = f"{MARKUP}\n{ANSI}\n\\u001b \\x1b"
    key = service.execute(AddItem(title, fields={"description": description})).change.docs[-1].after["key"]
    service.execute(EditItem(key, {"labels": [MARKUP]}))
    item = reopen(backlog_path).item(key)
    assert (item.title, item.description, item.labels) == (title, description, (MARKUP,))
    assert b"\\u001b[31m" in backlog_path.read_bytes()  # escaped in JSON, never a raw ESC byte
    assert b"\x1b" not in backlog_path.read_bytes()


# ----- other item rules -----------------------------------------------------------------


def test_items_are_immutable_and_revised_copies_are_validated():
    item = make()
    with pytest.raises(ValidationError):
        item.title = "changed"  # type: ignore[misc]
    revised = item.revised(title="  New   title ", points="½")
    assert (revised.title, revised.points) == ("New title", 0.5)
    assert item.title == BASE["title"]
    with pytest.raises(ValidationError):
        item.revised(points=7)


def test_unknown_fields_are_refused():
    assert problem(colour="red") == "colour: is not a field Groom knows"


def test_timestamps_are_utc_and_stored_with_z():
    item = make(created="2024-05-01T11:00:00+02:00", updated=datetime(2024, 5, 1, 9, 0))
    assert item.created == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert item.updated == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert item.to_doc()["created"] == "2024-05-01T09:00:00Z"


def test_a_timestamp_before_the_year_1000_is_written_so_that_it_reads_back():
    item = make(created=datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC))
    doc = item.to_doc()
    assert doc["created"] == "0999-01-02T03:04:05Z"  # strftime would write "999-…", which no reader takes
    assert Item.model_validate(doc).created == item.created


def test_status_and_moscow_must_be_known_values():
    message = problem(status="blocked")
    assert message.startswith("status: 'blocked' is not allowed; use ")
    assert "'needs_info'" in message
    assert problem(moscow="maybe").startswith("moscow: 'maybe' is not allowed")


def test_closed_statuses():
    assert [s for s in Status if make(status=s).is_closed] == [Status.DONE, Status.DROPPED, Status.SPLIT]


# ----- validation messages in words -------------------------------------------------------


def test_describe_names_nested_fields_in_words_counting_from_one():
    message = problem(acceptance_criteria=[{"text": "ok"}, {"text": "also ok", "colour": "red"}])
    assert message == "acceptance criterion 2 colour: is not a field Groom knows"


def test_describe_names_question_fields():
    assert problem(questions=[{"text": "ok"}, {"text": "ok", "answer": 3}]).startswith("question 2 answer: ")


def test_describe_says_what_was_validated_and_counts_the_other_problems():
    with pytest.raises(ValidationError) as caught:
        make(title="", points="seven", status="blocked")
    message = describe(caught.value, "item SHOP-1")
    assert message.startswith("item SHOP-1: title: ")
    assert message.endswith(" (and 2 more problems)")
    with pytest.raises(ValidationError) as caught:
        make(points="seven", status="blocked")
    assert describe(caught.value).endswith(" (and 1 more problem)")


def test_describe_empty_criterion_in_words():
    message = problem(acceptance_criteria=[{"text": "ok"}, {"text": "  "}])
    assert message == "acceptance criterion 2 text: must not be empty"


def test_describe_empty_name_in_words():
    with pytest.raises(ValidationError) as caught:
        BacklogMeta(name="", prefix="SHOP")
    assert describe(caught.value) == "name: must not be empty"


def test_describe_empty_team_member_name_in_words():
    with pytest.raises(ValidationError) as caught:
        TeamMember(name="  ")
    assert describe(caught.value) == "name: must not be empty"


def test_describe_text_too_long_without_before_validator_counts_characters():
    message = problem(description="x" * 200_001)
    assert message == "description: is 200,001 characters long; the limit is 200,000"


def test_describe_does_not_dump_huge_values():
    message = problem(points="x" * 5000)
    assert len(message) < 300


@pytest.mark.parametrize(
    ("loc", "words"),
    [
        (("title",), "title"),
        (("acceptance_criteria", 2, "text"), "acceptance criterion 3 text"),
        (("questions", 0, "answer"), "question 1 answer"),
        (("evidence", 1, "link"), "evidence 2 link"),
        (("labels", 3), "label 4"),
        (("scores", "reach"), "scores reach"),
        ((), "value"),
    ],
)
def test_field_path(loc, words):
    assert field_path(loc) == words


@pytest.mark.parametrize(
    ("name", "fallback", "expected"),
    [
        ("Webshop checkout", "ITEM", "WC"),
        ("Mobile banking app", "ITEM", "MBA"),
        ("platform", "ITEM", "PLAT"),
        ("one two three four five six", "ITEM", "OTTFF"),
        ("🛒 ✓ —", "ITEM", "ITEM"),
        ("", "CARD", "CARD"),
    ],
)
def test_a_key_prefix_comes_from_the_backlog_name(name, fallback, expected):
    assert prefix_from(name, fallback) == expected
