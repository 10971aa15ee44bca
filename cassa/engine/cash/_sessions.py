"""A drawer's sessions: the till's day, or a cashier's shift, opened and closed.

Balances are never stored: a day holds its opening float plus the movements
of its `day_id`; a shift holds the cash its cashier's previous shifts left
(their movements, carried from shift to shift: the seed's "comincerà il turno
successivo con quelli importi") plus the movements of its `shift_id`.
Non-cash tenders always open at zero (seed).

Opening: the float (or the count by denomination) and its difference from
what the previous session left, which is shown and not booked (seed:
"Differenza all'apertura del giorno – non è inclusa nel saldo"); deposits
become cash in documents "deposit at day opening".

Closing: per tender the expected balance, the counted one and their
difference. A difference needs the permission the pack's CashRules names, and
is booked as a cash in / cash out document, so the balance after closing is
what was counted. The withdrawal at closing is a cash out document (and, with
the safe, a deposit into it); paper tenders other than cash are withdrawn
whole. With mandatory counting, cash is counted by denomination whenever the
system's balance is not zero (seed: "Il conteggio del saldo della cassa è
obbligatorio").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cassa.engine.cash._counts import Count
from cassa.engine.cash._ledger import (
    IN,
    OUT,
    BalanceKey,
    LedgerContext,
    Movement,
    Reason,
    add_cash_document,
    balances,
    next_number,
    open_day_row,
    open_shift_row,
    require_open_day,
)
from cassa.engine.documents import DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.messages import Message
from cassa.engine.payments._errors import LocalizedError
from cassa.engine.payments._format import amount_text
from cassa.engine.payments._settings import MoneySettings, Tender, TenderType, WorkMode
from cassa.engine.storage.days import TillDay
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import CashCountRow, ShiftRow, TillDayRow
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = [
    "ClosingLine",
    "DayClosing",
    "Shift",
    "TenderBalance",
    "close_shift",
    "close_till_day",
    "day_balances",
    "open_shift",
    "open_till_day",
    "shift_balances",
]


@dataclass(frozen=True)
class TenderBalance:
    tender: str
    currency: str
    opening: Decimal
    cash_in: Decimal
    cash_out: Decimal

    @property
    def expected(self) -> Decimal:
        return self.opening + self.cash_in - self.cash_out


@dataclass(frozen=True)
class ClosingLine:
    tender: str
    currency: str
    opening: Decimal
    cash_in: Decimal
    cash_out: Decimal
    expected: Decimal
    counted: Decimal | None
    difference: Decimal
    withdrawal: Decimal
    denominations: str = "{}"

    @property
    def remaining(self) -> Decimal:
        return (self.counted if self.counted is not None else self.expected) - self.withdrawal

    def as_json(self) -> dict[str, object]:
        return {
            "tender": self.tender,
            "currency": self.currency,
            "opening": amount_text(self.opening),
            "cash_in": amount_text(self.cash_in),
            "cash_out": amount_text(self.cash_out),
            "expected": amount_text(self.expected),
            "counted": None if self.counted is None else amount_text(self.counted),
            "difference": amount_text(self.difference),
            "withdrawal": amount_text(self.withdrawal),
            "remaining": amount_text(self.remaining),
        }


@dataclass(frozen=True)
class DayClosing:
    """What closing a day or a shift found and wrote."""

    kind: str  # day, shift
    id: int
    number: str | None
    closed_at: datetime
    lines: tuple[ClosingLine, ...]
    documents: tuple[str, ...]  # cash in / cash out numbers written
    safe: tuple[str, ...]  # safe deposits written
    messages: tuple[Message, ...] = ()

    def line(self, tender: str = "cash", currency: str | None = None) -> ClosingLine:
        for line in self.lines:
            if line.tender == tender and (currency is None or line.currency == currency):
                return line
        raise KeyError((tender, currency))

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "number": self.number,
            "closed_at": self.closed_at.isoformat(),
            "lines": [line.as_json() for line in self.lines],
            "documents": list(self.documents),
            "safe": list(self.safe),
        }


@dataclass(frozen=True)
class Shift:
    id: int
    number: str
    store: str
    cashier: str
    opened_at: datetime
    opened_by: str
    opened_till: str
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "store": self.store,
            "cashier": self.cashier,
            "opened_at": self.opened_at.isoformat(),
            "opened_till": self.opened_till,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "closed_by": self.closed_by,
            "status": "open" if self.open else "closed",
        }


def shift_of(row: ShiftRow) -> Shift:
    opened = aware(row.opened_at)
    assert opened is not None
    return Shift(
        row.id,
        row.number,
        row.store,
        row.cashier,
        opened,
        row.opened_by,
        row.opened_till,
        aware(row.closed_at),
        row.closed_by,
    )


# -- balances --------------------------------------------------------------------------
def _cash_key(settings: MoneySettings) -> BalanceKey:
    for tender in settings.tenders_of(TenderType.CASH):
        if settings.currency.code in tender.currencies:
            return tender.code, settings.currency.code
    return "cash", settings.currency.code


def _is_cash(settings: MoneySettings, tender: str) -> bool:
    found = settings.tenders.get(tender)
    return found.is_cash if found is not None else tender == "cash"


def _combine(
    opening: dict[BalanceKey, Decimal], moved: dict[BalanceKey, tuple[Decimal, Decimal]]
) -> dict[BalanceKey, TenderBalance]:
    keys = list(dict.fromkeys([*opening, *moved]))
    return {
        key: TenderBalance(
            key[0],
            key[1],
            opening.get(key, Decimal(0)),
            moved.get(key, (Decimal(0), Decimal(0)))[0],
            moved.get(key, (Decimal(0), Decimal(0)))[1],
        )
        for key in keys
    }


def _moved(lines: dict[BalanceKey, object]) -> dict[BalanceKey, tuple[Decimal, Decimal]]:
    from cassa.engine.cash._ledger import BalanceLine

    result: dict[BalanceKey, tuple[Decimal, Decimal]] = {}
    for key, line in lines.items():
        assert isinstance(line, BalanceLine)
        result[key] = (line.cash_in, line.cash_out)
    return result


def day_balances(
    session: Session, settings: MoneySettings, day: TillDayRow
) -> dict[BalanceKey, TenderBalance]:
    opening = {_cash_key(settings): day.opening_float}
    return _combine(opening, _moved(dict(balances(session, day_id=day.id))))


def _previous_day_remaining(
    session: Session, settings: MoneySettings, till: str
) -> dict[BalanceKey, Decimal] | None:
    previous = session.scalar(
        select(TillDayRow)
        .where(TillDayRow.till == till, TillDayRow.closed_at.is_not(None))
        .order_by(TillDayRow.closed_at.desc(), TillDayRow.id.desc())
        .limit(1)
    )
    if previous is None:
        return None
    return {
        key: balance.expected
        for key, balance in day_balances(session, settings, previous).items()
        if _is_cash(settings, key[0])
    }


def _carried(
    session: Session, settings: MoneySettings, cashier: str, before: int | None
) -> dict[BalanceKey, Decimal]:
    """The cash a cashier's earlier shifts left: it opens the next shift."""
    query = select(ShiftRow.id).where(ShiftRow.cashier == cashier, ShiftRow.closed_at.is_not(None))
    if before is not None:
        query = query.where(ShiftRow.id < before)
    earlier = list(session.scalars(query))
    return {
        key: line.total
        for key, line in balances(session, shift_ids=earlier).items()
        if _is_cash(settings, key[0])
    }


def shift_balances(
    session: Session, settings: MoneySettings, shift: ShiftRow
) -> dict[BalanceKey, TenderBalance]:
    opening = _carried(session, settings, shift.cashier, shift.id)
    return _combine(opening, _moved(dict(balances(session, shift_ids=[shift.id]))))


# -- opening -----------------------------------------------------------------------------
def _settings(till: Till) -> MoneySettings:
    from cassa.engine.payments._settings import money_settings

    return money_settings(till.pack, till.catalog)


def _checked(counts: Iterable[Count], settings: MoneySettings) -> dict[BalanceKey, Count]:
    found: dict[BalanceKey, Count] = {}
    for count in counts:
        count.check(settings)
        key = count.key(settings)
        if key in found:
            raise InvalidInput(_("{key} in {key2} is given twice", key=key[0], key2=key[1]))
        found[key] = count
    return found


def _mandatory(
    settings: MoneySettings,
    counted: dict[BalanceKey, Count],
    expected: dict[BalanceKey, Decimal],
) -> None:
    """Seed: with mandatory counting, cash is counted (by denomination) unless the system
    says the drawer holds 0.00."""
    if not settings.cash.mandatory_count:
        return
    for key, count in counted.items():
        if _is_cash(settings, key[0]) and not count.by_denomination:
            raise InvalidInput(
                _(
                    "counting is mandatory: count the cash by banknotes and "
                    "coins, the balance cannot be typed"
                )
            )
    for key, amount in expected.items():
        if _is_cash(settings, key[0]) and amount != 0 and key not in counted:
            raise LocalizedError(_("Counting the cash balance is mandatory"))


def _context(
    session: Session, till: Till, now: datetime, *, day_id: int | None, shift_id: int | None
) -> LedgerContext:
    return LedgerContext(till.store.code, till.code, till.operator, now, day_id, shift_id)


def _deposit(
    session: Session,
    settings: MoneySettings,
    context: LedgerContext,
    count: Count,
    reason: str,
    description: str,
) -> str:
    tender = settings.tender(count.tender)
    currency = count.currency or settings.currency.code
    _, number = add_cash_document(
        session,
        context,
        DocumentType.CASH_IN,
        Movement(
            direction=IN,
            reason=reason,
            tender=tender.code,
            tender_type=tender.type.value,
            currency=currency,
            amount=count.total,
            amount_system=settings.to_system(count.total, currency),
            payer_kind="employee",
            payer=context.operator,
            description=description,
        ),
        currency=currency,
    )
    return number


def _count_row(
    session: Session,
    *,
    day_id: int | None,
    shift_id: int | None,
    stage: str,
    key: BalanceKey,
    expected: Decimal,
    count: Count | None,
    withdrawal: Decimal,
    at: datetime,
    operator: str,
    counted: Decimal | None = None,
) -> None:
    value = count.total if count is not None else counted
    session.add(
        CashCountRow(
            day_id=day_id,
            shift_id=shift_id,
            stage=stage,
            tender=key[0],
            currency=key[1],
            expected=expected,
            counted=value,
            difference=(value - expected) if value is not None else Decimal(0),
            withdrawal=withdrawal,
            denominations=count.denominations_json() if count is not None else "{}",
            at=at,
            operator=operator,
        )
    )


def open_till_day(
    till: Till,
    opening_float: Decimal,
    *,
    deposits: Sequence[Count] = (),
    counts: Sequence[Count] = (),
) -> TillDay:
    settings = _settings(till)
    counted = _checked(counts, settings)
    cash_key = _cash_key(settings)
    cash_count = counted.get(cash_key)
    if cash_count is not None:
        if opening_float not in (0, cash_count.total):
            raise InvalidInput(
                _(
                    "the float {opening_float} differs from the cash counted, {total}",
                    opening_float=opening_float,
                    total=cash_count.total,
                )
            )
        opening_float = cash_count.total
    elif settings.cash.mandatory_count and opening_float != 0:
        raise InvalidInput(
            _("counting is mandatory: count the float by banknotes and coins, it cannot be typed")
        )
    for deposit in deposits:
        deposit.check(settings)
    now = till.now()
    database = till.database
    with database.session() as session:
        previous = _previous_day_remaining(session, settings, till.code)
    _mandatory(settings, counted, previous or {})
    if previous is None:  # the till's first day: nothing was expected, there is no difference
        previous = {cash_key: opening_float, **{k: c.total for k, c in counted.items()}}
    with database.session() as session, session.begin():
        if open_day_row(session, till.code) is not None:
            raise DocumentStateError(_("the day is already open on till {code}", code=till.code))
        row = TillDayRow(
            till=till.code,
            business_date=now.date(),
            opened_at=now,
            opened_by=till.operator,
            opening_float=opening_float,
        )
        session.add(row)
        session.flush()
        keys = list(dict.fromkeys([cash_key, *counted]))
        for key in keys:
            _count_row(
                session,
                day_id=row.id,
                shift_id=None,
                stage="open",
                key=key,
                expected=previous.get(key, Decimal(0)),
                count=counted.get(key),
                counted=opening_float if key == cash_key else None,
                withdrawal=Decimal(0),
                at=now,
                operator=till.operator,
            )
        if deposits:
            shift = open_shift_row(session, till.operator)
            context = _context(
                session, till, now, day_id=row.id, shift_id=shift.id if shift else None
            )
            for deposit in deposits:
                _deposit(
                    session,
                    settings,
                    context,
                    deposit,
                    Reason.OPENING_DEPOSIT,
                    Message("opening_deposit").render("en"),
                )
        day = TillDay(row.id, row.till, row.business_date, now, row.opened_by, opening_float)
    return day


# -- closing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    lines: tuple[ClosingLine, ...]
    counts: dict[BalanceKey, Count]

    @property
    def difference_total(self) -> Decimal:
        return sum((abs(line.difference) for line in self.lines), Decimal(0))


def _plan(
    settings: MoneySettings,
    expected: dict[BalanceKey, TenderBalance],
    counts: Sequence[Count],
    withdrawals: Sequence[Count],
) -> _Plan:
    counted = _checked(counts, settings)
    taken = _checked(withdrawals, settings)
    _mandatory(settings, counted, {k: b.expected for k, b in expected.items()})
    keys = list(dict.fromkeys([*expected, *counted, *taken]))
    lines = []
    for key in keys:
        balance = expected.get(key) or TenderBalance(key[0], key[1], *(Decimal(0),) * 3)
        tender = settings.tenders.get(key[0])
        count = counted.get(key)
        value = count.total if count is not None else None
        available = value if value is not None else balance.expected
        withdrawal = taken[key].total if key in taken else Decimal(0)
        if key not in taken and tender is not None and _withdrawn_whole(tender):
            withdrawal = max(available, Decimal(0))
        if withdrawal > available:
            raise InvalidInput(
                _(
                    "the withdrawal of {withdrawal} {key} ({key2}) is more than "
                    "the {available} in the drawer",
                    withdrawal=withdrawal,
                    key=key[1],
                    key2=key[0],
                    available=available,
                )
            )
        lines.append(
            ClosingLine(
                tender=key[0],
                currency=key[1],
                opening=balance.opening,
                cash_in=balance.cash_in,
                cash_out=balance.cash_out,
                expected=balance.expected,
                counted=value,
                difference=(value - balance.expected) if value is not None else Decimal(0),
                withdrawal=withdrawal,
                denominations=count.denominations_json() if count is not None else "{}",
            )
        )
    return _Plan(tuple(lines), counted)


def _withdrawn_whole(tender: Tender) -> bool:
    """Cheques and vouchers leave the drawer at closing; only cash is carried over."""
    return tender.counted and not tender.is_cash


def _require_difference(till: Till, settings: MoneySettings, plan: _Plan, *also: str) -> None:
    """The permission a closing with a difference needs, with any other the closing needs."""
    if plan.difference_total != 0:
        till.require(*also, settings.cash.difference_permission, amount=plan.difference_total)
    elif also:
        till.require(*also)


def _write_closing(
    session: Session,
    settings: MoneySettings,
    context: LedgerContext,
    plan: _Plan,
    *,
    day_id: int | None,
    shift_id: int | None,
    source: str,
) -> tuple[list[str], list[str]]:
    from cassa.engine.cash._safe import add_safe_movement

    documents: list[str] = []
    safe: list[str] = []
    for line in plan.lines:
        tender = settings.tenders.get(line.tender)
        tender_type = tender.type.value if tender else "cash"
        if line.difference != 0:
            kind = DocumentType.CASH_IN if line.difference > 0 else DocumentType.CASH_OUT
            amount = abs(line.difference)
            _, number = add_cash_document(
                session,
                context,
                kind,
                Movement(
                    direction=IN if line.difference > 0 else OUT,
                    reason=Reason.CLOSING_DIFFERENCE,
                    tender=line.tender,
                    tender_type=tender_type,
                    currency=line.currency,
                    amount=amount,
                    amount_system=settings.to_system(amount, line.currency),
                    payer_kind="employee",
                    payer=context.operator,
                    description=Message("closing_difference").render("en"),
                ),
                currency=line.currency,
            )
            documents.append(number)
        if line.withdrawal > 0:
            amount_system = settings.to_system(line.withdrawal, line.currency)
            document_id, number = add_cash_document(
                session,
                context,
                DocumentType.CASH_OUT,
                Movement(
                    direction=OUT,
                    reason=Reason.CLOSING_WITHDRAWAL,
                    tender=line.tender,
                    tender_type=tender_type,
                    currency=line.currency,
                    amount=line.withdrawal,
                    amount_system=amount_system,
                    payer_kind="employee",
                    payer=context.operator,
                    description=Message("closing_withdrawal").render("en"),
                ),
                currency=line.currency,
            )
            documents.append(number)
            if settings.safe.enabled and tender is not None and tender.in_safe:
                safe.append(
                    add_safe_movement(
                        session,
                        store=context.store,
                        till=context.till,
                        direction=IN,
                        source=source,
                        tender=tender,
                        currency=line.currency,
                        amount=line.withdrawal,
                        amount_system=amount_system,
                        at=context.at,
                        operator=context.operator,
                        payer_kind="employee",
                        payer=context.operator,
                        description=Message("closing_withdrawal").render("en"),
                        cash_document_id=document_id,
                    )
                )
        _count_row(
            session,
            day_id=day_id,
            shift_id=shift_id,
            stage="close",
            key=(line.tender, line.currency),
            expected=line.expected,
            count=plan.counts.get((line.tender, line.currency)),
            withdrawal=line.withdrawal,
            at=context.at,
            operator=context.operator,
        )
    return documents, safe


def close_till_day(
    till: Till, *, counts: Sequence[Count] = (), withdrawals: Sequence[Count] = ()
) -> DayClosing:
    settings = _settings(till)
    by_shifts = settings.cash.work_mode is WorkMode.SHIFTS
    if by_shifts and (counts or withdrawals):
        raise InvalidInput(
            _("this store works by shifts: the cash is counted when each cashier closes a shift")
        )
    database = till.database
    with database.session() as session:
        day = require_open_day(session, till.code)
        expected = day_balances(session, settings, day)
    plan = _Plan((), {}) if by_shifts else _plan(settings, expected, counts, withdrawals)
    _require_difference(till, settings, plan)
    now = till.now()
    with database.session() as session, session.begin():
        day = require_open_day(session, till.code)
        if not by_shifts and day_balances(session, settings, day) != expected:
            raise DocumentStateError(
                _("the drawer changed while it was being counted: count again")
            )
        shift = open_shift_row(session, till.operator)
        context = _context(session, till, now, day_id=day.id, shift_id=shift.id if shift else None)
        documents, safe = _write_closing(
            session, settings, context, plan, day_id=day.id, shift_id=None, source="day_closing"
        )
        closed = session.execute(
            update(TillDayRow)
            .where(TillDayRow.id == day.id, TillDayRow.closed_at.is_(None))
            .values(closed_at=now)
        ).rowcount  # type: ignore[attr-defined]
        if closed != 1:
            raise DocumentStateError(_("the day is not open on till {code}", code=till.code))
        day_id = day.id
    from cassa.engine.cash._reminders import reminders

    return DayClosing(
        "day", day_id, None, now, plan.lines, tuple(documents), tuple(safe), tuple(reminders(till))
    )


# -- shifts --------------------------------------------------------------------------------
def _require_shifts(settings: MoneySettings) -> None:
    if settings.cash.work_mode is not WorkMode.SHIFTS:
        raise InvalidInput(
            _("this store works by till, not by shifts (the pack's CashRules work_mode is till)")
        )


def open_shift(
    till: Till,
    *,
    counts: Sequence[Count] = (),
    deposits: Sequence[Count] = (),
) -> Shift:
    """Open the operator's shift, at this till; the cash of their last shift opens it."""
    settings = _settings(till)
    _require_shifts(settings)
    counted = _checked(counts, settings)
    for deposit in deposits:
        deposit.check(settings)
    cashier = till.operator
    database = till.database
    with database.session() as session:
        carried = _carried(session, settings, cashier, None)
    _mandatory(settings, counted, carried)
    now = till.now()
    with database.session() as session, session.begin():
        existing = open_shift_row(session, cashier)
        if existing is not None:
            raise DocumentStateError(
                _(
                    "{cashier}'s shift {number} is already open",
                    cashier=cashier,
                    number=existing.number,
                )
            )
        sequence = next_number(session, "shift", till.store.code, now.year)
        row = ShiftRow(
            number=f"TU/{till.store.code}/{now.year}/{sequence:06d}",
            store=till.store.code,
            cashier=cashier,
            opened_at=now,
            opened_by=till.operator,
            opened_till=till.code,
        )
        session.add(row)
        session.flush()
        for key in dict.fromkeys([*carried, *counted]):
            _count_row(
                session,
                day_id=None,
                shift_id=row.id,
                stage="open",
                key=key,
                expected=carried.get(key, Decimal(0)),
                count=counted.get(key),
                withdrawal=Decimal(0),
                at=now,
                operator=till.operator,
            )
        if deposits:
            day = open_day_row(session, till.code)
            context = _context(session, till, now, day_id=day.id if day else None, shift_id=row.id)
            for deposit in deposits:
                _deposit(
                    session,
                    settings,
                    context,
                    deposit,
                    Reason.OPENING_DEPOSIT,
                    Message("opening_deposit").render("en"),
                )
        shift = shift_of(row)
    return shift


def close_shift(
    till: Till,
    *,
    cashier: str | None = None,
    counts: Sequence[Count] = (),
    withdrawals: Sequence[Count] = (),
) -> DayClosing:
    """Close a shift: the operator's own, or (with the permission) another cashier's."""
    settings = _settings(till)
    _require_shifts(settings)
    owner = cashier or till.operator
    other = (settings.cash.close_other_shift_permission,) if owner != till.operator else ()
    database = till.database
    with database.session() as session:
        row = open_shift_row(session, owner)
        if row is None:
            raise DocumentStateError(_("{owner} has no open shift", owner=owner))
        shift_id = row.id
        expected = shift_balances(session, settings, row)
    plan = _plan(settings, expected, counts, withdrawals)
    # one approval covers both: each would take the other's single-use approval
    _require_difference(till, settings, plan, *other)
    now = till.now()
    with database.session() as session, session.begin():
        row = session.get(ShiftRow, shift_id)
        if row is None or row.closed_at is not None:
            raise DocumentStateError(_("{owner}'s shift was closed meanwhile", owner=owner))
        if shift_balances(session, settings, row) != expected:
            raise DocumentStateError(
                _("the drawer changed while it was being counted: count again")
            )
        day = open_day_row(session, till.code)
        context = _context(session, till, now, day_id=day.id if day else None, shift_id=row.id)
        documents, safe = _write_closing(
            session, settings, context, plan, day_id=None, shift_id=row.id, source="shift_closing"
        )
        row.closed_at = now
        row.closed_by = till.operator
        row.closed_till = till.code
        number = row.number
    from cassa.engine.cash._reminders import reminders

    return DayClosing(
        "shift",
        shift_id,
        number,
        now,
        plan.lines,
        tuple(documents),
        tuple(safe),
        tuple(reminders(till)),
    )
