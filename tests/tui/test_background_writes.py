"""The app with a background writer (as `groom PATH` runs it): quitting waits for the last
change to be on disk; a failed write is told on screen and the change undone in the list."""

from __future__ import annotations

import threading

from model.errors import StoreError
from model.service import BacklogService
from model.store import Store
from tests.tui.conftest import backlog_list
from tui.app import GroomApp


def notifications(app: GroomApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def test_quitting_waits_for_the_last_change_to_be_written(service, backlog_path, monkeypatch):
    background = BacklogService.open(backlog_path, background=True, wait_under=None)
    opened = threading.Event()
    real = background.store.write

    def held(pending):
        opened.wait(30)
        return real(pending)

    monkeypatch.setattr(background.store, "write", held)
    app = GroomApp(background)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        key = backlog_list(app).current_key
        before = background.backlog.item(key).moscow
        await pilot.press("m")
        assert background.unsaved == 1  # the key was answered; the write waits at the gate
        threading.Timer(0.2, opened.set).start()
        await pilot.press("q")
    assert opened.is_set() and background.unsaved == 0
    _, on_disk = Store.open(backlog_path)
    assert on_disk.item(key).moscow != before
    assert on_disk.to_tables() == background.backlog.to_tables()
    background.close()


async def test_a_failed_background_write_is_told_and_undone_on_screen(service, backlog_path, monkeypatch):
    background = BacklogService.open(backlog_path, background=True, wait_under=None)

    def disk_full(blocks):
        raise StoreError(f"{backlog_path}: cannot save (No space left on device); the file on disk is unchanged")

    monkeypatch.setattr(background.store.storage, "write_temp", disk_full)
    app = GroomApp(background)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        key = backlog_list(app).current_key
        before = background.backlog.item(key).points
        await pilot.press("8")
        for _ in range(200):  # the writer's thread hands the failure to the UI thread
            await pilot.pause(0.01)
            if any("No space left" in n for n in notifications(app)):
                break
        told = [n for n in notifications(app) if "No space left" in n]
        assert told and "Not saved, so undone: Estimate" in told[0]
        assert background.backlog.item(key).points == before
        assert app.is_running
    background.writer.close()
