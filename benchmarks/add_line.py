"""How long one scan takes on a long receipt (SQLite file, WAL, synchronous=FULL).

    python benchmarks/add_line.py [--lines 200] [--repetitions 200]

Builds a receipt of --lines lines, then times --repetitions scans, each adding
one line to it (stored at once: one commit). After each timed scan the new
line is deleted again, untimed, so every scan meets a receipt of exactly
--lines lines. Prints the median and the 99th percentile; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event

from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ITEMS = ["8001234000011", "NOTEBOOK-A5", "STRAWBERRY", "BAG-TOTE", "JUICE-APPLE"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200, help="lines already on the receipt")
    parser.add_argument("--repetitions", type=int, default=200, help="scans to time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        database = open_database(str(Path(folder) / "add_line.db"))
        try:
            import_store(database, load_store(DEMO))
            till = Till.open(database)
            till.open_day()
            for index in range(args.lines):
                till.scan(ITEMS[index % len(ITEMS)])

            statements: Counter[str] = Counter()

            def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
                statements[" ".join(statement.split()[:3])] += 1

            timings = []
            for index in range(args.repetitions):
                event.listen(database.engine, "before_cursor_execute", count)
                started = time.perf_counter()
                till.scan(ITEMS[index % len(ITEMS)])
                timings.append(time.perf_counter() - started)
                event.remove(database.engine, "before_cursor_execute", count)
                till.delete_line(args.lines + 1)
            assert len(till.document().lines) == args.lines
        finally:
            database.dispose()

    ms = sorted(t * 1000 for t in timings)
    p99 = statistics.quantiles(ms, n=100, method="inclusive")[98] if len(ms) > 1 else ms[0]
    print(f"SQLite WAL + synchronous=FULL: one scan on a receipt of {args.lines} lines")
    print(f"  repetitions {args.repetitions}")
    print(f"  median {statistics.median(ms):7.2f} ms")
    print(f"  p99    {p99:7.2f} ms")
    print(f"  mean   {statistics.fmean(ms):7.2f} ms   min {ms[0]:.2f} ms   max {ms[-1]:.2f} ms")
    per_scan = ", ".join(
        f"{name} x{n / args.repetitions:g}" for name, n in sorted(statements.items())
    )
    print(f"  statements per scan: {per_scan}")


if __name__ == "__main__":
    main()
