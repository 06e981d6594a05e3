"""A bare Textual app, the floor under Groom's first paint: `python benchmarks/bare_app.py`.

One Static and Textual's Footer on the default screen, Textual's own CSS only, quit with q.
`run.py` starts it the way it starts Groom (in tmux, through probe.py) and reports its first
paint beside Groom's: what Python and Textual alone take on the machine at hand.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

MARKER = "bare Textual app"


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)
        yield Footer()


def main() -> int:
    BareApp().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
