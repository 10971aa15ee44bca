"""The store's safe (seed: Cassaforte): deposits, withdrawals, balances per tender.

A deposit or withdrawal by an employee moves money between a drawer and the
safe: it is also a cash out (deposit) or cash in (withdrawal) document on the
drawer (the seed's 200 EUR example writes both). With a customer (or the bank)
as payer it concerns the safe only. Which tenders the safe keeps is each
tender's `in_safe`. Every balance is the sum of `safe_movements` rows; a day's
opening balance is everything before the day began (seed: "il saldo finale
costituisce il saldo iniziale del giorno successivo").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cassa.engine import inputs
from cassa.engine.cash._ledger import (
    IN,
    OUT,
    LedgerContext,
    Movement,
    Reason,
    add_cash_document,
    next_number,
    open_shift_row,
    require_open_day,
)
from cassa.engine.documents import DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.payments._format import amount_text
from cassa.engine.payments._settings import MoneySettings, Tender, WorkMode
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import DocumentRow, SafeMovementRow
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = [
    "SafeLine",
    "SafeTransaction",
    "SafeView",
    "add_safe_movement",
    "safe_balances",
    "safe_move",
    "safe_transactions",
    "safe_view",
]


@dataclass(frozen=True)
class SafeTransaction:
    number: str
    direction: str
    source: str
    tender: str
    currency: str
    amount: Decimal
    amount_system: Decimal
    at: datetime
    business_date: date
    operator: str
    payer_kind: str | None
    payer: str | None
    description: str
    till: str | None
    cash_document: str | None = None

    @property
    def kind(self) -> str:
        return "deposit" if self.direction == IN else "withdrawal"

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "type": self.kind,
            "source": self.source,
            "tender": self.tender,
            "currency": self.currency,
            "amount": amount_text(self.amount),
            "at": self.at.isoformat(),
            "date": self.business_date.isoformat(),
            "cashier": self.operator,
            "payer_kind": self.payer_kind,
            "payer": self.payer,
            "description": self.description,
            "till": self.till,
            "cash_document": self.cash_document,
        }


@dataclass(frozen=True)
class SafeLine:
    tender: str
    currency: str
    transactions: int
    opening: Decimal
    deposits: Decimal
    withdrawals: Decimal

    @property
    def total(self) -> Decimal:
        return self.deposits - self.withdrawals

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total

    def as_json(self) -> dict[str, object]:
        return {
            "tender": self.tender,
            "currency": self.currency,
            "transactions": self.transactions,
            "opening": amount_text(self.opening),
            "deposits": amount_text(self.deposits),
            "withdrawals": amount_text(self.withdrawals),
            "total": amount_text(self.total),
            "closing": amount_text(self.closing),
        }


@dataclass(frozen=True)
class SafeView:
    store: str
    day: date
    lines: tuple[SafeLine, ...]

    def line(self, tender: str = "cash", currency: str | None = None) -> SafeLine:
        for line in self.lines:
            if line.tender == tender and (currency is None or line.currency == currency):
                return line
        return SafeLine(tender, currency or "", 0, Decimal(0), Decimal(0), Decimal(0))

    def as_json(self) -> dict[str, object]:
        return {
            "report": "safe",
            "store": self.store,
            "date": self.day.isoformat(),
            "lines": [line.as_json() for line in self.lines],
        }


def add_safe_movement(
    session: Session,
    *,
    store: str,
    till: str | None,
    direction: str,
    source: str,
    tender: Tender,
    currency: str,
    amount: Decimal,
    amount_system: Decimal,
    at: datetime,
    operator: str,
    payer_kind: str | None,
    payer: str | None,
    description: str,
    cash_document_id: str | None,
) -> str:
    series = "safe_in" if direction == IN else "safe_out"
    prefix = "VS" if direction == IN else "PS"
    sequence = next_number(session, series, store, at.year)
    number = f"{prefix}/{store}/{at.year}/{sequence:06d}"
    session.add(
        SafeMovementRow(
            id=str(uuid.uuid4()),
            number=number,
            store=store,
            direction=direction,
            source=source,
            tender=tender.code,
            tender_type=tender.type.value,
            currency=currency,
            amount=amount,
            amount_system=amount_system,
            at=at,
            business_date=at.date(),
            operator=operator,
            payer_kind=payer_kind,
            payer=payer,
            description=description,
            till=till,
            cash_document_id=cash_document_id,
        )
    )
    return number


def safe_balances(
    session: Session, store: str, *, until: datetime | None = None
) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(tender, currency) -> (balance, balance in the system currency), by SQL sums."""
    signed = func.sum(SafeMovementRow.amount)
    signed_system = func.sum(SafeMovementRow.amount_system)
    query = select(
        SafeMovementRow.tender,
        SafeMovementRow.currency,
        SafeMovementRow.direction,
        signed,
        signed_system,
    ).where(SafeMovementRow.store == store)
    if until is not None:
        query = query.where(SafeMovementRow.at < until)
    query = query.group_by(
        SafeMovementRow.tender, SafeMovementRow.currency, SafeMovementRow.direction
    )
    result: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for tender, currency, direction, amount, amount_system in session.execute(query):
        sign = 1 if direction == IN else -1
        before = result.get((tender, currency), (Decimal(0), Decimal(0)))
        result[(tender, currency)] = (
            before[0] + sign * Decimal(amount or 0),
            before[1] + sign * Decimal(amount_system or 0),
        )
    return result


def safe_move(
    till: Till,
    settings: MoneySettings,
    direction: str,
    amount: object,
    *,
    tender: str = "cash",
    currency: str | None = None,
    payer_kind: str | None = "employee",
    payer: str | None = None,
    description: str = "",
) -> SafeTransaction:
    """A deposit (`in`) or withdrawal (`out`) typed at the till."""
    description = inputs.text(description, _("the description"), required=False)
    payer = inputs.code(payer, _("the payer")) if payer else None
    chosen = settings.tender(tender)
    if not chosen.in_safe:
        raise InvalidInput(_("{name} is not kept in the safe", name=chosen.name))
    code = currency or settings.currency.code
    if code not in chosen.currencies:
        raise InvalidInput(_("{name} is not kept in {code}", name=chosen.name, code=code))
    money = settings.currency_of(code)
    value = inputs.amount(amount)
    if value <= 0 or value != money.round(value):
        raise InvalidInput(_("the amount must be above zero, in {code}'s minor units", code=code))
    if payer_kind not in (None, "employee", "customer"):
        raise InvalidInput(_("the payer is an employee or a customer"))
    if payer_kind == "customer" and till.catalog.find_customer(payer) is None:
        raise InvalidInput(_("no customer '{payer}'", payer=payer))
    drawer = payer_kind == "employee"
    who = (payer or till.operator) if drawer else payer
    amount_system = settings.to_system(value, code)
    now = till.now()
    with till.database.session() as session, session.begin():
        if direction == OUT:
            held = safe_balances(session, till.store.code).get((chosen.code, code))
            if held is None or held[0] < value:
                raise InvalidInput(
                    _(
                        "the safe holds {amount} {code} in {name}, not {amount2}",
                        amount=amount_text(held[0] if held else Decimal(0)),
                        code=code,
                        name=chosen.name,
                        amount2=amount_text(value),
                    )
                )
        document_id: str | None = None
        cash_number: str | None = None
        if drawer:
            day = require_open_day(session, till.code)
            shift = open_shift_row(session, till.operator)
            if settings.cash.work_mode is WorkMode.SHIFTS and shift is None:
                raise DocumentStateError(
                    _("{operator} has no open shift: open it first", operator=till.operator)
                )
            context = LedgerContext(
                till.store.code, till.code, till.operator, now, day.id, shift.id if shift else None
            )
            if direction == IN:
                _check_drawer(session, settings, context, chosen.code, code, value)
            document_id, cash_number = add_cash_document(
                session,
                context,
                DocumentType.CASH_OUT if direction == IN else DocumentType.CASH_IN,
                Movement(
                    direction=OUT if direction == IN else IN,
                    reason=Reason.SAFE_DEPOSIT if direction == IN else Reason.SAFE_WITHDRAWAL,
                    tender=chosen.code,
                    tender_type=chosen.type.value,
                    currency=code,
                    amount=value,
                    amount_system=amount_system,
                    payer_kind="employee",
                    payer=who,
                    description=description,
                ),
                currency=code,
            )
        number = add_safe_movement(
            session,
            store=till.store.code,
            till=till.code,
            direction=direction,
            source="manual",
            tender=chosen,
            currency=code,
            amount=value,
            amount_system=amount_system,
            at=now,
            operator=till.operator,
            payer_kind=payer_kind,
            payer=who,
            description=description,
            cash_document_id=document_id,
        )
    return SafeTransaction(
        number,
        direction,
        "manual",
        chosen.code,
        code,
        value,
        amount_system,
        now,
        now.date(),
        till.operator,
        payer_kind,
        who,
        description,
        till.code,
        cash_number,
    )


def _check_drawer(
    session: Session,
    settings: MoneySettings,
    context: LedgerContext,
    tender: str,
    currency: str,
    amount: Decimal,
) -> None:
    from cassa.engine.cash._sessions import day_balances, shift_balances
    from cassa.engine.storage.models import ShiftRow, TillDayRow

    if context.shift_id is not None:
        shift = session.get(ShiftRow, context.shift_id)
        assert shift is not None
        held = shift_balances(session, settings, shift)
    else:
        day = session.get(TillDayRow, context.day_id)
        assert day is not None
        held = day_balances(session, settings, day)
    balance = held.get((tender, currency))
    available = balance.expected if balance else Decimal(0)
    if available < amount:
        raise InvalidInput(
            _(
                "the drawer holds {amount} {currency} in {tender}, not {amount2}",
                amount=amount_text(available),
                currency=currency,
                tender=tender,
                amount2=amount_text(amount),
            )
        )


def safe_view(database: Database, store: str, day: date, timezone: str) -> SafeView:
    """The safe's window for a day: per tender and currency, opening, in, out, closing."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), zone)
    with database.session() as session:
        opening = safe_balances(session, store, until=start)
        query = (
            select(
                SafeMovementRow.tender,
                SafeMovementRow.currency,
                SafeMovementRow.direction,
                func.count(),
                func.sum(SafeMovementRow.amount),
            )
            .where(SafeMovementRow.store == store, SafeMovementRow.business_date == day)
            .group_by(SafeMovementRow.tender, SafeMovementRow.currency, SafeMovementRow.direction)
        )
        moved: dict[tuple[str, str], tuple[int, Decimal, Decimal]] = {}
        for tender, currency, direction, count, amount in session.execute(query):
            done, deposits, withdrawals = moved.get((tender, currency), (0, Decimal(0), Decimal(0)))
            value = Decimal(amount or 0)
            if direction == IN:
                deposits += value
            else:
                withdrawals += value
            moved[(tender, currency)] = (done + int(count), deposits, withdrawals)
    keys = sorted(set(opening) | set(moved))
    lines = []
    for key in keys:
        count, deposits, withdrawals = moved.get(key, (0, Decimal(0), Decimal(0)))
        lines.append(
            SafeLine(
                key[0],
                key[1],
                int(count),
                opening.get(key, (Decimal(0), Decimal(0)))[0],
                Decimal(deposits),
                Decimal(withdrawals),
            )
        )
    return SafeView(store, day, tuple(lines))


def safe_transactions(
    database: Database,
    store: str,
    *,
    kind: str | None = None,
    tender: str | None = None,
    cashier: str | None = None,
    number: str | None = None,
    day: date | None = None,
    amount: Decimal | None = None,
) -> list[SafeTransaction]:
    """The safe's transaction list (seed: Elenco delle transazioni), with its filters."""
    query = select(SafeMovementRow, DocumentRow.number).outerjoin(
        DocumentRow, DocumentRow.id == SafeMovementRow.cash_document_id
    )
    query = query.where(SafeMovementRow.store == store)
    if kind is not None:
        query = query.where(SafeMovementRow.direction == (IN if kind == "deposit" else OUT))
    if tender is not None:
        query = query.where(SafeMovementRow.tender == tender)
    if cashier is not None:
        query = query.where(SafeMovementRow.operator == cashier)
    if number is not None:
        query = query.where(SafeMovementRow.number.contains(number))
    if day is not None:
        query = query.where(SafeMovementRow.business_date == day)
    if amount is not None:
        query = query.where(SafeMovementRow.amount == amount)
    with database.session() as session:
        rows = session.execute(query.order_by(SafeMovementRow.at, SafeMovementRow.number)).all()
        result = []
        for row, cash_number in rows:
            at = aware(row.at)
            assert at is not None
            result.append(
                SafeTransaction(
                    row.number,
                    row.direction,
                    row.source,
                    row.tender,
                    row.currency,
                    row.amount,
                    row.amount_system,
                    at,
                    row.business_date,
                    row.operator,
                    row.payer_kind,
                    row.payer,
                    row.description,
                    row.till,
                    cash_number,
                )
            )
        return result


def oldest_money_since(session: Session, store: str) -> datetime | None:
    """When the oldest money still in the safe came in, None when the safe is empty.

    Withdrawals take the oldest money of their tender and currency first (FIFO): a
    small withdrawal leaves the older deposits in, so it does not restart the clock
    of the reminder to take the safe to the bank."""
    withdrawn: dict[tuple[str, str], Decimal] = {
        (tender, currency): Decimal(total or 0)
        for tender, currency, total in session.execute(
            select(
                SafeMovementRow.tender, SafeMovementRow.currency, func.sum(SafeMovementRow.amount)
            )
            .where(SafeMovementRow.store == store, SafeMovementRow.direction == OUT)
            .group_by(SafeMovementRow.tender, SafeMovementRow.currency)
        )
    }
    deposits = session.execute(
        select(
            SafeMovementRow.tender,
            SafeMovementRow.currency,
            SafeMovementRow.amount,
            SafeMovementRow.at,
        )
        .where(SafeMovementRow.store == store, SafeMovementRow.direction == IN)
        .order_by(SafeMovementRow.at, SafeMovementRow.number)
    )
    oldest: datetime | None = None
    covered: dict[tuple[str, str], Decimal] = {}
    for tender, currency, amount, at in deposits:
        key = (tender, currency)
        if key in covered and covered[key] > withdrawn.get(key, Decimal(0)):
            continue  # this tender's oldest money still in the safe is already found
        covered[key] = covered.get(key, Decimal(0)) + Decimal(amount)
        if covered[key] > withdrawn.get(key, Decimal(0)):
            moment = aware(at)
            if moment is not None and (oldest is None or moment < oldest):
                oldest = moment
    return oldest
