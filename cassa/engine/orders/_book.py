"""The order book: what approved documents did to orders, written inside their approval.

`OrderBook` is an approval hook (cassa.engine.storage.documents): in the transaction
that numbers a document it records

- an approved offer or sales order as open (an order made from an offer converts it);
- a document generated from an order: its deposit lines as a deposit held, its lines
  naming order lines as units fulfilled (never more than remain: checked again under
  the order's row lock, so two tills fulfilling the same order never overdeliver), its
  deduction lines as deposits deducted (never more than was taken, once);
- a return of a deposit document (CQS, CVFAV) as the deposit refunded, whole.

Raising rolls the approval back: nothing of a refused document is stored.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cassa.engine.documents import Adjustment, Document, DocumentStatus, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.orders._lines import OVER_ORDER, Earlier
from cassa.engine.storage.documents import document_in
from cassa.engine.storage.models import (
    DocumentLineRow,
    DocumentRow,
    OrderDepositRow,
    OrderMovementRow,
    OrderRow,
)
from cassa.i18n import _

__all__ = [
    "DEDUCTION",
    "DEPOSIT",
    "Deposit",
    "OrderBook",
    "OrderState",
    "deposits_of",
    "earlier_of",
    "moved",
]

DEPOSIT = "deposit"  # the price source of a deposit line
DEDUCTION = "deposit:"  # + the deposit's id: the price source of a deduction line
FULFILLING = (DocumentType.RECEIPT.value, DocumentType.INVOICE.value)


class OrderState:
    OPEN = "open"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    CONVERTED = "converted"  # an offer that became an order
    ACTIVE = (OPEN, PARTIALLY_FULFILLED)


@dataclass(frozen=True)
class Deposit:
    id: str
    order_id: str
    document_id: str
    number: str
    amount: Decimal
    deducted: Decimal
    state: str  # held, deducted, refunded, voucher
    vat: tuple[tuple[str, Decimal, Decimal], ...]  # (code, percent, gross)
    settled_by: str | None

    @property
    def held(self) -> Decimal:
        """What the store still owes the customer on it (a liability, not sales)."""
        return self.amount - self.deducted if self.state == "held" else Decimal(0)


def moved(session: Session, order_id: str, kind: str) -> dict[str, Decimal]:
    """Units per order line fulfilled (kind "fulfilled") or cancelled."""
    rows = session.execute(
        select(OrderMovementRow.line_id, func.sum(OrderMovementRow.quantity))
        .where(OrderMovementRow.order_id == order_id, OrderMovementRow.kind == kind)
        .group_by(OrderMovementRow.line_id)
    )
    return {str(line): Decimal(total) for line, total in rows}


def earlier_of(
    session: Session, order_id: str, *, excluding: str | None = None
) -> dict[str, Earlier]:
    """Per order line: (quantity, base quantity, discounts) of each approved line
    delivering it."""
    query = (
        select(
            DocumentLineRow.origin_line,
            DocumentLineRow.quantity,
            DocumentLineRow.base_quantity,
            DocumentLineRow.adjustments,
        )
        .join(DocumentRow, DocumentRow.id == DocumentLineRow.document_id)
        .where(
            DocumentRow.origin_id == order_id,
            DocumentRow.status == DocumentStatus.APPROVED.value,
            DocumentRow.doc_type.in_(FULFILLING),
            DocumentLineRow.origin_line.is_not(None),
        )
    )
    if excluding is not None:
        query = query.where(DocumentRow.id != excluding)
    found: dict[str, Earlier] = {}
    for origin, quantity, base, adjustments in session.execute(query):
        given = tuple(
            Adjustment(a["source"], a["kind"], Decimal(a["amount"]), a.get("label", ""))
            for a in json.loads(adjustments)
        )
        found.setdefault(str(origin), []).append((quantity, base, given))
    return found


def deposits_of(session: Session, order_id: str) -> list[Deposit]:
    rows = session.scalars(
        select(OrderDepositRow)
        .where(OrderDepositRow.order_id == order_id)
        .order_by(OrderDepositRow.taken_at, OrderDepositRow.number)
    ).all()
    return [_deposit(session, row) for row in rows]


def _deposit(session: Session, row: OrderDepositRow) -> Deposit:
    return Deposit(
        id=row.id,
        order_id=row.order_id,
        document_id=row.document_id,
        number=row.number,
        amount=row.amount,
        deducted=_deducted(session, row.id),
        state=row.state,
        vat=tuple(
            (v["code"], Decimal(v["percent"]), Decimal(v["gross"])) for v in json.loads(row.vat)
        ),
        settled_by=row.settled_by,
    )


def _deducted(session: Session, deposit_id: str) -> Decimal:
    """What approved documents deducted of a deposit, positive."""
    total = session.scalar(
        select(func.sum(DocumentLineRow.value))
        .join(DocumentRow, DocumentRow.id == DocumentLineRow.document_id)
        .where(
            DocumentLineRow.price_source == DEDUCTION + deposit_id,
            DocumentRow.status == DocumentStatus.APPROVED.value,
        )
    )
    return -Decimal(total or 0)


class OrderBook:
    """The approval hook (see the module's docstring)."""

    def __call__(self, session: Session, document_id: str) -> None:
        found = session.execute(
            select(DocumentRow.doc_type, DocumentRow.origin_id).where(DocumentRow.id == document_id)
        ).one()
        kind = DocumentType(found.doc_type)
        if kind.is_order:
            self._open(session, document_in(session, document_id))
            return
        if found.origin_id is None:
            return
        order = session.scalar(
            select(OrderRow)
            .where(OrderRow.document_id == found.origin_id)
            .with_for_update()  # PostgreSQL: one document of an order approved at a time
        )
        document = document_in(session, document_id)
        if order is not None:
            self._generated(session, order, document)
        elif kind.is_return:
            self._refunded(session, document)

    # -- offers and orders ----------------------------------------------------------
    def _open(self, session: Session, document: Document) -> None:
        at = _at(session, document.id)
        if document.type is DocumentType.SALES_ORDER and document.customer is None:
            raise InvalidInput(_("a sales order needs a customer: choose one first"))
        session.add(
            OrderRow(
                document_id=document.id,
                kind=document.type.value,
                number=_number(session, document.id),
                state=OrderState.OPEN,
                store=document.store,
                till=document.till,
                customer=document.customer,
                pickup_point=document.pickup_point,
                expected_date=document.expected_date,
                opened_at=at,
                source_id=document.origin_id,
                version=1,
            )
        )
        if document.origin_id is None:
            return
        offer = session.scalar(
            select(OrderRow).where(OrderRow.document_id == document.origin_id).with_for_update()
        )
        if offer is None or offer.kind != DocumentType.OFFER.value:
            return
        if offer.state != OrderState.OPEN:
            raise DocumentStateError(
                _(
                    "offer {number} is {state}: it became an order",
                    number=offer.number,
                    state=offer.state,
                )
            )
        offer.state, offer.closed_at = OrderState.CONVERTED, at
        offer.source_id, offer.version = document.id, offer.version + 1

    # -- documents generated from an order ---------------------------------------------
    def _generated(self, session: Session, order: OrderRow, document: Document) -> None:
        if order.kind != DocumentType.SALES_ORDER.value:
            raise InvalidInput(
                _("{number} is an offer: make it an order first", number=order.number)
            )
        at = _at(session, document.id)
        deposit_lines = [line for line in document.lines if line.price_source == DEPOSIT]
        if deposit_lines:
            if order.state not in OrderState.ACTIVE:
                raise DocumentStateError(
                    _("order {number} is {state}", number=order.number, state=order.state)
                )
            self._deposit(session, order, document, at)
            return
        delivered = [line for line in document.lines if line.origin_line is not None]
        if delivered:
            if order.state not in OrderState.ACTIVE:
                raise DocumentStateError(
                    _("order {number} is {state}", number=order.number, state=order.state)
                )
            fulfilled = moved(session, order.document_id, "fulfilled")
            cancelled = moved(session, order.document_id, "cancelled")
            ordered = {line.id: line for line in document_in(session, order.document_id).lines}
            for line in delivered:
                source = ordered.get(line.origin_line or "")
                if source is None:
                    raise InvalidInput(
                        _("{name} is not a line of {number}", name=line.name, number=order.number)
                    )
                left = (
                    source.quantity
                    - fulfilled.get(source.id, Decimal(0))
                    - cancelled.get(source.id, Decimal(0))
                )
                if line.quantity > left:
                    raise InvalidInput(OVER_ORDER)
                fulfilled[source.id] = fulfilled.get(source.id, Decimal(0)) + line.quantity
                session.add(
                    OrderMovementRow(
                        id=str(uuid.uuid4()),
                        order_id=order.document_id,
                        line_id=source.id,
                        kind="fulfilled",
                        quantity=line.quantity,
                        document_id=document.id,
                        at=at,
                        operator=document.operator,
                    )
                )
            session.flush()
            set_state(session, order, at)
        self._deductions(session, order, document, at)

    def _deposit(self, session: Session, order: OrderRow, document: Document, at: datetime) -> None:
        vat: dict[str, dict[str, str]] = {}
        total = Decimal(0)
        for line in document.lines:
            if line.price_source != DEPOSIT or line.origin_line is not None:
                raise InvalidInput(_("a deposit document holds the deposit only"))
            value = session.scalar(
                select(DocumentLineRow.value).where(DocumentLineRow.id == line.id)
            )
            gross = Decimal(value or 0)
            entry = vat.setdefault(
                line.vat_code,
                {"code": line.vat_code, "percent": str(line.vat_percent), "gross": "0"},
            )
            entry["gross"] = str(Decimal(entry["gross"]) + gross)
            total += gross
        session.add(
            OrderDepositRow(
                id=str(uuid.uuid4()),
                order_id=order.document_id,
                document_id=document.id,
                number=_number(session, document.id),
                currency=document.currency,
                amount=total,
                vat=json.dumps(list(vat.values())),
                state="held",
                taken_at=at,
            )
        )
        order.version += 1

    def _deductions(
        self, session: Session, order: OrderRow, document: Document, at: datetime
    ) -> None:
        wanted = {
            line.price_source[len(DEDUCTION) :]
            for line in document.lines
            if line.price_source.startswith(DEDUCTION)
        }
        for deposit_id in sorted(wanted):
            row = session.get(OrderDepositRow, deposit_id, with_for_update=True)
            if row is None or row.order_id != order.document_id:
                raise InvalidInput(
                    _(
                        "no deposit {deposit_id} on order {number}",
                        deposit_id=deposit_id,
                        number=order.number,
                    )
                )
            if row.state != "held":
                raise DocumentStateError(
                    _("deposit {number} is {state}", number=row.number, state=row.state)
                )
            deducted = _deducted(session, deposit_id)
            if deducted > row.amount:
                raise InvalidInput(
                    _(
                        "deposit {number} ({amount}) cannot be deducted more than once",
                        number=row.number,
                        amount=row.amount,
                    )
                )
            if deducted == row.amount:
                row.state, row.settled_at = "deducted", at
                row.settled_by = _number(session, document.id)
        order.version += 1

    # -- a deposit refunded -------------------------------------------------------------
    def _refunded(self, session: Session, document: Document) -> None:
        assert document.origin_id is not None
        row = session.scalar(
            select(OrderDepositRow)
            .where(OrderDepositRow.document_id == document.origin_id)
            .with_for_update()
        )
        if row is None:
            return  # an ordinary return
        if row.state != "held" or _deducted(session, row.id) != 0:
            raise DocumentStateError(
                _(
                    "deposit {number} is {value}: it cannot be refunded",
                    number=row.number,
                    value=row.state if row.state != "held" else "partly deducted",
                )
            )
        order = session.get(OrderRow, row.order_id)
        assert order is not None
        if order.state != OrderState.CANCELLED:
            raise DocumentStateError(
                _(
                    "the deposit {number} of order {number2} is refunded when "
                    "the order is cancelled: cancel it first",
                    number=row.number,
                    number2=order.number,
                )
            )
        back = -sum((line_value(session, line.id) for line in document.lines), Decimal(0))
        if back != row.amount:
            raise InvalidInput(
                _(
                    "deposit {number} is refunded whole ({amount}), not {back}",
                    number=row.number,
                    amount=row.amount,
                    back=back,
                )
            )
        row.state, row.settled_at = "refunded", _at(session, document.id)
        row.settled_by = _number(session, document.id)


def line_value(session: Session, line_id: str) -> Decimal:
    value = session.scalar(select(DocumentLineRow.value).where(DocumentLineRow.id == line_id))
    return Decimal(value or 0)


def set_state(session: Session, order: OrderRow, at: datetime) -> None:
    """The order's state from its lines: fulfilled when nothing remains and something was
    delivered, cancelled when nothing remains and nothing was, partly fulfilled between."""
    lines = document_in(session, order.document_id).lines
    fulfilled = moved(session, order.document_id, "fulfilled")
    cancelled = moved(session, order.document_id, "cancelled")
    remaining = sum(
        (
            line.quantity - fulfilled.get(line.id, Decimal(0)) - cancelled.get(line.id, Decimal(0))
            for line in lines
        ),
        Decimal(0),
    )
    delivered = sum(fulfilled.values(), Decimal(0))
    if remaining > 0:
        state = OrderState.PARTIALLY_FULFILLED if delivered > 0 else OrderState.OPEN
    else:
        state = OrderState.FULFILLED if delivered > 0 else OrderState.CANCELLED
    order.state = state
    order.closed_at = at if remaining <= 0 else None
    order.version += 1


def _number(session: Session, document_id: str) -> str:
    number = session.scalar(select(DocumentRow.number).where(DocumentRow.id == document_id))
    assert number is not None
    return str(number)


def _at(session: Session, document_id: str) -> datetime:
    from cassa.engine.storage.documents import aware

    at = aware(session.scalar(select(DocumentRow.approved_at).where(DocumentRow.id == document_id)))
    assert at is not None
    return at
