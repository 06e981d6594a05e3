"""Interchange: importers (Jira CSV, Trello JSON) and exporters (Markdown, Jira CSV, JSON).

Importers read a file into `ParsedExport` (pure, no backlog needed); `ImportItems` turns that
into one command on the backlog service. Exporters read a backlog and return bytes; a
refinement session's summary is written as Markdown by `session_markdown`.
"""
