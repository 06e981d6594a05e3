"""When and how the backlog file is written: at once, or by a background thread that coalesces.

A whole write is the whole file (TinyDB's format), atomically: temp file, fsync, rename. At
10k items that takes ~30 ms, at 50k ~170 ms, so a keystroke must not wait for it. The writer
takes the documents each change produced (`submit`), and a background thread writes them;
changes that arrive while a write is under way are written together by the next one.

On big files (over `log_over` bytes) the background thread appends each batch to the change
log beside the file instead (`Store.append`, model/journal.py: a few kB and an fsync, well under
a millisecond), and a second thread folds the log into the file (`Store.compact`) once nothing
has changed for `COMPACT_IDLE_SECONDS`, when the log grows past `COMPACT_LOG_BYTES`, and on
`close` (quitting). The file alone then holds everything, for git and for other tools.

The rules that keep the file safe and shared (see README, "Your data is safe"):

- The file lock is taken before a change is planned (`changing`, by the thread that owns the
  backlog) and let go only once every change is written, so no other Groom can write in
  between: what we plan on is what we write on. Taking it anew means pulling first.
- The thread never touches the Backlog: it gets plain documents, and reports back through
  `problem` (a failed write: nothing more is written until the owner has undone the changes
  that are not on disk) or `file_changed` (a program that ignores the lock changed the file:
  the owner pulls it in, then writing goes on). The owner is told by `attention()`.
- Without a thread (`background=False`) the same `_write` runs in the caller's thread.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from model.backlog import Written
from model.errors import StoreError
from model.store import FileChanged, Pending, Store

COMPACT_IDLE_SECONDS = 2.0  # fold the log in after this long without a change
COMPACT_LOG_BYTES = 8_000_000  # or as soon as it holds this much


class Writer:
    def __init__(self, store: Store, *, background: bool = False, log_over: int | None = None) -> None:
        self.store = store
        self.background = background
        # Append to the change log instead of rewriting files bigger than this (None: never).
        self.log_over = log_over if background else None
        self.attention: Callable[[], None] | None = None  # called from the thread when the owner must act
        self._mutex = threading.Lock()
        self._changed = threading.Condition(self._mutex)
        self._pending: Pending = {}
        self._pending_seq = 0
        self.submitted = 0  # sequence number of the newest change submitted
        self.durable = 0  # every change up to this one is on disk
        self.problem: StoreError | None = None  # the write that failed
        self.file_changed = False
        self.writes = 0  # how many times the file was written
        self.last_write_seconds = 0.0
        self.last_write_bytes = 0
        self._writing = False
        self._holding = False  # we hold the file lock
        self._planning = 0  # changes being planned under our lock
        self._thread: threading.Thread | None = None
        self._compactor: threading.Thread | None = None
        self._last_submit = time.monotonic()
        self._compact_refused = -1  # the change after which folding the log in last gave up
        self.compactions = 0
        self._closed = False

    # ----- the owner's side ------------------------------------------------------------

    @contextlib.contextmanager
    def changing(self) -> Iterator[bool]:
        """Hold the file lock while a change is planned and submitted. Yields True when the lock
        was taken just now: the caller must first pull what other processes wrote."""
        with self._mutex:
            self._planning += 1
            held = self._holding
        try:
            if not held:  # the thread lets go only when idle and nothing is planned: no race
                self.store.acquire()
                with self._mutex:
                    self._holding = True
            yield not held
        finally:
            with self._mutex:
                self._planning -= 1
                self._release_if_idle()

    def submit(self, written: list[Written], *, hold: bool = False) -> int:
        """Queue the documents of one change; returns its sequence number. `hold`: the owner
        will wait for it soon (wait), and writes it then itself: a small file's write started
        here at once shared the interpreter with the frame the owner draws meanwhile, each of
        its steps (write, fsync, rename) waiting for the interpreter again, and took 17 ms
        instead of 5."""
        with self._mutex:
            for doc in written:
                self._pending[(doc.table, str(doc.doc_id))] = doc.doc
            self.submitted += 1
            self._pending_seq = self.submitted
            self._last_submit = time.monotonic()
            if self.background and not hold:
                self._start()
                self._changed.notify_all()
        return self.submitted

    def wait(self) -> None:
        """Until everything submitted is written, or the owner must act (problem/file_changed).
        What no thread is writing yet, the caller writes itself rather than wait for it."""
        self._write_pending()
        if not self.background:
            return
        with self._mutex:
            while (self._pending or self._writing) and not (self.problem or self.file_changed):
                self._changed.wait()

    @property
    def idle(self) -> bool:
        with self._mutex:
            return not (self._pending or self._writing or self._holding)

    def rebase(self, current: Callable[[str, int, Any], Any]) -> None:
        """After the owner pulled a file changed under our lock: take our pending documents
        afresh from memory (which now holds the others' changes too) and go on writing."""
        with self._mutex:
            self._pending = {(table, doc_id): current(table, int(doc_id), doc)
                             for (table, doc_id), doc in self._pending.items()}
            self.file_changed = False
            self._changed.notify_all()

    def pending(self, table: str) -> dict[int, Any]:
        """The documents of `table` waiting to be written (None: to be deleted)."""
        with self._mutex:
            return {int(doc_id): doc for (name, doc_id), doc in self._pending.items() if name == table}

    def reset(self) -> None:
        """After a failure, once the owner has undone what was not written: start clean."""
        with self._mutex:
            self._pending.clear()
            self.problem = None
            self.durable = self.submitted
            self._release_if_idle()
            self._changed.notify_all()

    def close(self) -> None:
        """Stop the threads, then fold the change log into the file (quitting leaves the file
        whole, for git and other tools; if that fails the log still holds every change)."""
        with self._mutex:
            self._closed = True
            self._changed.notify_all()
        for thread in (self._thread, self._compactor):
            if thread is not None:
                thread.join(timeout=60)
        if self.store.log_bytes and not (self._pending or self.problem or self.file_changed):
            with contextlib.suppress(StoreError):
                if self.store.compact():
                    self.compactions += 1

    # ----- writing -----------------------------------------------------------------------

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="groom-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._mutex:
                while not self._pending or self.problem or self.file_changed:
                    if self._closed:
                        return
                    self._changed.wait()
            self._write_pending()

    def _write_pending(self) -> None:
        with self._mutex:
            if not self._pending or self.problem or self.file_changed or self._writing:
                return
            batch, seq = self._pending, self._pending_seq
            self._pending = {}
            self._writing = True
        started = time.perf_counter()
        try:
            if self._use_log():
                size = self.store.append(batch)
                self._start_compactor()
            else:
                size = self.store.write(batch)
        except FileChanged:
            with self._mutex:
                self._pending = {**batch, **self._pending}  # newer documents win
                self.file_changed = True
                self._writing = False
                self._changed.notify_all()
            self._call_attention()
            return
        except Exception as exc:  # whatever it was (MemoryError, a bug), the owner must hear of it
            problem = exc if isinstance(exc, StoreError) else StoreError(f"{self.store.path}: cannot save ({exc})")
            with self._mutex:
                self.problem = problem
                self._pending = {}
                self._writing = False
                self._release_if_idle()
                self._changed.notify_all()
            self._call_attention()
            return
        with self._mutex:
            self.last_write_seconds = time.perf_counter() - started
            self.last_write_bytes = size
            self.durable = seq
            self.writes += 1
            self._writing = False
            self._release_if_idle()
            self._changed.notify_all()

    def _use_log(self) -> bool:
        signature = self.store.signature
        return self.log_over is not None and (signature is None or signature.size > self.log_over)

    # ----- folding the log into the file ---------------------------------------------------

    def _start_compactor(self) -> None:
        if self._compactor is None or not self._compactor.is_alive():
            self._compactor = threading.Thread(target=self._compact_loop, name="groom-compactor", daemon=True)
            self._compactor.start()

    def _compact_loop(self) -> None:
        while True:
            with self._mutex:
                while True:
                    if self._closed:
                        return
                    wait = self._compaction_due()
                    if wait == 0:
                        break
                    self._changed.wait(timeout=wait)
                seq = self.submitted
            try:
                done = self.store.compact()
            except StoreError:
                done = False  # the log still holds every change; try again after the next one
            with self._mutex:
                if done:
                    self.compactions += 1
                else:
                    self._compact_refused = seq

    def _compaction_due(self) -> float | None:
        """0 when the log should be folded in now; else how long to wait (None: until told)."""
        size = self.store.log_bytes
        if not size or self._compact_refused == self.submitted or self.problem or self.file_changed:
            return None
        if self._pending or self._writing:
            return 0.1
        if size > COMPACT_LOG_BYTES:
            return 0
        return max(0.0, COMPACT_IDLE_SECONDS - (time.monotonic() - self._last_submit))

    def _release_if_idle(self) -> None:
        # With the mutex held. After a failure we let go too: the owner undoes what was not
        # written, and its next change takes the lock again and pulls.
        if self._holding and not self._writing and not self._planning and (not self._pending or self.problem):
            self.store.release()
            self._holding = False

    def _call_attention(self) -> None:
        if self.attention is not None:
            self.attention()
