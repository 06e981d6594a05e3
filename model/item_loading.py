"""Validating the items of a file being opened, without calling Python for values already clean.

`Item` cleans values as it validates them: a title becomes one line with single spaces, labels
are cleaned and made unique, points are put on the estimation scale, timestamps are moved into
datetime.UTC. Each of those is a Python function that pydantic calls for every item (about
a quarter of validating 50k items). But a file Groom wrote holds only clean values (cleaning
them again changes nothing), and for those the cleaning can be a check that pydantic makes
natively: a pattern the value must already match, a literal, or a C function.

`validate_item` validates with a copy of Item's own validator in which those functions are
replaced by such checks; everything else (fields, types, limits, nested models and their own
cleaning, the merge records' validators) is Item's, unchanged. A value a check refuses is not
necessarily bad, only not known to be clean: then the item is validated again by Item itself,
which cleans it or raises the very error it always raised. So whenever the fast validator
accepts an item, the item is the one `Item.model_validate` makes (tests compare the two on
generated documents); whenever it refuses one, `Item.model_validate` decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaValidator, core_schema

from model.item import POINT_SCALE, Item, _clean_title, _utc, parse_points

# Every character Python's str.split() treats as whitespace (str.isspace(); a test checks this
# against every code point), listed: Rust's own notion of whitespace leaves out \x1c-\x1f.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_NOT_SPACE = "[^" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
# Text that `" ".join(text.split())` leaves as it is: words with one plain space between them.
ONE_LINE = rf"\A(?:{_NOT_SPACE}+(?: {_NOT_SPACE}+)*)?\z"
# `%Y-%m-%dT%H:%M:%SZ` (model.item.format_timestamp) with every field in its range, so that
# pydantic and `datetime.fromisoformat` both read it, and read it alike (a day past the end of
# its month, or year 0, both refuse).
GROOM_TIMESTAMP = (r"\A[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
                   r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z\z")
LABEL_MAX = 100  # as Item._clean_labels has it


def _one_line(schema: dict[str, Any]) -> dict[str, Any]:
    """For `BeforeValidator(_clean_title)` around `schema` (a str schema): the same schema,
    for a title that is one line already."""
    return {**schema, "pattern": ONE_LINE}


def _labels(original: dict[str, Any]) -> dict[str, Any]:
    """For `Item._clean_labels`: no label or one clean one is left as it is; any other list
    (several labels might repeat each other, an empty one is dropped) goes through the cleaning
    validator itself."""
    label = core_schema.str_schema(pattern=ONE_LINE, min_length=1, max_length=LABEL_MAX)
    one_clean = core_schema.tuple_schema([label], variadic_item_index=0, max_length=1)
    return core_schema.union_schema([one_clean, original], mode="left_to_right")


def _points(original: dict[str, Any]) -> dict[str, Any]:
    """For `parse_points`: None, or a whole number (not true/false) on the scale, is left as it is
    (the validator returns such a number as an int); others go through `parse_points` itself."""
    whole = [int(p) for p in POINT_SCALE if float(p).is_integer()]
    on_scale = core_schema.chain_schema([core_schema.int_schema(strict=True), core_schema.literal_schema(whole)])
    return core_schema.union_schema([core_schema.nullable_schema(on_scale), original], mode="left_to_right")


def _timestamp(original: dict[str, Any]) -> dict[str, Any]:
    """For `AfterValidator(_utc)` on a datetime: a timestamp as Groom writes it (`format_timestamp`)
    read by `datetime.fromisoformat`, which gives the same datetime, in datetime.UTC, without
    a Python function: pydantic parses it to a UTC offset, then `_utc` moves it into UTC."""
    return core_schema.chain_schema([
        core_schema.str_schema(strict=True, pattern=GROOM_TIMESTAMP),
        core_schema.no_info_plain_validator_function(datetime.fromisoformat),
    ])


# Each cleaning function, and what replaces the validator schema that calls it: given that
# schema's inner schema (a check in place of the cleaning) or the whole of it (a choice, or
# another way to the same value). `_clean_line` stays: `str.strip` costs less than a pattern.
_INNER: dict[Callable[..., Any], Callable[[dict[str, Any]], dict[str, Any]]] = {
    _clean_title: _one_line,
}
_WHOLE: dict[Callable[..., Any], Callable[[dict[str, Any]], dict[str, Any]]] = {
    parse_points: _points,
    Item._clean_labels: _labels,
    _utc: _timestamp,
}
# Models whose validators are copied with the replacements; others (criteria, questions,
# scores, merge records) are used as they are.
_MODELS: tuple[type[BaseModel], ...] = (Item,)


def _replaced(node: Any, found: set[Callable[..., Any]]) -> Any:
    if isinstance(node, list):
        return [_replaced(child, found) for child in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") in ("function-before", "function-after"):
        function = node["function"]["function"]
        if function in _INNER:
            found.add(function)
            return _INNER[function](_replaced(node["schema"], found))
        if function in _WHOLE:
            found.add(function)
            return _WHOLE[function](node)
    return {name: _replaced(child, found) for name, child in node.items()}


@contextmanager
def _built_afresh(models: tuple[type[BaseModel], ...]) -> Iterator[None]:
    """pydantic-core reuses a complete model's own validator wherever its schema appears
    (`__pydantic_complete__`): while building the copy, say they are not, so it builds ours."""
    complete = [model.__dict__.get("__pydantic_complete__") for model in models]
    for model in models:
        model.__pydantic_complete__ = False
    try:
        yield
    finally:
        for model, was in zip(models, complete, strict=True):
            model.__pydantic_complete__ = was


def _fast_validator() -> Callable[[Any], Item] | None:
    found: set[Callable[..., Any]] = set()
    schema = _replaced(Item.__pydantic_core_schema__, found)
    if found != set(_INNER) | set(_WHOLE):  # pydantic laid the schema out otherwise: do without
        return None
    with _built_afresh(_MODELS):
        validator = SchemaValidator(schema)
    return validator.validate_python


_FAST = _fast_validator()
_FULL = Item.__pydantic_validator__.validate_python  # what Item.model_validate calls
_BATCH = 1000  # items per bulk step: one that holds an item not known clean is redone item by item


def validate_item(doc: Any) -> Item:
    """`Item.model_validate(doc)` for a parsed JSON document: the same item, or the same error."""
    if _FAST is not None:
        try:
            return _FAST(doc)
        except ValidationError:
            pass  # not necessarily bad, only not known to be clean: Item decides
    return _FULL(doc)


def validate_items(docs: Sequence[Any]) -> list[Item]:
    """`validate_item` for each document, in order (raises the first document's error), in bulk:
    no Python call per item unless its batch holds one that is not clean."""
    if _FAST is None:
        return list(map(_FULL, docs))
    items: list[Item] = []
    for start in range(0, len(docs), _BATCH):
        batch = docs[start:start + _BATCH]
        try:
            items.extend(list(map(_FAST, batch)))
        except ValidationError:
            items.extend(map(validate_item, batch))
    return items
