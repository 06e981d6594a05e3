"""The capacity features in the running app at 10k items: `python benchmarks/capacity_ui_bench.py [ITEMS]`.

Drives the real app headless (Textual's `run_test`) on a backlog file of ITEMS items with ten
past sprints and a team, and times, in milliseconds (median and worst):

- estimate an item: the command through the backlog service (validate, write the file atomically,
  record undo), then apart the grooming screen's re-render from the model (sprint lines, meter
  with the forecast headline, detail pane with the item's forecast);
- cursor move: the list's cursor and the detail pane of the next item (its forecast is binary
  searches in the forecast made after the last change);
- open the team screen (C); toggle the capacity basis (b): the write, then apart the team
  screen's re-render (both methods, sprint lines, forecast, tables, chart) and the grooming screen's.

Wall-clock time of the Python work per key; the terminal's own drawing is not included.
"""

from __future__ import annotations

import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.forecast_bench import build
from model.commands import SetPoints
from model.service import BacklogService
from model.store import Store
from model.team import TeamMember
from model.team_commands import SetCapacityBasis
from tui.app import GroomApp
from tui.screens.grooming import GroomingScreen
from tui.screens.team import TeamScreen


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):7.2f} ms   worst {max(times):7.2f} ms   ({len(times)} runs)"


async def measure(count: int) -> None:
    backlog = build(count)
    for number, days in enumerate((10, 8, 10, 5), start=1):
        backlog.team[number] = TeamMember(name=f"Member {number}", available_days=days)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"
        Store.create(path, backlog)
        service = BacklogService.open(path, user="bench")
        app = GroomApp(service)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, GroomingScreen)
            open_keys = [item.key for item in service.backlog if not item.is_closed][:40]

            write, render = [], []
            for index, key in enumerate(open_keys):
                start = time.perf_counter()
                service.execute(SetPoints(key, "3" if index % 2 else "5"))
                middle = time.perf_counter()
                screen.refresh_view(key)  # what run_command does after the service returns
                write.append((middle - start) * 1000)
                render.append((time.perf_counter() - middle) * 1000)
            await pilot.pause()

            cursor = []
            for _ in range(200):
                start = time.perf_counter()
                screen.list.action_cursor(1)
                screen._show_detail()
                cursor.append((time.perf_counter() - start) * 1000)
            await pilot.pause()

            start = time.perf_counter()
            screen.action_capacity()
            await pilot.pause()
            opened = (time.perf_counter() - start) * 1000
            team = app.screen
            assert isinstance(team, TeamScreen)
            toggle_write, toggle_render = [], []
            grooming = screen
            for _ in range(20):
                start = time.perf_counter()
                service.execute(SetCapacityBasis())
                middle = time.perf_counter()
                grooming.refresh_view(grooming.current_key)
                team.refresh_view()
                toggle_write.append((middle - start) * 1000)
                toggle_render.append((time.perf_counter() - middle) * 1000)
            await pilot.pause()

    print(f"Capacity in the app at {count:,} items, 10 past sprints, 10,000 trials")
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor() or platform.system()}")
    print(f"  estimate an item: the service's write       {summary(write)}")
    print(f"  estimate an item: re-render (plan, forecast) {summary(render)}")
    print(f"  cursor move (list + detail forecast)         {summary(cursor)}")
    print(f"  open the team screen (C), first render       {opened:7.2f} ms")
    print(f"  toggle the basis: the service's write        {summary(toggle_write)}")
    print(f"  toggle the basis: re-render both screens     {summary(toggle_render)}")


if __name__ == "__main__":
    asyncio.run(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
