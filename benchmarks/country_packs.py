"""What the country packs cost (SQLite file, WAL, synchronous=FULL).

    python benchmarks/country_packs.py [--receipts 500] [--lines 200] [--scans 100]

approvals
    Receipts of 3 lines made and approved at the till of the French demo store
    (each approval also appends a link to the fiscal hash chain, in the same
    transaction) and of the Italian demo store (no chain): receipts per second.
verify
    `verify_chains` over the French database just filled: links checked per second.
scans
    One scan on a --lines line invoice of the Polish demo store (split payment
    evaluated at every save) and of the Italian one (reverse charge): median and
    99th percentile, the new line deleted again untimed after each scan.

Times are wall-clock on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cassa.engine.documents import DocumentType
from cassa.engine.fiscal import verify_chains
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database, open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SALES = {"fr-store": ["BAGUETTE", "CROISSANT", "CAFE"], "it-store": ["CEMENT-25", "BRICK", "BRICK"]}
LINES = {"pl-store": ("FIRMA1", "STEEL-ROD"), "it-store": ("EDIL01", "PHONE-X")}


def prepared(folder: Path, store: str, name: str) -> tuple[Database, Till]:
    database = open_database(str(folder / f"{name}-{store}.db"))
    import_store(database, load_store(EXAMPLES / store))
    till = Till.open(database, clock=lambda: datetime(2026, 7, 6, 9, tzinfo=UTC))
    till.open_day()
    return database, till


def approvals(folder: Path, store: str, receipts: int) -> tuple[float, Database]:
    database, till = prepared(folder, store, "approvals")
    started = time.perf_counter()
    for _ in range(receipts):
        for sku in SALES[store]:
            till.scan(sku)
        till.approve()
    return receipts / (time.perf_counter() - started), database


def scans(folder: Path, store: str, lines: int, repetitions: int) -> tuple[float, float]:
    database, till = prepared(folder, store, "scans")
    customer, sku = LINES[store]
    try:
        till.new_document(DocumentType.INVOICE)
        till.set_customer(customer)
        for _ in range(lines):
            till.scan(sku)
        timings = []
        for _ in range(repetitions):
            started = time.perf_counter()
            till.scan(sku)
            timings.append(time.perf_counter() - started)
            till.delete_line(len(till.document().lines))
        timings.sort()
        return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--receipts", type=int, default=500)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--scans", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as name:
        folder = Path(name)
        rates = {}
        for store in ("it-store", "fr-store"):
            rate, database = approvals(folder, store, args.receipts)
            rates[store] = rate
            if store == "fr-store":
                started = time.perf_counter()
                report = verify_chains(database, document_types={"receipt", "invoice"})
                elapsed = time.perf_counter() - started
                links = sum(report.chains.values())
                assert report.ok
            database.dispose()
        print(
            f"approvals: {rates['it-store']:.0f}/s without a chain (it), "
            f"{rates['fr-store']:.0f}/s with the hash chain (fr), "
            f"{args.receipts} receipts of 3 lines"
        )
        print(f"verify: {links} links in {elapsed * 1000:.0f} ms ({links / elapsed:.0f} links/s)")
        for store in ("it-store", "pl-store"):
            median, p99 = scans(folder, store, args.lines, args.scans)
            print(
                f"scan on a {args.lines}-line invoice ({store}): median {median * 1000:.1f} ms, "
                f"p99 {p99 * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
