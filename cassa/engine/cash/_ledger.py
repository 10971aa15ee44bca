"""The cash ledger: movements, cash documents and numbers, written inside a caller's transaction.

Nothing here commits: the payment approval, a cash in, a day closing each call
these functions within their own single transaction, so a crash leaves all of
an operation's rows or none. Balances are sums of `cash_movements` rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, and_, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cassa.engine.documents import DocumentStatus, DocumentType
from cassa.engine.errors import DocumentStateError
from cassa.engine.storage.models import (
    CashMovementRow,
    DocumentRow,
    NumberingRow,
    ShiftRow,
    TillDayRow,
)
from cassa.i18n import _

__all__ = [
    "IN",
    "OUT",
    "BalanceKey",
    "BalanceLine",
    "LedgerContext",
    "Movement",
    "Reason",
    "add_cash_document",
    "add_movement",
    "balances",
    "next_number",
    "open_day_row",
    "open_shift_row",
]

IN = "in"
OUT = "out"


class Reason:
    """Why money moved; the till summary groups its flows by these."""

    SALE = "sale"  # a payment of a sale
    CHANGE = "change"  # change handed back
    REFUND = "refund"  # money back on a return or buy-back
    MANUAL = "manual"  # a cash in / cash out document typed by the operator
    OPENING_DEPOSIT = "opening_deposit"
    CLOSING_WITHDRAWAL = "closing_withdrawal"
    CLOSING_DIFFERENCE = "closing_difference"
    SAFE_DEPOSIT = "safe_deposit"  # drawer -> safe
    SAFE_WITHDRAWAL = "safe_withdrawal"  # safe -> drawer
    CARD_VOID = "card_void"
    MANUAL_REFUND = "manual_refund"
    VOUCHER_CHANGE = "voucher_change"  # change put on a new own voucher

    MANUAL_KINDS = frozenset({MANUAL})


BalanceKey = tuple[str, str]  # tender, currency


@dataclass
class BalanceLine:
    """Money in and out of one tender and currency, with the flows by reason."""

    tender: str
    currency: str
    payments: int = 0
    cash_in: Decimal = Decimal(0)
    cash_out: Decimal = Decimal(0)
    cash_in_system: Decimal = Decimal(0)
    cash_out_system: Decimal = Decimal(0)
    by_reason: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (dir, reason)

    @property
    def total(self) -> Decimal:
        return self.cash_in - self.cash_out

    @property
    def total_system(self) -> Decimal:
        return self.cash_in_system - self.cash_out_system

    def flow(self, direction: str, *reasons: str) -> Decimal:
        return sum((self.by_reason.get((direction, r), Decimal(0)) for r in reasons), Decimal(0))


@dataclass(frozen=True)
class LedgerContext:
    """Where and when money moves: the store, till, open day and shift, the operator."""

    store: str
    till: str
    operator: str
    at: datetime  # in the store's time zone
    day_id: int | None
    shift_id: int | None

    @property
    def business_date(self) -> date:
        return self.at.date()


@dataclass(frozen=True)
class Movement:
    direction: str
    reason: str
    tender: str
    tender_type: str
    currency: str
    amount: Decimal
    amount_system: Decimal
    document_id: str | None = None
    payment_id: str | None = None
    reference: str | None = None
    payer_kind: str | None = None
    payer: str | None = None
    description: str = ""


def open_day_row(session: Session, till: str) -> TillDayRow | None:
    return session.scalar(
        select(TillDayRow).where(TillDayRow.till == till, TillDayRow.closed_at.is_(None))
    )


def open_shift_row(session: Session, cashier: str) -> ShiftRow | None:
    return session.scalar(
        select(ShiftRow).where(ShiftRow.cashier == cashier, ShiftRow.closed_at.is_(None))
    )


def add_movement(session: Session, context: LedgerContext, movement: Movement) -> str:
    if movement.amount < 0:
        raise ValueError(f"a movement amount is never negative: {movement}")
    movement_id = str(uuid.uuid4())
    session.add(
        CashMovementRow(
            id=movement_id,
            store=context.store,
            till=context.till,
            day_id=context.day_id,
            shift_id=context.shift_id,
            business_date=context.business_date,
            at=context.at,
            operator=context.operator,
            direction=movement.direction,
            reason=movement.reason,
            tender=movement.tender,
            tender_type=movement.tender_type,
            currency=movement.currency,
            amount=movement.amount,
            amount_system=movement.amount_system,
            document_id=movement.document_id,
            payment_id=movement.payment_id,
            reference=movement.reference,
            payer_kind=movement.payer_kind,
            payer=movement.payer,
            description=movement.description,
        )
    )
    return movement_id


def next_number(session: Session, series: str, till: str, year: int) -> int:
    """The next number of a series (document type, till or store, year), as documents get it."""
    table = NumberingRow.__table__
    assert isinstance(table, Table)
    values: dict[str, Any] = {"doc_type": series, "till": till, "year": year, "last": 1}
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


def add_cash_document(
    session: Session,
    context: LedgerContext,
    kind: DocumentType,
    movement: Movement,
    *,
    currency: str,
) -> tuple[str, str]:
    """A numbered cash_in (VC) or cash_out (PC) document and its movement: (id, number)."""
    if kind not in (DocumentType.CASH_IN, DocumentType.CASH_OUT):
        raise ValueError(f"not a cash document: {kind}")
    expected = IN if kind is DocumentType.CASH_IN else OUT
    if movement.direction != expected:
        raise ValueError(f"a {kind.value} moves money {expected}")
    year = context.at.year
    sequence = next_number(session, kind.value, context.till, year)
    number = f"{kind.prefix}/{context.till}/{year}/{sequence:06d}"
    document_id = str(uuid.uuid4())
    session.add(
        DocumentRow(
            id=document_id,
            doc_type=kind.value,
            status=DocumentStatus.APPROVED.value,
            store=context.store,
            till=context.till,
            currency=currency,
            direction="gross",
            operator=context.operator,
            customer=movement.payer if movement.payer_kind == "customer" else None,
            created_at=context.at,
            approved_at=context.at,
            number=number,
            year=year,
            sequence=sequence,
            note=movement.description,
            inputs="{}",
            total=movement.amount_system,
            net_total=movement.amount_system,
            vat_total=Decimal(0),
        )
    )
    session.flush()
    add_movement(
        session,
        context,
        Movement(**{**movement.__dict__, "document_id": document_id}),
    )
    return document_id, number


def balances(
    session: Session,
    *,
    day_id: int | None = None,
    shift_ids: Iterable[int] | None = None,
    till: str | None = None,
    until: datetime | None = None,
) -> dict[BalanceKey, BalanceLine]:
    """Sums of movements per tender and currency (and per reason), by SQL aggregation."""
    conditions = []
    if day_id is not None:
        conditions.append(CashMovementRow.day_id == day_id)
    if shift_ids is not None:
        ids = list(shift_ids)
        if not ids:
            return {}
        conditions.append(CashMovementRow.shift_id.in_(ids))
    if till is not None:
        conditions.append(CashMovementRow.till == till)
    if until is not None:
        conditions.append(CashMovementRow.at < until)
    query = (
        select(
            CashMovementRow.tender,
            CashMovementRow.currency,
            CashMovementRow.direction,
            CashMovementRow.reason,
            func.count(),
            func.sum(CashMovementRow.amount),
            func.sum(CashMovementRow.amount_system),
        )
        .where(and_(true(), *conditions))
        .group_by(
            CashMovementRow.tender,
            CashMovementRow.currency,
            CashMovementRow.direction,
            CashMovementRow.reason,
        )
    )
    result: dict[BalanceKey, BalanceLine] = {}
    for tender, currency, direction, reason, count, amount, amount_system in session.execute(query):
        line = result.setdefault((tender, currency), BalanceLine(tender, currency))
        amount = Decimal(amount or 0)
        amount_system = Decimal(amount_system or 0)
        if direction == IN:
            line.cash_in += amount
            line.cash_in_system += amount_system
        else:
            line.cash_out += amount
            line.cash_out_system += amount_system
        if reason == Reason.SALE and direction == IN:
            line.payments += int(count)
        line.by_reason[(direction, reason)] = (
            line.by_reason.get((direction, reason), Decimal(0)) + amount
        )
    return result


def require_open_day(session: Session, till: str) -> TillDayRow:
    day = open_day_row(session, till)
    if day is None:
        raise DocumentStateError(_("the day is not open on till {till}: open it first", till=till))
    return day
