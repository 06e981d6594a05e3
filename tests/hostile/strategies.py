"""Hostile text for the fuzz tests: what people paste into forms and what files end up holding."""

from __future__ import annotations

from hypothesis import strategies as st

MARKUP = ["[/]", "[bold", "[bold]", "[/bold]", "[link=https://example.com]x[/link]", "[link=javascript:x]",
          "[@click=app.quit]q[/]", "[red on blue]", "\\[escaped]", "[[", "]]", "$var", "${x}", "%s", "{0}"]
ANSI = ["\x1b[31m", "\x1b[0m", "\x1b]8;;https://evil\x1b\\", "\x1b[2J", "\x1b[H", "\x07", "\x9b31m", "\x1bc"]
CONTROL = ["\x00", "\t", "\n", "\r", "\x0b", "\x0c", "\x7f", "\u202e", "\u2066", "\ufeff", "\u200b", "\ud7ff"]
WIDE = ["🛒", "👩‍👩‍👧", "表", "ﷺ", "עברית", "e\u0301", "\U0001f1fa\U0001f1f8", "Ⅻ", "\U00010000"]

fragments = st.sampled_from(MARKUP + ANSI + CONTROL + WIDE)
words = st.text(min_size=0, max_size=12)  # any unicode but surrogates, control characters included

hostile_text = st.lists(st.one_of(fragments, words), min_size=0, max_size=8).map("".join)
"""Short hostile strings: markup, escape codes, control and wide characters, and random unicode."""

MEGABYTE = "[bold]\x1b[31m" + "x" * (1024 * 1024)
"""A 1 MB paste that starts with markup and an escape code."""
