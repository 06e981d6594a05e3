"""Run the real Groom app with timestamps: `python benchmarks/probe.py LOG -- GROOM ARGS`.

The benchmark runner starts this inside tmux instead of `groom`. It is the same app, the same
terminal driver and the same code paths; the probe only writes one line per event to LOG, with
`time.monotonic()` (one clock for every process on the machine, so the runner can compare):

    key T NAME          a key reached the app (the terminal driver parsed it)
    frame T             a frame was written to the terminal
    paint T             the first frame of the grooming screen (with --bare: of the bare app)
    view T              the grooming screen finished re-rendering from the model (refresh_view)
    cursor T            the list handled a cursor key (the key may wait in the app's queue)
    write T0 T1 BYTES   a save, from start to durable: the whole file (fsync + rename done), or on
                        big files a change appended to the change log (fsync done)
    compact T0 T1 DONE  the change log folded into the file (a whole-file write, in its own thread)
    rss KB              peak resident memory, at exit
    exit T

It patches a few functions from outside; nothing in Groom knows about it.
`python benchmarks/probe.py LOG -- --bare` runs benchmarks/bare_app.py instead of Groom.
"""

from __future__ import annotations

import atexit
import gc
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    log_path, _, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    bare = args == ["--bare"]
    log = open(log_path, "a", buffering=1)
    now = time.monotonic

    def note(*fields: object) -> None:
        log.write(" ".join(str(f) for f in fields) + "\n")

    note("start", now())
    if not bare:  # the bare app runs as Textual's apps do by default
        # `groom` keeps the cyclic garbage collector off from its start to the first frame
        # (tui/cli.py). The probe imports the app's modules before starting it, so they are
        # imported the same way; the app turns the collector back on after the first frame.
        gc.disable()
        # `groom` sets Textual's frame rate before importing it (tui/cli.py); the probe imports
        # Textual first, so it sets it the same way here.
        from tui.cli import FRAMES_PER_SECOND

        os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))

    from textual import events
    from textual.app import App
    from textual.driver import Driver

    process_message = Driver.process_message

    def logged_process_message(self: Driver, message: object) -> None:
        if isinstance(message, events.Key):
            note("key", now(), message.key)
        process_message(self, message)

    display = App._display
    painted = False

    def logged_display(self: App, screen: object, renderable: object) -> None:
        nonlocal painted
        # Textual holds frames back during a batch (the first screen is mounted in one): such a
        # frame is composed but never written, so it is not a frame the terminal shows.
        held = self._batch_count > 0
        display(self, screen, renderable)  # type: ignore[arg-type]
        if renderable is None or held:
            return
        stamp = now()
        note("frame", stamp)
        if not painted and (bare or type(screen).__name__ == "GroomingScreen"):
            painted = True
            note("paint", stamp)

    def at_exit() -> None:
        note("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        note("exit", now())
        log.close()

    atexit.register(at_exit)
    Driver.process_message = logged_process_message  # type: ignore[method-assign]
    App._display = logged_display  # type: ignore[method-assign]
    if bare:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bare_app import main as bare_main

        return bare_main()

    # A save is a whole-file write (Store.write) or, on big files, an append to the change log
    # (Store.append); both return once durable. Folding the log into the file is logged apart.
    from model.store import Store

    def logged(name: str, event: str) -> None:
        original = getattr(Store, name)

        def timed(self: Store, *args: object) -> object:
            started = now()
            result = original(self, *args)
            if event == "write":
                note("write", started, now(), result)
            else:
                note(event, started, now(), int(bool(result)))
            return result

        setattr(Store, name, timed)

    logged("write", "write")
    if hasattr(Store, "append"):
        logged("append", "write")
        logged("compact", "compact")

    from tui.screens.grooming import GroomingScreen

    refresh_view = GroomingScreen.refresh_view

    def logged_refresh_view(self: GroomingScreen, *args: object, **kwargs: object) -> None:
        refresh_view(self, *args, **kwargs)  # type: ignore[arg-type]
        note("view", now())

    GroomingScreen.refresh_view = logged_refresh_view  # type: ignore[method-assign]

    from tui.widgets.backlog_list import BacklogList

    action_cursor = BacklogList.action_cursor

    def logged_action_cursor(self: BacklogList, step: int) -> None:
        action_cursor(self, step)
        note("cursor", now())

    BacklogList.action_cursor = logged_action_cursor  # type: ignore[method-assign]
    from tui.cli import main as groom

    code = groom(args)
    os.sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
