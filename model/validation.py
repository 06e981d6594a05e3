"""Pydantic validation errors, said in words a user understands."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

_FIELD_NAMES = {
    "acceptance_criteria": "acceptance criterion",
    "questions": "question",
    "evidence": "evidence",
    "labels": "label",
    "moscow": "MoSCoW",
}


def field_path(loc: tuple[Any, ...]) -> str:
    """('acceptance_criteria', 2, 'text') -> 'acceptance criterion 3 text'."""
    words: list[str] = []
    for part in loc:
        if isinstance(part, int):
            words.append(str(part + 1))
        elif part in _FIELD_NAMES and len(loc) > 1:
            words.append(_FIELD_NAMES[part])
        elif not str(part).startswith(("function-", "nullable", "tagged-union")):
            words.append(str(part))
    return " ".join(words) or "value"


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        return f"is {len(value):,} characters long; the limit is {ctx.get('max_length'):,}"
    if kind == "string_pattern_mismatch":
        return f"{_short(value)} does not have the expected form"
    if kind == "missing":
        return "is missing"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list (got {_short(value)})"
    if kind == "extra_forbidden":
        return "is not a field Groom knows"
    if kind in ("enum", "literal_error"):
        return f"{_short(value)} is not allowed; use {ctx.get('expected', 'a listed value')}"
    message = str(error.get("msg", "is invalid"))
    if message.startswith("Value error, "):
        return message[len("Value error, "):]
    return f"{message[:1].lower()}{message[1:]} (got {_short(value)})"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def describe(exc: ValidationError, what: str = "") -> str:
    """One line naming the first bad field and what is wrong with it."""
    errors = exc.errors()
    first = errors[0]
    where = field_path(tuple(first["loc"]))
    text = f"{where}: {_message(first)}"
    if what:
        text = f"{what}: {text}"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text
