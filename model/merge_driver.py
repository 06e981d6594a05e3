"""`groom merge-driver %O %A %B %P`: git's custom merge driver for backlog files.

git runs it from the top of the work tree with three temporary files: the common ancestor
(%O, empty when there is none), ours (%A, where the result must go) and theirs (%B), plus the
file's path in the repository (%P). Exit 0: merged (recorded conflicts are data in the file,
not a failed merge). Non-zero: no valid backlog could be made; %A is left exactly as it was
and git reports the file as conflicted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from model.errors import GroomError, StoreError
from model.merge import Branches, MergeError, merge_backlogs
from model.storage import AtomicJSONStorage, dumps, loads

_GITHEAD = re.compile(r"^GITHEAD_[0-9a-f]{40,64}$")
_GIT_TIMEOUT = 10


def run(base: Path, ours: Path, theirs: Path, *, path: str | None = None, ours_label: str | None = None,
        theirs_label: str | None = None, main: str | None = None, err: TextIO | None = None,
        env: Mapping[str, str] | None = None) -> int:
    err = err or sys.stderr
    env = os.environ if env is None else env
    shown = path or str(ours)
    branches = Branches(_label(ours_label) or _current_branch(), _label(theirs_label) or _merged_branch(env))
    try:
        base_tables = _read(base, "the common ancestor", allow_empty=True)
        ours_tables = _read(ours, f"{branches.name('ours')}'s version")
        theirs_tables = _read(theirs, f"{branches.name('theirs')}'s version")
        published = _published(path, main) if path else {}
        result = merge_backlogs(base_tables, ours_tables, theirs_tables, branches=branches, published=published)
        AtomicJSONStorage(ours).write_bytes(dumps(result.tables))
    except GroomError as exc:
        print(f"groom merge-driver: {shown}: cannot merge: {exc}", file=err)
        print(f"groom merge-driver: {shown} is left as {branches.name('ours')}'s version; git lists it as "
              "conflicted (git show :3:PATH is theirs)", file=err)
        return 1
    except Exception as exc:  # a bug must not leave a half-merged backlog: git reports a conflict
        print(f"groom merge-driver: {shown}: cannot merge (internal error: {type(exc).__name__}: {exc}); "
              f"the file is left as {branches.name('ours')}'s version", file=err)
        return 2
    print(f"groom merge-driver: merged {shown} ({branches.name('ours')} + {branches.name('theirs')})", file=err)
    for line in result.report.lines(branches):
        print(f"  {line}", file=err)
    return 0


def _read(path: Path, what: str, *, allow_empty: bool = False) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{what} ({path}): cannot read ({exc.strerror})") from None
    if not data.strip():
        if allow_empty:
            return None  # no common ancestor: both branches added the file
        raise MergeError(f"{what} is empty")
    try:
        return loads(data, path)
    except StoreError as exc:
        raise MergeError(f"{what}: {str(exc).split(': ', 1)[-1]}") from None


def _label(value: str | None) -> str:
    # Older gits pass placeholders they do not know (%X, %Y) through unchanged; newer ones
    # call ours "HEAD", which says less than the branch name found below.
    if not value or value.startswith("%") or value == "HEAD":
        return ""
    return value


def _merged_branch(env: Mapping[str, str]) -> str:
    """`git merge NAME` tells merge drivers the merged branch's name in GITHEAD_<commit>."""
    names = [value for key, value in env.items() if _GITHEAD.match(key)]
    return names[0] if len(names) == 1 else ""


def _current_branch() -> str:
    return _git("symbolic-ref", "--short", "-q", "HEAD") or ""


def _published(path: str, main: str | None) -> dict[int, str]:
    """Item number -> created, of the backlog on the main branch: those keys are published
    (commit messages, pull requests), so they keep their numbers in a clash."""
    ref = main or _main_branch()
    if not ref:
        return {}
    data = _git("show", f"{ref}:{path}", strip=False)
    if not data:
        return {}
    try:
        tables = loads(data.encode(), Path(path))
        items = tables.get("items", {})
        return {int(doc_id): doc.get("created", "") for doc_id, doc in items.items()
                if doc_id.isdigit() and isinstance(doc, dict)}
    except (GroomError, AttributeError, ValueError):
        return {}


def _main_branch() -> str:
    remote_head = _git("symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD")
    if remote_head:
        return remote_head
    for name in ("main", "master", "trunk"):
        if _git("rev-parse", "--verify", "-q", f"refs/heads/{name}"):
            return name
    return ""


def _git(*args: str, strip: bool = True) -> str | None:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=_GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() if strip else done.stdout
