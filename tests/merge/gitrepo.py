"""Real git repositories for the merge tests: a backlog file under version control, the Groom
merge driver configured as the README says (running this checkout's code), two branches."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from model.commands import Command
from model.service import BacklogService
from model.store import Store
from tests.tui import scenario

ROOT = Path(__file__).resolve().parents[2]
BACKLOG = "backlog.groom.json"


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path / BACKLOG

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.path.parent)}
        done = subprocess.run(["git", *args], cwd=self.path, capture_output=True, text=True, env=env, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def groom(self, *commands: Command, start: datetime | None = None) -> BacklogService:
        """Run commands on the backlog as checked out, through the service (as the app does)."""
        clock = scenario.frozen_clock(start or scenario.START)
        service = BacklogService.open(self.file, clock=clock, user="tester")
        for command in commands:
            service.execute(command)
        return service

    def commit(self, message: str) -> None:
        self.git("add", BACKLOG)
        self.git("commit", "-q", "-m", message)

    def merge(self, branch: str) -> subprocess.CompletedProcess[str]:
        return self.git("merge", "--no-edit", branch, check=False)

    def show(self, ref: str) -> bytes:
        return subprocess.run(["git", "show", f"{ref}:{BACKLOG}"], cwd=self.path, capture_output=True,
                              check=True).stdout


def make_repo(folder: Path, *, driver: bool = True) -> Repo:
    """A repository on `main` holding the scenario backlog, the driver set up per the README."""
    folder.mkdir()
    repo = Repo(folder)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Test Groomer")
    repo.git("config", "user.email", "groomer@example.com")
    repo.git("config", "commit.gpgsign", "false")
    if driver:
        command = f"{shlex.quote(sys.executable)} -m tui.cli merge-driver %O %A %B %P"
        repo.git("config", "merge.groom.name", "Groom backlog merge")
        repo.git("config", "merge.groom.driver", command)
    (folder / ".gitattributes").write_text("*.groom.json merge=groom diff=groom\n")
    (folder / ".gitignore").write_text(".*.lock\n")
    Store.create(repo.file, scenario.build_backlog())
    repo.git("add", ".gitattributes", ".gitignore", BACKLOG)
    repo.git("commit", "-q", "-m", "The backlog")
    return repo


LATER = scenario.START + timedelta(hours=1)  # the other branch grooms an hour later
