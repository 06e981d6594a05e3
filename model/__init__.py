"""Groom's domain: backlog items, ranking, commands, the backlog service and the store.

Nothing here imports Textual: the model can be used from scripts, tests and the CLI.
"""
