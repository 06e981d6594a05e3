"""`groom serve`: the same app in a web browser, over textual-serve, on localhost by default."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.tui.scenario import make_service


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def read_screen(port: int, seconds: float) -> bytes:
    """Connect like a browser does and collect what the app draws."""
    received = b""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30") as ws:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and b"Webshop checkout" not in received:
                try:
                    message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    received += message.data.encode()
                elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
    return received


def test_serve_runs_the_app_in_a_browser_session(tmp_path: Path):
    path = tmp_path / "backlog.json"
    make_service(path)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", str(path), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = b""
        for _ in range(100):  # wait for the server to listen
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                    conn.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    page = conn.recv(65536)
                break
            except OSError:
                time.sleep(0.1)
        assert b"200 OK" in page
        screen = asyncio.run(read_screen(port, 30))
        assert b"Webshop checkout" in screen  # the grooming screen, drawn for the browser
    finally:
        server.terminate()
        server.wait(10)


def test_serve_refuses_a_bad_file_before_listening(tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    result = subprocess.run([sys.executable, "-m", "tui.cli", "serve", str(path), "--port", str(free_port())],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
