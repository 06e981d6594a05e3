"""`groom export KIND PATH [-o FILE]`: a backlog, or something in it, in another format.

Each kind is a function from the parsed options to the text to write; new kinds join
`EXPORTS`. Exports only read the backlog file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from model.errors import GroomError

Export = Callable[[argparse.Namespace], str]


def export_session(options: argparse.Namespace) -> str:
    """The summary of a refinement session as Markdown: the latest one, or `--id N`."""
    from model.io.session_markdown import render_markdown
    from model.session_summary import summarize
    from model.store import Store

    _, backlog = Store.open(Path(options.path))
    if not backlog.sessions:
        raise GroomError(f"{options.path} has no refinement sessions yet (R starts one in the app)")
    doc_id = options.id if options.id is not None else max(backlog.sessions)
    if doc_id not in backlog.sessions:
        known = ", ".join(str(i) for i in sorted(backlog.sessions))
        raise GroomError(f"{options.path} has no refinement session {doc_id} (it has {known})")
    session = backlog.sessions[doc_id]
    summary = session.summary
    if summary is None:  # still running, or left open by a Groom that closed: its summary so far
        now = datetime.now(UTC).replace(microsecond=0)
        ended = session.heartbeat if session.owner_gone(now) else now  # a closed Groom's: when last seen
        summary = summarize(backlog, session, doc_id, max(session.started, min(ended, now)))
        print(f"groom: note: session {doc_id} has not ended; this is its summary so far", file=sys.stderr)
    return render_markdown(summary)


EXPORTS: dict[str, Export] = {"session": export_session}


def add_export_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a backlog or a refinement session in another format",
                                 description="Kinds: " + ", ".join(sorted(EXPORTS)) + ".")
    export.add_argument("kind", choices=sorted(EXPORTS), help="what to write")
    export.add_argument("path", help="the backlog file")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    session = export.add_argument_group("session")
    which = session.add_mutually_exclusive_group()
    which.add_argument("--last", action="store_true", help="the latest session (the default)")
    which.add_argument("--id", type=int, metavar="N", help="session N")


def run_export(options: argparse.Namespace) -> int:
    text = EXPORTS[options.kind](options)
    if options.output:
        target = Path(options.output)
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise GroomError(f"cannot write {target} ({exc.strerror})") from None
        print(f"Wrote {target}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
