"""The real exports are in the repository byte for byte, as SOURCES.md describes them."""

import hashlib

import pytest

from tests.io.conftest import FIXTURES

# sha256 from SOURCES.md (Jira hive and Trello gocd had e-mail addresses scrubbed after hashing,
# so those two are pinned to the scrubbed copies in /work/shared/fixtures).
SHA256 = {
    "jira-clearcorrect.csv": "0301b21aced9c533be8b695166c40cd28aaf4d0d3ba68af6a0e13aded1b4be05",
    "jira-jwprogram.csv": "fb5b3292f473e86609ad95c3f6d8093cdf4521d4c914b9d6595f51fa7b7fe6e9",
    "trello-simple-project-board.json": "671866e02049c0020b44b17354b878f8556f44b7a0702887de7f4f01316c8ff7",
    "jira-hive.csv": "5d128ddd2cacf657689a3d73924d3facc9ca3802e1541da89f2de1b1cac263d9",
    "trello-gocd-test-drive.json": "2cfc169ce9317f5bd6b6ae59f571fd0edfead01903902123fd68536f63f8f368",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_fixture_bytes_unchanged(name):
    assert hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest() == SHA256[name]


def test_sources_document_is_kept_beside_them():
    assert "Import fixtures: where they come from" in (FIXTURES / "SOURCES.md").read_text()
