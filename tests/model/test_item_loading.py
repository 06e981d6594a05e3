"""Opening a file validates items with natively checked clean values (model/item_loading.py):
whatever it accepts must be exactly the item Item.model_validate makes, and whatever it
refuses must get Item's own result or error."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import SchemaValidator, core_schema

from model import item_loading
from model.backlog import Backlog, InvalidBacklog
from model.item import Item, format_timestamp
from model.item_loading import GROOM_TIMESTAMP, ONE_LINE, WHITESPACE, validate_item, validate_items

from ._helpers import TIMESTAMP

BASE = {"key": "SHOP-1", "title": "Pay with a saved card", "rank": "V", "created": TIMESTAMP, "updated": TIMESTAMP}
SPACES = st.sampled_from([*WHITESPACE, "  ", " "])
# Text rich in what the cleaning changes: every kind of whitespace, at the ends and in between.
TEXT = st.lists(st.one_of(SPACES, st.text(min_size=1, max_size=4)), max_size=6).map("".join)


def _matches(pattern: str) -> Any:
    validator = SchemaValidator(core_schema.str_schema(pattern=pattern))

    def matches(text: str) -> bool:
        try:
            validator.validate_python(text)
        except ValidationError:
            return False
        return True

    return matches


def outcome(validate: Any, doc: Any) -> tuple[str, Any]:
    """What validating `doc` gives, in full: the item (its fields, which were set, the types of
    its values, its timestamps' time zone objects), or the error (every detail of it)."""
    try:
        item = validate(doc)
        if isinstance(item, list):
            raise AssertionError("validated")
    except ValidationError as exc:
        # (a ValueError in the context equals only itself: compared by its words)
        return "error", [(e["type"], e["loc"], e["msg"], repr(e["input"]), str(e.get("ctx")))
                         for e in exc.errors(include_url=False)]
    return "item", (repr(item), item.model_fields_set, item.to_doc(), [type(v) for v in item.__dict__.values()],
                    item.created.tzinfo is UTC, item.updated.tzinfo is UTC, type(item.points))


def test_the_fast_validator_is_built() -> None:
    # If pydantic lays Item's schema out differently, opening still works (Item validates
    # everything) but slowly: this says so.
    assert item_loading._FAST is not None


def test_whitespace_is_exactly_what_python_strips() -> None:
    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_one_line_pattern_accepts_exactly_titles_cleaning_leaves_alone(text: str) -> None:
    assert _matches(ONE_LINE)(text) == (" ".join(text.split()) == text)


@pytest.mark.parametrize("text", ["a\x1cb", "a\x1c", "\x1fa", "a\x85", "a\u3000b", "a\u2028", "a\tb", "a  b", " a",
                                  "a ", "a b", "a", "", "\u180e", "a\u200bb"])
def test_one_line_pattern_at_the_edges(text: str) -> None:
    assert _matches(ONE_LINE)(text) == (" ".join(text.split()) == text)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_timestamps_as_groom_writes_them(moment: datetime) -> None:
    text = format_timestamp(moment.replace(microsecond=0, tzinfo=UTC))
    doc = {**BASE, "created": text, "updated": text}
    expected = outcome(Item.model_validate, doc)
    assert outcome(validate_item, doc) == expected
    assert outcome(item_loading._FAST, doc) == expected  # every year has four digits, 0001 too


@pytest.mark.parametrize("text", [
    "2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z", "2024-04-31T10:00:00Z", "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-01-08T24:00:00Z", "2024-01-08T23:59:60Z",
    "2024-01-08T09:17:00+00:00", "2024-01-08T09:17:00.5Z", "2024-01-08T09:17:00", "2024-01-08T09:17:00+02:00",
    "2024-01-08 09:17:00Z", "2024-01-08T09:17Z", "2024-01-08", "1704705420", "", "2024-01-08T09:17:00z",
    "\uff12024-01-08T09:17:00Z", "2024-01-08T09:17:00Z\n",
])
def test_timestamps_of_every_other_form_get_items_own_result(text: str) -> None:
    doc = {**BASE, "created": text, "updated": TIMESTAMP}
    assert outcome(validate_item, doc) == outcome(Item.model_validate, doc)


def test_the_timestamp_pattern_is_groom_format() -> None:
    assert _matches(GROOM_TIMESTAMP)(format_timestamp(datetime(2026, 11, 2, 9, 5, 7, tzinfo=UTC)))
    assert not _matches(GROOM_TIMESTAMP)("2026-11-02T09:05:07.000Z")


JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(min_value=-3, max_value=2**70),
                        st.sampled_from([0.5, 3.0, 1.5, -0.0, 100.0, 1e300]), TEXT,
                        st.sampled_from(["½", "1/2", ".5", "?", " 3 ", "none", "8"]))
LABELS = st.one_of(st.lists(st.one_of(TEXT, st.sampled_from(["ux", "ux ", "a" * 101, "b" * 100])), max_size=4),
                   JSON_SCALAR)
STAMP = st.one_of(st.just(TIMESTAMP), st.sampled_from(["2024-01-08T09:17:00+01:00", "2024-01-08T09:17:00",
                                                       "2024-13-08T09:17:00Z", "2024-01-08T09:17:00.250Z"]),
                  st.datetimes(timezones=st.just(UTC)).map(lambda d: format_timestamp(d)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.one_of(TEXT, st.just("x" * 201), JSON_SCALAR), labels=LABELS, points=JSON_SCALAR,
       created=STAMP, criteria=st.lists(st.fixed_dictionaries({"text": TEXT}), max_size=2),
       source=TEXT, drop=st.sets(st.sampled_from(["labels", "points", "acceptance_criteria", "source"])))
def test_any_document_gets_what_item_model_validate_gives(title: Any, labels: Any, points: Any, created: Any,
                                                          criteria: Any, source: Any, drop: set[str]) -> None:
    doc = {**BASE, "title": title, "labels": labels, "points": points, "created": created,
           "acceptance_criteria": criteria, "source": source}
    for name in drop:
        del doc[name]
    expected = outcome(Item.model_validate, doc)
    assert outcome(validate_item, doc) == expected
    fast = outcome(item_loading._FAST, doc)
    if fast[0] == "item":  # what the fast validator accepts is exactly Item's item
        assert fast == expected


@pytest.mark.parametrize(("field", "values"), [
    ("title", ["Pay  twice", " Pay", "Pay\t", "Pay\x1ccard", "Pay\u3000card"]),
    ("labels", [["ux", "ux"], [" ux"], ["u  x"], ["", "ux"], ["ux", "api"], ("ux",)]),
    ("points", [3.0, "3", "½", 0.5, True, None, 13]),
])
def test_values_cleaning_changes_are_cleaned_as_before(field: str, values: list[Any]) -> None:
    for value in values:
        doc = {**BASE, field: value}
        assert outcome(validate_item, doc) == outcome(Item.model_validate, doc)


def _doc(number: int, **fields: Any) -> dict[str, Any]:
    return {**BASE, "key": f"SHOP-{number}", "rank": f"V{number:04d}", **fields}


def test_a_batch_holding_an_unclean_item_is_validated_item_by_item() -> None:
    docs = [_doc(n, title=f"Item  {n}" if n % 700 == 0 else f"Item {n}") for n in range(1, 2501)]
    assert validate_items(docs) == [Item.model_validate(doc) for doc in docs]
    assert validate_items(docs)[699].title == "Item 700"


def test_validating_in_bulk_raises_the_first_bad_documents_error() -> None:
    docs = [_doc(n) for n in range(1, 1500)]
    docs[1200]["points"] = 4
    docs[1300]["title"] = ""
    assert outcome(validate_items, docs) == outcome(Item.model_validate, docs[1200])


def tables(docs: dict[str, Any]) -> dict[str, Any]:
    meta = Backlog.empty("Shop", "SHOP").meta.model_copy(update={"next_number": 100})
    return {"meta": {"1": meta.model_dump(mode="json")}, "items": docs}


@pytest.mark.parametrize(("docs", "message"), [
    # A key problem before a validation problem: named first, as the items are read in order.
    ({"1": _doc(1), "2": _doc(3), "3": _doc(4, title="")}, "item SHOP-3 is stored as document 2"),
    ({"1": _doc(1), "2": _doc(2, title=""), "3": _doc(5)}, "item SHOP-2 (document 2): title: must not be empty"),
    ({"1": _doc(1), "2": _doc(1)}, "item SHOP-1 is stored twice (document 2 repeats it)"),
    ({"1": _doc(1), "2": {**_doc(2), "key": "SHOPX-2"}}, "item SHOPX-2 does not use this backlog's key prefix"),
    ({"1": _doc(1), "02": _doc(2)}, "the items table has a document id '02'"),
    ({"1": _doc(1), "2": ["not", "a", "document"]}, "items document 2 is not a JSON object"),
])
def test_the_first_problem_is_named_as_before(docs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidBacklog, match=re.escape(message)):
        Backlog.from_tables(tables(docs))


def test_a_loaded_backlog_is_what_item_by_item_loading_made() -> None:
    docs = {str(n): _doc(n, status=["new", "done", "split", "ready"][n % 4], title=f"Item  {n}",
                         parent="SHOP-1" if n % 5 == 0 else ("SHOP-99" if n == 7 else None),
                         rank="W" if n in (3, 4) else f"V{n:04d}") for n in range(1, 40)}
    docs["9"]["conflicts"] = [{"field": "title", "ours": "a", "theirs": "b"}]
    backlog = Backlog.from_tables(tables(docs))
    items = {f"SHOP-{n}": Item.model_validate(doc) for n, doc in ((int(i), d) for i, d in docs.items())}
    assert backlog.items == items and list(backlog.items) == list(items)
    assert backlog.order == sorted(items, key=lambda key: (items[key].rank, int(key[5:])))
    assert backlog.open_count == sum(1 for item in items.values() if not item.is_closed)
    assert backlog.conflicted == {"SHOP-9"}
    assert [item.key for item in backlog.children("SHOP-1")] == [f"SHOP-{n}" for n in range(5, 40, 5)]
    assert backlog.warnings == [
        "SHOP-7 was split from SHOP-99, which no longer exists",
        "SHOP-3 and SHOP-4 have the same rank 'W': they are listed by key number until one of them is moved",
    ]
    assert all(item.created.tzinfo is UTC and item.created == datetime(2024, 5, 1, 9, tzinfo=UTC)
               for item in backlog.items.values())
