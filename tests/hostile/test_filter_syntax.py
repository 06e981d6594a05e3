"""The filter language takes any text: it never raises, and what it cannot read it says in a
message, while the rest of the filter still applies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.filter import FIELDS, FILTER_MAX, parse_filter
from model.meta import Settings
from tests.hostile.strategies import hostile_text
from tests.tui.scenario import build_backlog

BACKLOG = build_backlog()
VALUES = ["", "story", "bug,chore", "none", "?", ">8", ">=x", "<", "yes", "maybe", "missing", "rice:missing",
          "wsjf:yes", "SHOP-1,SHOP-7", ",", ",,", "[bold]", "\x1b[31m", "-", '"', "'", ":", "::", "nan", "1e999",
          "½", "needs-info", "won't", "payments"]

terms = st.builds(
    lambda negate, field, value, quote: f"{'-' if negate else ''}{quote}{field}:{value}{quote}",
    st.booleans(), st.sampled_from([*FIELDS, "colour", "KIND", "Points", "x"]),
    st.one_of(st.sampled_from(VALUES), hostile_text), st.sampled_from(["", '"', "'"]),
)
queries = st.lists(st.one_of(terms, hostile_text), max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(queries, st.sampled_from([None, "wsjf", "rice"]))
def test_any_text_parses_and_applies_without_raising(text, score_model):
    options = Settings(score_model=score_model)
    parsed = parse_filter(text, options)
    assert parsed.error is None or (isinstance(parsed.error, str) and parsed.error)
    shown = parsed.apply(BACKLOG)
    assert set(shown) <= set(BACKLOG.items)
    assert shown == [key for key in BACKLOG.order if key in set(shown)]  # rank order kept


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode_parses(text):
    parse_filter(text).apply(BACKLOG)


@pytest.mark.parametrize(("text", "message"), [
    ("kind:bugz", "kind:bugz — use one of story, bug, feature, chore, spike, epic"),
    ("colour:red", "unknown filter colour: — use kind, label"),
    ("points:>x", "points:>x — expected a number after >"),
    ("ready:maybe", "ready:maybe — use yes or no"),
    ("score:missing", "score: choose a score first"),
    ("x" * (FILTER_MAX + 1), f"the filter is {FILTER_MAX + 1:,} characters long; at most {FILTER_MAX:,} are read"),
])
def test_what_cannot_be_read_is_said(text, message):
    parsed = parse_filter(text)
    assert parsed.error is not None and parsed.error.startswith(message)


def test_the_readable_part_still_applies_beside_an_error():
    parsed = parse_filter("kind:bugz redesign")
    assert parsed.error and parsed.apply(BACKLOG) == ["SHOP-7", "SHOP-8", "SHOP-9"]


def test_markup_and_escape_codes_are_plain_words():
    assert parse_filter("[bold]").apply(BACKLOG) == ["SHOP-2"]
    assert parse_filter("\x1b[31mANSI").apply(BACKLOG) == ["SHOP-2"]
