"""What a git merge of two grooming sessions leaves on an item for a person to decide.

`Conflict`: one field both branches changed to different values. The merged file keeps both
values (and the common ancestor's) on the item, so opening the backlog shows them and the
user picks a side. `FormerKey`: the key an item had on a branch before a merge gave it a new
number because the other branch had used the same one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Side = Literal["base", "ours", "theirs"]
SIDES: tuple[Side, ...] = ("ours", "theirs", "base")

_LABEL_MAX = 200


def _label(value: Any) -> Any:
    # A branch name as git gave it; keep it one short line whatever it holds.
    if isinstance(value, str):
        value = " ".join(value.split())
        return value[:_LABEL_MAX]
    return value


Label = Annotated[str, BeforeValidator(_label)]


class Conflict(BaseModel):
    """Both branches changed `field` of the item, to different values.

    `field` is an item field, or "deleted": deleted on one branch while edited on the other
    (the item is kept until someone decides; the values say which side deleted it). `ours` is
    the branch that was checked out when merging (its value is the one the item
    holds until the conflict is resolved, except for "deleted": the item is kept), `theirs`
    the branch merged in, `base` their common ancestor.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    field: str = Field(pattern=r"^[a-z_]{1,40}$")
    base: Any = None
    ours: Any = None
    theirs: Any = None
    ours_label: Label = ""
    theirs_label: Label = ""

    def value(self, side: Side) -> Any:
        return {"base": self.base, "ours": self.ours, "theirs": self.theirs}[side]

    def label(self, side: Side) -> str:
        """The side as the user knows it: the branch name where known."""
        name = {"ours": self.ours_label, "theirs": self.theirs_label}.get(side, "")
        return f"{side} ({name})" if name else side


class FormerKey(BaseModel):
    """The key an item had on `branch` before a merge renumbered it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    key: str = Field(pattern=r"^([A-Z][A-Z0-9]{0,9})-([1-9][0-9]{0,8})$")
    branch: Label = ""

    def describe(self) -> str:
        return f"{self.key} on {self.branch}" if self.branch else self.key


FIELD_WORDS = {
    "acceptance_criteria": "acceptance criteria",
    "moscow": "MoSCoW",
    "deleted": "deleted on one branch, changed on the other",
}


def field_words(field: str) -> str:
    return FIELD_WORDS.get(field, field.replace("_", " "))


def describe_value(field: str, value: Any) -> list[str]:
    """A conflicting value as lines of plain text, literally (the UI makes them safe to show)."""
    if field == "deleted":
        return ["deleted" if value else "kept"]
    if value is None or value == "" or value == [] or value == {}:
        return ["(none)" if value is None else "(empty)"]
    if field == "acceptance_criteria" and isinstance(value, list):
        return [f"[{'x' if isinstance(c, dict) and c.get('done') else ' '}] {_text_of(c)}" for c in value]
    if field == "questions" and isinstance(value, list):
        lines = []
        for question in value:
            entry = question if isinstance(question, dict) else {}
            line = f"{'✓' if entry.get('answer') else '?'} {_text_of(question)}"
            if entry.get("ask"):
                line += f" (ask {entry['ask']})"
            if entry.get("answer"):
                line += f" → {entry['answer']}"
            lines.append(line)
        return lines
    if field == "evidence" and isinstance(value, list):
        return [f"• {_text_of(e)}" + (f" {e['link']}" if isinstance(e, dict) and e.get("link") else "")
                for e in value]
    if field == "labels" and isinstance(value, list):
        return [", ".join(str(label) for label in value)]
    if isinstance(value, dict):
        return [", ".join(f"{k}={v}" for k, v in sorted(value.items()))]
    if isinstance(value, str):
        return value.splitlines() or [""]
    if isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return [str(value)]


def _text_of(entry: Any) -> str:
    return str(entry.get("text", "")) if isinstance(entry, dict) else str(entry)
