"""Card payments through the payment terminal, never charged twice, never assumed.

The rule, in order:

1. The intent (transaction id, amount, state `pending`) is committed *before*
   the terminal is asked anything. A crash at any later moment leaves a record
   that the next start resolves.
2. The terminal's answer makes it `approved` or `declined`.
3. No answer (timeout, lost answer, a broken connection) makes it `unknown`:
   it is resolved by asking the terminal for the transaction's status, never
   by sending the sale again. `not_found` means the terminal never received
   it: nothing was charged (`failed`).
4. Only when the status cannot be learnt is the operator asked "was the card
   payment completed?" (`confirm`); the answer is stored with who gave it.

A void (of an approved payment), a refund of a returned card sale (sent with the
original payment's id, never above what that payment has left) and a manual refund
follow the same rule with their own transaction ids. What they do (the payment becomes `voided`, the
drawer's card money moves through `on_approved`) happens in the same database
transaction that records them approved, whenever that becomes known: at once,
by a status query, or by the operator's answer.

The terminal is any object with `sale(id, amount, currency)` and `status(id)`
returning a result with `outcome` (approved, declined, pending, not_found,
unknown), `amount`, `authorization`, `reason`, and optionally `void(id,
original_id)` and `refund(id, amount, currency, original_id=None)`: `cassa.devices.terminal`'s
`TcpPaymentTerminal` talks to a real or simulated terminal that way. With a
terminal lacking `void` or `refund` the operator does it on the terminal and
the till records it as done by them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cassa.devices.errors import DeviceError
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.payments._errors import CardDeclined, CardOutcomeUnknown
from cassa.engine.payments._format import amount_text
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import CardTransactionRow, DocumentRow
from cassa.i18n import _

__all__ = [
    "CardApproved",
    "CardPayments",
    "CardState",
    "CardTerminal",
    "CardTransaction",
    "TerminalResultLike",
]


class CardState:
    PENDING = "pending"  # written before the terminal was asked
    APPROVED = "approved"
    DECLINED = "declined"
    FAILED = "failed"  # the terminal never received it: nothing charged
    UNKNOWN = "unknown"  # no answer and no status yet: never sent again
    VOIDED = "voided"
    UNRESOLVED = frozenset({PENDING, UNKNOWN})


class TerminalResultLike(Protocol):
    @property
    def transaction_id(self) -> str: ...

    @property
    def outcome(self) -> str: ...

    @property
    def amount(self) -> Decimal | None: ...

    @property
    def authorization(self) -> str: ...

    @property
    def reason(self) -> str: ...


class CardTerminal(Protocol):
    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> TerminalResultLike: ...

    def status(self, transaction_id: str) -> TerminalResultLike: ...


@dataclass(frozen=True)
class CardTransaction:
    id: str
    kind: str
    state: str
    amount: Decimal
    currency: str
    till: str
    operator: str
    document_id: str | None
    created_at: datetime
    resolution: str | None = None
    resolved_by: str | None = None
    auth_code: str = ""
    message: str = ""
    payment_id: str | None = None
    original_id: str | None = None
    document_number: str | None = None  # the receipt or invoice it paid, once approved

    @property
    def approved(self) -> bool:
        return self.state == CardState.APPROVED

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "amount": amount_text(self.amount),
            "currency": self.currency,
            "till": self.till,
            "cashier": self.operator,
            "document": self.document_number,
            "document_id": self.document_id,
            "created_at": self.created_at.isoformat(),
            "resolution": self.resolution,
            "resolved_by": self.resolved_by,
            "authorization": self.auth_code,
            "message": self.message,
            "payment_id": self.payment_id,
            "original_id": self.original_id,
        }


# Called in the database session that records a void or a manual refund approved, with the
# original payment of a void (already voided): what the drawer's ledger makes of it.
CardApproved = Callable[[Session, CardTransaction, CardTransaction | None], None]

# What a void or refund is called in a refusal (a payment keeps its own words).
_WHAT = {"void": "the void of the card payment", "refund": "the card refund"}


def _transaction(
    row: CardTransactionRow, number: str | None = None, zone: tzinfo | None = None
) -> CardTransaction:
    created = aware(row.created_at)
    assert created is not None
    if zone is not None:
        created = created.astimezone(zone)  # the store's time, as the till showed it
    return CardTransaction(
        document_number=number,
        id=row.id,
        kind=row.kind,
        state=row.state,
        amount=row.amount,
        currency=row.currency,
        till=row.till,
        operator=row.operator,
        document_id=row.document_id,
        created_at=created,
        resolution=row.resolution,
        resolved_by=row.resolved_by,
        auth_code=row.auth_code,
        message=row.message,
        payment_id=row.payment_id,
        original_id=row.original_id,
    )


class CardPayments:
    """One till's card transactions with its terminal."""

    def __init__(
        self,
        database: Database,
        terminal: CardTerminal | None,
        *,
        store: str,
        till: str,
        clock: Callable[[], datetime],
        status_wait: float = 30.0,
        status_interval: float = 0.5,
        on_approved: CardApproved | None = None,
    ) -> None:
        self.database = database
        self.terminal = terminal
        self.store = store
        self.till = till
        self.clock = clock
        self.status_wait = status_wait
        self.status_interval = status_interval
        self.on_approved = on_approved

    def on_terminal(self, kind: str) -> bool:
        """Whether the terminal itself voids (`void`) or refunds (`refund`); else the
        operator does it on the terminal and the till only records it."""
        return kind in ("void", "refund") and callable(getattr(self.terminal, kind, None))

    # -- charging ---------------------------------------------------------------------
    def charge(
        self, amount: Decimal, currency: str, *, operator: str, document_id: str | None
    ) -> CardTransaction:
        """Charge a card once. Raises CardDeclined, or CardOutcomeUnknown (ask the operator)."""
        if self.terminal is None:
            raise DeviceError(_("no payment terminal is configured at this till"))
        if amount <= 0:
            raise InvalidInput(_("a card payment must be above zero"))
        transaction_id = uuid.uuid4().hex
        with self.database.session() as session, session.begin():
            session.add(
                CardTransactionRow(
                    id=transaction_id,
                    kind="payment",
                    state=CardState.PENDING,
                    amount=amount,
                    currency=currency,
                    store=self.store,
                    till=self.till,
                    operator=operator,
                    document_id=document_id,
                    created_at=self.clock(),
                    auth_code="",
                    message="",
                )
            )
        terminal = self.terminal
        return self._send(transaction_id, lambda: terminal.sale(transaction_id, amount, currency))

    def _send(
        self, transaction_id: str, request: Callable[[], TerminalResultLike]
    ) -> CardTransaction:
        """Ask the terminal once for a stored transaction, and settle it by the answer."""
        try:
            result = request()
        except DeviceError as error:
            # Not reached, or an answer that cannot be read: whether it was done is not
            # known. Only the status may tell; the request is never sent again.
            self._set(transaction_id, CardState.UNKNOWN, message=error.message)
            return self.resolve(transaction_id)
        return self._settle(transaction_id, result, "terminal")

    def _settle(self, transaction_id: str, result: TerminalResultLike, how: str) -> CardTransaction:
        outcome = str(result.outcome)
        if outcome == "approved":
            transaction = self._set(
                transaction_id,
                CardState.APPROVED,
                resolution=how,
                auth_code=result.authorization,
            )
            if result.amount is not None and result.amount != transaction.amount:
                raise DocumentStateError(
                    _(
                        "the terminal charged {amount} for transaction "
                        "{transaction_id}, not {amount2}: check the terminal's "
                        "journal",
                        amount=result.amount,
                        transaction_id=transaction_id,
                        amount2=transaction.amount,
                    )
                )
            return transaction
        if outcome == "declined":
            declined = self._set(
                transaction_id, CardState.DECLINED, resolution=how, message=result.reason
            )
            what = _WHAT.get(declined.kind, "the card payment")
            raise CardDeclined(
                _("{what} was declined: {value}", what=what, value=result.reason or "no reason"),
                transaction_id=transaction_id,
                reason=result.reason,
            )
        if outcome == "not_found":
            kind = self.get(transaction_id).kind
            nothing = "nothing was done" if kind in _WHAT else "nothing was charged"
            self._set(
                transaction_id,
                CardState.FAILED,
                resolution=how,
                message=f"the terminal never received the transaction: {nothing}",
            )
            what = _WHAT.get(kind, "the card payment")
            raise CardDeclined(
                _(
                    "the payment terminal never received {what}: {nothing}",
                    what=what,
                    nothing=nothing,
                ),
                transaction_id=transaction_id,
            )
        self._set(transaction_id, CardState.UNKNOWN, message=result.reason)
        return self.resolve(transaction_id)

    def resolve(self, transaction_id: str) -> CardTransaction:
        """Learn an unresolved transaction's outcome from the terminal's status; raise
        CardOutcomeUnknown when the terminal cannot tell (the operator must answer)."""
        transaction = self.get(transaction_id)
        if transaction.state not in CardState.UNRESOLVED:
            return transaction
        if self.terminal is None:
            raise CardOutcomeUnknown(transaction_id)
        deadline = time.monotonic() + self.status_wait
        while True:
            try:
                result = self.terminal.status(transaction_id)
            except DeviceError as error:
                self._set(transaction_id, CardState.UNKNOWN, message=error.message)
                raise CardOutcomeUnknown(transaction_id) from None
            outcome = str(result.outcome)
            if outcome in ("approved", "declined", "not_found"):
                return self._settle(transaction_id, result, "status_query")
            if time.monotonic() >= deadline or outcome != "pending":
                self._set(transaction_id, CardState.UNKNOWN, message=result.reason or outcome)
                raise CardOutcomeUnknown(transaction_id)
            time.sleep(self.status_interval)

    def confirm(self, transaction_id: str, completed: bool, *, operator: str) -> CardTransaction:
        """The operator's answer to "was the card payment completed?", stored with their name."""
        transaction = self.get(transaction_id)
        if transaction.state not in CardState.UNRESOLVED:
            raise DocumentStateError(
                _(
                    "card transaction {transaction_id} is {state}: nothing to confirm",
                    transaction_id=transaction_id,
                    state=transaction.state,
                )
            )
        return self._set(
            transaction_id,
            CardState.APPROVED if completed else CardState.FAILED,
            resolution="operator",
            resolved_by=operator,
            message="confirmed by the operator" if completed else "denied by the operator",
        )

    def resolve_pending(self) -> list[CardTransaction]:
        """After a restart: settle every transaction left pending or unknown, by status."""
        settled = []
        for transaction in self.list(states=CardState.UNRESOLVED):
            try:
                settled.append(self.resolve(transaction.id))
            except (CardOutcomeUnknown, CardDeclined):
                settled.append(self.get(transaction.id))
            except DocumentStateError:
                waiting = self.get(transaction.id)
                if waiting.state not in CardState.UNRESOLVED:
                    raise
                # an approved void or refund the drawer cannot book yet (no open day):
                # nothing was written, it is asked again later
                settled.append(waiting)
        return settled

    # -- void and manual refund ------------------------------------------------------------
    def void(self, transaction_id: str, *, operator: str) -> CardTransaction:
        """Cancel an approved card payment on the terminal; the payment, returned, becomes
        voided once the void is known approved. Raises CardDeclined (nothing changes), or
        CardOutcomeUnknown (the void waits for its status or the operator's answer)."""
        original = self.get(transaction_id)
        if original.state != CardState.APPROVED or original.kind != "payment":
            raise DocumentStateError(
                _(
                    "card transaction {transaction_id} is {state}: only an "
                    "approved payment can be voided",
                    transaction_id=transaction_id,
                    state=original.state,
                )
            )
        waiting = self._voids_waiting(transaction_id)
        if waiting:
            raise DocumentStateError(
                _(
                    "the void {waiting} of card transaction {transaction_id} "
                    "waits for its outcome: settle it first",
                    waiting=waiting[0],
                    transaction_id=transaction_id,
                )
            )
        void_id = uuid.uuid4().hex
        self._record(void_id, "void", original.amount, original.currency, operator, transaction_id)
        cancel = getattr(self.terminal, "void", None)
        if callable(cancel):
            self._send(void_id, lambda: cancel(void_id, transaction_id))
        else:  # done on the terminal by the operator
            self._set(void_id, CardState.APPROVED, resolution="operator", resolved_by=operator)
        return self.get(transaction_id)

    def manual_refund(self, amount: Decimal, currency: str, *, operator: str) -> CardTransaction:
        """A refund of a card payment the till has no record of (seed: rimborso manuale),
        on the terminal. Raises CardDeclined, or CardOutcomeUnknown as `void`."""
        if amount <= 0:
            raise InvalidInput(_("a refund must be above zero"))
        refund_id = uuid.uuid4().hex
        self._record(refund_id, "refund", amount, currency, operator, None)
        send = getattr(self.terminal, "refund", None)
        if callable(send):
            return self._send(refund_id, lambda: send(refund_id, amount, currency))
        # done on the terminal by the operator
        return self._set(refund_id, CardState.APPROVED, resolution="operator", resolved_by=operator)

    def refundable(self, transaction_id: str) -> Decimal:
        """What an approved card payment can still give back to its card: its amount less
        the refunds referencing it that were approved or whose outcome is not known yet."""
        original = self.get(transaction_id)
        if original.kind != "payment" or original.state != CardState.APPROVED:
            return Decimal(0)
        with self.database.session() as session:
            taken = session.scalars(
                select(CardTransactionRow.amount).where(
                    CardTransactionRow.original_id == transaction_id,
                    CardTransactionRow.kind == "refund",
                    CardTransactionRow.state.in_(
                        sorted(CardState.UNRESOLVED | {CardState.APPROVED})
                    ),
                )
            ).all()
        return max(original.amount - sum(taken, Decimal(0)), Decimal(0))

    def refund(
        self,
        original_id: str,
        amount: Decimal,
        *,
        operator: str,
        document_id: str | None,
    ) -> CardTransaction:
        """Give money back to the card that paid `original_id` (a returned sale), by the
        terminal's refund referencing that payment; never above what it has left. The
        document that gives it back books the money. Raises CardDeclined, or
        CardOutcomeUnknown as `void`."""
        original = self.get(original_id)
        if amount <= 0:
            raise InvalidInput(_("A refund must be above zero"))
        left = self.refundable(original_id)
        if amount > left:
            raise InvalidInput(
                _("The card payment can give back only {left} {currency}, not {amount}").format(
                    left=left, currency=original.currency, amount=amount
                )
            )
        refund_id = uuid.uuid4().hex
        self._record(
            refund_id, "refund", amount, original.currency, operator, original_id, document_id
        )
        send = getattr(self.terminal, "refund", None)
        if callable(send):
            currency = original.currency
            return self._send(
                refund_id,
                lambda: send(refund_id, amount, currency, original_id=original_id),
            )
        # done on the terminal by the operator
        return self._set(refund_id, CardState.APPROVED, resolution="operator", resolved_by=operator)

    def _voids_waiting(self, transaction_id: str) -> list[str]:
        """Voids of a payment whose outcome is not known (at any till of the store)."""
        with self.database.session() as session:
            return list(
                session.scalars(
                    select(CardTransactionRow.id).where(
                        CardTransactionRow.original_id == transaction_id,
                        CardTransactionRow.kind == "void",
                        CardTransactionRow.state.in_(sorted(CardState.UNRESOLVED)),
                    )
                )
            )

    def _record(
        self,
        transaction_id: str,
        kind: str,
        amount: Decimal,
        currency: str,
        operator: str,
        original: str | None,
        document_id: str | None = None,
    ) -> None:
        with self.database.session() as session, session.begin():
            session.add(
                CardTransactionRow(
                    id=transaction_id,
                    kind=kind,
                    state=CardState.PENDING,
                    amount=amount,
                    currency=currency,
                    store=self.store,
                    till=self.till,
                    operator=operator,
                    document_id=document_id,
                    original_id=original,
                    created_at=self.clock(),
                    auth_code="",
                    message="",
                )
            )

    # -- reading ------------------------------------------------------------------------
    def get(self, transaction_id: str) -> CardTransaction:
        with self.database.session() as session:
            row = session.get(CardTransactionRow, transaction_id)
            if row is None:
                raise NotFound(
                    _("no card transaction {transaction_id}", transaction_id=transaction_id)
                )
            return _transaction(row)

    def list(
        self,
        *,
        states: frozenset[str] | None = None,
        document_id: str | None = None,
        store_wide: bool = False,
        operator: str | None = None,
        currency: str | None = None,
        amount: Decimal | None = None,
    ) -> list[CardTransaction]:
        """The card list of this till (or of every till of the store), with filters: each
        names the document it paid by number, its time in the till clock's time zone."""
        query = select(CardTransactionRow, DocumentRow.number).outerjoin(
            DocumentRow, DocumentRow.id == CardTransactionRow.document_id
        )
        if store_wide:
            query = query.where(CardTransactionRow.store == self.store)
        else:
            query = query.where(CardTransactionRow.till == self.till)
        if states is not None:
            query = query.where(CardTransactionRow.state.in_(sorted(states)))
        if document_id is not None:
            query = query.where(CardTransactionRow.document_id == document_id)
        if operator is not None:
            query = query.where(CardTransactionRow.operator == operator)
        if currency is not None:
            query = query.where(CardTransactionRow.currency == currency)
        if amount is not None:
            query = query.where(CardTransactionRow.amount == amount)
        zone = self.clock().tzinfo
        with self.database.session() as session:
            rows = session.execute(
                query.order_by(
                    CardTransactionRow.created_at,
                    # within one clock tick a void comes after the payment it cancels
                    CardTransactionRow.original_id.is_not(None),
                    CardTransactionRow.id,
                )
            ).all()
            return [_transaction(row, number, zone) for row, number in rows]

    def _set(self, transaction_id: str, state: str, **values: object) -> CardTransaction:
        changes: dict[str, object] = {"state": state, **values}
        if state not in CardState.UNRESOLVED:
            changes.setdefault("resolved_at", self.clock())
        query = update(CardTransactionRow).where(CardTransactionRow.id == transaction_id)
        if state == CardState.APPROVED:
            # approved once: of two settlements racing, only one carries out the effect
            query = query.where(CardTransactionRow.state.in_(sorted(CardState.UNRESOLVED)))
        with self.database.session() as session, session.begin():
            changed = session.execute(query.values(**changes)).rowcount  # type: ignore[attr-defined]
            row = session.get(CardTransactionRow, transaction_id)
            assert row is not None
            transaction = _transaction(row)
            if changed and state == CardState.APPROVED and transaction.kind != "payment":
                self._carry_out(session, transaction)
            return transaction

    def _carry_out(self, session: Session, done: CardTransaction) -> None:
        """What an approved void or refund does, in the session that records it approved."""
        original = None
        if done.kind == "void" and done.original_id is not None:
            session.execute(
                update(CardTransactionRow)
                .where(CardTransactionRow.id == done.original_id)
                .values(state=CardState.VOIDED, resolved_by=done.operator, resolved_at=self.clock())
            )
            row = session.get(CardTransactionRow, done.original_id)
            original = _transaction(row) if row is not None else None
        if self.on_approved is not None:
            self.on_approved(session, done, original)
