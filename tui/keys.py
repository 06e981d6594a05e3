"""Every key the user can press on a screen, for the help screen and the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import format_key

# Where a binding applies, as the help screen says it.
_PLACES = {"BacklogList": "backlog", "DetailPane": "detail", "GroomingScreen": "everywhere", "GroomApp": "everywhere",
           "TeamScreen": "team screen", "CapacityView": "capacity tab", "MemberTable": "team tab",
           "SprintTable": "history tab", "SplitWizard": "wizard", "ChildrenEditor": "children step",
           "OptionList": "list", "VerticalScroll": "page"}


@dataclass(frozen=True)
class KeyHelp:
    keys: str  # as shown: "J / shift+down"
    description: str
    place: str
    action: str
    node: DOMNode  # where the action runs

    def matches(self, text: str) -> bool:
        needle = text.casefold()
        return needle in f"{self.keys} {self.description} {self.place}".casefold()


def key_display(binding: Binding) -> str:
    return " / ".join(_key_name(part.strip()) for part in binding.key.split(","))


def _key_name(key: str) -> str:
    """The key as the user types it: `slash` is shown as `/`, `question_mark` as `?`; named keys
    (`down`, `space`, `ctrl+r`) keep their names."""
    shown = format_key(key)
    return shown if len(shown) == 1 and shown.isascii() and not shown.isspace() else key


def bindings_of(nodes: Iterable[DOMNode]) -> list[KeyHelp]:
    """The bindings declared by `nodes` (widgets, screen, app), described, without repeats."""
    seen: set[tuple[str, str]] = set()
    found: list[KeyHelp] = []
    for node in nodes:
        place = _PLACES.get(type(node).__name__, type(node).__name__)
        for binding in node.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            signature = (binding.key, binding.action)
            if signature in seen:
                continue
            seen.add(signature)
            description = binding.tooltip or binding.description
            found.append(KeyHelp(key_display(binding), description, place, binding.action, node))
    return found


def screen_keys(screen: DOMNode) -> list[KeyHelp]:
    """Every key of `screen` for help and the palette: its own list where it keeps one, else the
    keys that work where the focus is now (the focused widget and what holds it), the screen's
    and the app's."""
    own = getattr(screen, "key_helps", None)
    if own is not None:
        return own()
    nodes: list[DOMNode] = []
    node = getattr(screen, "focused", None)
    while node is not None and node is not screen:
        nodes.append(node)
        node = node.parent
    return bindings_of([*nodes, screen, screen.app])
