"""Where an imported item came from, and what it looked like when it was imported.

An imported item's `source` reads `jira:HIVE-4413#1.<hashes>`: the reference (system and the
item's key there) and a short hash of each imported field as it was imported. A re-import
compares three values per field — as imported last time (the hash), as it is here now, as
the file has it now — and so tells apart a change made in Jira/Trello since (taken) from a
change made here while grooming (kept), without storing a copy of the imported data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

# The fields an import writes, in the order their hashes are stored.
FIELDS = ("title", "kind", "description", "status", "points", "moscow", "labels", "parent",
          "acceptance_criteria", "questions")
_VERSION = "1"
_HASH_BYTES = 3  # 6 hex digits: a false "unchanged" needs a 1-in-16-million collision per field


def field_hash(value: Any) -> str:
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=_HASH_BYTES).hexdigest()


def fingerprint(values: Mapping[str, Any]) -> dict[str, str]:
    return {name: field_hash(values.get(name)) for name in FIELDS}


def source_text(ref: str, hashes: Mapping[str, str]) -> str:
    return f"{ref}#{_VERSION}." + ".".join(hashes[name] for name in FIELDS)


def parse_source(text: str) -> tuple[str, dict[str, str] | None]:
    """(reference, field hashes); hashes are None when the source carries none (set by hand)."""
    ref, hash_mark, rest = text.partition("#")
    if not hash_mark:
        return text, None
    version, _, joined = rest.partition(".")
    parts = joined.split(".")
    if version != _VERSION or len(parts) != len(FIELDS):
        return ref, None
    return ref, dict(zip(FIELDS, parts, strict=True))


def source_ref(text: str) -> str:
    """The reference alone, as a person reads it: `jira:HIVE-4413`."""
    return text.partition("#")[0]
