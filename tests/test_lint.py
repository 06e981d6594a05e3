"""The code base stays lint-clean: ruff runs as part of the test suite."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    result = subprocess.run([ruff, "check", "--no-cache", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_model_never_imports_textual():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "model").rglob("*.py")
        if any(line.lstrip().startswith(("import textual", "from textual")) for line in path.read_text().splitlines())
    ]
    assert offenders == []


def test_tui_never_touches_tinydb():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tui").rglob("*.py")
        if "tinydb" in path.read_text().lower()
    ]
    assert offenders == []
