"""Messages widgets post to say what the user wants; the screen acts on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from model.commands import Command


class CommandRequested(Message):
    """Run this model command through the backlog service."""

    def __init__(self, command: Command, *, focus_key: str | None = None) -> None:
        super().__init__()
        self.command = command
        self.focus_key = focus_key  # the item the cursor should stay on afterwards
