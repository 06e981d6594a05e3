"""Fixtures for the import/export tests: the real exports, and a service on a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.service import BacklogService
from tests.conftest import FrozenClock

FIXTURES = Path(__file__).parent / "fixtures"
HIVE = FIXTURES / "jira-hive.csv"
CLEARCORRECT = FIXTURES / "jira-clearcorrect.csv"
JWPROGRAM = FIXTURES / "jira-jwprogram.csv"
SIMPLE_BOARD = FIXTURES / "trello-simple-project-board.json"
GOCD = FIXTURES / "trello-gocd-test-drive.json"
ALL_FIXTURES = [("jira", HIVE), ("jira", CLEARCORRECT), ("jira", JWPROGRAM), ("trello", SIMPLE_BOARD), ("trello", GOCD)]


@pytest.fixture
def shop(tmp_path: Path) -> BacklogService:
    """An empty backlog "Shop" (keys SHOP-n) with a frozen clock."""
    return BacklogService.create(tmp_path / "shop.json", "Shop", "SHOP", clock=FrozenClock(), user="tester")


def service_at(path: Path) -> BacklogService:
    return BacklogService.open(path, clock=FrozenClock(), user="tester")
