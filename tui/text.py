"""User text is data, never markup: helpers that show it literally and safely.

Titles and descriptions may hold Rich/Textual markup (`[bold]`, `[/]`), ANSI escape bytes
or other control characters. They are never parsed as markup (we build `rich.text.Text`
from plain strings), and control characters are replaced by their visible Unicode
"control pictures" (ESC shows as ␛) so nothing reaches the terminal as a command.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls, DEL, C1 controls, and bidi overrides/isolates (they reorder the line).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC is ␛)
    if code == 0x7F:
        return "␡"
    return "\ufffd"


def visible(text: str) -> str:
    """`text` with control characters made visible; tabs and newlines are kept."""
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def visible_line(text: str) -> str:
    """Like `visible`, for one-line places: newlines and tabs are shown too."""
    return _CONTROL_LINE.sub(_picture, text) if _CONTROL_LINE.search(text) else text


def literal(text: str, style: str = "") -> Text:
    """A Rich Text showing `text` exactly as typed (no markup, no control codes)."""
    return Text(visible(text), style=style)
