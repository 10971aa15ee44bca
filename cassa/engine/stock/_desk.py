"""The stock of a till's store: on hand, levels and movements (`Till.stock`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from cassa.engine.errors import NotFound
from cassa.engine.stock._documents import WarehouseDocuments
from cassa.engine.stock._ledger import Level, levels
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import StockLevelRow, StockMovementRow, WarehouseRow, table_of
from cassa.i18n import _

__all__ = ["MovementRecord", "StockDesk", "Warehouse"]

_LEVELS = table_of(StockLevelRow)
_MOVEMENTS = table_of(StockMovementRow)
_WAREHOUSES = table_of(WarehouseRow)


@dataclass(frozen=True)
class Warehouse:
    store: str
    code: str
    name: str
    kind: str  # floor, storage, transit


@dataclass(frozen=True)
class MovementRecord:
    id: int
    at: datetime
    store: str
    warehouse: str
    sku: str
    lot: str
    quantity: Decimal
    cause: str
    number: str | None
    document_id: str

    def as_json(self) -> dict[str, Any]:
        """As `cassa stock movements` prints it (schemas/stock-movements.schema.json)."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "store": self.store,
            "warehouse": self.warehouse,
            "sku": self.sku,
            "lot": self.lot or None,
            "quantity": str(self.quantity),
            "cause": self.cause,
            "number": self.number,
        }


class StockDesk(WarehouseDocuments):
    """Stock of the till's store, and of the others the database holds; its warehouse
    documents."""

    @property
    def store(self) -> str:
        return self.context.store.code

    def warehouses(self, store: str | None = None) -> list[Warehouse]:
        code = store or self.store
        with self.context.database.reader.connect() as connection:
            rows = connection.execute(
                select(
                    _WAREHOUSES.c.store, _WAREHOUSES.c.code, _WAREHOUSES.c.name, _WAREHOUSES.c.kind
                )
                .where(_WAREHOUSES.c.store == code)
                .order_by(_WAREHOUSES.c.position)
            ).all()
        return [Warehouse(*row) for row in rows]

    def warehouse(self, code: str, store: str | None = None) -> Warehouse:
        found = [w for w in self.warehouses(store) if w.code == code]
        if not found:
            known = ", ".join(w.code for w in self.warehouses(store))
            raise NotFound(
                _(
                    "store {value} has no warehouse {code} (its warehouses: {known})",
                    value=store or self.store,
                    code=code,
                    known=known,
                )
            )
        return found[0]

    def on_hand(
        self,
        sku: str,
        *,
        warehouse: str | None = None,
        lot: str | None = None,
        store: str | None = None,
    ) -> Decimal:
        """What the store holds of an item (in its base unit): in one warehouse or all but
        goods in transit, of one lot or all."""
        query = select(func.sum(_LEVELS.c.quantity)).where(
            _LEVELS.c.store == (store or self.store), _LEVELS.c.sku == sku
        )
        if warehouse is not None:
            query = query.where(_LEVELS.c.warehouse == warehouse)
        else:
            query = query.where(_LEVELS.c.warehouse != "TRANSIT")
        if lot is not None:
            query = query.where(_LEVELS.c.lot == lot)
        with self.context.database.reader.connect() as connection:
            total = connection.execute(query).scalar()
        return total if total is not None else Decimal(0)

    def levels(
        self,
        *,
        warehouse: str | None = None,
        skus: list[str] | None = None,
        store: str | None = None,
    ) -> list[Level]:
        with self.context.database.reader.connect() as connection:
            return levels(connection, store=store or self.store, warehouse=warehouse, skus=skus)

    def movements(
        self, sku: str, *, store: str | None = None, limit: int = 1_000
    ) -> list[MovementRecord]:
        """An item's movements, oldest first (the last `limit`)."""
        query = (
            select(
                _MOVEMENTS.c.id,
                _MOVEMENTS.c.at,
                _MOVEMENTS.c.store,
                _MOVEMENTS.c.warehouse,
                _MOVEMENTS.c.sku,
                _MOVEMENTS.c.lot,
                _MOVEMENTS.c.quantity,
                _MOVEMENTS.c.cause,
                _MOVEMENTS.c.number,
                _MOVEMENTS.c.document_id,
            )
            .where(_MOVEMENTS.c.sku == sku, _MOVEMENTS.c.store == (store or self.store))
            .order_by(_MOVEMENTS.c.id.desc())
            .limit(limit)
        )
        with self.context.database.reader.connect() as connection:
            rows = connection.execute(query).all()
        return [
            MovementRecord(
                r.id,
                aware(r.at) or r.at,
                r.store,
                r.warehouse,
                r.sku,
                r.lot,
                r.quantity,
                r.cause,
                r.number,
                r.document_id,
            )
            for r in reversed(rows)
        ]
