"""Screens that are not needed for the first paint, imported when first opened.

`ItemForm = lazy("tui.screens.item_form", "ItemForm")` stands in for the class: calling it
imports the module (once; Python caches it) and builds the screen. Keeps a few hundred
milliseconds of imports out of the start of a session.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy(module: str, name: str) -> Callable[..., Any]:
    def build(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    build.__name__ = build.__qualname__ = name
    return build
