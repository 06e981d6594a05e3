"""Backlog tables edited in memory through the commands (no file): the inputs of merge tests."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from model.backlog import Backlog
from model.commands import Command
from model.merge import Branches, MergeResult, merge_backlogs
from tests.tui import scenario

BRANCHES = Branches("main", "feature")


def base_tables() -> dict:
    return scenario.build_backlog().to_tables()


def edited(tables: dict, *commands: Command, at: datetime = scenario.START) -> dict:
    backlog = Backlog.from_tables(copy.deepcopy(tables))
    for step, command in enumerate(commands):
        backlog.apply(command.plan(backlog, at + timedelta(seconds=step)))
    return backlog.to_tables()


def merged(base: dict | None, ours: dict, theirs: dict, **options: object) -> MergeResult:
    return merge_backlogs(copy.deepcopy(base), copy.deepcopy(ours), copy.deepcopy(theirs),
                          branches=options.pop("branches", BRANCHES), **options)  # type: ignore[arg-type]
