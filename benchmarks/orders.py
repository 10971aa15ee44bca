"""How long fulfilling a 50-line sales order in five parts takes, on SQLite and PostgreSQL.

    python benchmarks/orders.py [--db URL …] [--orders 3] [--lines 50] [--parts 5] [--one-by-one]

Each `--db` (default: a SQLite file in a temporary folder; give a PostgreSQL URL, its
catalog is replaced by the demo's) takes --orders orders of --lines lines with a
deposit, then delivers each in --parts receipts: opening the document generated from
the order (every remaining line copied, the order's progress and deposits read back),
leaving out the lines of the other parts (at once, or one by one with --one-by-one; each
change rebuilt from the order and checked against what remains), and paying it in cash
with the approval (the units fulfilled booked, and checked again, inside the approval's
transaction; the last part deducts the deposit). Prints p50/p99/max of each step with
the load average, and the whole order's time as a multiple of the database's raw commit;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _measure import load, raw_commit, summary

from cassa.engine.people import Credentials, import_store_employees
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ITEMS = ["8001234000011", "NOTEBOOK-A5", "BAG-TOTE", "JUICE-APPLE", "SHOE-RUN-42", "BATHMAT-01"]


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def bench(url: str, orders: int, lines: int, parts: int, one_by_one: bool) -> None:
    database = open_database(url)
    import_store(database, load_store(DEMO))
    till = Till.open(database)
    import_store_employees(database, DEMO, store=till.store.code, pack=till.pack, clock=till.now)
    till.log_in(Credentials("anna", "cassiera-di-turno"))
    if till.days.current(till.code) is None:
        till.open_day("500.00")
    raw = raw_commit(database, rows=500)
    steps: dict[str, list[float]] = {"open part": [], "leave out lines": [], "pay + approve": []}
    whole: list[float] = []
    taking: list[float] = []
    for _ in range(orders):
        started = time.perf_counter()
        till.orders.new()
        till.set_customer("C0001")
        for index in range(lines):
            till.scan(ITEMS[index % len(ITEMS)], 1 + index % 3)
        order = till.orders.save()
        till.orders.take_deposit(order.number, "20.00")
        window = till.checkout()
        window.add("cash", window.due("cash"))
        window.approve()
        taking.append(time.perf_counter() - started)
        share = -(-lines // parts)
        started = time.perf_counter()
        for part in range(parts):
            keep = range(part * share + 1, min((part + 1) * share, lines) + 1)
            number = order.number
            steps["open part"].append(timed(lambda number=number: till.orders.fulfil(number)))
            remaining = [p.position for p in till.orders.remaining() if p.remaining > 0]

            def leave_out(keep: range = keep, remaining: list[int] = remaining) -> None:
                if one_by_one:  # as a cashier tapping each line
                    for position in remaining:
                        if position not in keep:
                            till.orders.take(position, 0)
                else:  # the part chosen at once
                    till.orders.take_lines({p: 0 for p in remaining if p not in keep})

            steps["leave out lines"].append(timed(leave_out))

            def pay() -> None:
                paying = till.checkout()
                if not paying.settled:
                    paying.add("cash", paying.due("cash"))
                paying.approve()

            steps["pay + approve"].append(timed(pay))
        whole.append(time.perf_counter() - started)
        assert till.orders.get(order.number).state == "fulfilled"
    dialect = database.engine.dialect.name
    database.dispose()
    how = "lines left out one by one" if one_by_one else "each part chosen at once"
    print(f"{dialect}: {orders} orders of {lines} lines in {parts} parts, {how}; {load()}")
    print(f"  raw commit          {raw * 1000:.3f} ms")
    print(f"  take the order      {summary(taking)}  (scan {lines} lines, save, deposit paid)")
    for name, times in steps.items():
        print(f"  {name:19} {summary(times)}")
    median = sorted(whole)[len(whole) // 2]
    print(
        f"  fulfil in {parts} parts  {summary(whole)}  = {median / raw:,.0f}x the raw commit (p50)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--db", action="append", help="SQLite file or PostgreSQL URL")
    parser.add_argument("--orders", type=int, default=3)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--parts", type=int, default=5)
    parser.add_argument(
        "--one-by-one", action="store_true", help="leave the other parts' lines out one at a time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        for url in args.db or [str(Path(folder) / "orders.db")]:
            bench(url, args.orders, args.lines, args.parts, args.one_by_one)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
