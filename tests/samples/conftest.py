"""The sample backlogs under test: the packaged JSON files and scratch copies of them."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import pytest

from model.backlog import Backlog
from model.store import Store
from tests.tui.conftest import _fast_idle, no_cursor_blink  # noqa: F401 - the UI suite's freezing, here too
from tui.cli import DEMOS


def packaged(name: str) -> Path:
    """The sample file as the installed package holds it (what `groom --demo` copies)."""
    return Path(str(resources.files("sample_backlogs") / f"{name}.json"))


def open_sample(name: str) -> Backlog:
    _, backlog = Store.open(packaged(name))
    return backlog


@pytest.fixture(params=DEMOS)
def demo(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where `demo_copy` puts its scratch copies during a test (not the system's temp folder)."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
