"""Measure Groom at scale, the way a user meets it: `python benchmarks/run.py [--sizes 1000,10000]`.

For each size it generates a synthetic backlog (benchmarks/make_backlog.py, cached in
benchmarks/out/), then runs the real app in a real terminal: tmux on its own socket
(`tmux -L perf`), 120x40, driven through a tmux control-mode client. Two clocks are read:

- in the app (benchmarks/probe.py logs when each key reached the app, when the app handled it,
  when each frame was written, when each file write was durable): the app's own latency, from
  the key reaching the app to the first frame after it was handled;
- outside (the runner): from `send-keys` to the pane's content changing (polling
  `capture-pane`): what the user feels, including the terminal.

Before the sizes, a bare Textual app (benchmarks/bare_app.py: a Static and a Footer) is started
the same way: its first paint is the floor under Groom's on the machine at hand.

Rows (medians, with p90 and max):
  first paint         process start to the first frame of the grooming screen
  first key           a `j` sent the moment the first paint shows, to the screen answering it
  cursor move         `j`/`k`, key to screen
  J/K move            moving the item, key to screen; and key to the change durable on disk
  edit (m)            a one-key edit (cycle MoSCoW), key to screen and key to durable
  filter keystroke    typing a filter, key to the screen showing the new match count (in the
                      terminal: only keys that change the count; in the app: every key, to the
                      frame after the list re-rendered)
  burst of 10 J       ten moves sent at once: writes made, and time to all durable
  quit                `q` to the process gone (after flushing)
  peak RSS            at exit, after all of the above

Not part of the test suite: numbers depend on the machine and its load (printed with them).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out"
SOCKET = "perf"
WIDTH, HEIGHT = 120, 40
FILTER_TEXT = "refund kind:bug"


# ----- tmux --------------------------------------------------------------------------------


class Tmux:
    """A tmux server on its own socket, driven by one control-mode client (no process per command)."""

    def __init__(self) -> None:
        self.base = ["tmux", "-L", SOCKET, "-f", "/dev/null"]
        if subprocess.run([*self.base, "kill-server"], capture_output=True).returncode == 0:
            time.sleep(0.5)  # a server was left from an interrupted run: let it go first
        subprocess.run([*self.base, "new-session", "-d", "-s", "bench", "-x", str(WIDTH), "-y", str(HEIGHT),
                        "sleep 1000000"], check=True)
        self.client = subprocess.Popen([*self.base, "-C", "attach", "-t", "bench"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True, bufsize=1)
        self._send("display-message -p SYNC")
        while self._block("display-message") != ["SYNC"]:
            pass  # skip the output of the attach itself
        for _ in range(50):  # the control client sets the window size, once the server knows it
            try:
                self.cmd(f"refresh-client -C {WIDTH}x{HEIGHT}")
                break
            except RuntimeError:
                time.sleep(0.1)
        for option in ("escape-time 10", "remain-on-exit on", "default-terminal screen-256color", "history-limit 0"):
            self.cmd(f"set-option -g {option}")
        self.cmd("refresh-client -f no-output")

    def cmd(self, command: str) -> list[str]:
        self._send(command)
        return self._block(command)

    def _send(self, command: str) -> None:
        assert self.client.stdin
        self.client.stdin.write(command + "\n")
        self.client.stdin.flush()

    def _block(self, command: str) -> list[str]:
        """The output of the next command, skipping notifications."""
        assert self.client.stdout
        lines: list[str] = []
        inside = skipping = False
        while True:
            line = self.client.stdout.readline()
            if not line:
                raise RuntimeError("tmux control client went away")
            line = line.rstrip("\n")
            if skipping:
                skipping = not line.startswith(("%end ", "%error "))
                continue
            if not inside:
                # Flags 1: the output of a command this client sent (0: e.g. of the attach itself).
                inside = line.startswith("%begin ") and line.endswith(" 1")
                skipping = line.startswith("%begin ") and not inside
                continue
            if line.startswith(("%end ", "%error ")):
                if line.startswith("%error "):
                    raise RuntimeError(f"tmux: {command}: {lines}")
                return lines
            lines.append(line)

    def screen(self) -> str:
        return "\n".join(self.cmd("capture-pane -p -t bench:app"))

    def keys(self, *keys: str) -> None:
        self.cmd("send-keys -t bench:app " + " ".join(keys))

    def dead(self) -> bool:
        return self.cmd("display-message -p -t bench:app '#{pane_dead}'") == ["1"]

    def close(self) -> None:
        if self.client.stdin:
            self.client.stdin.close()
        self.client.wait(timeout=5)
        subprocess.run([*self.base, "kill-server"], capture_output=True)


def wait_for(test, timeout: float = 30.0, step: float = 0.002) -> float:
    """Poll `test()` until true; return the monotonic time it first held."""
    limit = time.monotonic() + timeout
    while True:
        if test():
            return time.monotonic()
        if time.monotonic() > limit:
            raise TimeoutError("the screen did not show what was expected")
        time.sleep(step)


# ----- the probe's log ------------------------------------------------------------------------


@dataclass
class Log:
    path: Path
    events: list[tuple[str, list[str]]] = field(default_factory=list)
    offset: int = 0

    def read(self) -> None:
        with open(self.path) as handle:
            handle.seek(self.offset)
            data = handle.read()
        complete = data[: data.rfind("\n") + 1]
        self.offset += len(complete.encode())
        for line in complete.splitlines():
            name, *rest = line.split()
            self.events.append((name, rest))

    def times(self, name: str) -> list[float]:
        return [float(rest[0]) for n, rest in self.events if n == name]

    def writes(self) -> list[tuple[float, float, int]]:
        return [(float(r[0]), float(r[1]), int(r[2])) for n, r in self.events if n == "write"]

    def first_after(self, name: str, moment: float) -> float | None:
        return next((t for t in self.times(name) if t >= moment), None)


# ----- one size ---------------------------------------------------------------------------------


class Session:
    """The app on one backlog copy, in tmux, with its probe log."""

    def __init__(self, tmux: Tmux, backlog: Path, tag: str) -> None:
        self.tmux = tmux
        self.path = OUT / f"run-{tag}.json"
        for stale in (self.path, self.path.with_name(f".{self.path.name}.lock")):
            stale.unlink(missing_ok=True)
        shutil.copyfile(backlog, self.path)
        self.log = Log(OUT / f"run-{tag}.log")
        self.log.path.write_text("")
        self.command = " ".join([sys.executable, str(ROOT / "benchmarks" / "probe.py"), str(self.log.path), "--",
                                 str(self.path)])

    def start(self, marker: str) -> tuple[float, float, float]:
        """Start the app; return (start, first paint seen in the pane, first paint in the app)."""
        started = time.monotonic()
        self.tmux.cmd(f"new-window -d -t bench -n app -c {ROOT} 'exec {self.command}'")
        seen = wait_for(lambda: marker in self.tmux.screen(), timeout=120)
        self.log.read()
        paint = self.log.times("paint")
        return started, seen, paint[0] if paint else float("nan")

    def press(self, key: str, until=None, settle: float = 0.03) -> tuple[float, float, float | None]:
        """Send a key; wait for the cursor row to change (or `until(screen)`); return (sent, seen, key in app).

        The cursor row, not the whole screen: other things may repaint meanwhile (a blinking cursor)."""
        before = cursor_row(self.tmux.screen())
        sent = time.monotonic()
        self.tmux.keys(key)
        test = (lambda: until(self.tmux.screen())) if until else (lambda: cursor_row(self.tmux.screen()) != before)
        try:
            seen = wait_for(test)
        except TimeoutError:
            raise TimeoutError(f"after {key!r} the screen did not change as expected:\n{self.tmux.screen()}") from None
        time.sleep(settle)
        self.log.read()
        arrived = self.log.first_after("key", sent)
        return sent, seen, arrived

    def frame_after(self, moment: float, *, after: str | None = None) -> float | None:
        """The first frame after `moment`, or after the first `after` event that follows it: a
        key waits in the app's queue while the app is busy (start-up), and a frame meanwhile
        does not show it."""
        self.log.read()
        if after:
            handled = self.log.first_after(after, moment)
            return None if handled is None else self.log.first_after("frame", handled)
        return self.log.first_after("frame", moment)

    def durable_after(self, moment: float, timeout: float = 30.0) -> float | None:
        """End of the first write that started after `moment` (waits for it)."""
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            self.log.read()
            for started, ended, _ in self.log.writes():
                if started >= moment:
                    return ended
            time.sleep(0.002)
        return None

    def quit(self) -> float:
        sent = time.monotonic()
        self.tmux.keys("q")
        try:
            gone = wait_for(self.tmux.dead, timeout=60, step=0.002)
        except TimeoutError:
            raise TimeoutError(f"q did not quit the app:\n{self.tmux.screen()}") from None
        self.log.read()
        self.tmux.cmd("kill-window -t bench:app")
        return gone - sent

    def rss_mb(self) -> float:
        self.log.read()
        values = [float(rest[0]) for name, rest in self.log.events if name == "rss"]
        return values[-1] / 1024 if values else float("nan")


def cursor_row(screen: str) -> str:
    return next((line[:70] for line in screen.splitlines() if line.startswith("▶")), "")


def ms(value: float | None) -> float | None:
    return None if value is None else value * 1000


def measure_bare(tmux: Tmux, launches: int) -> list[float]:
    """First paint of a bare Textual app (benchmarks/bare_app.py), started the same way: the
    floor under Groom's first paint on this machine."""
    from bare_app import MARKER

    log = Log(OUT / "run-bare.log")
    command = " ".join([sys.executable, str(ROOT / "benchmarks" / "probe.py"), str(log.path), "--", "--bare"])
    samples = []
    for _ in range(launches):
        log.path.write_text("")
        started = time.monotonic()
        tmux.cmd(f"new-window -d -t bench -n app -c {ROOT} 'exec {command}'")
        seen = wait_for(lambda: MARKER in tmux.screen(), timeout=60)
        samples.append(ms(seen - started))
        tmux.keys("q")
        wait_for(tmux.dead, timeout=30, step=0.002)
        tmux.cmd("kill-window -t bench:app")
    return samples


def measure(size: int, backlog: Path, tmux: Tmux, keys: int, launches: int) -> dict[str, list[float]]:
    from model.filter import parse_filter
    from model.store import Store

    results: dict[str, list[float]] = {}

    def add(name: str, value: float | None) -> None:
        if value is not None and value == value:
            results.setdefault(name, []).append(value)

    marker = f"{size:,} items"
    for launch in range(launches):
        session = Session(tmux, backlog, f"{size}")
        started, seen, painted = session.start(marker)
        add("first paint (app)", ms(painted - started))
        add("first paint (terminal)", ms(seen - started))
        sent, answered, arrived = session.press("j")
        add("first key (terminal)", ms(answered - sent))
        frame = session.frame_after(arrived, after="cursor") if arrived else None
        add("first key (app)", ms(frame - arrived) if frame and arrived else None)
        if launch < launches - 1:
            session.quit()
            continue

        # The main session: everything else, one key at a time.
        for n in range(keys):
            sent, seen, arrived = session.press("j" if n % 4 != 3 else "k")
            add("cursor move (terminal)", ms(seen - sent))
            frame = session.frame_after(arrived, after="cursor") if arrived else None
            add("cursor move (app)", ms(frame - arrived) if frame and arrived else None)
        for n in range(keys):
            sent, seen, arrived = session.press("J" if n % 2 == 0 else "K", settle=0)
            add("J/K move (terminal)", ms(seen - sent))
            if arrived:
                frame = session.frame_after(arrived, after="view")
                add("J/K move (app)", ms(frame - arrived) if frame else None)
                durable = session.durable_after(arrived)
                add("J/K to durable (app)", ms(durable - arrived) if durable else None)
            time.sleep(0.02)
        for _ in range(max(3, keys // 3)):
            sent, seen, arrived = session.press("m", settle=0)
            add("edit m (terminal)", ms(seen - sent))
            if arrived:
                frame = session.frame_after(arrived, after="view")
                add("edit m (app)", ms(frame - arrived) if frame else None)
                durable = session.durable_after(arrived)
                add("edit m to durable (app)", ms(durable - arrived) if durable else None)
            time.sleep(0.02)

        # A burst: ten moves sent at once (a held key). Writes coalesce; all must reach the disk.
        session.log.read()
        writes_before = len(session.log.writes())
        sent = time.monotonic()
        session.tmux.keys(*["J"] * 10)
        time.sleep(0.05)
        quiet_since = time.monotonic()
        limit = time.monotonic() + 60
        # Until the burst's writes are done: at least one, then none for 0.6 s.
        while (time.monotonic() - quiet_since < 0.6 or len(session.log.writes()) == writes_before) \
                and time.monotonic() < limit:
            count = len(session.log.writes())
            time.sleep(0.05)
            session.log.read()
            if len(session.log.writes()) != count:
                quiet_since = time.monotonic()
        writes = session.log.writes()[writes_before:]
        add("burst of 10 J: writes", float(len(writes)))
        add("burst of 10 J: to all durable", ms(writes[-1][1] - sent) if writes else None)

        # The filter: type it one key at a time; the screen must show each new match count.
        _, backlog_now = Store.open(session.path)
        session.press("/", until=lambda screen: "type to filter" in screen)
        total = len(backlog_now)
        said = "type to filter"
        for end in range(1, len(FILTER_TEXT) + 1):
            typed = FILTER_TEXT[:end]
            count = len(parse_filter(typed, backlog_now.meta.settings).apply(backlog_now))
            active = parse_filter(typed, backlog_now.meta.settings).active
            expected = f"{count:,} of {total:,} match" if active else "type to filter"
            char = FILTER_TEXT[end - 1]
            key = "Space" if char == " " else f"'{char}'"
            shown = f"{typed}" if len(typed) < 60 else typed[-60:]
            sent, seen, arrived = session.press(
                key, until=lambda screen, e=expected, t=shown: e in screen and t in screen)
            # A keystroke that leaves the count as it was shows its character (the field's echo,
            # a frame of its own) before the list: the terminal cannot tell when the list came.
            if expected != said:
                add("filter keystroke (terminal)", ms(seen - sent))
            said = expected
            frame = session.frame_after(arrived, after="view") if arrived else None
            add("filter keystroke (app)", ms(frame - arrived) if frame and arrived else None)
        session.press("Escape", until=lambda screen: "match · escape clears" not in screen and "J/K" in screen)
        add("quit, flushing (terminal)", ms(session.quit()))
        add("peak RSS MB", session.rss_mb())
        Store.open(session.path)  # the file the session left opens (or this raises)
    return results


# ----- reporting ----------------------------------------------------------------------------------


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    values = sorted(values)
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.0f}"
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return f"{median:.0f} ({p90:.0f} / {values[-1]:.0f})"


def machine() -> str:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"{model or platform.processor()}, {os.cpu_count()} cores, Python {platform.python_version()}"


# Issue 10's targets (medians, ms or MB): the table marks each median ✓ or ✗ against them. The
# first-paint and key rows are met when the terminal's figure is.
TARGETS: dict[str, tuple[float, float, float, float]] = {
    "first paint": (600, 1000, 1600, 2500),
    "first key": (100, 100, 100, 100),
    "cursor move": (16, 16, 16, 25),
    "J/K move": (16, 20, 20, 30),
    "J/K to durable": (20, 60, 100, 250),
    "filter keystroke": (20, 40, 60, 120),
    "peak RSS MB": (120, 200, 300, 500),
}
TARGET_SIZES = (1000, 10000, 20000, 50000)


def verdict(name: str, size: int, values: list[float]) -> str:
    base = name.split(" (")[0]
    if base not in TARGETS or size not in TARGET_SIZES or not values:
        return ""
    return " ✓" if statistics.median(values) <= TARGETS[base][TARGET_SIZES.index(size)] else " ✗"


def print_table(results: dict[int, dict[str, list[float]]]) -> None:
    sizes = list(results)
    names = list(dict.fromkeys(name for r in results.values() for name in r))
    print("| measure (ms; median (p90 / max)) | " + " | ".join(f"{s:,}" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for name in names:
        cells = (summary(results[s].get(name, [])) + verdict(name, s, results[s].get(name, [])) for s in sizes)
        print(f"| {name} | " + " | ".join(cells) + " |")


def pool(paths: list[Path]) -> int:
    """Print the table of several runs' raw samples (--json files) taken together."""
    results: dict[int, dict[str, list[float]]] = {}
    bare: list[float] = []
    for path in paths:
        raw = json.loads(path.read_text())
        bare += raw.pop("bare first paint (terminal)", [])
        for size, rows in raw.items():
            for name, values in rows.items():
                results.setdefault(int(size), {}).setdefault(name, []).extend(values)
    if bare:
        print(f"bare Textual app (benchmarks/bare_app.py), first paint in the terminal: {summary(bare)} ms")
    print_table(dict(sorted(results.items())))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,20000,50000", help="comma-separated item counts")
    parser.add_argument("--keys", type=int, default=30, help="keys per measure (default 30)")
    parser.add_argument("--launches", type=int, default=3, help="app starts per size for first paint (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the raw samples here")
    parser.add_argument("--pool", type=Path, nargs="+", metavar="JSON",
                        help="measure nothing: print the table of these runs' --json samples taken together")
    options = parser.parse_args(argv)
    if options.pool:
        return pool(options.pool)
    sizes = [int(s) for s in options.sizes.split(",") if s]
    OUT.mkdir(parents=True, exist_ok=True)
    if not shutil.which("tmux"):
        print("run.py needs tmux", file=sys.stderr)
        return 1
    from make_backlog import write_backlog

    # A user's second start finds the bytecode Python cached on the first; a machine with
    # PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every start (~0.2 s).
    compileall.compile_dir(ROOT / "model", quiet=1)
    compileall.compile_dir(ROOT / "tui", quiet=1)
    load = os.getloadavg()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()} · load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    all_results: dict[int, dict[str, list[float]]] = {}
    tmux = Tmux()
    try:
        bare = measure_bare(tmux, max(3, options.launches))
        print(f"bare Textual app (benchmarks/bare_app.py), first paint in the terminal: {summary(bare)} ms",
              flush=True)
        for size in sizes:
            backlog = OUT / f"backlog-{size}-seed{options.seed}.json"
            if not backlog.exists():
                write_backlog(backlog, size, options.seed)
            print(f"… {size:,} items ({backlog.stat().st_size / 1e6:.0f} MB)", flush=True)
            all_results[size] = measure(size, backlog, tmux, options.keys, options.launches)
    finally:
        tmux.close()
    print()
    print_table(all_results)
    load = os.getloadavg()
    print(f"\nload after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if options.json:
        raw: dict[str, object] = {str(k): v for k, v in all_results.items()}
        raw["bare first paint (terminal)"] = bare
        options.json.write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.exit(main())
