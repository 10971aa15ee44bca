"""Offers (OV) and sales orders (OrV) at the till, their fulfilment in parts and deposits.

An offer or an order is made like a receipt (`till.orders.new()`, then the till's own
line commands: scan, quantities, lots and properties, customer, discounts, priced as
on a receipt) and approved with `save()`: numbered in its own series, no money moves.
`from_offer(number)` copies an offer into a new order with its prices and discounts
as they were (the seed: transferred, recalculated only when the document changes).

`fulfil(number, kind)` opens a receipt or an invoice generated from an open order:
its lines copy the order's at what remains (or start empty and are filled by `take`
or by scanning), keep the order's discounts in proportion, never deliver more than
remains (the seed's message), and deduct the deposits held as the last units leave.
A line added by scanning an item the order does not hold is a new line, priced by
the rules in force. `take_deposit(number, amount)` opens the deposit document the
pack names for the customer (an advance invoice, or a receipt for a retail customer);
both are paid through the payment window and approved like any document.
`cancel(number)` cancels what remains (permission `cancel_order`); its deposits are
refunded (`refund_deposit`: a return of the deposit document paid back through the
payment window) or kept as a voucher, as the pack declares.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine import inputs
from cassa.engine.catalog import CustomerKind, ItemType
from cassa.engine.documents import Document, DocumentType, Line
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.orders._book import (
    Deposit,
    OrderBook,
    OrderState,
    set_state,
)
from cassa.engine.orders._lines import OVER_ORDER, Progress
from cassa.engine.orders._settings import REFUND, VOUCHER
from cassa.engine.people import Permission
from cassa.engine.storage.models import OrderMovementRow, OrderRow
from cassa.engine.taxes import TaxRefused, generated_flags
from cassa.engine.units import Unit
from cassa.i18n import _

if TYPE_CHECKING:
    pass

from cassa.engine.orders._context import (
    Order,
    OrderContext,
    _amount,
    _at,
    _date,
    _draft_line,
    _quantity,
    _slot,
    mechanisms_of,
    settings,
)
from cassa.engine.orders._generated import commit_generated, deposit_lines, order_value
from cassa.engine.orders._query import find_orders, read_order

__all__ = ["OrderDesk", "install"]


class OrderDesk:
    """The offers and orders of one till (`Till.orders`)."""

    def __init__(self, till: OrderContext) -> None:
        self.till = till

    # -- making offers and orders --------------------------------------------------------
    def new(self, kind: str = DocumentType.SALES_ORDER.value) -> Document:
        """Start an offer or a sales order; lines are added as on a receipt."""
        doc_type = DocumentType(kind)
        if not doc_type.is_order:
            raise InvalidInput(_("{kind} is not an offer or a sales order", kind=kind))
        return self.till.new_document(doc_type)

    def set_details(
        self,
        *,
        pickup_point: str | None = None,
        expected_date: date | str | None = None,
        recipient: str | None = None,
        note: str | None = None,
    ) -> Document:
        """Where and when the customer collects the goods, who receives them, a note."""
        document = self._draft()
        when = _date(expected_date) if expected_date is not None else document.expected_date
        if when is not None and when < self.till.now().date():
            raise InvalidInput(_("the expected date {date} is already past", date=when.isoformat()))
        if recipient is not None and recipient:
            self.till.catalog.customer(recipient)  # a known customer, or NotFound
        changed = replace(
            document,
            lines=list(document.lines),
            pickup_point=inputs.text(pickup_point, _("the pickup point"), limit=64, required=False)
            or None
            if pickup_point is not None
            else document.pickup_point,
            expected_date=when,
            recipient=(recipient or None) if recipient is not None else document.recipient,
            note=inputs.text(note, _("the note"), limit=inputs.MAX_NOTE, required=False, lines=True)
            if note is not None
            else document.note,
        )
        return self.till._commit(changed)

    def save(self) -> Order:
        """Approve the open offer or order: numbered in its own series, no money moved."""
        document = self._draft()
        if document.type is DocumentType.SALES_ORDER and document.customer is None:
            raise InvalidInput(_("a sales order needs a customer: choose one first"))
        if any(line.item_type is ItemType.VOUCHER for line in document.lines):
            raise InvalidInput(_("vouchers are sold on a receipt, not ordered"))
        approved = self.till.approve()
        return self.get(approved.number or "")

    def from_offer(self, number: str) -> Document:
        """A new sales order copying an open offer: its lines, customer, details and
        discounts as they were, recalculated only when the order changes."""
        till = self.till
        offer = self.get(number)
        if offer.document.type is not DocumentType.OFFER:
            raise InvalidInput(_("{number} is not an offer", number=number))
        if offer.state != OrderState.OPEN:
            raise DocumentStateError(
                _("offer {number} is {state}", number=number, state=offer.state)
            )
        self._no_open_document()
        till._require_open_day()
        source = offer.document
        flags = generated_flags(mechanisms_of(till), source, DocumentType.SALES_ORDER.value)
        ids = {line.id: uuid.uuid4().hex for line in source.lines}
        order = Document(
            id=str(uuid.uuid4()),
            type=DocumentType.SALES_ORDER,
            store=till.store.code,
            till=till.code,
            currency=source.currency,
            direction=till.country.direction_for(DocumentType.SALES_ORDER.value),
            created_at=till.now(),
            operator=till.operator,
            customer=source.customer,
            lines=[
                line.with_changes(id=ids[line.id], handled_by=till.operator)
                for line in source.lines
            ],
            note=source.note,
            inputs=replace(
                source.inputs,
                line_discounts=tuple((ids[i], d) for i, d in source.inputs.line_discounts),
            ),
            reverse_charge=flags.reverse_charge,
            split_payment=flags.split_payment,
            split_payment_manual=flags.split_payment,
            origin_id=source.id,
            origin_number=source.number,
            pickup_point=source.pickup_point,
            expected_date=source.expected_date,
            recipient=source.recipient,
        )
        if order.direction is not source.direction:
            raise InvalidInput(_("the offer's prices are in another price direction than orders"))
        till.documents.save(order)  # as priced on the offer: not recalculated until changed
        till.current = order
        till.messages = []
        return order

    # -- finding ------------------------------------------------------------------------
    def get(self, number: str) -> Order:
        with self.till.database.session() as session:
            row = session.scalar(select(OrderRow).where(OrderRow.number == number.strip()))
            if row is None:
                raise NotFound(_("no offer or order numbered {number}", number=number))
            return read_order(session, row)

    def find(
        self,
        *,
        number: str | None = None,
        customer: str | None = None,
        day: date | str | None = None,
        state: str | None = None,
        kind: str | None = None,
    ) -> list[Order]:
        """Offers and orders by (part of) their number, customer, day made or expected,
        and state ("active": open or partly fulfilled)."""
        return find_orders(
            self.till.database,
            number=number,
            customer=customer,
            day=day,
            state=state,
            kind=kind,
            store=self.till.store.code,
        )

    # -- fulfilment ---------------------------------------------------------------------
    def fulfil(self, number: str, kind: str = DocumentType.RECEIPT.value) -> Document:
        """Open a receipt or an invoice generated from order `number`."""
        till = self.till
        doc_type = DocumentType(kind)
        if doc_type not in (DocumentType.RECEIPT, DocumentType.INVOICE):
            raise InvalidInput(_("an order is fulfilled by a receipt or an invoice"))
        order = self._active(number)
        self._no_open_document()
        till._require_open_day()
        source = order.document
        rule = mechanisms_of(till).reverse_charge
        if source.reverse_charge and rule is not None and kind not in rule.document_types:
            raise TaxRefused(rule.refused)  # seed: "Lo scontrino non può essere generato …"
        flags = generated_flags(mechanisms_of(till), source, kind)
        document = Document(
            id=str(uuid.uuid4()),
            type=doc_type,
            store=till.store.code,
            till=till.code,
            currency=source.currency,
            direction=source.direction,  # the order's prices, as they were given
            created_at=till.now(),
            operator=till.operator,
            customer=source.customer,
            reverse_charge=flags.reverse_charge,
            split_payment=flags.split_payment,
            split_payment_manual=flags.split_payment,
            origin_id=source.id,
            origin_number=source.number,
            note=source.note,
        )
        if settings(till).copy_quantities:
            document.lines = [
                _draft_line(p.line, p.remaining) for p in order.lines if p.remaining > 0
            ]
        till.current = document
        try:
            return commit_generated(till, document)
        except Exception:
            till.current = None
            raise

    def take(self, position: int, quantity: object = None) -> Line:
        """Deliver `quantity` (all that remains by default) of line `position` of the order
        on the open generated document; zero leaves the line out."""
        saved = self.take_lines({position: quantity})
        ordered = self.remaining()[position - 1].line
        found = [line for line in saved.lines if line.origin_line == ordered.id]
        return found[0] if found else ordered

    def take_lines(self, quantities: Mapping[int, object]) -> Document:
        """Deliver several lines of the order at once ({position: quantity}; None: all that
        remains, zero: left out): one change of the open generated document."""
        till = self.till
        document, order = self._generated()
        lines = list(document.lines)
        for position, quantity in quantities.items():
            progress = _at(order, int(position))
            amount = progress.remaining if quantity is None else _quantity(quantity)
            ordered = progress.line
            Unit(ordered.unit, precision=max(ordered.unit_precision, 0)).check(amount)
            if amount > progress.remaining:
                raise InvalidInput(OVER_ORDER)
            kept = [line for line in lines if line.origin_line != ordered.id]
            at = next(
                (i for i, line in enumerate(lines) if line.origin_line == ordered.id),
                _slot(kept),
            )
            if amount > 0:
                kept.insert(at, _draft_line(ordered, amount))
            lines = kept
        return commit_generated(till, replace(document, lines=lines))

    def scan(self, code: str, quantity: object = 1) -> Line:
        """Fulfil by scanning: one more unit (or `quantity`) of the order line holding this
        item (and lot); an item the order does not hold is added as a new line."""
        till = self.till
        document, order = self._generated()
        item, lot = till.catalog.lookup(code)
        amount = _quantity(quantity)
        delivered = {line.origin_line: line.quantity for line in document.lines if line.origin_line}
        candidates = [
            p
            for p in order.lines
            if p.line.sku == item.sku and (lot is None or p.line.lot == lot.code)
        ]
        for progress in candidates:
            now = delivered.get(progress.line.id, Decimal(0))
            if now + amount <= progress.remaining:
                return self.take(progress.position, now + amount)
        if candidates:
            raise InvalidInput(OVER_ORDER)
        till.messages = []
        from cassa.engine.till import Till

        assert isinstance(till, Till)
        return till.scan(code, amount)

    def remaining(self, number: str | None = None) -> list[Progress]:
        """Each line of the order with what remains (of the open generated document's order
        when no number is given)."""
        if number is None:
            _, order = self._generated()
            return order.lines
        return self.get(number).lines

    # -- deposits -----------------------------------------------------------------------
    def take_deposit(self, number: str, amount: object) -> Document:
        """Open the document of a deposit on order `number`: an advance invoice, or a
        receipt for a retail customer, as the pack says; paid in the payment window."""
        till = self.till
        order = self._active(number)
        value = _amount(amount, _("the deposit"))
        if value <= 0:
            raise InvalidInput(_("a deposit must be above zero"))
        value = till.currency.round(value)
        left = order_value(order, till.currency) - order.held
        if value > left:
            raise InvalidInput(
                _(
                    "a deposit cannot exceed what remains to pay on the order ({left})",
                    left=left,
                )
            )
        self._no_open_document()
        till._require_open_day()
        source = order.document
        customer = till.catalog.find_customer(source.customer)
        kind = settings(till).deposit_document(
            customer.kind.value if customer is not None else CustomerKind.RETAIL.value
        )
        doc_type = DocumentType(kind)
        flags = generated_flags(mechanisms_of(till), source, kind)
        rule = mechanisms_of(till).reverse_charge
        if source.reverse_charge and rule is not None and kind not in rule.document_types:
            raise TaxRefused(rule.refused)
        direction = source.direction  # the order's prices, deducted in the same terms
        lines = deposit_lines(
            order, value, till.currency, till.operator, till.country.receipt_locale
        )
        document = Document(
            id=str(uuid.uuid4()),
            type=doc_type,
            store=till.store.code,
            till=till.code,
            currency=source.currency,
            direction=direction,
            created_at=till.now(),
            operator=till.operator,
            customer=source.customer,
            lines=lines,
            reverse_charge=flags.reverse_charge,
            split_payment=flags.split_payment,
            split_payment_manual=flags.split_payment,
            origin_id=source.id,
            origin_number=source.number,
        )
        till.current = document
        till.documents.save(document)
        till.messages = []
        return document

    # -- cancelling ---------------------------------------------------------------------
    def cancel(
        self, number: str, *, deposit: str | None = None, voucher: str | None = None
    ) -> Order:
        """Cancel what remains of an order (permission cancel_order). Its deposits held
        are refunded (`refund_deposit`) or become a voucher numbered `voucher`, as the pack
        allows (`deposit` picks one; the pack's first by default)."""
        till = self.till
        order = self._active(number)
        declared = settings(till).on_cancel
        choice = deposit or declared[0]
        if choice not in declared:
            raise InvalidInput(
                _(
                    "pack {name} does not let a deposit become a {choice} ({declared})",
                    name=till.pack.name,
                    choice=choice,
                    declared=", ".join(declared),
                )
            )
        held = [d for d in order.deposits if d.held > 0]
        partly = [d for d in held if d.deducted > 0]
        if partly and choice == REFUND:  # a return takes back the deposit document whole
            raise DocumentStateError(
                _(
                    "deposit {number} is partly deducted: what is left of it can "
                    "become a voucher, or the order be fulfilled",
                    number=partly[0].number,
                )
            )
        if held and choice == VOUCHER and not (voucher or "").strip():
            raise InvalidInput(_("give the number of the voucher the deposit becomes"))
        till.require(Permission.CANCEL_ORDER, what="cancel an order")
        now = till.now()
        with till.database.session() as session, session.begin():
            row = _locked(session, order, number)
            for progress in order.lines:
                if progress.remaining > 0:
                    session.add(
                        _cancelled(row, progress.line.id, progress.remaining, now, till.operator)
                    )
            session.flush()
            set_state(session, row, now)
            row.state = OrderState.CANCELLED  # whatever was delivered before
            if held and choice == VOUCHER:
                assert voucher is not None
                _vouchers(session, till, held, voucher.strip(), now)
        return self.get(number)

    def cancel_line(self, number: str, position: int, quantity: object = None) -> Order:
        """Cancel units of one line of an order (all that remains by default)."""
        till = self.till
        order = self._active(number)
        progress = _at(order, position)
        amount = progress.remaining if quantity is None else _quantity(quantity)
        if amount <= 0 or amount > progress.remaining:
            raise InvalidInput(
                _(
                    "line {position} of {number}: between 0 and {remaining} "
                    "{unit} can be cancelled, not {amount}",
                    position=position,
                    number=number,
                    remaining=progress.remaining,
                    unit=progress.line.unit,
                    amount=amount,
                )
            )
        left = order_value(order, till.currency, cancelling={progress.line.id: amount})
        if order.held > left:
            raise InvalidInput(
                _("the deposits held would exceed what remains to pay: cancel the whole order")
            )
        till.require(Permission.CANCEL_ORDER, what="cancel an order")
        now = till.now()
        with till.database.session() as session, session.begin():
            row = _locked(session, order, number)
            session.add(_cancelled(row, progress.line.id, amount, now, till.operator))
            session.flush()
            set_state(session, row, now)
        return self.get(number)

    def refund_deposit(self, deposit_number: str) -> Document:
        """Open the return of a cancelled order's deposit document, to pay it back."""
        till = self.till
        with till.database.session() as session:
            from cassa.engine.storage.models import OrderDepositRow

            row = session.scalar(
                select(OrderDepositRow).where(OrderDepositRow.number == deposit_number.strip())
            )
            if row is None:
                raise NotFound(
                    _("no deposit numbered {deposit_number}", deposit_number=deposit_number)
                )
            order = session.get(OrderRow, row.order_id)
            assert order is not None
            if order.state != OrderState.CANCELLED:
                raise DocumentStateError(
                    _(
                        "order {number} is {state}: cancel it first",
                        number=order.number,
                        state=order.state,
                    )
                )
            if row.state != "held":
                raise DocumentStateError(
                    _("deposit {number} is {state}", number=row.number, state=row.state)
                )
        if REFUND not in settings(till).on_cancel:
            raise InvalidInput(_("pack {name} does not refund deposits", name=till.pack.name))
        returns = till.returns
        returns.start(deposit_number.strip())
        for position, _line in enumerate(returns.original().lines, 1):
            returns.take(position)
        return till.document()

    # -- helpers ------------------------------------------------------------------------
    def _draft(self) -> Document:
        document = self.till.document()
        if not document.type.is_order:
            raise DocumentStateError(_("the open document is not an offer or a sales order"))
        document.ensure_editable()
        return document

    def _active(self, number: str) -> Order:
        order = self.get(number)
        if order.document.type is not DocumentType.SALES_ORDER:
            raise InvalidInput(_("{number} is an offer: make it an order first", number=number))
        if not order.active:
            raise DocumentStateError(
                _("order {number} is {state}", number=number, state=order.state)
            )
        return order

    def _generated(self) -> tuple[Document, Order]:
        document = self.till.document()
        document.ensure_editable()
        if document.origin_id is None or document.origin_type is not DocumentType.SALES_ORDER:
            raise DocumentStateError(_("the open document is not generated from an order"))
        return document, self.get(document.origin_number or "")

    def _no_open_document(self) -> None:
        current = self.till.current
        if current is not None and current.editable and current.lines:
            raise DocumentStateError(_("park, approve or discard the current document first"))


def _locked(session: Session, order: Order, number: str) -> OrderRow:
    """The order's row, locked for this transaction, as the caller last read it."""
    row = session.scalar(
        select(OrderRow).where(OrderRow.document_id == order.document.id).with_for_update()
    )
    assert row is not None
    if row.version != order.version:
        raise DocumentStateError(
            _("order {number} changed meanwhile: look at it again", number=number)
        )
    return row


def _cancelled(
    row: OrderRow, line_id: str, quantity: Decimal, at: datetime, operator: str
) -> OrderMovementRow:
    """Units of an order's line cancelled."""
    return OrderMovementRow(
        id=str(uuid.uuid4()),
        order_id=row.document_id,
        line_id=line_id,
        kind="cancelled",
        quantity=quantity,
        at=at,
        operator=operator,
    )


def _vouchers(
    session: Session, till: OrderContext, held: list[Deposit], number: str, now: datetime
) -> None:
    """The deposits held become one voucher of the pack's kind, in the cancellation's
    transaction."""
    from cassa.engine.payments._stored_values import VOUCHER as INSTRUMENT
    from cassa.engine.payments._stored_values import credit
    from cassa.engine.storage.models import OrderDepositRow

    code = settings(till).voucher_kind
    money = till.pack.money
    kind = money.voucher_kinds.get(code or "") if money is not None else None
    if kind is None:
        raise InvalidInput(
            _("pack {name} names no voucher kind for kept deposits", name=till.pack.name)
        )
    if kind.number_pattern:
        from cassa.engine.patterns import fullmatch

        if fullmatch(kind.number_pattern, number) is None:
            raise InvalidInput(
                _(
                    "{number} is not a valid number for voucher kind {code}",
                    number=number,
                    code=kind.code,
                )
            )
    total = sum((d.held for d in held), Decimal(0))
    credit(
        session,
        number,
        total,
        event="order_deposit",
        at=now,
        document_id=None,
        payment_id=None,
        till=till.code,
        operator=till.operator,
        create=(INSTRUMENT, kind.code, kind.tender, held[0].number and till.currency.code),
    )
    for deposit in held:
        row = session.get(OrderDepositRow, deposit.id, with_for_update=True)
        assert row is not None
        if row.state != "held":
            raise DocumentStateError(
                _("deposit {number} is {state}", number=row.number, state=row.state)
            )
        row.state, row.settled_at, row.settled_by = VOUCHER, now, number


def install(till: OrderContext) -> None:
    """Attach the order book to the till's approvals (once)."""
    hooks = till.documents.approval_hooks
    if not any(isinstance(hook, OrderBook) for hook in hooks):
        hooks.append(OrderBook())
