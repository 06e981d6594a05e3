"""Whatever bytes or text a file holds, the readers raise only BadImportFile (never a traceback)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.io.errors import BadImportFile
from model.io.jira import parse_jira
from model.io.jira_markup import to_markdown
from model.io.trello import parse_trello

HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Custom field (Story Points),Sprint,Sprint,Description\n"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _survives(parser, data: bytes) -> None:
    try:
        parser(data, "fuzz")
    except BadImportFile as exc:
        assert str(exc)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_jira_csv(data):
    _survives(parse_jira, data)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_after_a_jira_header(text):
    _survives(parse_jira, (HEADER + text).encode())


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@FUZZ
@given(st.lists(st.lists(cell, min_size=0, max_size=12), min_size=1, max_size=8))
def test_random_jira_rows(rows):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    _survives(parse_jira, (HEADER + out.getvalue()).encode())


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_trello_json(data):
    _survives(parse_trello, data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
card_like = st.fixed_dictionaries({}, optional={
    "id": json_values | st.text(max_size=24), "name": json_values, "idList": json_values, "pos": json_values,
    "closed": json_values, "desc": json_values, "idLabels": json_values, "customFieldItems": json_values,
})


@FUZZ
@given(st.lists(card_like, max_size=5), st.lists(json_values, max_size=3), json_values)
def test_random_trello_shapes(cards, lists, actions):
    data = {"id": "b", "name": "n", "cards": cards, "lists": lists, "actions": actions}
    _survives(parse_trello, json.dumps(data).encode())


@FUZZ
@given(st.text(max_size=300))
def test_markup_conversion_never_fails(text):
    assert isinstance(to_markdown(text), str)
