"""How long closing a till's day of 10,000 paid receipts takes on SQLite.

    python benchmarks/close_day.py [--receipts 10000]

Four template receipts are paid through the payment window (card and cash,
change, report figures), then copied to --receipts receipts of the same open
day in bulk (setup, timed apart). Measured, on the open day:

balance
    What the closing window shows: the drawer's expected balance per tender
    (`Till.cash.balance()`: SQL sums over the day's cash movements).
close
    `Till.close_day` with the cash counted as expected and a withdrawal: the
    balances again, the withdrawal's cash out document and safe deposit, the
    count rows, the day closed — one transaction.
summary
    The closed day's till summary (cash flows, balance by tender with payment
    counts, sales KPIs, sales by category): SQL aggregates over payments,
    cash movements and the per-document figures.

Target: balance + close + summary under 2 s. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _paid_receipts import clone_receipts, pay_templates, prepared

from cassa.engine.cash import Count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        started = time.perf_counter()
        opening = datetime(2026, 7, 5, 7, 0, tzinfo=UTC)
        database, till = prepared(Path(folder) / "close.db", opening=opening)
        templates = pay_templates(till)
        day = till.days.current(till.code)
        assert day is not None
        clone_receipts(
            database,
            templates,
            args.receipts - len(templates),
            till=till.code,
            days=[(day.id, day.business_date, opening)],
            start_sequence=len(templates) + 1,
        )
        setup = time.perf_counter() - started

        t0 = time.perf_counter()
        expected = till.cash.balance()
        t1 = time.perf_counter()
        cash = expected[("cash", "EUR")].expected
        closing = till.close_day(
            counts=[Count.of("cash", cash)], withdrawals=[Count.of("cash", cash - 200)]
        )
        t2 = time.perf_counter()
        summary = till.reports.till_summary(closing.id)
        t3 = time.perf_counter()
        database.dispose()

    print(f"closing a day of {summary.sales.documents:,} paid receipts on SQLite (WAL, FULL)")
    print(f"  setup (4 paid for real, the rest copied in bulk): {setup:8.2f} s")
    print(f"  balance shown at closing (SQL sums):              {t1 - t0:8.3f} s")
    print(f"  close_day (count, withdrawal, safe, one commit):  {t2 - t1:8.3f} s")
    print(f"  till summary of the closed day:                   {t3 - t2:8.3f} s")
    print(f"  total                                             {t3 - t0:8.3f} s  (target < 2 s)")
    print(
        f"  sales {summary.sales.total_sales:.2f} EUR, cash expected {cash:.2f} EUR, "
        f"{len(summary.tenders)} tenders, {len(summary.categories)} categories"
    )


if __name__ == "__main__":
    main()
