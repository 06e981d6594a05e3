"""The velocity chart as plain text: bars of the right heights, the average line across, the
labels under the bars, and what it says when there is no room or no history."""

from __future__ import annotations

import pytest

from tui.widgets.velocity_chart import Bar, chart_lines, nice_top, short_names

BARS = [Bar("Sprint 1", 40, 20), Bar("Sprint 2", 30, 30), Bar("Sprint 3", 20, 10)]


def plain(bars=BARS, average: float | None = 20, averaged=3, width=60, height=13) -> list[str]:
    return [line.plain for line in chart_lines(bars, average, averaged, width, height)]


def column_heights(lines: list[str], char: str) -> list[int]:
    """How many plot rows each run of `char` bars fills, left to right."""
    plot = [line for line in lines[2:] if "│" in line or "┤" in line]
    start = plot[0].index("┤") + 1
    columns = [i for i in range(start, len(plot[-1])) if plot[-1][i] == char]
    firsts = [c for c in columns if c - 1 not in columns]
    return [sum(1 for row in plot if len(row) > c and row[c] == char) for c in firsts]


def test_bars_have_heights_in_proportion():
    lines = plain()  # top 40 over 8 plot rows: 5 points a row
    assert len(lines) == 13
    assert column_heights(lines, "░") == [8, 6, 4]  # committed 40, 30, 20
    assert column_heights(lines, "█") == [4, 6, 2]  # completed 20, 30, 10


def test_the_average_line_is_drawn_across_with_its_value():
    lines = plain()
    [row] = [line for line in lines if "avg 20" in line]
    assert row.rstrip().endswith("── avg 20")
    assert row.count("─") >= 2 * 3  # in the gaps between the sprints and to the right
    plot = [line for line in lines if "│" in line or "┤" in line]
    assert plot.index(row) == 8 - 4  # 20 of 40 over 8 rows: 4 rows above the axis
    assert not any("avg" in line for line in plain(average=None))


def test_labels_and_legend():
    lines = plain()
    assert lines[0] == "Velocity per sprint · 3 sprints · 67% of committed done"
    assert lines[1] == "░░ committed  ██ completed  ── avg of last 3: 20"  # 60 wide: the short form
    assert plain(width=80)[1] == "░░ committed  ██ completed  ── average completed, last 3 sprints: 20 pts"
    assert lines[-2].split() == ["1", "2", "3"]  # "Sprint " is common to all: dropped
    assert lines[-1].split() == ["40/20", "30/30", "20/10"]
    assert lines[-3].lstrip().startswith("0 └")
    assert all(len(line) <= 60 for line in lines)


def test_only_the_newest_sprints_when_they_do_not_all_fit():
    bars = [Bar(f"Sprint {n}", 30, 20 + n % 5) for n in range(1, 41)]
    lines = plain(bars, width=50)
    assert "last " in lines[0] and " of 40 sprints" in lines[0]
    names = lines[-2].split()
    assert names[-1] == "40" and len(names) < 40
    assert names == [str(n) for n in range(41 - len(names), 41)]
    assert all(len(line) <= 50 for line in lines)


def test_no_history_and_no_room_say_so():
    assert plain([]) == ["No sprint history yet: add past sprints on the History tab (3, then a) to see "
                         "committed vs completed here."]
    assert plain(height=6)[0].startswith("The chart needs more room")
    assert plain(width=20)[0].startswith("The chart needs more room")


def test_zero_points_everywhere_draws_an_empty_chart():
    lines = plain([Bar("A", 0, 0), Bar("B", 0, 0)], average=0)
    assert not any("█" in line or "░" in line for line in lines[2:])
    assert any("avg 0" in line for line in lines)


def test_user_names_are_shown_as_typed_control_characters_made_visible():
    lines = plain([Bar("[bold]x[/]", 10, 5), Bar("esc\x1b[31m", 10, 5)], width=70)
    assert "[bold]x[/]"[:8] in lines[-2] and "\x1b" not in "".join(lines)


@pytest.mark.parametrize("names, short", [
    (["Sprint 20", "Sprint 21"], ["20", "21"]),
    (["Q3-S1", "Q3-S2"], ["S1", "S2"]),
    (["Alpha", "Beta"], ["Alpha", "Beta"]),
    (["S 1", "S 1"], ["S 1", "S 1"]),  # would be alike: kept whole
    (["Sprint", "Sprint 2"], ["Sprint", "Sprint 2"]),  # one would be empty
    (["Only"], ["Only"]),
])
def test_short_names(names, short):
    assert short_names(names) == short


def test_nice_tops():
    assert [nice_top(v) for v in (0, 0.3, 3, 7, 10, 11, 35, 99, 201, 1234)] == \
        [1, 0.5, 5, 10, 10, 20, 40, 100, 250, 1500]
