"""Write a realistic synthetic backlog of N items: `python benchmarks/make_backlog.py --items N OUT.json`.

For benchmarks and tests at 1k–50k items; generated, never committed. The items read like a
real team's: titles and descriptions of varied length, Given/When/Then criteria on some and
none on vague ones, estimates on the Cohn scale with an unestimated tail, open and answered
questions, labels, MoSCoW, scoring inputs on a few, split parents with their children, closed
items, plus a sprint history and a team. The same --seed always gives the same file.

The backlog is built and validated by the model (`Backlog.from_tables`) and written by the
store (`Store.create`), so the file is exactly what Groom itself writes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.backlog import Backlog
from model.errors import GroomError
from model.item import format_timestamp
from model.meta import SCHEMA_VERSION
from model.rank import initial_ranks
from model.store import Store

ACTORS = ["shopper", "returning customer", "guest", "admin", "support agent", "warehouse clerk",
          "finance analyst", "mobile user", "team lead", "new user", "partner", "auditor"]
VERBS = ["pay with", "see", "export", "filter", "cancel", "edit", "share", "import", "review", "approve",
         "undo", "search", "compare", "schedule", "archive", "restore", "print", "subscribe to"]
OBJECTS = ["a saved card", "my order history", "the invoice as PDF", "delivery slots", "gift cards",
           "the monthly report", "refunds", "stock levels", "the audit log", "my addresses",
           "two-factor settings", "the price list", "coupons", "notifications", "the shopping cart",
           "bank transfers", "loyalty points", "the product catalogue", "user roles", "API keys"]
BENEFITS = ["I do not type it again", "I can plan my week", "accounting can close the month",
            "support answers faster", "I trust the numbers", "nothing gets lost", "I save time",
            "we meet the legal deadline", "fewer tickets reach support", "I can work offline"]
BUGS = ["crashes when", "shows the wrong total when", "times out when", "loses the draft when",
        "double-charges when", "ignores the filter when", "renders blank when", "logs out when"]
CONDITIONS = ["the cart holds more than 50 items", "the session expires", "the user switches language",
              "two tabs are open", "the network drops", "the date is February 29", "the name has an emoji",
              "the export has no rows", "a coupon is applied twice", "the screen is rotated"]
CHORES = ["Upgrade", "Remove", "Migrate", "Document", "Automate", "Monitor", "Refactor", "Clean up"]
THINGS = ["the payment SDK", "the old cron jobs", "the staging database", "the deploy pipeline",
          "feature flags", "the search index", "error budgets", "the CSV importer", "TLS certificates"]
LABELS = ["payments", "checkout", "mobile", "backend", "frontend", "infra", "security", "legal",
          "accessibility", "performance", "search", "reporting", "onboarding", "ux", "tech-debt"]
ASK = ["Legal (Priya)", "Product (Sam)", "Finance", "Design (Lee)", "Security team", "Ops", "", ""]
QUESTIONS = ["May we store this data for longer than 90 days?", "Which markets need this first?",
             "Is a one-day delay acceptable?", "Who owns the old integration?",
             "Do we need an approval step?", "What is the expected volume per day?",
             "Should guests see this too?", "Is there a contractual deadline?"]
SENTENCES = ["Customers keep asking for this in support tickets.",
             "The current flow takes five screens and most people give up on the third.",
             "See the analytics dashboard: drop-off is 38% at this step.",
             "This blocks the Q3 launch in two markets.",
             "The vendor deprecates the old endpoint at the end of the year.",
             "We agreed with design to keep the existing layout and only change the copy.",
             "Out of scope: the admin side, which comes in a later story.",
             "Performance matters here: the page must load in under a second on 3G.",
             "Edge cases: empty lists, very long names, right-to-left text.",
             "Legal has to sign off on the wording before release."]
KINDS = ["story"] * 55 + ["bug"] * 20 + ["feature"] * 8 + ["chore"] * 10 + ["spike"] * 4 + ["epic"] * 3
STATUSES = ["new"] * 62 + ["ready"] * 14 + ["planned"] * 4 + ["done"] * 12 + ["dropped"] * 4 + ["needs_info"] * 4
POINTS = [0.5, 1, 1, 2, 2, 3, 3, 3, 5, 5, 5, 8, 8, 13, 20, 40, 100]
MOSCOW = ["must", "should", "should", "could", "could", "wont", None, None, None]
TEAM = [("Ana", 10), ("Ben", 8), ("Chen", 10), ("Dara", 6), ("Eli", 9)]
START = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


def title(rng: random.Random, kind: str) -> str:
    if kind == "bug":
        text = f"{rng.choice(OBJECTS).capitalize()} {rng.choice(BUGS)} {rng.choice(CONDITIONS)}"
    elif kind == "chore":
        text = f"{rng.choice(CHORES)} {rng.choice(THINGS)}"
    elif kind == "spike":
        text = f"Spike: how to {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    elif kind == "epic":
        text = f"{rng.choice(OBJECTS).capitalize()} for {rng.choice(ACTORS)}s"
    else:
        text = f"As a {rng.choice(ACTORS)} I want to {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        if rng.random() < 0.6:
            text += f" so that {rng.choice(BENEFITS)}"
    return text[:200]


def description(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return ""
    count = 1 if roll < 0.6 else rng.randrange(2, 6) if roll < 0.93 else rng.randrange(8, 25)
    paragraphs = [" ".join(rng.choices(SENTENCES, k=rng.randrange(1, 4))) for _ in range(count)]
    if count > 2 and rng.random() < 0.5:
        paragraphs.insert(1, "\n".join(f"- {rng.choice(OBJECTS)}" for _ in range(rng.randrange(2, 6))))
    return "\n\n".join(paragraphs)


def criteria(rng: random.Random, status: str) -> list[dict[str, Any]]:
    count = rng.choice([0, 0, 0, 1, 2, 2, 3, 3, 4, 6]) if status not in ("ready", "planned", "done") else \
        rng.randrange(1, 5)
    return [{"text": f"Given {rng.choice(CONDITIONS)}, when the {rng.choice(ACTORS)} tries to "
                     f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}, then {rng.choice(BENEFITS)}",
             "done": status == "done" or rng.random() < 0.1} for _ in range(count)]


def questions(rng: random.Random, status: str) -> list[dict[str, Any]]:
    if status == "needs_info":
        count = rng.randrange(1, 4)
    elif rng.random() < 0.08:
        count = rng.randrange(1, 3)
    else:
        return []
    found = []
    for index in range(count):
        answered = status != "needs_info" or (index > 0 and rng.random() < 0.5)
        found.append({"text": rng.choice(QUESTIONS), "ask": rng.choice(ASK),
                      "answer": "Yes, agreed in the review on Tuesday." if answered else ""})
    return found


def scores(rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.1:
        return {"business_value": rng.choice([1, 2, 3, 5, 8, 13, 20]), "time_criticality": rng.choice([1, 2, 3, 5, 8]),
                "risk_reduction": rng.choice([1, 2, 3]), "job_size": rng.choice([1, 2, 3, 5, 8, 13])}
    if roll < 0.15:
        return {"reach": rng.randrange(10, 5000), "impact": rng.choice([3, 2, 1, 0.5, 0.25]),
                "confidence": rng.choice([100, 80, 50]), "effort": rng.choice([0.5, 1, 2, 3])}
    return {}


def build_tables(count: int, seed: int, prefix: str = "BIG") -> dict[str, Any]:
    rng = random.Random(seed)
    ranks = initial_ranks(count)
    items: dict[str, Any] = {}
    epics: list[str] = []
    for number in range(1, count + 1):
        kind = rng.choice(KINDS)
        # Refined work sits at the top, the unrefined tail below it, as in a real backlog.
        depth = number / count
        status = rng.choice(STATUSES) if depth < 0.3 else rng.choice(["new"] * 8 + ["needs_info", "dropped"])
        estimated = rng.random() < (0.9 if depth < 0.3 else 0.35)
        created = START + timedelta(minutes=17 * number)
        key = f"{prefix}-{number}"
        parent = None
        if epics and kind != "epic" and rng.random() < 0.06:
            parent = rng.choice(epics[-20:])
        doc = {
            "key": key, "title": title(rng, kind), "kind": kind, "description": description(rng),
            "rank": ranks[number - 1], "status": status,
            "points": rng.choice(POINTS) if estimated and kind != "epic" else None,
            "moscow": rng.choice(MOSCOW) if depth < 0.5 else None,
            "acceptance_criteria": criteria(rng, status), "questions": questions(rng, status),
            "labels": sorted(set(rng.sample(LABELS, k=rng.choice([0, 0, 1, 1, 1, 2, 3])))),
            "parent": parent,
            "evidence": [{"text": "14 support tickets last month", "link": f"https://support.example/t/{number}"}]
            if rng.random() < 0.05 else [],
            "scores": scores(rng), "source": f"jira:OLD-{number}" if rng.random() < 0.2 else "",
            "created": format_timestamp(created),
            "updated": format_timestamp(created + timedelta(days=rng.randrange(0, 90))),
        }
        if kind == "epic" and status not in ("done", "dropped"):
            if rng.random() < 0.5:
                doc["status"] = "split"
            epics.append(key)
        items[str(number)] = doc
    sprints = {}
    first = date(2024, 1, 8)
    for index in range(1, 13):
        start = first + timedelta(days=14 * (index - 1))
        committed = rng.choice([28, 30, 32, 34, 36])
        sprints[str(index)] = {"name": f"Sprint {index}", "start": start.isoformat(),
                               "end": (start + timedelta(days=11)).isoformat(), "committed": committed,
                               "completed": committed - rng.choice([0, 2, 3, 5, 8]),
                               "available_days": rng.choice([40, 42, 38, 45, 30])}
    team = {str(i): {"name": name, "available_days": days} for i, (name, days) in enumerate(TEAM, start=1)}
    meta = {"schema_version": SCHEMA_VERSION, "name": f"Synthetic backlog ({count:,} items)", "prefix": prefix,
            "next_number": count + 1, "revision": 0}
    return {"meta": {"1": meta}, "items": items, "sprints": sprints, "team": team}


def write_backlog(path: Path, count: int, seed: int = 1) -> Backlog:
    """Generate, validate through the model, and write a new backlog file at `path`."""
    backlog = Backlog.from_tables(build_tables(count, seed))
    Store.create(path, backlog)
    return backlog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="the backlog file to write (must not exist, unless --force)")
    parser.add_argument("--items", type=int, required=True, help="how many items")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same file")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    options = parser.parse_args(argv)
    if options.items < 0:
        parser.error("--items must be 0 or more")
    if options.force and options.out.exists():
        options.out.unlink()
    started = time.perf_counter()
    try:
        backlog = write_backlog(options.out, options.items, options.seed)
    except GroomError as exc:
        print(f"make_backlog: {exc}", file=sys.stderr)
        return 1
    size = options.out.stat().st_size / 1e6
    print(f"{options.out}: {len(backlog):,} items, {size:.1f} MB, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
