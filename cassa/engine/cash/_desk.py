"""A till's cash desk: cash in / cash out documents, the drawer's balance, shifts, the
safe, card transactions and reminders — what `Till.cash` offers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cassa.devices.errors import DeviceError
from cassa.engine import inputs
from cassa.engine.cash._counts import Count
from cassa.engine.cash._ledger import (
    IN,
    OUT,
    LedgerContext,
    Movement,
    Reason,
    add_cash_document,
    add_movement,
    open_day_row,
    open_shift_row,
    require_open_day,
)
from cassa.engine.cash._reminders import reminders
from cassa.engine.cash._safe import (
    SafeTransaction,
    SafeView,
    safe_move,
    safe_transactions,
    safe_view,
)
from cassa.engine.cash._sessions import (
    DayClosing,
    Shift,
    TenderBalance,
    close_shift,
    day_balances,
    open_shift,
    shift_balances,
    shift_of,
)
from cassa.engine.documents import DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.messages import Message
from cassa.engine.payments._batch import BatchContext, TerminalBatch, close_batch
from cassa.engine.payments._cards import CardPayments, CardTransaction
from cassa.engine.payments._errors import LocalizedError
from cassa.engine.payments._format import amount_text
from cassa.engine.payments._rules import (
    DurableTenderMatcher,
    cash_document_context,
    sale_context_for,
    tender_options,
)
from cassa.engine.payments._settings import MoneySettings, TenderType, WorkMode, money_settings
from cassa.engine.people import Permission
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import (
    CashMovementRow,
    DocumentRow,
    EmployeeRow,
    ShiftRow,
    StoredValueRow,
)
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.payments._vouchers import Vouchers
    from cassa.engine.till import Till

__all__ = ["CashDesk", "CashDocument"]

CASH_DOCUMENT_TENDERS = {
    TenderType.CASH,
    TenderType.CARD,
    TenderType.OWN_VOUCHER,
    TenderType.EXTERNAL_VOUCHER,
    TenderType.MEAL_VOUCHER,
    TenderType.SOCIAL_VOUCHER,
    TenderType.CHEQUE,
}


@dataclass(frozen=True)
class CashDocument:
    """A cash in (VC) or cash out (PC) document."""

    id: str
    number: str
    kind: str  # cash_in, cash_out
    reason: str
    tender: str
    currency: str
    amount: Decimal
    amount_system: Decimal
    at: datetime
    business_date: date
    till: str
    operator: str
    payer_kind: str | None
    payer: str | None
    description: str
    reference: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "type": self.kind,
            "reason": self.reason,
            "tender": self.tender,
            "currency": self.currency,
            "amount": amount_text(self.amount),
            "at": self.at.isoformat(),
            "date": self.business_date.isoformat(),
            "till": self.till,
            "cashier": self.operator,
            "payer_kind": self.payer_kind,
            "payer": self.payer,
            "description": self.description,
            "reference": self.reference,
        }


class CashDesk:
    def __init__(self, till: Till) -> None:
        self.till = till
        self.settings: MoneySettings = money_settings(till.pack, till.catalog)

    # -- cash in / cash out ------------------------------------------------------------------
    def cash_in(
        self,
        amount: object,
        *,
        tender: str = "cash",
        currency: str | None = None,
        payer_kind: str | None = None,
        payer: str | None = None,
        description: str = "",
        number: str | None = None,
    ) -> CashDocument:
        """A manual cash in document (seed: Versamento di cassa, VC)."""
        return self._cash_document(
            DocumentType.CASH_IN, amount, tender, currency, payer_kind, payer, description, number
        )

    def cash_out(
        self,
        amount: object,
        *,
        tender: str = "cash",
        currency: str | None = None,
        payer_kind: str | None = None,
        payer: str | None = None,
        description: str = "",
        number: str | None = None,
    ) -> CashDocument:
        """A manual cash out document (seed: Prelievo di cassa, PC)."""
        return self._cash_document(
            DocumentType.CASH_OUT, amount, tender, currency, payer_kind, payer, description, number
        )

    def _cash_document(
        self,
        kind: DocumentType,
        amount: object,
        tender_code: str,
        currency: str | None,
        payer_kind: str | None,
        payer: str | None,
        description: str,
        number: str | None,
    ) -> CashDocument:
        till, settings = self.till, self.settings
        description = inputs.text(description, _("the description"), required=False)
        number = inputs.text(number, _("the number"), limit=inputs.MAX_CODE) if number else None
        payer = inputs.code(payer, _("the payer")) if payer else None
        tender = settings.tender(tender_code)
        if tender.type not in CASH_DOCUMENT_TENDERS:
            raise InvalidInput(
                _("{name} cannot be used on a {value} document", name=tender.name, value=kind.value)
            )
        code = currency or settings.currency.code
        if code not in tender.currencies:
            raise InvalidInput(_("{name} does not take {code}", name=tender.name, code=code))
        money = settings.currency_of(code)
        value = inputs.amount(amount)
        if value <= 0 or value != money.round(value):
            raise InvalidInput(
                _("the amount must be above zero, in {code}'s minor units", code=code)
            )
        if payer_kind not in (None, "customer", "employee"):
            raise InvalidInput(_("the payer is a customer or an employee"))
        if payer_kind == "customer" and till.catalog.find_customer(payer) is None:
            raise InvalidInput(_("no customer '{payer}'", payer=payer))
        if payer_kind == "employee" and not payer:
            payer = till.operator
        self._check_rules(
            kind, tender.code, code, value, payer if payer_kind == "customer" else None
        )
        reference = number.strip() if number else None
        if tender.type is TenderType.OWN_VOUCHER:
            if not reference:
                raise InvalidInput(_("enter the number of the own voucher"))
            with till.database.session() as session:
                if session.get(StoredValueRow, reference) is None:
                    raise LocalizedError(_("There is no voucher with this number"))
        now = till.now()
        amount_system = settings.to_system(value, code)
        with till.database.session() as session, session.begin():
            context = self._context(session, now)
            if kind is DocumentType.CASH_OUT:
                self._check_available(session, context, tender.code, code, value)
            document_id, doc_number = add_cash_document(
                session,
                context,
                kind,
                Movement(
                    direction=IN if kind is DocumentType.CASH_IN else OUT,
                    reason=Reason.MANUAL,
                    tender=tender.code,
                    tender_type=tender.type.value,
                    currency=code,
                    amount=value,
                    amount_system=amount_system,
                    reference=reference,
                    payer_kind=payer_kind,
                    payer=payer,
                    description=description,
                ),
                currency=code,
            )
        till.messages = list(till.messages) + reminders(till)
        return CashDocument(
            document_id,
            doc_number,
            kind.value,
            Reason.MANUAL,
            tender.code,
            code,
            value,
            amount_system,
            now,
            now.date(),
            till.code,
            till.operator,
            payer_kind,
            payer,
            description,
            reference,
        )

    def _check_rules(
        self, kind: DocumentType, tender: str, currency: str, amount: Decimal, customer: str | None
    ) -> None:
        """TenderRules apply to cash documents too (seed: no social voucher on a VC)."""
        now = self.till.now()
        sale = sale_context_for(self.till, kind.value, now, customer)
        context = cash_document_context(sale, amount)
        matched = DurableTenderMatcher(self.settings.tender_rules).match(context)
        chosen = self.settings.tender(tender)
        option = tender_options([chosen], self.settings.tender_rules, matched)[0]
        if currency not in option.currencies:
            message = next((n for n in option.notices if n.code in _CATALOG_CODES), None)
            if message is not None:
                raise LocalizedError(message.text)
            raise InvalidInput(option.why_not(currency))

    def _context(self, session: object, now: datetime) -> LedgerContext:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        till = self.till
        day = require_open_day(session, till.code)
        shift = open_shift_row(session, till.operator)
        if self.settings.cash.work_mode is WorkMode.SHIFTS and shift is None:
            raise DocumentStateError(
                _("{operator} has no open shift: open it first", operator=till.operator)
            )
        return LedgerContext(
            till.store.code, till.code, till.operator, now, day.id, shift.id if shift else None
        )

    def _check_available(
        self, session: object, context: LedgerContext, tender: str, currency: str, amount: Decimal
    ) -> None:
        from sqlalchemy.orm import Session

        from cassa.engine.cash._safe import _check_drawer

        assert isinstance(session, Session)
        _check_drawer(session, self.settings, context, tender, currency, amount)

    def documents(
        self,
        *,
        kind: str | None = None,
        number: str | None = None,
        amount: object = None,
        day: date | None = None,
        store_wide: bool = False,
        manual_only: bool = False,
    ) -> list[CashDocument]:
        """The cash in / cash out list (seed: Elenco dei documenti VC/PC), with its filters:
        type, a fragment of the number (the whole number for other tills), amount, date."""
        till = self.till
        query = select(DocumentRow, CashMovementRow).join(
            CashMovementRow, CashMovementRow.document_id == DocumentRow.id
        )
        query = query.where(DocumentRow.doc_type.in_(["cash_in", "cash_out"]))
        if store_wide:
            query = query.where(DocumentRow.store == till.store.code)
            if number is not None:
                query = query.where(
                    (DocumentRow.number == number)
                    | ((DocumentRow.till == till.code) & DocumentRow.number.contains(number))
                )
        else:
            query = query.where(DocumentRow.till == till.code)
            if number is not None:
                query = query.where(DocumentRow.number.contains(number))
        if kind is not None:
            query = query.where(DocumentRow.doc_type == kind)
        if amount is not None:
            query = query.where(CashMovementRow.amount == inputs.amount(amount, negative=True))
        if day is not None:
            query = query.where(CashMovementRow.business_date == day)
        if manual_only:
            query = query.where(CashMovementRow.reason == Reason.MANUAL)
        with till.database.session() as session:
            rows = session.execute(query.order_by(DocumentRow.approved_at, DocumentRow.number))
            result = []
            for document, movement in rows:
                at = aware(movement.at)
                assert at is not None
                result.append(
                    CashDocument(
                        document.id,
                        document.number or "",
                        document.doc_type,
                        movement.reason,
                        movement.tender,
                        movement.currency,
                        movement.amount,
                        movement.amount_system,
                        at,
                        movement.business_date,
                        document.till,
                        document.operator,
                        movement.payer_kind,
                        movement.payer,
                        movement.description,
                        movement.reference,
                    )
                )
            return result

    # -- the drawer ------------------------------------------------------------------------
    def balance(self, *, cashier: str | None = None) -> dict[tuple[str, str], TenderBalance]:
        """What the current drawer should hold: the operator's shift (or, by shifts, the
        open shift of `cashier`, to count it before closing it), or the till's day."""
        till = self.till
        with till.database.session() as session:
            if self.settings.cash.work_mode is WorkMode.SHIFTS:
                owner = cashier or till.operator
                shift = open_shift_row(session, owner)
                if shift is None:
                    raise DocumentStateError(_("{owner} has no open shift", owner=owner))
                return shift_balances(session, self.settings, shift)
            day = open_day_row(session, till.code)
            if day is None:
                raise DocumentStateError(_("the day is not open on till {code}", code=till.code))
            return day_balances(session, self.settings, day)

    def expected(self, tender: str = "cash", currency: str | None = None) -> Decimal:
        balance = self.balance().get((tender, currency or self.settings.currency.code))
        return balance.expected if balance else Decimal(0)

    def open_drawer(self) -> bool:
        """Open the drawer without a sale: needs its permission."""
        self.till.require(self.settings.cash.open_drawer_permission)
        devices = self.till.payment_devices
        if devices is None or devices.drawer is None:
            return False
        devices.drawer.kick()
        return True

    # -- shifts ----------------------------------------------------------------------------
    def open_shift(self, *, counts: Sequence[Count] = (), deposits: Sequence[Count] = ()) -> Shift:
        shift = open_shift(self.till, counts=counts, deposits=deposits)
        self.till.messages = list(self.till.messages) + reminders(self.till)
        return shift

    def close_shift(
        self,
        *,
        cashier: str | None = None,
        counts: Sequence[Count] = (),
        withdrawals: Sequence[Count] = (),
    ) -> DayClosing:
        closing = close_shift(self.till, cashier=cashier, counts=counts, withdrawals=withdrawals)
        self.till.messages = list(self.till.messages) + list(closing.messages)
        return closing

    def shifts(self, *, text: str | None = None, open_only: bool = False) -> list[Shift]:
        """The operators' shifts of this store (seed: Turni degli operatori): filter by a
        fragment of the number or of the cashier's name."""
        query = select(ShiftRow).where(ShiftRow.store == self.till.store.code)
        if open_only:
            query = query.where(ShiftRow.closed_at.is_(None))
        if text:
            name = EmployeeRow.title + " " + EmployeeRow.first_name + " " + EmployeeRow.last_name
            named = select(EmployeeRow.username).where(func.lower(name).contains(text.casefold()))
            query = query.where(
                ShiftRow.number.contains(text)
                | ShiftRow.cashier.contains(text)
                | ShiftRow.cashier.in_(named)
            )
        with self.till.database.session() as session:
            return [shift_of(row) for row in session.scalars(query.order_by(ShiftRow.id))]

    # -- the safe ------------------------------------------------------------------------------
    def safe_deposit(
        self,
        amount: object,
        *,
        tender: str = "cash",
        currency: str | None = None,
        payer_kind: str | None = "employee",
        payer: str | None = None,
        description: str = "",
    ) -> SafeTransaction:
        moved = safe_move(
            self.till,
            self.settings,
            IN,
            amount,
            tender=tender,
            currency=currency,
            payer_kind=payer_kind,
            payer=payer,
            description=description,
        )
        self.till.messages = list(self.till.messages) + reminders(self.till)
        return moved

    def safe_withdrawal(
        self,
        amount: object,
        *,
        tender: str = "cash",
        currency: str | None = None,
        payer_kind: str | None = None,
        payer: str | None = None,
        description: str = "",
    ) -> SafeTransaction:
        """Money out of the safe: to the bank (no payer, or a customer), or into this
        drawer (an employee payer). It needs the permission withdraw_from_safe."""
        self.till.require(Permission.WITHDRAW_FROM_SAFE, amount=amount)
        moved = safe_move(
            self.till,
            self.settings,
            OUT,
            amount,
            tender=tender,
            currency=currency,
            payer_kind=payer_kind,
            payer=payer,
            description=description,
        )
        self.till.messages = list(self.till.messages) + reminders(self.till)
        return moved

    def safe(self, day: date | None = None) -> SafeView:
        till = self.till
        return safe_view(
            till.database, till.store.code, day or till.now().date(), till.store.timezone
        )

    def safe_transactions(self, **filters: object) -> list[SafeTransaction]:
        """The safe's transactions, their times in the store's time zone."""
        zone = self.till.timezone
        found = safe_transactions(self.till.database, self.till.store.code, **filters)  # type: ignore[arg-type]
        return [replace(t, at=t.at.astimezone(zone)) for t in found]

    def reminders(self) -> list[Message]:
        return reminders(self.till)

    # -- card transactions ---------------------------------------------------------------------
    def cards(self) -> CardPayments:
        till = self.till
        devices = till.payment_devices
        return CardPayments(
            till.database,
            devices.terminal if devices else None,
            store=till.store.code,
            till=till.code,
            clock=till.now,
            status_wait=devices.status_wait if devices else 30.0,
            on_approved=self._book_card,
        )

    def card_transactions(
        self, *, store_wide: bool = False, **filters: object
    ) -> list[CardTransaction]:
        """The card list (seed: Transazioni), this till's or the store's."""
        return self.cards().list(store_wide=store_wide, **filters)  # type: ignore[arg-type]

    def void_card(self, transaction_id: str) -> CardTransaction:
        """Void a card payment (also one made at another till of the store) on the terminal:
        needs the permission; once the void is approved the card's money leaves the drawer's
        card balance. Raises CardDeclined, or CardOutcomeUnknown (settled later)."""
        cards = self.cards()
        original = cards.get(transaction_id)
        self._check_drawer_open()
        self.till.require(self.settings.cash.void_card_permission, amount=original.amount)
        return cards.void(transaction_id, operator=self.till.operator)

    def close_card_batch(self, currency: str | None = None) -> TerminalBatch:
        """Close the card terminal's batch (seed: Rapporto di spedizione) and compare its
        totals with the till's card payments and refunds since the last one; transactions
        waiting for their outcome are asked first."""
        cards = self.cards()
        terminal = cards.terminal
        if terminal is None or not callable(getattr(terminal, "settle", None)):
            raise DeviceError(_("No payment terminal that settles is configured at this till"))
        cards.resolve_pending()
        till = self.till
        context = BatchContext(
            till.database, till.store.code, till.code, till.operator, clock=till.now
        )
        return close_batch(context, terminal, currency or self.settings.currency.code)  # type: ignore[arg-type]

    def manual_refund(self, amount: object, *, currency: str | None = None) -> CardTransaction:
        """Refund on a card a payment the till has no record of: needs the permission; the
        money leaves the drawer's card balance once the refund is approved."""
        code = currency or self.settings.currency.code
        value = inputs.amount(amount, zero=False)
        self._check_drawer_open()
        self.till.require(self.settings.cash.manual_refund_permission, amount=value)
        return self.cards().manual_refund(value, code, operator=self.till.operator)

    def _check_drawer_open(self) -> None:
        """The drawer that books a void or refund must be open before the terminal acts."""
        with self.till.database.session() as session:
            self._context(session, self.till.now())

    def _book_card(
        self, session: Session, done: CardTransaction, original: CardTransaction | None
    ) -> None:
        """The drawer's card movement of an approved void or manual refund, written with
        the approval (`CardPayments.on_approved`), whenever that becomes known."""
        if done.kind == "refund" and done.document_id is None:
            # a return's refund is booked by the return's own payment, not here
            self._card_movement(session, Reason.MANUAL_REFUND, done.amount, done.currency, done.id)
        elif original is not None and original.payment_id is not None:
            # only a paid document's card money entered the drawer; a payment voided while
            # still in its payment window never did
            self._card_movement(session, Reason.CARD_VOID, done.amount, done.currency, original.id)

    def _card_movement(
        self, session: Session, reason: str, amount: Decimal, currency: str, reference: str
    ) -> None:
        card = next(iter(self.settings.tenders_of(TenderType.CARD)), None)
        if card is None:
            return
        add_movement(
            session,
            self._context(session, self.till.now()),
            Movement(
                direction=OUT,
                reason=reason,
                tender=card.code,
                tender_type=card.type.value,
                currency=currency,
                amount=amount,
                amount_system=self.settings.to_system(amount, currency),
                reference=reference,
            ),
        )

    # -- vouchers and gift cards -------------------------------------------------------------
    @property
    def vouchers(self) -> Vouchers:
        from cassa.engine.payments._vouchers import Vouchers

        return Vouchers(self.till)


_CATALOG_CODES = {"voucher_not_on_cash_in", "split_payment_bank_only"}
