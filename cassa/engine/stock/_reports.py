"""Stock reports: on hand per warehouse, item group and item with its value at cost, and the
items below their reorder level. Read from the levels the movements keep (one indexed
scan joined with the items), never by summing the movements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from cassa.engine.stock._context import StockContext
from cassa.engine.storage.models import ItemRow, StockLevelRow, table_of
from cassa.engine.storefiles import TRANSIT

__all__ = ["ReorderRow", "StockReport", "StockRow", "stock_report"]

_LEVELS = table_of(StockLevelRow)
_ITEMS = table_of(ItemRow)


@dataclass(frozen=True)
class StockRow:
    warehouse: str
    sku: str
    name: str
    group: str
    lot: str
    quantity: Decimal
    unit: str
    cost: Decimal | None
    value: Decimal | None  # quantity x cost, rounded as the currency is

    def as_json(self) -> dict[str, Any]:
        return {
            "warehouse": self.warehouse,
            "sku": self.sku,
            "name": self.name,
            "group": self.group,
            "lot": self.lot or None,
            "quantity": str(self.quantity),
            "unit": self.unit,
            "cost": None if self.cost is None else str(self.cost),
            "value": None if self.value is None else str(self.value),
        }


@dataclass(frozen=True)
class ReorderRow:
    sku: str
    name: str
    group: str
    on_hand: Decimal
    reorder_level: Decimal
    unit: str

    def as_json(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name": self.name,
            "group": self.group,
            "on_hand": str(self.on_hand),
            "reorder_level": str(self.reorder_level),
            "unit": self.unit,
        }


@dataclass
class StockReport:
    store: str
    currency: str
    rows: list[StockRow] = field(default_factory=list)
    below_reorder: list[ReorderRow] | None = None

    def values(self, key: str) -> dict[str, Decimal]:
        """Value at cost per warehouse or per group (`key`), of the rows with a cost."""
        totals: dict[str, Decimal] = {}
        for row in self.rows:
            if row.value is not None:
                code = getattr(row, key)
                totals[code] = totals.get(code, Decimal(0)) + row.value
        return dict(sorted(totals.items()))

    def as_json(self) -> dict[str, Any]:
        if self.below_reorder is not None:
            return {
                "store": self.store,
                "below_reorder": [r.as_json() for r in self.below_reorder],
            }
        return {
            "store": self.store,
            "currency": self.currency,
            "rows": [r.as_json() for r in self.rows],
            "warehouses": {k: str(v) for k, v in self.values("warehouse").items()},
            "groups": {k: str(v) for k, v in self.values("group").items()},
            "total_value": str(sum((r.value for r in self.rows if r.value), Decimal(0))),
        }

    def csv_rows(self) -> Iterator[list[str]]:
        if self.below_reorder is not None:
            yield ["sku", "name", "group", "on_hand", "reorder_level", "unit"]
            for r in self.below_reorder:
                yield [r.sku, r.name, r.group, str(r.on_hand), str(r.reorder_level), r.unit]
            return
        yield ["warehouse", "sku", "name", "group", "lot", "quantity", "unit", "cost", "value"]
        for row in self.rows:
            yield [
                row.warehouse,
                row.sku,
                row.name,
                row.group,
                row.lot,
                str(row.quantity),
                row.unit,
                "" if row.cost is None else str(row.cost),
                "" if row.value is None else str(row.value),
            ]


def stock_report(
    context: StockContext,
    *,
    warehouse: str | None = None,
    group: str | None = None,
    skus: list[str] | None = None,
    below_reorder: bool = False,
    store: str | None = None,
) -> StockReport:
    """On hand of a store (every warehouse but goods in transit unless one is named), with
    its value at cost; or, with `below_reorder`, the items whose stock is below their
    reorder level (the item's, else its nearest group's)."""
    code = store or context.store.code
    currency = context.pack.country.currency
    query = (
        select(
            _LEVELS.c.warehouse,
            _LEVELS.c.sku,
            _LEVELS.c.lot,
            _LEVELS.c.quantity,
            _ITEMS.c.name,
            _ITEMS.c.group,
            _ITEMS.c.base_unit,
            _ITEMS.c.cost,
            _ITEMS.c.reorder_level,
        )
        .join(_ITEMS, _ITEMS.c.sku == _LEVELS.c.sku)
        .where(_LEVELS.c.store == code)
    )
    if warehouse is not None:
        query = query.where(_LEVELS.c.warehouse == warehouse)
    else:
        query = query.where(_LEVELS.c.warehouse != TRANSIT)
    if group is not None:
        groups = context.catalog.groups()
        under = [g for g in groups if group in context.catalog.group_path(g)] or [group]
        query = query.where(_ITEMS.c.group.in_(under))
    if skus:
        query = query.where(_LEVELS.c.sku.in_(skus))
    query = query.order_by(_LEVELS.c.warehouse, _ITEMS.c.group, _LEVELS.c.sku, _LEVELS.c.lot)
    report = StockReport(code, currency.code)
    with context.database.reader.connect() as connection:
        result = connection.execute(query)
        if not below_reorder:
            report.rows = [
                StockRow(
                    r.warehouse,
                    r.sku,
                    r.name,
                    r.group,
                    r.lot,
                    r.quantity,
                    r.base_unit,
                    r.cost,
                    None if r.cost is None else currency.round(r.quantity * r.cost),
                )
                for r in result
            ]
            return report
        on_hand: dict[str, Decimal] = {}
        items: dict[str, Any] = {}  # SKU -> its row
        for r in result:
            on_hand[r.sku] = on_hand.get(r.sku, Decimal(0)) + r.quantity
            items.setdefault(r.sku, r)
        # items that declare a level and have no stock at all are below it too
        for declared in connection.execute(
            select(
                _ITEMS.c.sku,
                _ITEMS.c.name,
                _ITEMS.c.group,
                _ITEMS.c.base_unit,
                _ITEMS.c.reorder_level,
            ).where(_ITEMS.c.reorder_level.is_not(None))
        ):
            if declared.sku not in items and (not skus or declared.sku in skus):
                items[declared.sku], on_hand[declared.sku] = declared, Decimal(0)
    levels = {g.code: g.reorder_level for g in context.catalog.groups().values()}
    inherited: dict[str, Decimal | None] = {}  # per group, once: not once per item
    rows = []
    for sku, r in sorted(items.items()):
        level = r.reorder_level
        if level is None:
            if r.group not in inherited:
                inherited[r.group] = next(
                    (levels[g] for g in context.catalog.group_path(r.group) if levels.get(g)),
                    None,
                )
            level = inherited[r.group]
        if level is not None and on_hand[sku] < level:
            rows.append(ReorderRow(sku, r.name, r.group, on_hand[sku], level, r.base_unit))
    report.below_reorder = rows
    return report
