"""`S`: preview ranking by a score — which items move and how far, which stay put — then apply."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Static

from model.backlog import Backlog
from model.rank_by_score import RankByScore, preview
from model.scoring import SCORE_MODELS, format_score
from tui.text import visible_line

ApplyRanking = Callable[[RankByScore], str | None]
MODEL_KEYS = {str(n): model for n, model in enumerate(SCORE_MODELS, start=1)}


class RankByScoreScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter,ctrl+s", "apply", "Apply", id="rank.apply"),
        Binding("escape", "cancel", "Cancel", id="rank.cancel"),
        *[Binding(key, f"choose('{model}')", f"By {SCORE_MODELS[model].name}", id=f"rank.{model}")
          for key, model in MODEL_KEYS.items()],
        Binding("j,down", "scroll(1)", "Scroll", show=False, id="rank.down"),
        Binding("k,up", "scroll(-1)", "Scroll", show=False, id="rank.up"),
    ]

    model: reactive[str] = reactive("wsjf", init=False)

    def __init__(self, backlog: Backlog, apply: ApplyRanking) -> None:
        super().__init__()
        self.backlog = backlog
        self.apply_ranking = apply
        self.set_reactive(RankByScoreScreen.model, backlog.meta.settings.score_model or "wsjf")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog rank-dialog"):
            yield Static(id="rank-title", classes="dialog-title")
            with VerticalScroll(id="rank-body"):
                yield Static(id="rank-table")
            yield Static(classes="error", id="rank-error")
            keys = " ".join(f"{k} {SCORE_MODELS[m].name}" for k, m in MODEL_KEYS.items())
            yield Static(f"enter apply (one undo step) · escape cancel · {keys}", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#rank-body").focus()

    def watch_model(self) -> None:
        self._show()

    def _show(self) -> None:
        model = SCORE_MODELS[self.model]
        result = preview(self.backlog, self.model)
        title = Text(f"Rank by {model.name}", style="bold")
        title.append(f"  = {model.formula}\n", style="dim")
        title.append(f"{len(result.moves)} of {result.scored} scored items move; "
                     f"{len(result.unscored)} lack inputs and stay put. The manual rank stays the truth: "
                     "review, then apply or cancel.")
        self.query_one("#rank-title", Static).update(title)
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column("Key", no_wrap=True)
        table.add_column("Move", no_wrap=True, justify="right")
        table.add_column("Place", no_wrap=True)
        table.add_column(model.name, no_wrap=True, justify="right")
        table.add_column("Title", ratio=1, no_wrap=True, overflow="ellipsis")
        for move in result.moves:
            arrow = f"↑{move.distance}" if move.distance > 0 else f"↓{-move.distance}"
            table.add_row(move.key, arrow, f"{move.before + 1} → {move.after + 1}", format_score(move.score),
                          Text(visible_line(self.backlog.items[move.key].title)))
        # With nothing to move, say so in a line of its own (in the table's title column it was cut).
        if result.moves:
            parts = [table]
        elif result.scored:
            parts = [Text("Nothing would move: the scored items are already in order.")]
        else:
            parts = [Text(f"Nothing to rank: no item has {model.name} inputs yet.")]
        if result.unscored:
            shown = ", ".join(result.unscored[:30]) + (" …" if len(result.unscored) > 30 else "")
            parts.append(Text(f"\nStay put (no {model.name} inputs; w edits them): {shown}", style="dim"))
        from rich.console import Group

        self.query_one("#rank-table", Static).update(Group(*parts))

    def action_choose(self, model: str) -> None:
        self.model = model

    def action_scroll(self, step: int) -> None:
        self.query_one("#rank-body", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_apply(self) -> None:
        error = self.apply_ranking(RankByScore(self.model))
        if error:
            self.query_one("#rank-error", Static).update(Text("⚠ " + visible_line(error)))
        else:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
