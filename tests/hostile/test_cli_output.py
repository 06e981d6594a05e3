"""`groom check FILE | head -1`: the reader leaving early is not an error worth a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.hostile.test_store_loader import CANONICAL

ROOT = Path(__file__).resolve().parents[2]


def test_check_into_a_closed_pipe_stops_quietly(tmp_path):
    path = tmp_path / "shop.json"
    path.write_bytes(CANONICAL)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before groom writes a line
    try:
        result = subprocess.run([sys.executable, "-m", "tui.cli", "check", str(path)], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
    finally:
        os.close(write_end)
    assert result.returncode == 141  # as if killed by SIGPIPE, like other command-line tools
    assert result.stderr == ""
    assert path.read_bytes() == CANONICAL
