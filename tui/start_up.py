"""What start-up leaves until the first frame is on the terminal, and in what order.

The first frame shows the list, the meter and the detail pane without its description. Right
after it: the collector is turned back on, the modules that only later frames need are
imported in a thread (a key pressed meanwhile is handled at once, sharing the interpreter
with the import instead of waiting for all of it), then the work that waits for the first
frame runs (the first description), and once that is drawn, background work starts (the
forecast's thread).
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

# rich's Markdown, for the detail pane's description: ~45 ms to import (markdown-it and its rules).
LATER_MODULES = ("rich.markdown",)


class StartUp:
    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.first_frame_shown = False
        self.modules_imported = False
        self._waiting: list[Callable[[], object]] = []
        self._background: list[Callable[[], object]] = []

    def after_first_frame(self, callback: Callable[[], object], *, background: bool = False) -> None:
        """Run `callback` once the first frame is on the terminal and the modules later frames
        need are imported (soon, if they are). `background`: work no frame waits for (starting
        a thread), started once the frame showing the rest is drawn."""
        if self.modules_imported:
            self.app.call_later(callback)
        else:
            (self._background if background else self._waiting).append(callback)

    def frame_shown(self) -> None:
        """The first frame is on the terminal."""
        if self.first_frame_shown:
            return
        self.first_frame_shown = True
        # `groom` starts with the cyclic garbage collector off (see tui/cli.py): what start-up
        # made lives as long as the app, so it is frozen out of later collections, which go on.
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        self.app.run_worker(self._import_later_modules, thread=True, group="start-up", exit_on_error=False)

    def _import_later_modules(self) -> None:
        try:
            for name in LATER_MODULES:
                importlib.import_module(name)
        finally:  # a module that fails to import fails again, loudly, where it is used
            self.app.call_from_thread(self._imported)

    def _imported(self) -> None:
        self.modules_imported = True
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
        background, self._background = self._background, []
        self.app.screen.call_after_refresh(_run_all, background)


def _run_all(callbacks: list[Callable[[], object]]) -> None:
    for callback in callbacks:
        callback()
