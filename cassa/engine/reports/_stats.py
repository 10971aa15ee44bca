"""Each approved sales document's figures, frozen for the summaries.

The payment approval writes them in its own transaction; a document approved
another way (without the payment window) gets them the first time a report
needs them (`ensure_sale_stats`), computed the same way from the stored
document. Summaries are then SQL sums over these rows, indexed by store and
business date and by till and day.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document, DocumentTotals
from cassa.engine.money import Currency
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.storage.models import (
    DocumentRow,
    SaleGroupStatsRow,
    SaleStatsRow,
    ShiftRow,
    TillDayRow,
)
from cassa.engine.tax import PriceDirection

__all__ = [
    "CORRECTION_TYPES",
    "RECEIPT_INVOICE",
    "SALES_TYPES",
    "ensure_sale_stats",
    "sale_figures",
    "write_sale_stats",
]

SALES_TYPES = ("receipt", "invoice", "debit_note")
CORRECTION_TYPES = ("receipt_return", "invoice_return", "manual_correction")
# The figures of an invoice of a receipt carry this type, in neither list above: the
# receipt counted the sale, so the summaries count neither its value nor the invoice
# among the sales documents (seed: "Vendita totale ... tranne le fatture generate per
# scontrini", "Numero di documenti commerciali emessi ... tranne le fatture generate per
# scontrini"). It stays a document issued: numbered, stored, exported, chained.
RECEIPT_INVOICE = "receipt_invoice"
NO_GROUP = "-"


def _gross(value: Decimal, percent: Decimal, direction: PriceDirection, money: Currency) -> Decimal:
    if direction is PriceDirection.GROSS:
        return value
    return money.round(value * (1 + percent / 100))


def sale_figures(
    document: Document, totals: DocumentTotals, money: Currency
) -> tuple[dict[str, object], dict[str, Decimal]]:
    """The figures of one document and its gross value per item group."""
    regular = Decimal(0)
    lines = returned = vouchers = pieces = returned_pieces = 0
    vouchers_value = Decimal(0)
    groups: dict[str, Decimal] = {}
    for t in totals.lines:
        line = t.line
        percent = line.vat_percent
        regular += _gross(t.gross_amount, percent, document.direction, money)
        value = _gross(t.value, percent, document.direction, money)
        if line.returned:
            returned += 1
            returned_pieces += _pieces(line.quantity, line.unit_precision)
            continue
        if line.quantity > 0:
            lines += 1
            pieces += _pieces(line.quantity, line.unit_precision)
        if line.item_type is ItemType.VOUCHER:
            vouchers += 1
            vouchers_value += value
        group = line.group or NO_GROUP
        groups[group] = groups.get(group, Decimal(0)) + value
    if document.type.value in CORRECTION_TYPES:
        taken_back = [t.line for t in totals.lines if t.line.quantity < 0]
        returned = max(returned, len(taken_back))
        returned_pieces = max(
            returned_pieces, sum(_pieces(line.quantity, line.unit_precision) for line in taken_back)
        )
    figures: dict[str, object] = {
        "total": totals.total,
        "regular_total": regular,
        "discount_total": regular - totals.total,
        "lines": lines,
        "returned_lines": returned,
        "pieces": pieces,
        "returned_pieces": returned_pieces,
        "vouchers": vouchers,
        "vouchers_value": vouchers_value,
        "loyalty_card": document.inputs.loyalty_card is not None,
    }
    return figures, groups


def _pieces(quantity: Decimal, precision: int) -> int:
    """A line's items for the counts: its pieces in a whole unit, one when weighed or
    measured (2,5 kg of apples is one item sold)."""
    if precision > 0:
        return 1
    return int(abs(quantity))


def write_sale_stats(
    session: Session,
    document: Document,
    totals: DocumentTotals,
    *,
    currency: Currency,
    day_id: int | None,
    shift_id: int | None,
    business_date: date,
    paid: bool,
) -> None:
    figures, groups = sale_figures(document, totals, currency)
    session.add(
        SaleStatsRow(
            document_id=document.id,
            store=document.store,
            till=document.till,
            doc_type=RECEIPT_INVOICE if document.paid_by_origin else document.type.value,
            day_id=day_id,
            shift_id=shift_id,
            business_date=business_date,
            paid=paid,
            **figures,
        )
    )
    session.add_all(
        SaleGroupStatsRow(
            document_id=document.id,
            item_group=group,
            store=document.store,
            till=document.till,
            day_id=day_id,
            business_date=business_date,
            gross=gross,
        )
        for group, gross in groups.items()
    )


def ensure_sale_stats(
    database: Database,
    currency: Currency,
    timezone: str,
    *,
    store: str | None = None,
    till: str | None = None,
) -> int:
    """Give report figures to approved sales documents that have none yet; how many."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    kinds = SALES_TYPES + CORRECTION_TYPES
    with database.session() as session:
        wanted = [DocumentRow.status == "approved", DocumentRow.doc_type.in_(kinds)]
        figures = []
        if store is not None:
            wanted.append(DocumentRow.store == store)
            figures.append(SaleStatsRow.store == store)
        if till is not None:
            wanted.append(DocumentRow.till == till)
            figures.append(SaleStatsRow.till == till)
        # Figures exist only for approved sales documents, and documents are never
        # deleted: equal counts mean none is missing, without the anti-join.
        documents = session.scalar(select(func.count()).select_from(DocumentRow).where(*wanted))
        stats = session.scalar(select(func.count()).select_from(SaleStatsRow).where(*figures))
        if documents == stats:
            return 0
        missing = list(
            session.scalars(
                select(DocumentRow.id).where(
                    *wanted, ~exists().where(SaleStatsRow.document_id == DocumentRow.id)
                )
            )
        )
    if not missing:
        return 0
    store_reader = DocumentStore(database)
    # Read before writing: on SQLite a read session waits for the write transaction's lock.
    loaded = [store_reader.load(document_id) for document_id in missing]
    with database.session() as session, session.begin():
        for document in loaded:
            approved = document.approved_at
            assert approved is not None
            day_id = _day_at(session, document.till, approved)
            shift_id = _shift_at(session, document.operator, approved)
            write_sale_stats(
                session,
                document,
                document.totals(currency),
                currency=currency,
                day_id=day_id,
                shift_id=shift_id,
                business_date=approved.astimezone(zone).date(),
                paid=False,
            )
    return len(missing)


def _day_at(session: Session, till: str, moment: datetime) -> int | None:
    return session.scalar(
        select(TillDayRow.id)
        .where(
            TillDayRow.till == till,
            TillDayRow.opened_at <= moment,
            or_(TillDayRow.closed_at.is_(None), TillDayRow.closed_at >= moment),
        )
        .order_by(TillDayRow.opened_at.desc())
        .limit(1)
    )


def _shift_at(session: Session, cashier: str, moment: datetime) -> int | None:
    return session.scalar(
        select(ShiftRow.id)
        .where(
            and_(
                ShiftRow.cashier == cashier,
                ShiftRow.opened_at <= moment,
                or_(ShiftRow.closed_at.is_(None), ShiftRow.closed_at >= moment),
            )
        )
        .order_by(ShiftRow.opened_at.desc())
        .limit(1)
    )
