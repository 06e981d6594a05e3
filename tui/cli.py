"""The `groom` command.

    groom PATH                 open a backlog (a new one is created if PATH does not exist)
    groom --demo [NAME]        open a scratch copy of a sample backlog
    groom check PATH           validate a backlog and print a summary (exit 1 if invalid)
    groom merge-driver %O %A %B %P   git's merge driver for backlog files (see README)
    groom serve PATH           the same app in a web browser, on localhost by default
    groom import jira|trello FILE --into PATH    import a Jira CSV or Trello board export
    groom export markdown|csv|json PATH [-o FILE] [--top N]
    groom export session PATH [--last | --id N] [-o FILE]   a refinement session's summary
    groom --version

Textual is imported only when the app runs, so `groom check` starts fast.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from model.errors import GroomError

if TYPE_CHECKING:
    from model.service import BacklogService

DEMOS = ("webshop", "banking", "platform")
FRAMES_PER_SECOND = 240  # the most Textual draws: a frame comes at most 4 ms after a change
SUBCOMMANDS = ("check", "serve", "import", "export", "merge-driver")


def groom_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only for --version: ~5 ms to import

    try:
        return version("groom")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0+unknown"


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked for (the package metadata costs start-up time)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser.exit(message=f"groom {groom_version()}\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _subcommand(args)
        return _open(args)
    except GroomError as exc:
        print(f"groom: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `groom check FILE | head`: the reader left; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the exit flush does not fail again
        return 128 + signal.SIGPIPE


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="groom",
        description="Keyboard-driven backlog refinement. Every change is saved as you make it.",
        epilog="Other commands: groom check PATH, groom serve PATH, groom import jira|trello FILE --into PATH, "
               "groom export markdown|csv|json|session PATH. Keys: press ? inside the app.",
    )
    parser.add_argument("path", nargs="?", help="backlog file to open (created if it does not exist)")
    parser.add_argument("--demo", nargs="?", const="webshop", choices=DEMOS,
                        help="open a scratch copy of a sample backlog (default: webshop)")
    parser.add_argument("--name", help="name for a new backlog (default: from the file name)")
    parser.add_argument("--prefix", help="key prefix for a new backlog, e.g. SHOP (default: from the name)")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show Groom's version and exit")
    return parser


def _open(args: list[str]) -> int:
    parser = _open_parser()
    options = parser.parse_args(args)
    if not options.demo and not options.path:
        parser.print_help()
        return 2
    if options.demo and options.path:
        parser.error("give either a PATH or --demo, not both")
    # Textual draws changes at its next 60 Hz tick: a key handled just after one (the frames of
    # the previous key, the filter field's echo of a typed character) waited up to 17 ms, twice
    # for a filter keystroke. Ticks at 240 Hz take at most 4 ms; frames still come only when
    # something changed. Set before Textual is imported; TEXTUAL_FPS in the environment wins.
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
    path = demo_copy(options.demo) if options.demo else Path(options.path)
    if options.demo:
        print(f"Demo: a scratch copy of the {options.demo} sample at {path}")
    # Start-up makes objects that live as long as the app: the imports (Textual, pydantic and
    # their models), the backlog (millions of objects at 50k items) and the screen. Cyclic
    # garbage collections on the way walk all of them again and again: 10-110 ms of the imports,
    # 25 ms of the first frame, and 0.5 s of opening 50k items (the store pauses the collector
    # while it parses and while it validates, not in between). So the collector is off until the
    # first frame is shown; the app then freezes what was made (no later collection walks it;
    # it is still freed when no longer referenced) and turns the collector back on.
    gc.disable()
    try:
        service = _service(path, options)
        for warning in service.backlog.warnings:
            print(f"groom: note: {warning}", file=sys.stderr)
        try:
            run_app(service)
        finally:
            service.close()  # however the app ended: every change on disk before the process goes
    finally:
        gc.enable()  # if the app never showed a frame
    if options.demo:
        print(f"Your demo changes are in {path}")
    return 0


def _service(path: Path, options: argparse.Namespace) -> BacklogService:
    from model.service import BacklogService

    if path.exists():
        return BacklogService.open(path, background=True)
    from model.item import prefix_from

    name = options.name or _name_from(path)
    prefix = options.prefix or prefix_from(name)
    service = BacklogService.create(path, name, prefix, background=True)
    print(f"Created a new backlog “{name}” at {path} (keys {prefix}-1, {prefix}-2, …)")
    return service


def run_app(service: object) -> None:
    from tui.app import GroomApp

    GroomApp(service).run()  # type: ignore[arg-type]


def demo_copy(name: str) -> Path:
    """A fresh scratch copy of a sample backlog: the samples themselves are never modified."""
    from importlib import resources  # only for the demos: ~5 ms of every start otherwise

    folder = Path(tempfile.mkdtemp(prefix="groom-demo-"))
    target = folder / f"{name}.json"
    with resources.as_file(resources.files("sample_backlogs") / f"{name}.json") as source:
        if not source.exists():
            raise GroomError(f"the {name} sample backlog is missing from this installation")
        shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def _name_from(path: Path) -> str:
    words = re.sub(r"[_\-.]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else "Backlog"


def _subcommand(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="groom")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a backlog file and print its health")
    check.add_argument("path")
    check.add_argument("--strict", action="store_true",
                       help="exit 1 on unresolved merge conflicts or unless every item in the next sprint is "
                            "ready (gate sprint planning in CI)")
    serve = commands.add_parser("serve", help="serve the app in a web browser (textual-serve)")
    serve.add_argument("path")
    serve.add_argument("--host", default="localhost", help="address to listen on (default: localhost only)")
    serve.add_argument("--port", type=int, default=8000)
    _import_parser(commands)
    _export_parser(commands)
    driver = commands.add_parser(
        "merge-driver", help="git merge driver: three-way merge of a backlog file (see README)",
        description="Merge two branches' versions of a backlog item by item and field by field. "
                    "Writes the result to OURS; exit 0 when merged (conflicts are recorded in the file), "
                    "1 when no valid backlog can be made (OURS is left untouched).")
    driver.add_argument("base", help="%%O: the common ancestor's version (may be empty)")
    driver.add_argument("ours", help="%%A: this branch's version; the merge is written here")
    driver.add_argument("theirs", help="%%B: the merged branch's version")
    driver.add_argument("path", nargs="?", help="%%P: the file's path in the repository")
    driver.add_argument("--ours-label", help="name of this branch (default: the checked-out branch)")
    driver.add_argument("--theirs-label", help="name of the merged branch (default: from git)")
    driver.add_argument("--main", help="the branch whose keys are published and win a clash "
                                       "(default: origin's default branch, else main or master)")
    options = parser.parse_args(args)
    if options.command == "import":
        return _import(options)
    if options.command == "export":
        return _export(options)
    if options.command == "merge-driver":
        from model.merge_driver import run

        return run(Path(options.base), Path(options.ours), Path(options.theirs), path=options.path,
                   ours_label=options.ours_label, theirs_label=options.theirs_label, main=options.main)
    if options.command == "serve":
        return _serve(Path(options.path), options.host, options.port)
    if options.command == "check":
        return _check(Path(options.path), strict=options.strict)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _import_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "import", help="import a Jira CSV or Trello board export into a backlog (one undo step)",
        description="Import a Jira CSV export (all fields or current fields) or a Trello board's JSON export. "
                    "New items go below the existing ones; items imported before are updated, not added again.",
    )
    command.add_argument("kind", choices=("jira", "trello"), help="jira: a .csv export; trello: a board's .json")
    command.add_argument("file", help="the export file")
    command.add_argument("--into", required=True, metavar="PATH",
                         help="the backlog to import into (created if it does not exist)")
    command.add_argument("--no-comments", action="store_true", help="leave the comments out of the descriptions")
    command.add_argument("--name", help="name for a new backlog (default: the Jira project's or Trello board's)")
    command.add_argument("--prefix", help="key prefix for a new backlog (default: the Jira project key)")


def _export_parser(commands: argparse._SubParsersAction) -> None:
    from model.io.exporters import EXPORTERS

    command = commands.add_parser(
        "export", help="export a backlog as Markdown, Jira CSV or JSON",
        description="Export a backlog. " + "; ".join(f"{e.name}: {e.description}" for e in EXPORTERS.values()),
    )
    command.add_argument("kind", choices=(*EXPORTERS, "session"),
                         help="the format; session: a refinement session's summary as Markdown")
    command.add_argument("path", help="the backlog file")
    command.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    command.add_argument("--top", type=int, metavar="N", help="only the top N open items (not for json)")
    session = command.add_argument_group("session")
    which = session.add_mutually_exclusive_group()
    which.add_argument("--last", action="store_true", help="the latest session (the default)")
    which.add_argument("--id", type=int, metavar="N", help="session N")


def _import(options: argparse.Namespace) -> int:
    from model.io.importing import import_file

    result = import_file(options.kind, Path(options.file), Path(options.into), comments=not options.no_comments,
                         name=options.name, prefix=options.prefix)
    if result.created_backlog:
        print(result.created_backlog)
    for line in result.report.lines():
        print(line)
    return 0


def _export(options: argparse.Namespace) -> int:
    from model.io.exporters import export_backlog, write_export
    from model.service import utc_now

    path = Path(options.path)
    if options.kind == "session":
        payload = _session_export(options)
    elif options.last or options.id is not None:
        raise GroomError(f"--last and --id choose a refinement session; they do not apply to the {options.kind} export")
    else:
        payload = export_backlog(options.kind, path, utc_now(), options.top)
    if options.output:
        write_export(payload, Path(options.output), path)
        print(f"Exported {path} as {options.kind} to {options.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


def _session_export(options: argparse.Namespace) -> bytes:
    from model.io.session_markdown import session_export
    from model.service import utc_now
    from model.store import Store

    if options.top is not None:
        raise GroomError("--top does not apply to the session export (choose a session with --id N)")
    _, backlog = Store.open(Path(options.path))
    text, note = session_export(backlog, options.id, utc_now(), str(options.path))
    if note:
        print(f"groom: note: {note}", file=sys.stderr)
    return text.encode("utf-8")


def _serve(path: Path, host: str, port: int) -> int:
    """Each browser tab runs its own Groom process on the file: they share it like tmux panes."""
    import shlex

    from model.store import Store

    Store.open(path)  # a clear error now, not one per browser tab
    try:
        from textual_serve.server import Server
    except ImportError:
        raise GroomError("groom serve needs textual-serve: pip install textual-serve") from None
    command = " ".join(shlex.quote(part) for part in (sys.executable, "-m", "tui.cli", str(path.resolve())))
    if host not in ("localhost", "127.0.0.1", "::1"):
        print(f"groom: note: listening on {host}: anyone who can reach it can edit this backlog", file=sys.stderr)
    print(f"Serving {path} at http://{host}:{port} (ctrl+c stops)")
    Server(command, host=host, port=port, title=f"Groom · {path.name}").serve()
    return 0


def _check(path: Path, *, strict: bool = False) -> int:
    from model.check import conflict_lines, summarize
    from model.health import health
    from model.store import Store

    _, backlog = Store.open(path)
    print(f"{path}: valid")
    for line in summarize(backlog).lines():
        print(f"  {line}")
    report = health(backlog)
    print("Health:")
    for line in report.lines():
        print(f"  {line}")
    conflicts = conflict_lines(backlog)
    if conflicts:
        print("Merge conflicts to resolve (open the backlog, filter has:conflicts):")
        for line in conflicts:
            print(f"  {line}")
    if strict:
        if conflicts:
            print(f"groom: --strict: {len(backlog.conflicted)} items have unresolved merge conflicts", file=sys.stderr)
            return 1
        if not report.plan.capacity:
            reason = report.plan.note or "no capacity"
            print(f"groom: --strict: the next sprint cannot be sized: {reason}", file=sys.stderr)
            return 1
        if report.next_sprint_not_ready:
            print(f"groom: --strict: not ready in the next sprint: {', '.join(report.next_sprint_not_ready)}",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
