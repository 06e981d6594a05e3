"""Errors a user can read: every message names what is wrong in plain words."""


class GroomError(Exception):
    """Base for errors that are shown to the user as they are (no traceback)."""


class CommandError(GroomError):
    """A change was refused: invalid input, an unknown item, nothing to undo."""


class StoreError(GroomError):
    """The backlog file cannot be read, validated, locked or written."""
