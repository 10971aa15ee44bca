"""Warehouse documents: goods receipt (MMI+), goods issue (MMI−), a transfer's dispatch
(MM−: out of one warehouse, into goods in transit to the other) and arrival (MM+: out of
transit, into the warehouse), stock count (INW: the differences from what is on hand).

Each document and its movements are written in one transaction, numbered from its own
series per till and year. Vouchers are received and issued by number (seed: "A MMI- è
possibile aggiungere soltanto un buono acquisto inserendo il suo numero"): the number is
the movement's lot, so a voucher sold later leaves that stock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from cassa.engine.catalog import ItemType
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.money import to_decimal
from cassa.engine.people import Permission
from cassa.engine.stock._context import StockContext
from cassa.engine.stock._ledger import Movement, book
from cassa.engine.storage.models import (
    NumberingRow,
    StockDocumentRow,
    StockLevelRow,
    StockMovementRow,
    StoredValueRow,
    table_of,
)
from cassa.engine.storefiles import TRANSIT
from cassa.i18n import _

__all__ = ["StockDocument", "StockDocumentKind", "StockLine", "WarehouseDocuments"]

_DOCUMENTS = table_of(StockDocumentRow)
_MOVEMENTS = table_of(StockMovementRow)
_LEVELS = table_of(StockLevelRow)
_NUMBERING = table_of(NumberingRow)


class StockDocumentKind(StrEnum):
    RECEIPT = "receipt"  # MMI+
    ISSUE = "issue"  # MMI−
    DISPATCH = "dispatch"  # MM−
    ARRIVAL = "arrival"  # MM+
    COUNT = "count"  # INW

    @property
    def prefix(self) -> str:
        return _PREFIXES[self]


_PREFIXES = {
    StockDocumentKind.RECEIPT: "MMI+",
    StockDocumentKind.ISSUE: "MMI-",
    StockDocumentKind.DISPATCH: "MM-",
    StockDocumentKind.ARRIVAL: "MM+",
    StockDocumentKind.COUNT: "INW",
}


@dataclass(frozen=True)
class StockLine:
    """An item (by SKU, barcode or a lot's EAN) and a quantity in its base unit; or a
    voucher by its number alone."""

    code: str = ""
    quantity: object = 1
    lot: str | None = None
    voucher: str | None = None


@dataclass(frozen=True)
class StockDocument:
    id: str
    kind: StockDocumentKind
    number: str
    store: str
    warehouse: str
    at: datetime
    movements: tuple[Movement, ...]
    to_store: str | None = None
    to_warehouse: str | None = None
    origin: str | None = None  # an arrival's dispatch (its number)

    def as_json(self) -> dict[str, Any]:
        """As `cassa stock receive|issue|transfer|arrive|count` print it
        (schemas/stock-document.schema.json)."""
        return {
            "number": self.number,
            "kind": self.kind.value,
            "store": self.store,
            "warehouse": self.warehouse,
            "to_store": self.to_store,
            "to_warehouse": self.to_warehouse,
            "origin": self.origin,
            "at": self.at.isoformat(),
            "movements": [
                {
                    "store": m.store,
                    "warehouse": m.warehouse,
                    "sku": m.sku,
                    "lot": m.lot or None,
                    "quantity": str(m.quantity),
                    "cause": m.cause,
                }
                for m in self.movements
            ],
        }


@dataclass(frozen=True)
class _Resolved:
    sku: str
    lot: str
    quantity: Decimal
    name: str
    group: str | None


class WarehouseDocuments:
    """The warehouse documents of a till's store (`Till.stock`)."""

    def __init__(self, context: StockContext) -> None:
        self.context = context

    # -- the documents ------------------------------------------------------------
    def receive(
        self, lines: Iterable[StockLine], *, warehouse: str = "FLOOR", note: str = ""
    ) -> StockDocument:
        """Goods (or vouchers) come into a warehouse: MMI+."""
        resolved = self._lines(lines, StockDocumentKind.RECEIPT)
        return self._write(
            StockDocumentKind.RECEIPT,
            warehouse,
            note,
            lambda store, doc: [(store, warehouse, r, r.quantity, "receipt") for r in resolved],
        )

    def issue(
        self, lines: Iterable[StockLine], *, warehouse: str = "FLOOR", note: str = ""
    ) -> StockDocument:
        """Goods (or vouchers) leave a warehouse other than by a sale: MMI−."""
        resolved = self._lines(lines, StockDocumentKind.ISSUE)
        return self._write(
            StockDocumentKind.ISSUE,
            warehouse,
            note,
            lambda store, doc: [(store, warehouse, r, -r.quantity, "issue") for r in resolved],
            refuse_below_zero=True,
        )

    def dispatch(
        self,
        lines: Iterable[StockLine],
        *,
        to_warehouse: str,
        warehouse: str = "FLOOR",
        to_store: str | None = None,
        note: str = "",
    ) -> StockDocument:
        """Goods leave a warehouse for another (of this store or another): MM−. They are
        in transit to the destination until its arrival is booked."""
        destination = to_store or self._store
        self._check_warehouse(to_warehouse, destination)
        if destination == self._store and to_warehouse == warehouse:
            raise InvalidInput(_("A transfer needs two different warehouses"))
        resolved = self._lines(lines, StockDocumentKind.DISPATCH)
        return self._write(
            StockDocumentKind.DISPATCH,
            warehouse,
            note,
            lambda store, doc: [
                movement
                for r in resolved
                for movement in (
                    (store, warehouse, r, -r.quantity, "dispatch"),
                    (destination, TRANSIT, r, r.quantity, "transit"),
                )
            ],
            to=(destination, to_warehouse),
            refuse_below_zero=True,
        )

    def arrive(self, dispatch_number: str, *, note: str = "") -> StockDocument:
        """The goods of a dispatch arrive at its destination: MM+, out of transit."""
        with self.context.database.reader.connect() as connection:
            dispatch = connection.execute(
                select(_DOCUMENTS).where(_DOCUMENTS.c.number == dispatch_number)
            ).first()
            if dispatch is None or dispatch.kind != StockDocumentKind.DISPATCH.value:
                raise NotFound(_("There is no transfer numbered {number}", number=dispatch_number))
            moved = connection.execute(
                select(_MOVEMENTS).where(
                    _MOVEMENTS.c.document_id == dispatch.id, _MOVEMENTS.c.cause == "transit"
                )
            ).all()
        if dispatch.to_store != self._store:
            raise InvalidInput(
                _(
                    "Transfer {number} goes to store {store}: it arrives there",
                    number=dispatch_number,
                    store=dispatch.to_store,
                )
            )
        target = str(dispatch.to_warehouse)
        return self._write(
            StockDocumentKind.ARRIVAL,
            target,
            note,
            lambda store, doc: [
                movement
                for m in moved
                for movement in (
                    (
                        store,
                        TRANSIT,
                        _Resolved(m.sku, m.lot, m.quantity, "", None),
                        -m.quantity,
                        "arrival",
                    ),
                    (
                        store,
                        target,
                        _Resolved(m.sku, m.lot, m.quantity, "", None),
                        m.quantity,
                        "arrival",
                    ),
                )
            ],
            origin=(str(dispatch.id), dispatch_number),
        )

    def transfer(
        self,
        lines: Iterable[StockLine],
        *,
        to_warehouse: str,
        warehouse: str = "FLOOR",
        note: str = "",
    ) -> tuple[StockDocument, StockDocument]:
        """Between two warehouses of this store: the dispatch and its arrival at once."""
        sent = self.dispatch(lines, to_warehouse=to_warehouse, warehouse=warehouse, note=note)
        return sent, self.arrive(sent.number, note=note)

    def count(
        self,
        counted: Iterable[StockLine],
        *,
        warehouse: str = "FLOOR",
        note: str = "",
    ) -> StockDocument:
        """A stock count (inventory): what was counted of each item and lot replaces what
        the warehouse held, each difference booked as a movement of its own. Items not
        counted keep their stock. Needs the permission count_stock."""
        resolved = self._lines(counted, StockDocumentKind.COUNT, allow_zero=True)
        keys = [(r.sku, r.lot) for r in resolved]
        if len(set(keys)) != len(keys):
            raise InvalidInput(_("An item is counted once on a stock count"))
        self.context.require(Permission.COUNT_STOCK, what="book a stock count")

        def differences(store: str, connection: Connection) -> list[Any]:
            held = _held(connection, store, warehouse, keys)
            return [
                (store, warehouse, r, r.quantity - held.get((r.sku, r.lot), Decimal(0)), "count")
                for r in resolved
                if r.quantity != held.get((r.sku, r.lot), Decimal(0))
            ]

        return self._write(StockDocumentKind.COUNT, warehouse, note, differences)

    def document(self, number: str) -> StockDocument:
        with self.context.database.reader.connect() as connection:
            row = connection.execute(
                select(_DOCUMENTS).where(_DOCUMENTS.c.number == number)
            ).first()
            if row is None:
                raise NotFound(_("There is no warehouse document numbered {number}", number=number))
            moved = connection.execute(
                select(_MOVEMENTS)
                .where(_MOVEMENTS.c.document_id == row.id)
                .order_by(_MOVEMENTS.c.id)
            ).all()
        origin = None
        if row.origin_id is not None:
            with self.context.database.reader.connect() as connection:
                origin = connection.execute(
                    select(_DOCUMENTS.c.number).where(_DOCUMENTS.c.id == row.origin_id)
                ).scalar()
        return StockDocument(
            id=row.id,
            kind=StockDocumentKind(row.kind),
            number=row.number,
            store=row.store,
            warehouse=row.warehouse,
            at=row.at,
            movements=tuple(
                Movement(
                    m.store,
                    m.warehouse,
                    m.sku,
                    m.quantity,
                    m.cause,
                    m.document_id,
                    m.at,
                    m.lot,
                    m.line_id,
                    m.number,
                )
                for m in moved
            ),
            to_store=row.to_store,
            to_warehouse=row.to_warehouse,
            origin=origin,
        )

    # -- parts ------------------------------------------------------------------
    @property
    def _store(self) -> str:
        return self.context.store.code

    def _check_warehouse(self, code: str, store: str) -> None:
        from cassa.engine.stock._desk import StockDesk

        StockDesk(self.context).warehouse(code, store)

    def _lines(
        self, lines: Iterable[StockLine], kind: StockDocumentKind, *, allow_zero: bool = False
    ) -> list[_Resolved]:
        resolved: list[_Resolved] = []
        vouchers: set[str] = set()
        for line in lines:
            if line.voucher is not None:
                number = line.voucher.strip()
                if number in vouchers:
                    # seed: "Non è possibile aggiungere due volte una voce con lo stesso
                    # numero di buono acquisto al documento"
                    raise InvalidInput(
                        _(
                            "A voucher number cannot be added to the document twice: {number}",
                            number=number,
                        )
                    )
                vouchers.add(number)
                resolved.append(self._voucher(number))
                continue
            item, lot = self.context.catalog.lookup(line.code)
            if item.type is ItemType.SERVICE:
                raise InvalidInput(_("{name} is a service: it has no stock", name=item.name))
            if item.type is ItemType.VOUCHER:
                raise InvalidInput(
                    _("A voucher is added to a warehouse document by its number alone")
                )
            if item.type is ItemType.SET and item.components:
                if item.insert_components and kind is StockDocumentKind.ISSUE:
                    # seed: "Per i documenti MMI- non esiste la possibilità di aggiungere un
                    # articolo tipo Set con il parametro Inserisci i componenti nel documento"
                    raise InvalidInput(
                        _(
                            "{name} is a set inserted as its components: issue them one by one",
                            name=item.name,
                        )
                    )
                try:
                    count = to_decimal(line.quantity)
                except (TypeError, ValueError):
                    raise InvalidInput(
                        _("The quantity must be a number, not {value}", value=str(line.quantity))
                    ) from None
                resolved.extend(
                    self._lines(
                        [StockLine(c.sku, c.quantity * count) for c in item.components],
                        kind,
                        allow_zero=allow_zero,
                    )
                )
                continue
            if line.lot is not None:
                lot = item.lot(line.lot)
            try:
                quantity = to_decimal(line.quantity)
            except (TypeError, ValueError):
                raise InvalidInput(
                    _("The quantity must be a number, not {value}", value=str(line.quantity))
                ) from None
            if quantity < 0 or (quantity == 0 and not allow_zero):
                raise InvalidInput(_("The quantity of {name} must be above zero", name=item.name))
            item.units.base.check(quantity)
            resolved.append(
                _Resolved(item.sku, lot.code if lot else "", quantity, item.name, item.group)
            )
        if not resolved:
            raise DocumentStateError(_("A warehouse document needs at least one line"))
        return resolved

    def _voucher(self, number: str) -> _Resolved:
        from cassa.engine.payments import money_settings

        with self.context.database.reader.connect() as connection:
            kind = connection.execute(
                select(table_of(StoredValueRow).c.kind).where(
                    table_of(StoredValueRow).c.number == number
                )
            ).scalar()
        voucher_kind = (
            money_settings(self.context.pack, self.context.catalog).voucher_kinds.get(kind)
            if kind is not None
            else None
        )
        if voucher_kind is None or voucher_kind.item is None:
            raise NotFound(_("There is no voucher with this number"))
        item = self.context.catalog.find(voucher_kind.item)
        return _Resolved(item.sku, number, Decimal(1), item.name, item.group)

    def _write(
        self,
        kind: StockDocumentKind,
        warehouse: str,
        note: str,
        movements: Any,
        *,
        to: tuple[str, str] | None = None,
        origin: tuple[str, str] | None = None,
        refuse_below_zero: bool = False,
    ) -> StockDocument:
        self._check_warehouse(warehouse, self._store)
        context = self.context
        now = context.now()
        document_id = str(uuid.uuid4())
        with context.database.session() as session, session.begin():
            connection = session.connection()
            sequence = _next_number(connection, f"stock_{kind.value}", context.code, now.year)
            number = f"{kind.prefix}/{context.code}/{now.year}/{sequence:06d}"
            connection.execute(
                insert(_DOCUMENTS).values(
                    id=document_id,
                    kind=kind.value,
                    number=number,
                    store=self._store,
                    warehouse=warehouse,
                    to_store=to[0] if to else None,
                    to_warehouse=to[1] if to else None,
                    origin_id=origin[0] if origin else None,
                    till=context.code,
                    operator=context.operator,
                    note=note,
                    at=now,
                )
            )
            planned = (
                movements(self._store, connection)
                if kind is StockDocumentKind.COUNT
                else movements(self._store, document_id)
            )
            booked = [
                Movement(
                    store, where, r.sku, quantity, cause, document_id, now, r.lot, None, number
                )
                for store, where, r, quantity, cause in planned
            ]
            after = book(connection, booked)
            if refuse_below_zero:
                from cassa.engine.stock._policy import check_issue

                check_issue(
                    context,
                    [
                        (r, after[m.key])
                        for (_, _, r, _, _), m in zip(planned, booked, strict=True)
                        if m.quantity < 0
                    ],
                )
        return StockDocument(
            id=document_id,
            kind=kind,
            number=number,
            store=self._store,
            warehouse=warehouse,
            at=now,
            movements=tuple(booked),
            to_store=to[0] if to else None,
            to_warehouse=to[1] if to else None,
            origin=origin[1] if origin else None,
        )


def _held(
    connection: Connection, store: str, warehouse: str, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Decimal]:
    """What the warehouse holds of these items and lots, locked on PostgreSQL until the
    count commits (a sale meanwhile waits, and is then counted)."""
    query = select(_LEVELS.c.sku, _LEVELS.c.lot, _LEVELS.c.quantity).where(
        _LEVELS.c.store == store,
        _LEVELS.c.warehouse == warehouse,
        _LEVELS.c.sku.in_({sku for sku, _ in keys}),
    )
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return {(sku, lot): quantity for sku, lot, quantity in connection.execute(query)}


def _next_number(connection: Connection, series: str, till: str, year: int) -> int:
    insert_ = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert_(_NUMBERING)
        .values(doc_type=series, till=till, year=year, last=1)
        .on_conflict_do_update(
            index_elements=["doc_type", "till", "year"], set_={"last": _NUMBERING.c.last + 1}
        )
        .returning(_NUMBERING.c.last)
    )
    return int(connection.execute(statement).scalar_one())
