"""The velocity chart: committed vs completed points per sprint, with the average line.

Plain characters that read without colour: two bars per sprint (`░` committed, `█`
completed), the average completed points of the velocity window as a `─` line drawn across
(with its value at the right end), the sprint names and `committed/completed` under the bars.
Colour only adds emphasis. The newest sprints are kept when not all of them fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import StyleType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.text import visible_line

COMMITTED = "░"
COMPLETED = "█"
AVERAGE = "─"
MIN_PLOT_ROWS = 3


@dataclass(frozen=True)
class Bar:
    """One sprint in the chart."""

    name: str
    committed: float
    completed: float


@dataclass(frozen=True)
class ChartStyles:
    """Rich styles for the parts of the chart ("" draws them plain)."""

    committed: StyleType = ""
    completed: StyleType = ""
    average: StyleType = ""
    axis: StyleType = ""
    legend: StyleType = ""


def short_names(names: Sequence[str]) -> list[str]:
    """Names without the words they all start with: "Sprint 24" → "24" when every name starts
    with "Sprint ". Kept whole when that would leave a name empty or two names alike."""
    if len(names) < 2:
        return list(names)
    prefix = names[0]
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    cut = max(prefix.rfind(" "), prefix.rfind("-"), prefix.rfind("_")) + 1  # back to a word boundary
    shortened = [name[cut:] for name in names]
    if cut == 0 or not all(shortened) or len(set(shortened)) < len(shortened):
        return list(names)
    return shortened


def nice_top(value: float) -> float:
    """The top of the y axis: `value` rounded up so that the top and its half are round
    numbers (1, 2, 5 or 10 × a power of ten up to 10; then a multiple of 10, of 50 above 200, …)."""
    if value <= 0:
        return 1.0
    if value > 10:
        step = 10 if value <= 200 else 50 if value <= 1000 else 5 * 10 ** (math.floor(math.log10(value)) - 1)
        return float(math.ceil(value / step) * step)
    magnitude = 10 ** math.floor(math.log10(value))
    return float(next(f * magnitude for f in (1, 2, 5, 10) if value <= f * magnitude))


def chart_lines(bars: Sequence[Bar], average: float | None, averaged: int, width: int, height: int,
                unit: str = "pts", styles: ChartStyles | None = None) -> list[Text]:
    """The chart as `height` lines of at most `width` cells.

    `average` is the velocity (average completed points of the last `averaged` sprints), drawn
    as a line across; None draws no line.
    """
    styles = styles or ChartStyles()
    width, height = max(1, width), max(1, height)
    if not bars:
        return [Text("No sprint history yet: add past sprints on the History tab (3, then a) to see "
                     "committed vs completed here.", style=styles.legend)]
    plot_rows = height - 5  # title, legend, axis, names, values
    if plot_rows < MIN_PLOT_ROWS or width < 30:
        return [Text(f"The chart needs more room (at least 30×{MIN_PLOT_ROWS + 5}).", style=styles.legend)]

    top = nice_top(max(max(b.committed for b in bars), max(b.completed for b in bars), average or 0))
    axis_labels = {0: f"{top:g}", plot_rows // 2: f"{top / 2:g}" if plot_rows >= 6 else ""}
    margin = max(len(label) for label in axis_labels.values()) + 1
    average_label = f" avg {average:g}" if average is not None else ""
    room = width - margin - 1 - len(average_label)

    # Two bars and a gap per sprint: the widest bars that show every sprint, else the newest.
    shown: Sequence[Bar] = bars
    bar_width = 1
    for candidate in (4, 3, 2, 1):
        if len(bars) * (2 * candidate + 2) <= room:
            bar_width = candidate
            break
    else:
        bar_width = 2 if room >= 6 * 4 else 1
        shown = bars[-max(1, room // (2 * bar_width + 2)):]
    group = 2 * bar_width + 2

    def rows_for(value: float) -> int:
        return min(plot_rows, round(value / top * plot_rows))

    average_row = None if average is None else min(plot_rows - 1, plot_rows - rows_for(average))
    lines: list[Text] = [_title(bars, shown), _legend(average, averaged, unit, width, styles)]
    for row in range(plot_rows):
        level = plot_rows - row  # 1 is the row just above the axis
        line = Text(f"{axis_labels.get(row, ''):>{margin - 1}} ", style=styles.axis)
        line.append("┤" if axis_labels.get(row) else "│", style=styles.axis)
        on_average = row == average_row
        fill = AVERAGE if on_average else " "
        fill_style = styles.average if on_average else ""
        for bar in shown:
            for value, char, style in ((bar.committed, COMMITTED, styles.committed),
                                       (bar.completed, COMPLETED, styles.completed)):
                if rows_for(value) >= level:
                    line.append(char * bar_width, style=style)
                else:
                    line.append(fill * bar_width, style=fill_style)
            line.append(fill * 2, style=fill_style)
        if on_average:
            line.append(average_label, style=styles.average)
        lines.append(line)
    lines.append(Text(f"{'0':>{margin - 1}} └" + "─" * (len(shown) * group), style=styles.axis))
    names = short_names([visible_line(b.name) for b in shown])
    name_line = Text(" " * (margin + 1))
    value_line = Text(" " * (margin + 1))
    for name, bar in zip(names, shown, strict=True):
        name_line.append(_cell(name, group))
        value_line.append(_cell(f"{bar.committed:g}/{bar.completed:g}", group), style=styles.legend)
    lines += [name_line, value_line]
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


def _cell(text: str, width: int) -> str:
    """`text` in a column `width` wide, keeping one space after it."""
    if len(text) > width - 1:
        text = text[:width - 2] + "…" if width > 2 else text[:width - 1]
    return f"{text:<{width}}"


def _title(bars: Sequence[Bar], shown: Sequence[Bar]) -> Text:
    title = Text.assemble(("Velocity per sprint", "bold"))
    notes = [f"last {len(shown)} of {len(bars)} sprints" if len(shown) < len(bars)
             else f"{len(bars)} sprint{'s' if len(bars) != 1 else ''}"]
    committed = sum(b.committed for b in shown)
    if committed:
        notes.append(f"{sum(b.completed for b in shown) / committed:.0%} of committed done")
    title.append(" · " + " · ".join(notes))
    return title


def _legend(average: float | None, averaged: int, unit: str, width: int, styles: ChartStyles) -> Text:
    legend = Text()
    legend.append(COMMITTED * 2, style=styles.committed)
    legend.append(" committed  ")
    legend.append(COMPLETED * 2, style=styles.completed)
    legend.append(" completed  ")
    if average is not None:
        legend.append(AVERAGE * 2, style=styles.average)
        long = f" average completed, last {averaged} sprint{'s' if averaged != 1 else ''}: {average:g} {unit}"
        legend.append(long if legend.cell_len + len(long) <= width else f" avg of last {averaged}: {average:g}")
    return legend


class VelocityChart(Widget, can_focus=True):
    """Committed vs completed per sprint, oldest on the left, with the velocity as a line."""

    COMPONENT_CLASSES = {"velocity-chart--committed", "velocity-chart--completed", "velocity-chart--average",
                         "velocity-chart--axis", "velocity-chart--legend"}

    bars: reactive[tuple[Bar, ...]] = reactive(())
    average: reactive[float | None] = reactive(None)
    averaged: reactive[int] = reactive(0)
    unit: reactive[str] = reactive("pts")

    def render(self) -> Text:
        style = self.get_component_rich_style
        styles = ChartStyles(
            committed=style("velocity-chart--committed"), completed=style("velocity-chart--completed"),
            average=style("velocity-chart--average"), axis=style("velocity-chart--axis"),
            legend=style("velocity-chart--legend"),
        )
        width, height = self.content_region.size
        lines = chart_lines(self.bars, self.average, self.averaged, width, height, self.unit, styles)
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)
