"""Where the time goes: `python benchmarks/profile.py start|keys|filter|load ITEMS [--html OUT]`.

Profiles (pyinstrument, from the `bench` extra) one of:

- start: imports, loading the backlog and the app up to its first frame (headless, 120x40);
- load: only opening the backlog file (read, parse, validate);
- keys: 40 cursor moves, 20 J/K moves and 10 edits in the running app;
- filter: typing a filter one key at a time.

The backlog is benchmarks/out/backlog-ITEMS-seed1.json (made by make_backlog.py if missing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = ROOT / "benchmarks" / "out"


def backlog_copy(size: int) -> Path:
    from make_backlog import write_backlog

    source = OUT / f"backlog-{size}-seed1.json"
    if not source.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        write_backlog(source, size, 1)
    target = OUT / f"profile-{size}.json"
    shutil.copyfile(source, target)
    return target


async def drive(path: Path, what: str) -> None:
    from model.service import BacklogService
    from tui.app import GroomApp

    app = GroomApp(BacklogService.open(path, background=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if what == "keys":
            for n in range(40):
                await pilot.press("j" if n % 4 else "k")
            for n in range(20):
                await pilot.press("J" if n % 2 else "K")
            for _ in range(10):
                await pilot.press("m")
        elif what == "filter":
            await pilot.press("slash")
            for char in "refund kind:bug":
                await pilot.press("space" if char == " " else char)
        await pilot.pause()
        if hasattr(app.service, "flush"):
            app.service.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("what", choices=("start", "load", "keys", "filter"))
    parser.add_argument("items", type=int)
    parser.add_argument("--html", type=Path, help="write pyinstrument's HTML report here")
    options = parser.parse_args()
    from pyinstrument import Profiler

    path = backlog_copy(options.items)
    if options.what in ("keys", "filter"):  # profile only the keys, not the start
        import model.service  # noqa: F401
        import tui.app  # noqa: F401
    profiler = Profiler(interval=0.0005)
    profiler.start()
    if options.what == "load":
        from model.store import Store

        Store.open(path)
    else:
        asyncio.run(drive(path, options.what))
    profiler.stop()
    if options.html:
        options.html.write_text(profiler.output_html())
    show_all = os.environ.get("SHOW_ALL") == "1"  # library frames too
    print(profiler.output_text(unicode=True, color=False, show_all=show_all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
