"""Three-way merge of two grooming sessions of one backlog file: what `groom merge-driver` does.

git gives the common ancestor (base), the checked-out branch's file (ours) and the merged
branch's (theirs). The merge follows the live store's rule — field-level changes — item by
item and field by field (see model/merge_values.py for how one field merges):

- An item added on either side is kept. Two different items added under the same key on the
  two branches (both created SHOP-41) are a key clash: one keeps the number, the other gets
  the next free one, parent references to it follow, and the renumbered item remembers its
  old key (`former_keys`) so filters and the detail pane still find it by that key. Which
  one keeps the number: an item already on the main branch (its keys are published), else
  the one created first; the rule does not depend on which branch merges into which, so a
  later merge the other way round agrees with this one.
- A field changed on one side takes that side's value. A field changed on both sides to
  different values is a conflict recorded on the item (`conflicts`): the ancestor's and both
  branches' values, with the branch names; the item keeps ours until someone picks.
- Deleted on one side and edited on the other: the item is kept, with a `deleted` conflict
  so the user decides. Deleted on one side and untouched (or only re-ranked) on the other:
  deleted.
- Rank is a field like the others; moved on both sides, ours' place wins (reported). Items
  that end up with the same rank are re-spread so the order is strict.
- Sprints and team: record by record and field by field; a clash keeps ours (reported).
  Other tables (e.g. history): union; clashing new record ids are renumbered in time order.
- meta: next_number is above every number either side used; revision is one above both.

The result is validated as a whole before anyone writes it: a merge that cannot produce a
valid backlog raises MergeError and nothing is written.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

from model.backlog import META_DOC_ID, Backlog, InvalidBacklog
from model.change import ITEMS, META, SPRINTS, TEAM
from model.errors import GroomError
from model.merge_items import ItemMerge
from model.merge_report import Branches, MergeError, MergeReport, Renumbered, Tables
from model.merge_tables import merge_meta, merge_records, rekeyed
from model.meta import SCHEMA_VERSION
from model.team import Sprint, TeamMember


@dataclass(frozen=True)
class MergeResult:
    tables: Tables
    report: MergeReport
    backlog: Backlog  # the merged backlog, validated


def merge_backlogs(base: Tables | None, ours: Tables, theirs: Tables, *, branches: Branches | None = None,
                   published: Mapping[int, str] | None = None) -> MergeResult:
    """Merge two versions of a backlog file, given their common ancestor (None: none).

    `published`: item number -> `created` of the items on the main branch, whose keys win a
    clash. Raises MergeError when the result would not be a valid backlog.
    """
    branches = branches or Branches()
    base = upgrade(base, "the common ancestor") if base else None
    ours = upgrade(ours, f"{branches.name('ours')}'s version")
    theirs = upgrade(theirs, f"{branches.name('theirs')}'s version")
    ours_backlog = _backlog(ours, f"{branches.name('ours')}'s version")
    theirs_backlog = _backlog(theirs, f"{branches.name('theirs')}'s version")
    prefix = ours_backlog.meta.prefix
    if theirs_backlog.meta.prefix != prefix:
        raise MergeError(f"the key prefixes differ ({prefix} on {branches.name('ours')}, "
                         f"{theirs_backlog.meta.prefix} on {branches.name('theirs')}): these are different backlogs")
    report = MergeReport()
    # The ancestor is not validated: it is only compared with, and the result is validated.
    items = ItemMerge(base, ours_backlog, ours, theirs_backlog, theirs, branches, published or {}, report).run()
    tables: Tables = {
        META: {str(META_DOC_ID): merge_meta(base, ours, theirs, items, branches, report)},
        ITEMS: {str(number): items[number] for number in sorted(items)},
    }
    for name, model in ((SPRINTS, Sprint), (TEAM, TeamMember)):
        tables[name] = merge_records(name, (base or {}).get(name, {}), ours.get(name, {}), theirs.get(name, {}),
                                      model, branches, report, renumber_by_time=False)
    mapping: dict[str, dict[str, str]] = {"ours": {}, "theirs": {}}  # renumbered keys, for other tables
    for entry in report.renumbered:
        mapping[entry.side][entry.old_key] = entry.new_key
    for name in sorted((set(ours) | set(theirs)) - {META, ITEMS, SPRINTS, TEAM}):
        theirs_table = rekeyed(theirs.get(name, {}), mapping["theirs"])
        ours_table = rekeyed(ours.get(name, {}), mapping["ours"])
        tables[name] = merge_records(name, (base or {}).get(name, {}), ours_table, theirs_table, None, branches,
                                      report, renumber_by_time=True)
    try:
        backlog = Backlog.from_tables(tables)
    except InvalidBacklog as exc:
        raise MergeError(f"the merged backlog would not be valid: {exc}") from None
    return MergeResult(tables, report, backlog)


def upgrade(tables: Tables, what: str) -> Tables:
    """The tables in this Groom's file format, migrating an older one in memory."""
    from model.store import MIGRATIONS

    if not isinstance(tables, dict):
        raise MergeError(f"{what} is not a backlog file (expected a JSON object of tables)")
    record = tables.get(META, {}).get(str(META_DOC_ID)) if isinstance(tables.get(META), dict) else None
    version = record.get("schema_version") if isinstance(record, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise MergeError(f"{what} is not a Groom backlog (no meta record with a schema_version)")
    if version > SCHEMA_VERSION:
        raise MergeError(f"{what} was written by a newer Groom (file format {version}; this one reads up to "
                         f"{SCHEMA_VERSION}); update Groom and merge again")
    if version == SCHEMA_VERSION:
        return tables
    tables = copy.deepcopy(tables)
    while version < SCHEMA_VERSION:
        if version not in MIGRATIONS:
            raise MergeError(f"{what}: no way to upgrade file format {version}")
        tables = MIGRATIONS[version](tables)
        version += 1
        tables[META][str(META_DOC_ID)]["schema_version"] = version
    return tables


def _backlog(tables: Tables, what: str) -> Backlog:
    try:
        return Backlog.from_tables(tables)
    except GroomError as exc:
        raise MergeError(f"{what} is not a valid backlog: {exc}") from None




__all__ = ["Branches", "MergeError", "MergeReport", "MergeResult", "Renumbered", "merge_backlogs"]
