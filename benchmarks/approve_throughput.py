"""How many receipts per second Cassa approves, against the raw commit rate of the database.

    python benchmarks/approve_throughput.py [--db URL] [--receipts 2000] [--lines 3]

Four numbers, on fresh SQLite files in a temporary folder or on the database of
`--db` (its catalog is replaced by the demo's), each printed with the load average
and as a share of the raw INSERT + COMMIT rate of the same database, measured in
the same run (benchmarks/_measure.py; targets: approve ≥ 60 % on SQLite, ≥ 40 % on
PostgreSQL; a paid receipt ≥ 30 %):

store
    A receipt of --lines lines built in memory, approved by DocumentStore in one
    transaction (header, lines, number, VAT rows, line values): one commit per
    receipt, the cost of approval itself.
till
    The same receipt made at the till: every scan is saved (one commit each; on
    SQLite a draft's commit does not wait for the disk), then approve().
paid
    The till's receipt paid in cash through the payment window: 3 scans, the
    payment and the approval (the payment's rows in the approval's transaction).
chain
    The same paid receipt at a till whose pack keeps the signed fiscal chain (the
    demo store with France's integrity rules): the document's link and the money
    link of its payment, cash movements and figures in the same transaction; printed
    with its ratio to `paid`, the chain's cost.

Times are wall-clock on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from _measure import load, raw_commit
from sqlalchemy import event

from cassa.engine.documents import DocumentStatus
from cassa.engine.fiscal import MemorySigner
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database, open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ITEMS = ["8001234000011", "NOTEBOOK-A5", "STRAWBERRY", "BAG-TOTE", "JUICE-APPLE"]
INTEGRITY = """\
apiVersion: cassa/v1
kind: FiscalRules
integrity:
  document_types: [receipt, invoice, receipt_return, invoice_return, manual_correction]
  signing: required
  signed: [closing]
"""


def chained_store(folder: Path) -> Path:
    """The demo store, its pack keeping the signed fiscal chain."""
    store = folder / "chained-store"
    shutil.copytree(DEMO, store)
    (store / "pack" / "fiscal-rules.yaml").write_text(INTEGRITY)
    return store


def prepared(
    folder: Path, name: str, url: str | None, *, chained: bool = False
) -> tuple[Database, Till]:
    database = open_database(url or str(folder / f"{name}.db"))
    import_store(database, load_store(chained_store(folder) if chained else DEMO))
    till = Till.open(database)
    till.signer = MemorySigner() if chained else None
    if till.days.current(till.code) is None:  # --db: an earlier stage opened it
        till.open_day()
    return database, till


def count_commits(database: Database) -> list[int]:
    commits = [0]

    def counted(_connection: object) -> None:
        commits[0] += 1

    event.listen(database.engine, "commit", counted)
    return commits


def bench_store(folder: Path, receipts: int, lines: int, url: str | None) -> tuple[float, int]:
    database, till = prepared(folder, "store", url)
    try:
        for code in ITEMS[:lines]:  # a template receipt, never stored
            till.scan(code)
        template = till.document()
        till.discard("a template, never stored")
        commits = count_commits(database)
        started = time.perf_counter()
        for _ in range(receipts):
            document = replace(
                template,
                id=str(uuid.uuid4()),
                status=DocumentStatus.DRAFT,
                lines=[line.with_changes(id=uuid.uuid4().hex) for line in template.lines],
                created_at=till.now(),
            )
            till.documents.approve(document, document.totals(till.currency), till.now())
        return time.perf_counter() - started, commits[0]
    finally:
        database.dispose()


def bench_till(
    folder: Path,
    receipts: int,
    lines: int,
    url: str | None,
    *,
    paid: bool = False,
    chained: bool = False,
) -> tuple[float, int]:
    name = "chain" if chained else "paid" if paid else "till"
    database, till = prepared(folder, name, url, chained=chained)
    try:
        commits = count_commits(database)
        started = time.perf_counter()
        for _ in range(receipts):
            for code in ITEMS[:lines]:
                till.scan(code)
            if paid:
                window = till.checkout()
                window.add("cash", window.due("cash"))
                window.approve()
            else:
                till.approve()
        return time.perf_counter() - started, commits[0]
    finally:
        database.dispose()


def report(label: str, receipts: int, elapsed: float, commits: int, raw: float) -> None:
    rate = receipts / elapsed
    each = elapsed / receipts * 1000
    print(
        f"{label:<6} {receipts:>6} receipts in {elapsed:7.2f} s = {rate:8.1f} receipts/s"
        f"  ({each:6.2f} ms each, {commits / receipts:.0f} commit(s) each)"
        f" = {rate * raw:.0%} of the raw commit rate; {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--receipts", type=int, default=2000, help="receipts to approve (2000)")
    parser.add_argument(
        "--lines", type=int, default=3, choices=range(1, len(ITEMS) + 1), help="lines per receipt"
    )
    parser.add_argument(
        "--only", choices=["store", "till", "paid", "chain"], help="run one of the four"
    )
    parser.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: temporary files)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        probe = open_database(args.db or str(Path(folder) / "raw.db"))
        raw = raw_commit(probe)
        name = probe.engine.dialect.name
        probe.dispose()
        print(
            f"{name}, {args.lines} lines per receipt; raw INSERT + COMMIT {raw * 1000:.3f} ms "
            f"({1 / raw:,.0f}/s); {load()}"
        )
        if args.only in (None, "store"):
            elapsed, commits = bench_store(Path(folder), args.receipts, args.lines, args.db)
            report("store", args.receipts, elapsed, commits, raw)
        if args.only in (None, "till"):
            elapsed, commits = bench_till(Path(folder), args.receipts, args.lines, args.db)
            report("till", args.receipts, elapsed, commits, raw)
        paid = None
        if args.only in (None, "paid", "chain"):
            paid, commits = bench_till(Path(folder), args.receipts, args.lines, args.db, paid=True)
            report("paid", args.receipts, paid, commits, raw)
        if args.only in (None, "chain"):
            elapsed, commits = bench_till(
                Path(folder), args.receipts, args.lines, args.db, paid=True, chained=True
            )
            report("chain", args.receipts, elapsed, commits, raw)
            assert paid is not None
            print(
                f"the chain: a paid receipt takes {elapsed / paid:.2f}x as long with it "
                f"({(elapsed - paid) / args.receipts * 1000:+.2f} ms each); {load()}"
            )


if __name__ == "__main__":
    main()
