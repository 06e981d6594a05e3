"""Foreign estimates onto Groom's scale (Mike Cohn's: 0 ½ 1 2 3 5 8 13 20 40 100).

A value between two scale values is rounded **up**, as planning poker does: an estimate
says "at least this much", and rounding down would promise more than the team said.
Above 100 there is no card: it becomes 100, the "far too big: split it" card. Each
adjustment is said in words so the import report can list it per item.
"""

from __future__ import annotations

import math

from model.item import POINT_SCALE, format_points


def to_scale(raw: str | float | None) -> tuple[float | None, str | None]:
    """(points on the scale or None, a note when the value was not taken as it is)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    text = raw.strip() if isinstance(raw, str) else raw
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None, f"estimate {str(raw)[:20]!r} is not a number: left unestimated"
    if not math.isfinite(value) or value < 0:
        return None, f"estimate {str(raw)[:20]!r} is not a usable number: left unestimated"
    for point in POINT_SCALE:
        if math.isclose(value, point, abs_tol=1e-9):
            return _clean(point), None
    shown = f"{value:g}"
    if value > POINT_SCALE[-1]:
        return _clean(POINT_SCALE[-1]), f"{shown} points is above the scale: set to 100 (split it)"
    above = next(p for p in POINT_SCALE if p > value)
    return _clean(above), f"{shown} points is not on the scale: rounded up to {format_points(above)}"


def _clean(point: float) -> float:
    return int(point) if float(point).is_integer() else point
