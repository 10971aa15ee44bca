"""Storing documents: drafts saved line by line, approval in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from cassa.engine import inputs
from cassa.engine.catalog import ItemType
from cassa.engine.country import DEFAULT_NUMBERING, document_number
from cassa.engine.documents import (
    Adjustment,
    Document,
    DocumentStatus,
    DocumentTotals,
    DocumentType,
    Line,
    SaleInputs,
)
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import (
    CouponRedemptionRow,
    DocumentLineRow,
    DocumentRow,
    DocumentVatRow,
    NumberingRow,
    table_of,
)
from cassa.engine.tax import PriceDirection
from cassa.i18n import _

__all__ = ["ApprovalHook", "ApprovalWriter", "DocumentStore", "aware", "document_in"]

# Writes more rows inside an approval's transaction (payments, cash movements…),
# given the session and the number just assigned; raising rolls the approval back.
ApprovalWriter = Callable[[Session, str], None]
# Runs inside every approval's transaction once the document is numbered and totalled,
# given the session and the document's id (the fiscal hash chain of cassa.engine.integrity);
# raising rolls the approval back.
ApprovalHook = Callable[[Session, str], None]


_DOCUMENTS = table_of(DocumentRow)
_LINES = table_of(DocumentLineRow)
_VAT = table_of(DocumentVatRow)
_LINE_VALUE = (
    update(_LINES).where(_LINES.c.id == bindparam("line_id")).values(value=bindparam("value"))
)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything stored is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class DocumentStore:
    """Documents in the database. Keeps which line values it last wrote, so a
    save after one scan writes one line, not the whole receipt."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._written: dict[str, dict[str, tuple[int, Line]]] = {}
        self.approval_hooks: list[ApprovalHook] = []
        # run once an approval's payments are written, in its transaction (the TSE signs
        # what was paid)
        self.settled_hooks: list[ApprovalHook] = []
        # document type -> the country pack's numbering pattern (cassa.engine.country)
        self.numbering: dict[str, str] = {}

    # -- drafts ---------------------------------------------------------------
    def save(self, document: Document) -> None:
        """Write a draft or parked document: header and the lines that changed."""
        if not document.editable:
            raise DocumentStateError(
                _(
                    "document {number} is {value}",
                    number=document.number,
                    value=document.status.value,
                )
            )
        with self.database.draft_session() as session, session.begin():
            written = self._write(session, document)
        self._written[document.id] = written  # only once committed

    def _write(self, session: Session, document: Document) -> dict[str, tuple[int, Line]]:
        """Header and changed lines, as Core statements on the session's connection (an
        executemany per kind of change: one round trip, not one per line)."""
        connection = session.connection()
        written = self._written.get(document.id)
        header = _header_values(document)
        if written is None:
            connection.execute(insert(_DOCUMENTS), {"id": document.id, **header})
            written = {}
        else:
            changed = connection.execute(
                update(_DOCUMENTS)
                .where(_DOCUMENTS.c.id == document.id, _DOCUMENTS.c.status.in_(["draft", "parked"]))
                .values(**header)
            ).rowcount
            if changed != 1:
                raise DocumentStateError(
                    _("document {id} was changed or approved elsewhere", id=document.id)
                )
        current = {line.id: (position, line) for position, line in enumerate(document.lines, 1)}
        removed = [line_id for line_id in written if line_id not in current]
        if removed:
            connection.execute(delete(_LINES).where(_LINES.c.id.in_(removed)))
        added = []
        changed_lines = []
        for line_id, (position, line) in current.items():
            before = written.get(line_id)
            if before is None:
                added.append(
                    {"id": line_id, "document_id": document.id, **_line_values(position, line)}
                )
            elif before[1] is not line or before[0] != position:
                changed_lines.append({"line_id": line_id, **_line_values(position, line)})
        if added:
            connection.execute(insert(_LINES), added)
        if changed_lines:
            columns: dict[str, Any] = {
                key: bindparam(key) for key in changed_lines[0] if key != "line_id"
            }
            connection.execute(
                update(_LINES).where(_LINES.c.id == bindparam("line_id")).values(columns),
                changed_lines,
            )
        return current

    # -- approval ---------------------------------------------------------------
    def approve(
        self,
        document: Document,
        totals: DocumentTotals,
        now: datetime,
        *,
        coupons: Sequence[tuple[str, int | None]] = (),
        extra: ApprovalWriter | None = None,
        linked: Sequence[tuple[Document, DocumentTotals]] = (),
    ) -> Document:
        """Number and approve a document in one transaction.

        The number comes from the series (type, till, year) inside the same
        transaction that writes the document, so a crash or a rollback never
        uses up a number and two processes never get the same one. Coupons
        (code, uses allowed) are redeemed in the same transaction; one used up
        meanwhile by another till refuses the approval. `linked` documents (the
        manual correction of what a sale bought back) are approved in the same
        transaction, each from its own series, naming this one as their origin.
        """
        document.ensure_editable()
        with self.database.session() as session, session.begin():
            self._write(session, document)
            for code, allowed in coupons:
                used = session.scalar(
                    select(func.count())
                    .select_from(CouponRedemptionRow)
                    .where(CouponRedemptionRow.code == code)
                )
                if allowed is not None and (used or 0) >= allowed:
                    raise InvalidInput(
                        _(
                            "coupon {code} has already been used: remove it and approve again",
                            code=code,
                        )
                    )
                session.add(
                    CouponRedemptionRow(code=code, document_id=document.id, redeemed_at=now)
                )
            number, sequence = self._number(session, document, totals, now)
            numbered = [(document, number, sequence)]
            for other, other_totals in linked:
                other.origin_id, other.origin_number = document.id, number
                session.add(DocumentRow(id=other.id, **_header_values(other)))
                session.flush()
                session.add_all(
                    _line_row(other.id, position, line)
                    for position, line in enumerate(other.lines, 1)
                )
                session.flush()
                numbered.append((other, *self._number(session, other, other_totals, now)))
            if extra is not None:
                extra(session, number)  # e.g. the payment: in the same transaction
            for hook in self.settled_hooks:
                hook(session, document.id)
        for approved, approved_number, approved_sequence in numbered:
            self._written.pop(approved.id, None)
            approved.status = DocumentStatus.APPROVED
            approved.number, approved.year = approved_number, now.year
            approved.sequence, approved.approved_at = approved_sequence, now
        return document

    def _number(
        self, session: Session, document: Document, totals: DocumentTotals, now: datetime
    ) -> tuple[str, int]:
        """Number a written document, store its values and VAT, run the approval hooks."""
        sequence = self._next_number(session, document.type, document.till, now.year)
        pattern = self.numbering.get(document.type.value, DEFAULT_NUMBERING)
        number = document_number(pattern, document.type.prefix, document.till, now.year, sequence)
        connection = session.connection()
        # one executemany each: a round trip for all the lines' values and the VAT rows
        connection.execute(
            _LINE_VALUE, [{"line_id": t.line.id, "value": t.value} for t in totals.lines]
        )
        connection.execute(
            insert(_VAT),
            [
                {
                    "document_id": document.id,
                    "vat_code": s.rate.code,
                    "percent": s.rate.percent,
                    "net": s.net,
                    "vat": s.vat,
                    "gross": s.gross,
                }
                for s in totals.vat
            ],
        )
        connection.execute(
            update(_DOCUMENTS)
            .where(_DOCUMENTS.c.id == document.id)
            .values(
                status=DocumentStatus.APPROVED.value,
                number=number,
                year=now.year,
                sequence=sequence,
                approved_at=now,
                total=totals.total,
                net_total=totals.net_total,
                vat_total=totals.vat_total,
            )
        )
        for hook in self.approval_hooks:
            hook(session, document.id)  # e.g. the fiscal hash chain
        return number, sequence

    def _next_number(self, session: Session, doc_type: DocumentType, till: str, year: int) -> int:
        table = NumberingRow.__table__
        assert isinstance(table, Table)
        values: dict[str, Any] = {"doc_type": doc_type.value, "till": till, "year": year, "last": 1}
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(table)
            .values(**values)
            .on_conflict_do_update(
                index_elements=["doc_type", "till", "year"], set_={"last": table.c.last + 1}
            )
            .returning(table.c.last)
        )
        return int(session.execute(statement).scalar_one())

    def coupon_uses(self, code: str) -> int:
        with self.database.session() as session:
            used = session.scalar(
                select(func.count())
                .select_from(CouponRedemptionRow)
                .where(CouponRedemptionRow.code == code)
            )
        return int(used or 0)

    # -- other transitions ------------------------------------------------------
    def discard(self, document: Document, *, note: str = "") -> None:
        """Mark a stored draft or parked document discarded, with why (`note`) if said."""
        document.ensure_editable()
        with self.database.session() as session, session.begin():
            if document.id in self._written:
                changed = session.execute(
                    update(DocumentRow)
                    .where(
                        DocumentRow.id == document.id, DocumentRow.status.in_(["draft", "parked"])
                    )
                    .values(status=DocumentStatus.DISCARDED.value, note=note or DocumentRow.note)
                ).rowcount  # type: ignore[attr-defined]
                if changed != 1:
                    raise DocumentStateError(
                        _("document {id} was changed or approved elsewhere", id=document.id)
                    )
        document.status = DocumentStatus.DISCARDED
        self._written.pop(document.id, None)

    # -- reading ----------------------------------------------------------------
    def load(self, document_id: str) -> Document:
        with self.database.session() as session:
            document = document_in(session, document_id)
        if document.editable:
            self._written[document.id] = {
                line.id: (position, line) for position, line in enumerate(document.lines, 1)
            }
        return document

    def find_by_number(self, number: str) -> Document:
        number = inputs.code(number, _("the document number"))  # typed: refused alike everywhere
        with self.database.session() as session:
            found = session.scalar(select(DocumentRow.id).where(DocumentRow.number == number))
        if found is None:
            raise NotFound(_("no document numbered {number}", number=number))
        return self.load(found)

    def list(
        self, *, till: str | None = None, status: DocumentStatus | None = None
    ) -> list[Document]:
        with self.database.session() as session:
            query = select(DocumentRow).options(selectinload(DocumentRow.lines))
            if till is not None:
                query = query.where(DocumentRow.till == till)
            if status is not None:
                query = query.where(DocumentRow.status == status.value)
            rows = session.scalars(query.order_by(DocumentRow.created_at, DocumentRow.id)).all()
            return [_document(row) for row in rows]


def document_in(session: Session, document_id: str) -> Document:
    """A stored document as the caller's session sees it (inside an approval, say)."""
    row = session.scalar(
        select(DocumentRow)
        .where(DocumentRow.id == document_id)
        .options(selectinload(DocumentRow.lines))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(_("no document with id {document_id}", document_id=document_id))
    return _document(row)


def _header_values(document: Document) -> dict[str, Any]:
    return {
        "doc_type": document.type.value,
        "status": document.status.value,
        "store": document.store,
        "till": document.till,
        "currency": document.currency,
        "direction": document.direction.value,
        "operator": document.operator,
        "customer": document.customer,
        "created_at": document.created_at,
        "note": document.note,
        "inputs": json.dumps(document.inputs.as_json(), sort_keys=True),
        "reverse_charge": document.reverse_charge,
        "split_payment": document.split_payment,
        "split_payment_manual": document.split_payment_manual,
        "origin_id": document.origin_id,
        "origin_number": document.origin_number,
        "pickup_point": document.pickup_point,
        "expected_date": document.expected_date,
        "recipient": document.recipient,
    }


def _line_values(position: int, line: Line) -> dict[str, Any]:
    return {
        "position": position,
        "sku": line.sku,
        "name": line.name,
        "item_type": line.item_type.value,
        "item_group": line.group,
        "unit": line.unit,
        "unit_precision": line.unit_precision,
        "base_unit": line.base_unit,
        "quantity": line.quantity,
        "base_quantity": line.base_quantity,
        "list_price": line.list_price,
        "vat_code": line.vat_code,
        "vat_percent": line.vat_percent,
        "discountable": line.discountable,
        "adjustments": json.dumps(
            [
                {"source": a.source, "kind": a.kind, "amount": str(a.amount), "label": a.label}
                for a in line.adjustments
            ]
        ),
        "note": line.note,
        "handled_by": line.handled_by,
        "returned": line.returned,
        "price_source": line.price_source,
        "reverse_charge": line.reverse_charge,
        "split_payment": line.split_payment,
        "origin_line": line.origin_line,
        "lot": line.lot,
        "lot_properties": json.dumps(dict(line.lot_properties), ensure_ascii=False)
        if line.lot is not None
        else None,
        "set_group": line.set_group,
    }


def _line_row(document_id: str, position: int, line: Line) -> DocumentLineRow:
    return DocumentLineRow(id=line.id, document_id=document_id, **_line_values(position, line))


def _line(row: DocumentLineRow) -> Line:
    return Line(
        id=row.id,
        sku=row.sku,
        name=row.name,
        item_type=ItemType(row.item_type),
        group=row.item_group,
        unit=row.unit,
        unit_precision=row.unit_precision,
        quantity=row.quantity,
        base_quantity=row.base_quantity,
        list_price=row.list_price,
        vat_code=row.vat_code,
        vat_percent=row.vat_percent,
        discountable=row.discountable,
        adjustments=tuple(
            Adjustment(a["source"], a["kind"], Decimal(a["amount"]), a.get("label", ""))
            for a in json.loads(row.adjustments)
        ),
        note=row.note,
        handled_by=row.handled_by,
        returned=row.returned,
        price_source=row.price_source,
        base_unit=row.base_unit,
        reverse_charge=row.reverse_charge,
        split_payment=row.split_payment,
        origin_line=row.origin_line,
        lot=row.lot,
        lot_properties=tuple(json.loads(row.lot_properties).items()) if row.lot_properties else (),
        set_group=row.set_group,
    )


def _document(row: DocumentRow) -> Document:
    created = aware(row.created_at)
    assert created is not None
    return Document(
        id=row.id,
        type=DocumentType(row.doc_type),
        store=row.store,
        till=row.till,
        currency=row.currency,
        direction=PriceDirection(row.direction),
        created_at=created,
        operator=row.operator,
        status=DocumentStatus(row.status),
        customer=row.customer,
        lines=[_line(line) for line in row.lines],
        number=row.number,
        year=row.year,
        sequence=row.sequence,
        approved_at=aware(row.approved_at),
        note=row.note,
        inputs=SaleInputs.from_json(json.loads(row.inputs or "{}")),
        reverse_charge=row.reverse_charge,
        split_payment=row.split_payment,
        split_payment_manual=row.split_payment_manual,
        origin_id=row.origin_id,
        origin_number=row.origin_number,
        pickup_point=row.pickup_point,
        expected_date=row.expected_date,
        recipient=row.recipient,
    )
