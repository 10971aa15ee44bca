"""Returns at the till: a receipt's (CQS) or an invoice's (CQFV), from the approved original.

`till.returns.start("S/T01/2026/000001")` opens a return of that document (permission
`make_return`, or a manager's approval): same customer, currency and price
direction, and the reverse-charge and split-payment flags the pack's `generated:`
rules give a document generated from it (Italy: copied and locked on corrections).
`take(position, quantity)` takes back units of a line of the original at its price
and discounts; `put_back(position)` leaves a line out again. The return is paid
back through the payment window (its total is negative: cash, an own voucher ... as
the tenders allow) and approved like any document. The till's own line commands
are refused on a return: every save goes through `commit_return`, which checks the
lines against the original and what earlier returns already took back, again
inside the approval's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine import inputs
from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document, DocumentStatus, DocumentType, Line, SaleInputs
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.people import Permission
from cassa.engine.returns._lines import (
    Returnable,
    check_lines,
    return_line,
    returnable,
    taken_back,
)
from cassa.engine.storage.documents import document_in
from cassa.engine.storage.models import DocumentRow, FiscalRecordRow
from cassa.engine.taxes import after_pricing, generated_flags, mechanisms
from cassa.engine.units import Unit
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.payments import Settlement
    from cassa.engine.till import Till

__all__ = ["ReturnCheck", "ReturnDesk", "commit_return", "fiscalize_return", "install"]


class ReturnDesk:
    """The returns of one till (`Till.returns`)."""

    def __init__(self, till: Till) -> None:
        self.till = till

    def start(self, number: str) -> Document:
        """Open a return of the approved receipt or invoice numbered `number`."""
        till = self.till
        till._require_open_day()
        if till.current is not None and till.current.editable and till.current.lines:
            raise DocumentStateError(_("park, approve or discard the current document first"))
        original = till.documents.find_by_number(inputs.code(number, _("the document number")))
        kind = original.type.return_type()
        if kind is None:
            raise InvalidInput(
                _(
                    "{number} is a {value}: only receipts and invoices are returned",
                    number=number,
                    value=original.type.value,
                )
            )
        if not any(r.left > 0 for r in self.returnable(original)):
            raise InvalidInput(_("everything on {number} has already been returned", number=number))
        from cassa.engine.invoicing import refuse_invoiced_receipt

        refuse_invoiced_receipt(till, original)  # its goods come back through the invoice
        from cassa.engine.taxfree import refuse_tax_free_receipt

        refuse_tax_free_receipt(till.database, original)
        check_fiscal_original(till, kind, original)
        # asked last: a refusal above needs no manager, and an approval opens this return
        till.require(Permission.MAKE_RETURN, what="return goods")
        flags = generated_flags(mechanisms(till), original, kind.value)
        till.current = Document(
            id=str(uuid.uuid4()),
            type=kind,
            store=till.store.code,
            till=till.code,
            currency=original.currency,
            direction=original.direction,  # the original's prices, as they were given
            created_at=till.now(),
            operator=till.operator,
            customer=original.customer,
            reverse_charge=flags.reverse_charge,
            split_payment=flags.split_payment,
            # A copied flag stands as if set by hand: a refund never meets the automatic
            # conditions (its total is negative).
            split_payment_manual=flags.split_payment,
            origin_id=original.id,
            origin_number=original.number,
        )
        return till.current

    def original(self) -> Document:
        """The document the open return takes back from."""
        return self._original(self._return())

    def returnable(self, original: Document | None = None) -> list[Returnable]:
        """Each line of the original with what is left to return (the open return's own
        lines not counted)."""
        if original is None:
            original = self.original()
        with self.till.database.session() as session:
            taken = taken_back(session, original.id)
        return returnable(original, taken)

    def take(self, position: int, quantity: object = None) -> Line:
        """Take back `quantity` (all that is left by default) of line `position` of the
        original; taking a line again sets its quantity."""
        till = self.till
        document = self._return(editable=True)
        original = self._original(document)
        if not 1 <= position <= len(original.lines):
            raise InvalidInput(
                _(
                    "{number} has no line {position} (it has {count} lines)",
                    number=original.number,
                    position=position,
                    count=len(original.lines),
                )
            )
        with till.database.session() as session:
            taken = taken_back(session, original.id)
        item = returnable(original, taken)[position - 1]
        sold = item.line
        if sold.item_type in (ItemType.VOUCHER, ItemType.BUY_BACK):
            # A sold voucher is a stored value with its own events; a buy-back was bought.
            raise InvalidInput(
                _(
                    "line {position} of {number} ({name}) is a {kind}: it is not "
                    "taken back by a return",
                    position=position,
                    number=original.number,
                    name=sold.name,
                    kind=sold.item_type.value.replace("_", "-"),
                )
            )
        amount = item.left if quantity is None else _quantity(quantity)
        if amount <= 0:
            raise InvalidInput(_("the quantity to return must be above zero"))
        Unit(sold.unit, precision=max(sold.unit_precision, 0)).check(amount)
        if amount > item.left:
            raise InvalidInput(
                _(
                    "line {position} of {number} ({name}): only {left} {unit} "
                    "can be returned (sold {sold}, already returned {returned}), "
                    "not {amount}",
                    position=position,
                    number=original.number,
                    name=sold.name,
                    left=item.left,
                    unit=sold.unit,
                    sold=item.sold,
                    returned=item.returned,
                    amount=amount,
                )
            )
        line = return_line(
            sold,
            amount,
            taken.get(sold.id, []),
            currency=till.currency,
            operator=till.operator,
            reverse_charge=document.reverse_charge,
        )
        lines = [existing for existing in document.lines if existing.origin_line != sold.id]
        at = next(
            (i for i, existing in enumerate(document.lines) if existing.origin_line == sold.id),
            len(lines),
        )
        lines.insert(at, line)
        saved = till._commit(replace(document, lines=lines))
        return saved.lines[at]

    def put_back(self, position: int) -> None:
        """Leave line `position` of the original out of the return."""
        document = self._return(editable=True)
        original = self._original(document)
        sold = original.line_at(position)
        lines = [line for line in document.lines if line.origin_line != sold.id]
        if len(lines) == len(document.lines):
            raise NotFound(
                _(
                    "line {position} of {number} is not on this return",
                    position=position,
                    number=original.number,
                )
            )
        self.till._commit(replace(document, lines=lines))

    def _return(self, *, editable: bool = False) -> Document:
        document = self.till.document()
        if document.origin_id is None or not document.type.is_return:
            raise DocumentStateError(_("the open document is not a return: start one first"))
        if editable:
            document.ensure_editable()
        return document

    def _original(self, document: Document) -> Document:
        assert document.origin_id is not None
        return self.till.documents.load(document.origin_id)


def _quantity(value: object) -> Decimal:
    return inputs.quantity(value)


def commit_return(till: Till, document: Document) -> Document:
    """Store a return as it is (`Till._commit` for a return): never re-priced, its lines
    checked against the original and its flags against the pack's `generated:` rules."""
    original = till.documents.load(document.origin_id or "")
    if document.customer != original.customer:
        raise InvalidInput(_("a return keeps the customer of {number}", number=original.number))
    if document.inputs != SaleInputs():
        raise InvalidInput(
            _(
                "a return takes back the original's prices and discounts: "
                "coupons, promotions and discounts cannot be added to it"
            )
        )
    flags = generated_flags(mechanisms(till), original, document.type.value)
    if document.reverse_charge != flags.reverse_charge and not flags.reverse_charge_editable:
        raise InvalidInput(
            _(
                "the reverse charge of this return is copied from {number} and cannot be changed",
                number=original.number,
            )
        )
    if document.split_payment != flags.split_payment and not flags.split_payment_editable:
        raise InvalidInput(
            _(
                "the split payment of this return comes from {number} and cannot be changed",
                number=original.number,
            )
        )
    previous = till.current if till.current is not None else document
    if previous.id == document.id and previous.reverse_charge != document.reverse_charge:
        sold = {line.id: line for line in original.lines}  # the flag was changed, as allowed
        document = replace(
            document,
            lines=[
                line.with_changes(
                    reverse_charge=document.reverse_charge
                    and sold[line.origin_line or ""].reverse_charge
                )
                if line.origin_line in sold
                else line
                for line in document.lines
            ],
        )
    with till.database.session() as session:
        taken = taken_back(session, original.id)
    check_lines(document, original, taken)
    document = after_pricing(till, document)
    till.documents.save(document)
    till.current = document
    till.messages = []
    return document


# -- the fiscal printer ---------------------------------------------------------------------
def _fiscal_printer(till: Till) -> Any:
    devices = till.payment_devices
    return devices.fiscal if devices is not None else None


def check_fiscal_original(till: Till, kind: DocumentType, original: Document) -> None:
    """A receipt's return is registered as a refund of the original's fiscal receipt: with a
    fiscal printer at the till, the original must be registered (never assumed)."""
    if kind is not DocumentType.RECEIPT_RETURN or _fiscal_printer(till) is None:
        return
    with till.database.session() as session:
        status = session.scalar(
            select(FiscalRecordRow.status).where(FiscalRecordRow.document_id == original.id)
        )
    if status != "printed":
        state = "was never sent to" if status is None else "is not (yet) registered by"
        raise DocumentStateError(
            _(
                "{number} {state} the fiscal printer (fiscal pending): its "
                "return must reference a fiscal receipt; settle it first "
                "(cassa devices fiscal)",
                number=original.number,
                state=state,
            )
        )


def fiscalize_return(till: Till, document: Document, settlement: Settlement) -> None:
    """Register a paid receipt return on the fiscal printer as a refund of the original."""
    fiscal = _fiscal_printer(till)
    if fiscal is None or document.type is not DocumentType.RECEIPT_RETURN:
        return
    from cassa.devices.printing.data import Payment

    assert document.origin_number is not None
    totals = document.totals(till.currency)
    payments = [
        Payment(row.tender.code, -row.system_amount)
        for row in settlement.rows
        if row.kind == "payment" and row.system_amount < 0
    ]
    fiscal.fiscalize_refund(document, totals, document.origin_number, payments)


# -- inside the approval's transaction ------------------------------------------------------
class ReturnCheck:
    """An approval hook: a return is checked again where it is approved, so two tills
    returning the same receipt at once never take back more than was sold."""

    def __call__(self, session: Session, document_id: str) -> None:
        origin, kind = session.execute(
            select(DocumentRow.origin_id, DocumentRow.doc_type).where(DocumentRow.id == document_id)
        ).one()
        if origin is None or not DocumentType(kind).is_return:
            return  # an invoice of a receipt has its own check (cassa.engine.invoicing)
        document, original = document_in(session, document_id), document_in(session, origin)
        if original.status is not DocumentStatus.APPROVED:
            raise DocumentStateError(_("{number} is not approved", number=original.number))
        check_lines(document, original, taken_back(session, original.id, excluding=document_id))


def install(till: Till) -> None:
    """Attach the check to the till's approvals (once)."""
    hooks = till.documents.approval_hooks
    if not any(isinstance(hook, ReturnCheck) for hook in hooks):
        hooks.append(ReturnCheck())
