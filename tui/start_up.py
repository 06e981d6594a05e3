"""What start-up leaves until the first frame is on the terminal, and in what order.

The first frame shows the title, the list, the meter and the detail pane without its
description. Right after it, in three stages:

- "frame": the collector is turned back on, and work that needs nothing more runs (the
  footer's keys); the modules that only later frames need are imported in a thread, so a key
  pressed meanwhile is handled at once, sharing the interpreter with the import instead of
  waiting for all of it;
- "modules": once they are imported, the work that needs them (the first description);
- "background": once the frame showing that is drawn, work no frame waits for (the
  forecast's thread), so that it shares the interpreter with none of the above.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from textual.app import App

Stage = Literal["frame", "modules", "background"]
STAGES: tuple[Stage, ...] = ("frame", "modules", "background")
# rich's Markdown, for the detail pane's description: ~45 ms to import (markdown-it and its rules);
# filelock, for the file lock the first change takes: ~15 ms.
LATER_MODULES = ("rich.markdown", "filelock")
# What the keys that change the backlog need (the model's commands, ~20 ms, and the dialogs,
# ~5 ms), imported when the first such key comes, or in a thread once start-up has been over
# for a moment. Not among LATER_MODULES: a key pressed right at the first paint would share the
# interpreter with that import too (the first key took up to 110 ms instead of 20-40 at 1k).
ACTION_MODULES = ("model.commands", "model.resolve", "tui.screens.dialogs")
ACTION_MODULES_AFTER = 0.5  # seconds after the "background" stage


class StartUp:
    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.reached: Stage | None = None  # the last stage started
        self._waiting: dict[Stage, list[Callable[[], object]]] = {stage: [] for stage in STAGES}

    @property
    def first_frame_shown(self) -> bool:
        return self.reached is not None

    def has_reached(self, stage: Stage) -> bool:
        return self.reached is not None and STAGES.index(self.reached) >= STAGES.index(stage)

    def after_first_frame(self, callback: Callable[[], object], stage: Stage = "frame") -> None:
        """Run `callback` at `stage` after the first frame (soon, if that stage has started)."""
        if self.has_reached(stage):
            self.app.call_later(callback)
        else:
            self._waiting[stage].append(callback)

    def frame_shown(self) -> None:
        """The first frame is on the terminal."""
        if self.reached is not None:
            return
        # `groom` starts with the cyclic garbage collector off (see tui/cli.py): what start-up
        # made lives as long as the app, so it is frozen out of later collections, which go on.
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        self._start("frame")
        self.app.run_worker(self._import_later_modules, thread=True, group="start-up", exit_on_error=False)

    def _import_later_modules(self) -> None:
        try:
            _import(LATER_MODULES)
        finally:
            self.app.call_from_thread(self._imported)

    def _imported(self) -> None:
        self._start("modules")
        self.app.screen.call_after_refresh(self._start, "background")
        self.app.set_timer(ACTION_MODULES_AFTER, self._import_action_modules)

    def _import_action_modules(self) -> None:
        self.app.run_worker(lambda: _import(ACTION_MODULES), thread=True, group="start-up", exit_on_error=False)

    def _start(self, stage: Stage) -> None:
        self.reached = stage
        callbacks, self._waiting[stage] = self._waiting[stage], []
        for callback in callbacks:
            callback()


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        # A module that fails to import fails again, loudly, where it is used.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
