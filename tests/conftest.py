"""Shared fixtures. Model-level only for now: a frozen clock and a service on a temporary file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

from model.service import BacklogService

# Timings belong in benchmarks/, not in tests: no per-example deadline, so a busy CI machine
# cannot fail a property test that is merely slow there.
settings.register_profile("groom", deadline=None)
settings.load_profile("groom")

CLOCK_START = datetime(2024, 5, 1, 9, 0, 0, tzinfo=UTC)


class FrozenClock:
    """A clock for `BacklogService(clock=...)`: every call returns the current instant and then
    moves it on by `step`, so timestamps are deterministic and strictly increasing."""

    def __init__(self, start: datetime = CLOCK_START, step: timedelta = timedelta(seconds=1)) -> None:
        self.now = start
        self.step = step
        self.calls = 0

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        self.calls += 1
        return current


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture(scope="session")
def make_clock() -> type[FrozenClock]:
    """FrozenClock itself, for tests that need fresh clocks per example (hypothesis)."""
    return FrozenClock


@pytest.fixture
def backlog_path(tmp_path: Path) -> Path:
    return tmp_path / "shop.json"


@pytest.fixture
def service(backlog_path: Path, clock: FrozenClock) -> BacklogService:
    """A new, empty backlog "Shop" (keys SHOP-n) stored at `backlog_path`."""
    return BacklogService.create(backlog_path, "Shop", "SHOP", clock=clock, user="tester")


@pytest.fixture(autouse=True)
def forecast_drawn_at_once(request, monkeypatch):
    """The app draws a new history's forecast trials in a background thread and says "working it
    out" until then. Tests see the forecast at once (as if drawn), so screens and snapshots do not
    depend on thread timing; tests of the background drawing opt out with `forecast_in_background`."""
    if "forecast_in_background" in request.keywords:
        return
    from model.forecast import Forecast

    monkeypatch.setattr(Forecast, "ready", property(lambda self: True))


def pytest_configure(config):
    config.addinivalue_line("markers", "forecast_in_background: let the app draw forecast trials in a thread")
