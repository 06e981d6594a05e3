"""The sample files are built from their source, through the model, and nothing else.

Nobody edits the JSON by hand: the committed files must be exactly what the source builds, so
a change to a sample is a change to its source followed by `python -m sample_backlogs.build`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from model.store import Store
from sample_backlogs import build
from sample_backlogs.build import SampleError, render
from sample_backlogs.source import SAMPLES
from sample_backlogs.spec import item
from tests.samples.conftest import packaged
from tui.cli import DEMOS

BY_NAME = {sample.file: sample for sample in SAMPLES}


def test_every_demo_has_a_source_and_every_source_is_a_demo():
    assert tuple(BY_NAME) == DEMOS


@pytest.mark.parametrize("name", DEMOS)
def test_the_committed_file_is_what_the_source_builds(name: str):
    assert render(BY_NAME[name]) == packaged(name).read_bytes(), (
        f"sample_backlogs/{name}.json differs from its source: run python -m sample_backlogs.build"
    )


@pytest.mark.parametrize("name", DEMOS)
def test_the_build_is_deterministic(name: str):
    assert render(BY_NAME[name]) == render(BY_NAME[name])


@pytest.mark.parametrize("name", DEMOS)
def test_the_sample_opens_without_warnings_or_migration(name: str):
    path = packaged(name)
    before = sorted(p.name for p in path.parent.iterdir())
    _, backlog = Store.open(path)
    assert backlog.warnings == []
    assert len(backlog) == len(BY_NAME[name].items)
    assert sorted(p.name for p in path.parent.iterdir()) == before  # no .bak: already the current format


def test_check_mode_passes_on_the_committed_files(capsys):
    assert build.main(["--check"]) == 0
    assert capsys.readouterr().err == ""


def test_check_mode_names_a_stale_file_and_writes_nothing(tmp_path: Path, monkeypatch, capsys):
    stale = tmp_path / "webshop.json"
    stale.write_bytes(b"{}\n")
    real = build.path_of
    monkeypatch.setattr(build, "path_of", lambda sample: stale if sample.file == "webshop" else real(sample))
    assert build.main(["--check"]) == 1
    assert "webshop.json" in capsys.readouterr().err
    assert stale.read_bytes() == b"{}\n"


def test_writing_replaces_only_stale_files(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(build, "path_of", lambda sample: tmp_path / f"{sample.file}.json")
    assert build.main([]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.json" for name in DEMOS)
    for name in DEMOS:
        assert (tmp_path / f"{name}.json").read_bytes() == packaged(name).read_bytes()
        assert (tmp_path / f"{name}.json").stat().st_mode & 0o777 == 0o644  # shipped: readable by all
    capsys.readouterr()
    assert build.main([]) == 0
    assert capsys.readouterr().out.count("unchanged") == len(DEMOS)


# ----- the build refuses a story that does not add up -------------------------------------


def _with_item(**fields) -> object:
    sample = BY_NAME["webshop"]
    spec = item("extra", fields.pop("title", "An extra item"), created=fields.pop("created", "2026-10-01"), **fields)
    return dataclasses.replace(sample, items=(*sample.items, spec))


@pytest.mark.parametrize(("fields", "message"), [
    ({"status": "ready", "points": 3, "moscow": "must"}, "marked ready but: no acceptance criteria"),
    ({"status": "new", "questions": [("Legal (Priya)", "May we?")]}, "has open questions, so it is needs_info"),
    ({"status": "done", "criteria": ["Given a, when b, then c"]}, "done with criteria not ticked"),
    ({"status": "split"}, "split but has no children"),
    ({"parent": "saved-card"}, "which is planned, not split"),
    ({"parent": "nothing-like-it"}, "not in the sample"),
    ({"created": "2026-11-25"}, "not before 2026-11-25"),
    ({"updated": "2026-09-01"}, "updated before it is created"),
    ({"description": "See [[no-such-item]]."}, "[[no-such-item]] names no item"),
    ({"points": 4}, "not on the estimation scale"),
])
def test_an_inconsistent_sample_is_refused_with_the_reason(fields, message):
    with pytest.raises(SampleError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build.build_backlog(_with_item(**fields))


def test_a_repeated_ref_is_refused():
    sample = BY_NAME["webshop"]
    with pytest.raises(SampleError, match="'saved-card' is used twice"):
        build.build_backlog(dataclasses.replace(sample, items=(*sample.items, sample.items[0])))


def test_a_sprint_that_has_not_ended_is_refused():
    sample = BY_NAME["webshop"]
    running = sample.sprints[-1].model_copy(update={"name": "Sprint 39", "start": None, "end": None})
    with pytest.raises(SampleError, match="Sprint 39 needs start and end dates"):
        build.build_backlog(dataclasses.replace(sample, sprints=(*sample.sprints, running)))


def test_keys_follow_creation_order_and_skip_deleted_numbers():
    backlog = build.build_backlog(BY_NAME["webshop"])
    by_creation = sorted(backlog.items.values(), key=lambda i: (i.created, i.number))
    numbers = [i.number for i in by_creation]
    assert numbers == sorted(numbers)
    assert not set(numbers) & set(BY_NAME["webshop"].deleted)
    assert backlog.meta.next_number == max([*numbers, *BY_NAME["webshop"].deleted]) + 1
