"""The one error an importer raises: the file cannot be read as the export it claims to be."""

from model.errors import GroomError


class BadImportFile(GroomError):
    """The file is empty, binary, not valid CSV/JSON, or not a Jira/Trello export.

    The message names the file and what is wrong, in words; nothing was changed."""
