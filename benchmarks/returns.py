"""How long a return takes at the till on SQLite (WAL, synchronous=FULL).

    python benchmarks/returns.py [--returns 50] [--lines 10]

A receipt of --lines lines is sold and paid in cash, then returned, --returns
times on a fresh database file: opening the return of the receipt (the original
and what earlier returns took, read back), taking every line back, and paying
it back in cash with the approval (quantities checked again inside the approval's
transaction). Prints the median and the slowest of each step; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cassa.engine.people import import_store_employees
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ITEMS = ["8001234000011", "NOTEBOOK-A5", "BAG-TOTE", "JUICE-APPLE", "SHOE-RUN-42"]


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--returns", type=int, default=50)
    parser.add_argument("--lines", type=int, default=10)
    args = parser.parse_args()
    steps: dict[str, list[float]] = {"start": [], "take every line": [], "pay back": []}
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        database = open_database(str(Path(folder) / "returns.db"))
        import_store(database, load_store(DEMO))
        till = Till.open(database)
        import_store_employees(
            database, DEMO, store=till.store.code, pack=till.pack, clock=till.now
        )
        till.login("marco", "responsabile-milano")  # a manager: returns need make_return
        till.open_day("500.00")
        for _ in range(args.returns):
            for index in range(args.lines):
                till.scan(ITEMS[index % len(ITEMS)])
            window = till.checkout()
            window.add("cash", window.due("cash"))
            receipt = window.approve().document
            assert receipt.number is not None
            number = receipt.number
            steps["start"].append(timed(lambda number=number: till.returns.start(number)))
            lines = len(till.returns.returnable(receipt))

            def take_all(lines: int = lines) -> None:
                for position in range(1, lines + 1):
                    till.returns.take(position)

            steps["take every line"].append(timed(take_all))

            def pay_back() -> None:
                refund = till.checkout()
                refund.add("cash", None)
                refund.approve()

            steps["pay back"].append(timed(pay_back))
        database.dispose()
    print(f"{args.returns} returns of a {args.lines}-line receipt, SQLite file")
    for name, times in steps.items():
        print(f"  {name:16} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
