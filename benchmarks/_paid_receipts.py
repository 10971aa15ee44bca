"""Filling a database with many paid receipts, fast, for the money benchmarks.

A few template receipts are paid through the real payment window (so every row
has the shape the till writes: document, lines, VAT, payments, cash movements,
report figures). Their rows are then copied N times with new ids, numbers,
moments and days, in bulk inserts: the benchmarks measure reading them, not
writing them one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import DeclarativeBase

from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database, open_database
from cassa.engine.storage.models import (
    CashMovementRow,
    DocumentLineRow,
    DocumentRow,
    DocumentVatRow,
    NumberingRow,
    PaymentRow,
    SaleGroupStatsRow,
    SaleStatsRow,
    TillDayRow,
)
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
BATCH = 5000

# (codes scanned, how it is paid)
TEMPLATES: list[tuple[list[str], list[tuple[str, str | None]]]] = [
    (["SHOE-RUN-42", "BAG-TOTE"], [("card", "64.80"), ("cash", None)]),
    (["NOTEBOOK-A5", "CHOC-MILK", "JUICE-APPLE"], [("cash", "10")]),
    (["STRAWBERRY"], [("cash", None)]),
    (["MARKERS-12", "NOTEBOOK-A5"], [("card", None)]),
]


class _Approving:
    def sale(self, transaction_id: str, amount: Any, currency: str) -> Any:
        from cassa.devices.terminal.base import PaymentOutcome, PaymentResult

        return PaymentResult(transaction_id, PaymentOutcome.APPROVED, amount, "BENCH")

    def status(self, transaction_id: str) -> Any:
        raise AssertionError("never asked")


def prepared(path: Path, *, opening: datetime) -> tuple[Database, Till]:
    from cassa.engine.payments import PaymentDevices

    database = open_database(str(path))
    import_store(database, load_store(DEMO))
    moment = [opening]
    till = Till.open(database, clock=lambda: moment[0])
    till.payment_devices = PaymentDevices(terminal=_Approving())
    till.open_day("200.00")
    return database, till


def pay_templates(till: Till) -> list[str]:
    """Pay the template receipts for real; their document ids."""
    ids = []
    for codes, tenders in TEMPLATES:
        for code in codes:
            till.scan(code)
        window = till.checkout()
        for tender, amount in tenders:
            window.add(tender, amount if amount is not None else window.due(tender))
        ids.append(window.approve().document.id)
    return ids


def _rows(database: Database, model: type[DeclarativeBase], column: Any, ids: list[str]) -> Any:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    with database.engine.connect() as connection:
        return [
            dict(row._mapping) for row in connection.execute(select(table).where(column.in_(ids)))
        ]


def clone_receipts(
    database: Database,
    templates: list[str],
    count: int,
    *,
    till: str,
    days: list[tuple[int, date, datetime]],
    start_sequence: int,
    tables: str = "all",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Copy the template receipts `count` times over `days` (day id, business date, moment
    of its first receipt); numbers continue from `start_sequence`. `tables` "all" copies
    every row a paid receipt has; "summary" only the document and its report figures."""
    source: dict[str, Any] = {
        "documents": _rows(database, DocumentRow, DocumentRow.id, templates),
        "stats": _rows(database, SaleStatsRow, SaleStatsRow.document_id, templates),
        "groups": _rows(database, SaleGroupStatsRow, SaleGroupStatsRow.document_id, templates),
    }
    if tables == "all":
        source |= {
            "lines": _rows(database, DocumentLineRow, DocumentLineRow.document_id, templates),
            "vat": _rows(database, DocumentVatRow, DocumentVatRow.document_id, templates),
            "payments": _rows(database, PaymentRow, PaymentRow.document_id, templates),
            "movements": _rows(database, CashMovementRow, CashMovementRow.document_id, templates),
        }
    by_document: dict[str, dict[str, list[dict[str, Any]]]] = {t: {} for t in templates}
    for name, rows in source.items():
        for row in rows:
            key = row["id"] if name == "documents" else row["document_id"]
            by_document[key].setdefault(name, []).append(row)
    targets = {
        "documents": DocumentRow,
        "stats": SaleStatsRow,
        "groups": SaleGroupStatsRow,
        "lines": DocumentLineRow,
        "vat": DocumentVatRow,
        "payments": PaymentRow,
        "movements": CashMovementRow,
    }
    written = 0
    per_day = max(1, count // len(days))
    for chunk in _chunks(count, BATCH):
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in source}
        for index in chunk:
            template = by_document[templates[index % len(templates)]]
            day_id, business_date, first = days[min(index // per_day, len(days) - 1)]
            moment = first + timedelta(seconds=(index % per_day) * 2)
            document_id = str(uuid.uuid4())
            sequence = start_sequence + index
            for name, rows in template.items():
                for row in rows:
                    copy = dict(row)
                    if name == "documents":
                        copy |= {
                            "id": document_id,
                            "till": till,
                            "number": f"S/{till}/{moment.year}/{sequence:06d}",
                            "sequence": sequence,
                            "created_at": moment,
                            "approved_at": moment,
                        }
                    else:
                        copy["document_id"] = document_id
                    if "id" in copy and name in ("lines", "payments", "movements"):
                        copy["id"] = str(uuid.uuid4())
                    if "day_id" in copy:
                        copy["day_id"] = day_id
                    if "business_date" in copy:
                        copy["business_date"] = business_date
                    if "till" in copy:
                        copy["till"] = till
                    if "at" in copy:
                        copy["at"] = moment
                    batch[name].append(copy)
        with database.engine.begin() as connection:
            for name in ("documents", "lines", "vat", "payments", "movements", "stats", "groups"):
                if batch.get(name):
                    table = targets[name].__table__  # type: ignore[attr-defined]
                    connection.execute(insert(table), batch[name])
        written += len(chunk)
        if progress is not None:
            progress(written)
    with database.engine.begin() as connection:
        table = NumberingRow.__table__
        connection.execute(
            table.update()  # type: ignore[attr-defined]
            .where(table.c.doc_type == "receipt", table.c.till == till)  # type: ignore[attr-defined]
            .values(last=start_sequence + count - 1)
        )
    return written


def _chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def add_days(
    database: Database, till: str, first: date, count: int
) -> list[tuple[int, date, datetime]]:
    """Closed till days (with their rows) for a month of data on another till."""
    days = []
    with database.session() as session, session.begin():
        for offset in range(count):
            business = first + timedelta(days=offset)
            opened = datetime(business.year, business.month, business.day, 7, 0, tzinfo=UTC)
            row = TillDayRow(
                till=till,
                business_date=business,
                opened_at=opened,
                opened_by="bench",
                opening_float=0,
                closed_at=opened + timedelta(hours=12),
            )
            session.add(row)
            session.flush()
            days.append((row.id, business, opened + timedelta(minutes=1)))
    return days
