"""Own vouchers and gift cards: numbers with a balance the store owes their holder.

Own vouchers are generated in the back office (status `generated`), become
`active` when a sale of them is paid, and are `used` when a single-use voucher
is redeemed or a multi-use one reaches zero. Gift cards are created by their
first top-up. Every balance change is an event row; the events of a number add
up to its balance, and both are written in the transaction of the payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cassa.engine.errors import InvalidInput
from cassa.engine.payments._errors import LocalizedError
from cassa.engine.payments._format import amount_text
from cassa.engine.payments._settings import Tender, VoucherKind
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import StoredValueEventRow, StoredValueRow
from cassa.i18n import _

__all__ = [
    "GIFT_CARD",
    "VOUCHER",
    "StoredValue",
    "StoredValues",
    "add_event",
    "credit",
    "debit",
]

VOUCHER = "voucher"
GIFT_CARD = "gift_card"


@dataclass(frozen=True)
class StoredValue:
    number: str
    instrument: str
    kind: str
    tender: str
    multi_use: bool
    value: Decimal
    balance: Decimal
    currency: str
    status: str
    change_allowed: bool
    valid_to: date | None

    def usable(self, today: date) -> bool:
        return self.status == "active" and (self.valid_to is None or today <= self.valid_to)

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "instrument": self.instrument,
            "kind": self.kind,
            "tender": self.tender,
            "multi_use": self.multi_use,
            "value": amount_text(self.value),
            "balance": amount_text(self.balance),
            "currency": self.currency,
            "status": self.status,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


def _value(row: StoredValueRow) -> StoredValue:
    return StoredValue(
        row.number,
        row.instrument,
        row.kind,
        row.tender,
        row.multi_use,
        row.value,
        row.balance,
        row.currency,
        row.status,
        row.change_allowed,
        row.valid_to,
    )


class StoredValues:
    """Back-office and till operations on vouchers and gift cards outside a payment."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def issue(
        self,
        kind: VoucherKind,
        numbers: list[str],
        *,
        currency: str,
        now: datetime,
        value: Decimal | None = None,
        store: str | None = None,
    ) -> list[StoredValue]:
        """Generate own vouchers (the ERP's job in the seed): known, not yet sold."""
        amount = value if value is not None else kind.value
        if amount is None:
            if not kind.multi_use:
                raise InvalidInput(_("voucher kind {code} has no value: give one", code=kind.code))
            amount = Decimal(0)  # a blank multi-use voucher, loaded when it is used
        issued = []
        with self.database.session() as session, session.begin():
            for number in numbers:
                if kind.number_pattern and not _matches(kind.number_pattern, number):
                    raise InvalidInput(
                        _(
                            "{number} is not a valid number for voucher kind {code}",
                            number=number,
                            code=kind.code,
                        )
                    )
                if session.get(StoredValueRow, number) is not None:
                    raise InvalidInput(_("voucher {number} exists already", number=number))
                row = StoredValueRow(
                    number=number,
                    instrument=VOUCHER,
                    kind=kind.code,
                    tender=kind.tender,
                    multi_use=kind.multi_use,
                    value=amount,
                    balance=Decimal(0),
                    currency=currency,
                    status="generated",
                    change_allowed=kind.change and not kind.multi_use,
                    valid_to=None,
                    store=store,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                add_event(session, number, now, "issued", Decimal(0))
                issued.append(_value(row))
        return issued

    def get(self, number: str) -> StoredValue | None:
        with self.database.session() as session:
            row = session.get(StoredValueRow, number.strip())
            return _value(row) if row else None

    def balance_from_events(self, number: str) -> Decimal:
        with self.database.session() as session:
            total = session.scalar(
                select(func.sum(StoredValueEventRow.amount)).where(
                    StoredValueEventRow.number == number
                )
            )
        return Decimal(total or 0)

    def set_status(self, number: str, status: str, *, now: datetime, operator: str) -> StoredValue:
        """Block a voucher or deactivate a gift card (its balance stays on record)."""
        with self.database.session() as session, session.begin():
            row = session.get(StoredValueRow, number)
            if row is None:
                raise LocalizedError(_("There is no voucher with this number"))
            row.status = status
            row.updated_at = now
            add_event(session, number, now, status, Decimal(0), operator=operator)
            return _value(row)


def _matches(pattern: str, number: str) -> bool:
    from cassa.engine.patterns import fullmatch

    return fullmatch(pattern, number) is not None


def add_event(
    session: Session,
    number: str,
    at: datetime,
    event: str,
    amount: Decimal,
    *,
    document_id: str | None = None,
    payment_id: str | None = None,
    till: str | None = None,
    operator: str | None = None,
) -> None:
    session.add(
        StoredValueEventRow(
            number=number,
            at=at,
            event=event,
            amount=amount,
            document_id=document_id,
            payment_id=payment_id,
            till=till,
            operator=operator,
        )
    )


def redeemable(session: Session, tender: Tender, number: str, today: date) -> StoredValue:
    """The voucher or gift card behind a number, if it can pay now; the seed's refusals if not."""
    row = session.get(StoredValueRow, number.strip())
    if row is None or row.tender != tender.code:
        raise LocalizedError(_("There is no voucher with this number"))
    value = _value(row)
    if not value.usable(today) or value.balance <= 0:
        raise LocalizedError(
            _("The action is not available for voucher number {number}", number=number)
        )
    return value


def debit(
    session: Session,
    number: str,
    amount: Decimal,
    *,
    at: datetime,
    document_id: str | None,
    payment_id: str | None,
    till: str,
    operator: str,
) -> None:
    """Take `amount` off a voucher or card; refused if it is no longer active or short."""
    row = session.get(StoredValueRow, number, with_for_update=True)
    if row is None:
        raise LocalizedError(_("There is no voucher with this number"))
    whole = not row.multi_use and row.instrument == VOUCHER
    taken = row.balance if whole else amount
    changed = session.execute(
        update(StoredValueRow)
        .where(
            StoredValueRow.number == number,
            StoredValueRow.status == "active",
            StoredValueRow.balance >= taken,
        )
        .values(
            balance=StoredValueRow.balance - taken,
            status="used" if whole else "active",
            updated_at=at,
        )
    ).rowcount  # type: ignore[attr-defined]
    if changed != 1:
        raise LocalizedError(
            _("The action is not available for voucher number {number}", number=number)
        )
    add_event(
        session,
        number,
        at,
        "redeemed",
        -taken,
        document_id=document_id,
        payment_id=payment_id,
        till=till,
        operator=operator,
    )


def credit(
    session: Session,
    number: str,
    amount: Decimal,
    *,
    event: str,
    at: datetime,
    document_id: str | None,
    payment_id: str | None,
    till: str,
    operator: str,
    create: tuple[str, str, str, str] | None = None,  # instrument, kind, tender, currency
    valid_days: int | None = None,
) -> None:
    """Put `amount` on a voucher or card: sell it, load it, top it up, refund onto it.

    A generated or inactive multi-use voucher is activated (seed: refunding onto
    an inactive multi-use voucher activates it); `create` makes a new gift card."""
    row = session.get(StoredValueRow, number, with_for_update=True)
    if row is None:
        if create is None:
            raise LocalizedError(_("There is no voucher with this number"))
        instrument, kind, tender, currency = create
        row = StoredValueRow(
            number=number,
            instrument=instrument,
            kind=kind,
            tender=tender,
            multi_use=True,
            value=Decimal(0),
            balance=Decimal(0),
            currency=currency,
            status="active",
            change_allowed=False,
            valid_to=None,
            store=None,
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
    if row.status in ("blocked", "deactivated"):
        raise LocalizedError(
            _("The action is not available for voucher number {number}", number=number)
        )
    if row.status == "used" and not row.multi_use:
        raise LocalizedError(
            _("The action is not available for voucher number {number}", number=number)
        )
    if row.status == "generated" and row.value == 0:
        row.value = amount
    if row.status != "active":
        row.status = "active"
        row.document_id = document_id
        if valid_days is not None:
            row.valid_to = at.date() + timedelta(days=valid_days)
    row.balance = row.balance + amount
    row.updated_at = at
    add_event(
        session,
        number,
        at,
        event,
        amount,
        document_id=document_id,
        payment_id=payment_id,
        till=till,
        operator=operator,
    )
