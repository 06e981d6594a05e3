"""A small, fixed backlog for UI tests and snapshots: every kind of row the screen draws.

Built through the model with a frozen clock, so it is the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from model.backlog import Backlog
from model.item import Item
from model.rank import initial_ranks
from model.service import BacklogService
from model.store import Store
from model.team import Sprint, TeamMember

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def frozen_clock(start: datetime = START) -> Callable[[], datetime]:
    """A clock that moves one minute per call: stable and ordered."""
    state = {"now": start}

    def now() -> datetime:
        state["now"] += timedelta(minutes=1)
        return state["now"]

    return now


LONG_DESCRIPTION = (
    "## Why\n\nShoppers abandon the cart when the card form fails. " * 10
    + "\n\n- keep the basket\n- show the error inline\n- **never** lose the address\n\n"
    + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 22
)[:2000]

ITEMS: list[dict] = [
    {"title": "Pay with a saved card", "kind": "story", "points": 5, "moscow": "must",
     "description": "As a returning shopper I want to pay with a card I saved, so that checkout takes seconds.",
     "acceptance_criteria": [
         {"text": "Given a saved card, when I choose it, then the CVC is the only field asked", "done": True},
         {"text": "Given an expired saved card, when I open checkout, then it is marked expired", "done": False},
     ],
     "labels": ["payments", "checkout"]},
    {"title": "[Bug] Coupon field accepts [bold]markup[/] and \x1b[31mANSI\x1b[0m codes", "kind": "bug",
     "points": 2, "moscow": "must",
     "acceptance_criteria": [{"text": "Given a coupon with brackets, when applied, then it shows literally"}]},
    {"title": "Show delivery date before payment", "kind": "feature", "points": 3, "moscow": "should",
     "description": LONG_DESCRIPTION,
     "acceptance_criteria": [{"text": "Given a postcode, when I reach payment, then I see the delivery date"}],
     "questions": [{"text": "Which carriers give reliable dates?", "ask": "Head of Logistics (Sam)"},
                   {"text": "Do we show Saturday delivery?", "ask": "Product (Ana)", "answer": "Yes, in cities"}]},
    {"title": "Spike: evaluate address autocomplete providers", "kind": "spike", "points": 3, "moscow": "could"},
    {"title": "Guest checkout without an account 🛒", "kind": "story", "points": 8, "moscow": "should",
     "acceptance_criteria": [{"text": "Given no account, when I check out, then I can pay as a guest"}]},
    {"title": "Upgrade the payment SDK", "kind": "chore", "points": 2, "moscow": "must"},
    {"title": "Checkout redesign", "kind": "epic", "points": 40, "status": "split",
     "description": "The big redesign, split into smaller stories."},
    {"title": "Redesign the basket page", "kind": "story", "points": 5, "parent": "SHOP-7", "moscow": "should"},
    {"title": "Redesign the payment page", "kind": "story", "parent": "SHOP-7"},
    {"title": "טופס תשלום בעברית (right-to-left checkout form)", "kind": "story", "points": 5},
    {"title": "A very long title that goes on and on about improving the performance of the checkout "
              "page for shoppers on slow mobile networks in rural areas", "kind": "story", "points": 13},
    {"title": "Make checkout better", "kind": "story"},
    {"title": "Refund to the original payment method", "kind": "feature", "points": 20,
     "questions": [{"text": "Is a partial refund allowed?", "ask": "Finance"}], "status": "needs_info"},
    {"title": "Apple Pay", "kind": "feature"},
    {"title": "Fix flaky checkout end-to-end test", "kind": "chore", "points": 1, "status": "done"},
    {"title": "Klarna instalments", "kind": "feature", "status": "dropped"},
    {"title": "Remember the last delivery address", "kind": "story", "points": 3},
    {"title": "Tax breakdown on the receipt", "kind": "story"},
]

SPRINTS = [
    ("Sprint 20", 30, 26), ("Sprint 21", 32, 24), ("Sprint 22", 30, 29),
    ("Sprint 23", 28, 20), ("Sprint 24", 30, 22), ("Sprint 25", 30, 18),
]


def build_backlog(items: list[dict] | None = None, sprints: list[tuple[str, float, float]] | None = None) -> Backlog:
    items = ITEMS if items is None else items
    sprints = SPRINTS if sprints is None else sprints
    meta = Backlog.empty("Webshop checkout", "SHOP").meta.model_copy(update={"next_number": len(items) + 1})
    stamp = START.isoformat()
    item_docs = {
        str(number): Item.model_validate(
            {**spec, "key": f"SHOP-{number}", "rank": rank, "created": stamp, "updated": stamp}
        ).to_doc()
        for number, (spec, rank) in enumerate(zip(items, initial_ranks(len(items)), strict=True), start=1)
    }
    first = date(2026, 8, 3)
    sprint_docs = {}
    for index, (name, committed, completed) in enumerate(sprints, start=1):
        start = first + timedelta(days=14 * (index - 1))
        sprint = Sprint(name=name, start=start, end=start + timedelta(days=11), committed=committed,
                        completed=completed)
        sprint_docs[str(index)] = sprint.model_dump(mode="json")
    team = [("Ana", 10), ("Ben", 8), ("Chen", 10), ("Dee", 5)]
    team_docs = {str(i): TeamMember(name=n, available_days=d).model_dump(mode="json")
                 for i, (n, d) in enumerate(team, start=1)}
    return Backlog.from_tables({"meta": {"1": meta.model_dump(mode="json")}, "items": item_docs,
                                "sprints": sprint_docs, "team": team_docs})


def make_service(path: Path, items: list[dict] | None = None,
                 sprints: list[tuple[str, float, float]] | None = None) -> BacklogService:
    """A service on a new store file holding the scenario backlog."""
    Store.create(path, build_backlog(items, sprints))
    return BacklogService.open(path, clock=frozen_clock(), user="tester")


# ----- variants ---------------------------------------------------------------------------

# Velocity over the last three sprints: (23 + 22 + 24) / 3 = 23 points.
OVER_CAPACITY_SPRINTS = [("Sprint 23", 25, 23), ("Sprint 24", 25, 22), ("Sprint 25", 25, 24)]


def over_capacity_items() -> list[dict]:
    """The scenario's items with a 40-point must-have on top: the next sprint is over capacity."""
    top = {"title": "Rebuild the order pipeline in one go", "kind": "feature", "points": 40, "moscow": "must",
           "acceptance_criteria": [{"text": "Given an order, when it is placed, then it reaches the warehouse"}]}
    return [top, *ITEMS]
