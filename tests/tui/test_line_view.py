"""The list draws its lines itself when no border, padding or effect applies (LineView.render_lines):
they must be Textual's own, segment for segment, in every state the list is drawn in."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget

from tests.tui.conftest import SIZES, backlog_list, started
from tests.tui.scenario import ITEMS, make_service
from tui.app import GroomApp

MANY = [dict(item, title=f"{item['title']} #{n}") for n in range(12) for item in ITEMS]  # a scroll bar


def both_ways(widget: Widget) -> tuple[list, list]:
    crop = Region(0, 0, widget.content_region.width, widget.content_region.height)
    ours = [list(strip) for strip in widget.render_lines(crop)]
    textuals = [list(strip) for strip in Widget.render_lines(widget, crop)]
    return ours, textuals


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("many", [False, True], ids=["fits", "scrolls"])
async def test_the_list_draws_its_lines_as_textual_would(tmp_path, size, many):
    app = GroomApp(make_service(tmp_path / "backlog.json", MANY if many else None))
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        widget = backlog_list(app)
        assert widget._plain_lines()  # the path under test is taken
        for keys in ([], ["j", "j"], ["tab"], ["tab", "slash", "p", "a", "y"], ["escape", "G"]):
            await pilot.press(*keys)
            await pilot.pause()
            ours, textuals = both_ways(widget)
            assert ours == textuals, keys
        # A crop that does not start at the left edge (a dialog over part of the list).
        crop = Region(3, 2, 20, 5)
        assert [list(s) for s in widget.render_lines(crop)] == [list(s) for s in Widget.render_lines(widget, crop)]


async def test_no_color_is_applied_to_the_lines_the_list_draws(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = GroomApp(make_service(tmp_path / "backlog.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        ours, textuals = both_ways(backlog_list(app))
        assert ours == textuals
        # NO_COLOR: Textual's monochrome filter leaves greys only.
        colours = {c.triplet for line in ours for segment in line if segment.style
                   for c in (segment.style.color, segment.style.bgcolor) if c is not None and c.triplet}
        assert colours and all(r == g == b for r, g, b in colours)
