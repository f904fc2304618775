"""Write the pinned results of the named queries: tests/expected/NAME.csv.

    .venv/bin/python tests/pin_queries.py            # every query in queries/*.rq
    .venv/bin/python tests/pin_queries.py park-figures central-soe-units

Builds dist/ first if it is stale. Each file holds the header and the rows, sorted, as
`jjjkg.readers.query.result_rows` writes them (prefixed names, literal values). Review a changed pin
by eye against the article before committing it: the pin is the expected answer.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "expected"


def pin_text(header: list[str], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def read_pin(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, [tuple(row) for row in rows]


def main(names: list[str]) -> int:
    import query_rows

    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store
    from jjjkg.readers import query

    store = open_store(ensure_built(REPO))
    chosen = [q for q in query.library(REPO) if not names or q.name in names]
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for item in chosen:
        header, rows = query_rows.result_rows(query.execute(store, item, query.bindings(item)))
        path = EXPECTED / f"{item.name}.csv"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        new = pin_text(header, rows)
        path.write_text(new, encoding="utf-8")
        state = "new" if old is None else "changed" if old != new else "same"
        print(f"{state:8} {len(rows):4} rows  {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
