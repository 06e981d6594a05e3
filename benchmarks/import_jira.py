"""Time `groom import jira` on the real Hive export repeated to N issues (distinct keys).

    .venv/bin/python benchmarks/import_jira.py [N]
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path

from model.io.importing import import_file

HIVE = Path(__file__).resolve().parents[1] / "tests" / "io" / "fixtures" / "jira-hive.csv"


def main(count: int) -> None:
    rows = list(csv.reader(io.StringIO(HIVE.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    key_at, id_at = header.index("Issue key"), header.index("Issue id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(count):
        row = list(body[n % len(body)])
        row[key_at], row[id_at] = f"HIVE-{n + 1}", str(100000 + n)
        writer.writerow(row)
    folder = Path(tempfile.mkdtemp())
    source = folder / "big.csv"
    source.write_text(out.getvalue(), encoding="utf-8")
    start = time.perf_counter()
    result = import_file("jira", source, folder / "big.json")
    first = time.perf_counter() - start
    start = time.perf_counter()
    import_file("jira", source, folder / "big.json")
    again = time.perf_counter() - start
    size = source.stat().st_size / 1024 / 1024
    print(f"{count} issues ({size:.1f} MB): import {first:.2f} s, re-import (all unchanged) {again:.2f} s; "
          f"{len(result.report.created)} created")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
