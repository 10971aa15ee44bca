"""Stock that moves with every sale, return and buy-back, inside its approval.

`StockHook` is an approval hook (cassa.engine.storage.documents): it runs in the
transaction that numbers the document, reads the lines just written and books a movement
for each stocked line at the store's shop floor. A sale's quantities leave stock, a
return's (negative on the document) come back, as do goods bought back. An invoice made
from a receipt moves nothing: the receipt moved the goods. A voucher's stock is kept by
its number (the movement's lot), so a sold voucher leaves the stock its MMI+ put it in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from cassa.engine.catalog import ItemType
from cassa.engine.documents import DocumentType
from cassa.engine.stock._ledger import Movement, book
from cassa.engine.stock._sets import set_components
from cassa.engine.storage.models import (
    DocumentLineRow,
    DocumentRow,
    StoredValueSaleRow,
    table_of,
)
from cassa.engine.storefiles import FLOOR

__all__ = ["Shortfall", "StockHook", "sale_movements"]

_DOCUMENTS = table_of(DocumentRow)
_LINES = table_of(DocumentLineRow)
_VOUCHERS = table_of(StoredValueSaleRow)

# The documents whose lines move goods, and the cause their movements are booked under.
_CAUSES = {
    DocumentType.RECEIPT: "sale",
    DocumentType.INVOICE: "sale",
    DocumentType.DEBIT_NOTE: "sale",
    DocumentType.RECEIPT_RETURN: "return",
    DocumentType.INVOICE_RETURN: "return",
    DocumentType.MANUAL_CORRECTION: "buy_back",
}
STOCKED = frozenset({ItemType.GOODS, ItemType.SET, ItemType.VOUCHER, ItemType.BUY_BACK})


@dataclass(frozen=True)
class Shortfall:
    """A line that takes an item below zero in a warehouse."""

    sku: str
    name: str
    group: str | None
    lot: str
    warehouse: str
    on_hand: Decimal  # before the document
    wanted: Decimal  # what the document takes
    unit: str


# Given the shortfalls of a document being approved, raises to refuse it.
ShortfallCheck = Callable[[Sequence[Shortfall]], None]


def _of_receipt(connection: Connection, origin_id: str | None) -> bool:
    """An invoice of a receipt: the receipt moved the goods (one of a sales order did not)."""
    if origin_id is None:
        return False
    kind = connection.scalar(select(_DOCUMENTS.c.doc_type).where(_DOCUMENTS.c.id == origin_id))
    return kind == DocumentType.RECEIPT.value


def sale_movements(connection: Connection, document_id: str) -> list[Movement]:
    """The movements an approved document's lines cause (none for a non-stock document)."""
    header = connection.execute(
        select(
            _DOCUMENTS.c.doc_type,
            _DOCUMENTS.c.store,
            _DOCUMENTS.c.number,
            _DOCUMENTS.c.origin_id,
            _DOCUMENTS.c.approved_at,
        ).where(_DOCUMENTS.c.id == document_id)
    ).one()
    kind = DocumentType(header.doc_type)
    cause = _CAUSES.get(kind)
    if cause is None or (
        kind is DocumentType.INVOICE and _of_receipt(connection, header.origin_id)
    ):
        return []
    lines = connection.execute(
        select(
            _LINES.c.id,
            _LINES.c.sku,
            _LINES.c.item_type,
            _LINES.c.base_quantity,
            _LINES.c.lot,
        )
        .where(_LINES.c.document_id == document_id, _LINES.c.sku.is_not(None))
        .order_by(_LINES.c.position)
    ).all()
    vouchers: dict[str, str] = {}
    if any(line.item_type == ItemType.VOUCHER.value for line in lines):
        vouchers = {
            str(line_id): str(number)
            for line_id, number in connection.execute(
                select(_VOUCHERS.c.line_id, _VOUCHERS.c.number).where(
                    _VOUCHERS.c.document_id == document_id
                )
            )
        }
    at: datetime = header.approved_at
    sets = set_components(connection, [ln.sku for ln in lines if ln.item_type == "set"])
    # a set sold as one line: each of its components leaves stock, not the set
    parts = [
        (line, sku, "", line.base_quantity * per_set)
        for line in lines
        for sku, per_set in sets.get(line.sku, [(line.sku, Decimal(1))])
        if ItemType(line.item_type) in STOCKED and line.base_quantity != 0
    ]
    return [
        Movement(
            store=header.store,
            warehouse=FLOOR,
            sku=sku,
            lot=vouchers.get(line.id, "") if line.item_type == "voucher" else (line.lot or ""),
            quantity=-quantity,
            cause=cause,
            document_id=document_id,
            line_id=line.id,
            number=header.number,
            at=at,
        )
        for line, sku, _, quantity in parts
    ]


@dataclass
class StockHook:
    """The approval hook booking a document's movements; `check` may refuse the shortfalls
    (the pack's negative stock policy), which rolls the whole approval back."""

    check: ShortfallCheck | None = None

    def __call__(self, session: Session, document_id: str) -> None:
        connection = session.connection()
        movements = sale_movements(connection, document_id)
        after = book(connection, movements)
        if self.check is None:
            return
        taken: dict[tuple[str, str, str, str], Decimal] = {}
        for m in movements:
            taken[m.key] = taken.get(m.key, Decimal(0)) - m.quantity
        short = [
            _shortfall(connection, m, after[m.key] + taken[m.key], taken[m.key])
            for m in movements
            if m.quantity < 0 and after[m.key] < 0
        ]
        if short:
            self.check(short)


def _shortfall(
    connection: Connection, movement: Movement, on_hand: Decimal, wanted: Decimal
) -> Shortfall:
    line = connection.execute(
        select(
            _LINES.c.sku, _LINES.c.name, _LINES.c.item_group, _LINES.c.base_unit, _LINES.c.unit
        ).where(_LINES.c.id == movement.line_id)
    ).one()
    return Shortfall(
        sku=movement.sku,
        name=line.name if line.sku == movement.sku else f"{movement.sku} ({line.name})",
        group=line.item_group,
        lot=movement.lot,
        warehouse=movement.warehouse,
        on_hand=on_hand,
        wanted=wanted,
        unit=line.base_unit or line.unit,
    )
