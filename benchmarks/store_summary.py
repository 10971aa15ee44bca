"""How long the store summary over a month of 300,000 receipts takes on SQLite.

    python benchmarks/store_summary.py [--receipts 300000] [--days 30]

Four template receipts are paid through the payment window; their document rows
and report figures are copied to --receipts receipts spread over --days days and
the store's two tills, in bulk (setup, timed apart). Measured:

period
    `TillReports.store_summary(first day, last day)`: first the check that every
    approved document has its figures (an anti-join over all documents), then
    one SQL aggregate over the period's figures (index on store, business date).
daily
    The summary of one day of the month.

Target: the period under 10 s. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _paid_receipts import add_days, clone_receipts, pay_templates, prepared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=300_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    first = date(2026, 6, 1)
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as folder:
        started = time.perf_counter()
        opening = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
        database, till = prepared(Path(folder) / "month.db", opening=opening)
        templates = pay_templates(till)
        half = (args.receipts - len(templates)) // 2
        for code, count, start in (
            ("T01", half, len(templates) + 1),
            ("T02", args.receipts - len(templates) - half, 1),
        ):
            days = add_days(database, code, first + timedelta(days=1), args.days - 1)
            clone_receipts(
                database,
                templates,
                count,
                till=code,
                days=days,
                start_sequence=start,
                tables="summary",
            )
        setup = time.perf_counter() - started
        last = first + timedelta(days=args.days - 1)

        t0 = time.perf_counter()
        period = till.reports.store_summary(first, last)
        t1 = time.perf_counter()
        daily = till.reports.store_summary(first + timedelta(days=10))
        t2 = time.perf_counter()
        database.dispose()

    sales = period.sales
    print(f"store summary of {sales.documents:,} receipts over {args.days} days, 2 tills, SQLite")
    print(f"  setup (4 paid for real, the rest copied in bulk): {setup:8.2f} s")
    print(f"  period summary ({first} - {last}):         {t1 - t0:8.3f} s  (target < 10 s)")
    print(f"  daily summary ({daily.sales.documents:,} receipts):              {t2 - t1:8.3f} s")
    print(
        f"  total sales {sales.total_sales:,.2f} EUR, items {sales.items_sold:,}, "
        f"average sale {sales.average_sale:.2f} EUR"
    )


if __name__ == "__main__":
    main()
