"""What stock costs: a movement inside an approval, and a stock report over many items.

    python benchmarks/stock.py [--approvals 200] [--lines 5] [--items 1000000] [--db URL]

1. Receipts of --lines goods lines are approved at the till (no payment window), in
   alternating batches with the stock hook on and off: the median approval of each, their
   ratio (the cost the movements add) and the database's raw INSERT + COMMIT beside them.
2. A store of --items items, each with a level on the shop floor and a cost, is built
   once into $CASSA_CACHE_DIR (default: a temporary folder, removed afterwards) and the
   stock report is timed: every row with its value at cost, the values per warehouse and
   group, the CSV export, and the items below their reorder level.

Prints numbers with the load average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import load, raw_commit
from sqlalchemy import insert

from cassa.engine.people import import_store_employees
from cassa.engine.stock import StockHook, stock_report
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database, open_database
from cassa.engine.storage.models import ItemRow, StockLevelRow, table_of
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
GOODS = ["NOTEBOOK-A5", "BAG-TOTE", "SHOE-RUN-42", "BATHMAT-01", "8001234000226"]
GROUPS = ["sweets", "drinks", "fruit", "tiles", "bath", "shoes", "bags", "stationery"]


def opened_till(database: Database) -> Till:
    import_store(database, load_store(DEMO))
    till = Till.open(database)
    import_store_employees(database, DEMO, store=till.store.code, pack=till.pack, clock=till.now)
    till.login("anna", "cassiera-di-turno")
    return till


def approvals(till: Till, count: int, lines: int) -> tuple[list[float], list[float]]:
    """Milliseconds per approval with the stock hook and without it, alternating."""
    hooks = till.documents.approval_hooks
    stock = next(h for h in hooks if isinstance(h, StockHook))
    with_stock: list[float] = []
    without: list[float] = []
    for batch in range(count // 10):
        on = batch % 2 == 0
        if on and stock not in hooks:
            hooks.append(stock)
        if not on and stock in hooks:
            hooks.remove(stock)
        for _ in range(10):
            for index in range(lines):
                till.scan(GOODS[index % len(GOODS)])
            started = time.perf_counter()
            till.approve()
            (with_stock if on else without).append((time.perf_counter() - started) * 1000)
            till.current = None
    if stock not in hooks:
        hooks.append(stock)
    return with_stock, without


def build_store(database: Database, items: int) -> None:
    """--items items with a cost and a level each, written straight into the tables."""
    item_table, levels = table_of(ItemRow), table_of(StockLevelRow)
    batch = 20_000
    with database.engine.begin() as connection:
        for start in range(0, items, batch):
            rows = range(start, min(items, start + batch))
            connection.execute(
                insert(item_table),
                [
                    {
                        "sku": f"BENCH-{n:07d}",
                        "position": 1_000 + n,
                        "name": f"Articolo {n}",
                        "group": GROUPS[n % len(GROUPS)],
                        "type": "goods",
                        "vat_code": "22",
                        "list_price": Decimal("9.90"),
                        "base_unit": "pz",
                        "base_unit_precision": 0,
                        "discountable": True,
                        "name_editable": False,
                        "reverse_charge": False,
                        "split_payment": False,
                        "cost": Decimal("4.15"),
                        "reorder_level": Decimal(5) if n % 10 == 0 else None,
                    }
                    for n in rows
                ],
            )
            connection.execute(
                insert(levels),
                [
                    {
                        "store": "MI01",
                        "warehouse": "FLOOR",
                        "sku": f"BENCH-{n:07d}",
                        "lot": "",
                        "quantity": Decimal(n % 13),
                        "movements": 1,
                    }
                    for n in rows
                ],
            )


def timed(label: str, step: object) -> object:
    started = time.perf_counter()
    result = step()  # type: ignore[operator]
    print(f"  {label:34} {time.perf_counter() - started:8.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--approvals", type=int, default=200)
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--db", help="a database URL for the approvals (default: a SQLite file)")
    args = parser.parse_args()
    print(load())
    scratch = Path(tempfile.mkdtemp(prefix="cassa-stock-bench-"))
    try:
        database = open_database(args.db or str(scratch / "approvals.db"))
        till = opened_till(database)
        till.open_day(0)
        raw = raw_commit(database) * 1000
        on, off = approvals(till, args.approvals, args.lines)
        database.dispose()
        on_ms, off_ms = statistics.median(on), statistics.median(off)
        print(f"approval of a {args.lines}-line receipt ({database.engine.dialect.name}):")
        print(f"  with its stock movements   median {on_ms:7.2f} ms (n={len(on)})")
        print(f"  without them               median {off_ms:7.2f} ms (n={len(off)})")
        print(
            f"  ratio                      {on_ms / off_ms:7.2f}x"
            f"  (movements add {on_ms - off_ms:.2f} ms)"
        )
        print(
            f"  raw INSERT + COMMIT        {raw:7.2f} ms"
            f"  (approval with stock = {on_ms / raw:.1f}x)"
        )

        cache = Path(os.environ.get("CASSA_CACHE_DIR") or scratch)
        cache.mkdir(parents=True, exist_ok=True)
        path = cache / f"stock-report-{args.items}.db"
        if not path.exists():
            building = path.with_suffix(".building")
            building.unlink(missing_ok=True)
            store = open_database(str(building))
            opened_till(store)
            started = time.perf_counter()
            build_store(store, args.items)
            store.dispose()
            building.replace(path)
            print(f"built {args.items:,} items with stock in {time.perf_counter() - started:.1f} s")
        report_db = open_database(str(path))
        reporter = Till.open(report_db)
        print(f"stock report over {args.items:,} items (SQLite file {path.name}):")
        report = timed("on hand with value at cost", lambda: stock_report(reporter))
        timed(
            "values per warehouse and group",
            lambda: (report.values("warehouse"), report.values("group")),
        )  # type: ignore[attr-defined]
        timed("CSV export", lambda: sum(1 for _ in report.csv_rows()))  # type: ignore[attr-defined]
        below = timed("below reorder level", lambda: stock_report(reporter, below_reorder=True))
        print(f"  rows {len(report.rows):,}, below reorder {len(below.below_reorder or []):,}")  # type: ignore[attr-defined]
        report_db.dispose()
        print(load())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
