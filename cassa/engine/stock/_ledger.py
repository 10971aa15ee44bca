"""The stock ledger: movements appended, the levels they sum to kept in the same transaction.

`book` is the only writer of both tables. It runs inside the transaction of the document
that causes the movements, so a movement never exists without its document nor a
document without its movements. Levels are updated in a fixed order (store, warehouse,
SKU, lot): two tills booking the same items on PostgreSQL wait for each other's row
locks, never deadlock, and each reads the level its own movement left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from cassa.engine.storage.models import StockLevelRow, StockMovementRow, table_of

__all__ = ["Level", "Movement", "book", "levels", "rebuilt_levels"]

_MOVEMENTS = table_of(StockMovementRow)
_LEVELS = table_of(StockLevelRow)


@dataclass(frozen=True)
class Movement:
    """A change of stock of an item (a lot of it) in a warehouse, in its base unit."""

    store: str
    warehouse: str
    sku: str
    quantity: Decimal  # signed: + in, − out
    cause: str  # sale, return, receipt, issue, dispatch, transit, arrival, count
    document_id: str
    at: datetime
    lot: str = ""
    line_id: str | None = None
    number: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.store, self.warehouse, self.sku, self.lot)


@dataclass(frozen=True)
class Level:
    store: str
    warehouse: str
    sku: str
    lot: str
    quantity: Decimal


def book(connection: Connection, movements: Sequence[Movement]) -> dict[tuple[str, ...], Decimal]:
    """Append the movements and add them to their levels; the level of each key after
    them, as this transaction sees it."""
    if not movements:
        return {}
    connection.execute(
        insert(_MOVEMENTS),
        [
            {
                "store": m.store,
                "warehouse": m.warehouse,
                "sku": m.sku,
                "lot": m.lot,
                "quantity": m.quantity,
                "cause": m.cause,
                "document_id": m.document_id,
                "line_id": m.line_id,
                "number": m.number,
                "at": m.at,
            }
            for m in movements
        ],
    )
    totals: dict[tuple[str, str, str, str], tuple[Decimal, int]] = {}
    for m in movements:
        quantity, count = totals.get(m.key, (Decimal(0), 0))
        totals[m.key] = (quantity + m.quantity, count + 1)
    dialect = connection.dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    after: dict[tuple[str, ...], Decimal] = {}
    for key in sorted(totals):  # one order everywhere: row locks taken without deadlocks
        quantity, count = totals[key]
        store, warehouse, sku, lot = key
        statement = (
            upsert(_LEVELS)
            .values(
                store=store,
                warehouse=warehouse,
                sku=sku,
                lot=lot,
                quantity=quantity,
                movements=count,
            )
            .on_conflict_do_update(
                index_elements=["store", "warehouse", "sku", "lot"],
                set_={
                    "quantity": _LEVELS.c.quantity + quantity,
                    "movements": _LEVELS.c.movements + count,
                },
            )
            .returning(_LEVELS.c.quantity)
        )
        after[key] = connection.execute(statement).scalar_one()
    return after


def levels(
    connection: Connection,
    *,
    store: str | None = None,
    warehouse: str | None = None,
    skus: Iterable[str] | None = None,
) -> list[Level]:
    """The levels kept with the movements, in key order."""
    query = select(
        _LEVELS.c.store, _LEVELS.c.warehouse, _LEVELS.c.sku, _LEVELS.c.lot, _LEVELS.c.quantity
    )
    if store is not None:
        query = query.where(_LEVELS.c.store == store)
    if warehouse is not None:
        query = query.where(_LEVELS.c.warehouse == warehouse)
    if skus is not None:
        query = query.where(_LEVELS.c.sku.in_(list(skus)))
    query = query.order_by(_LEVELS.c.store, _LEVELS.c.warehouse, _LEVELS.c.sku, _LEVELS.c.lot)
    return [Level(*row) for row in connection.execute(query)]


def rebuilt_levels(
    connection: Connection, table: Table = _MOVEMENTS
) -> dict[tuple[str, ...], Decimal]:
    """The levels summed again from the movements themselves (what `levels` must equal)."""
    query = select(
        table.c.store, table.c.warehouse, table.c.sku, table.c.lot, func.sum(table.c.quantity)
    ).group_by(table.c.store, table.c.warehouse, table.c.sku, table.c.lot)
    return {(s, w, k, lot): q for s, w, k, lot, q in connection.execute(query)}
