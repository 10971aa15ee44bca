"""The invoice a customer asks for after paying with a receipt (FV generated from S).

`till.invoicing.from_receipt("S/T01/2026/000001", customer="EDIL02")` opens an invoice of
that approved receipt for a business customer (the business the receipt names, if any);
`till.approve()` approves it. Any cashier may issue it: the customer is entitled to
it, and nothing on it can differ from the receipt.

- It names the receipt as its origin and copies its lines at the receipt's prices and
  discounts, **in the receipt's price direction** (gross). A net invoice would turn every
  price to net and compute the VAT from net values, and could disagree with what was
  paid: 20 chairs at 999.00 PLN are 19 980.00 on the receipt but 19 980.12 on a net
  invoice (812.20 net each), and some gross totals cannot be reached from any net value.
  Computed from gross like the receipt, the invoice's VAT summary and total are the
  receipt's to the cent.
- Its reverse-charge and split-payment flags follow the pack's `generated:` rules for
  receipt -> invoice (seed: reverse charge cannot be selected; split payment is "sempre
  disattivato e nascosto"). A pack that makes split payment editable there lets the
  automatic conditions set it when the invoice is saved and again at its approval
  (`cassa.engine.taxes.after_pricing`).
- It is already paid: the payment window refuses it and no money moves. Its approval
  writes one settlement row (`payments.kind = "receipt"`, the receipt's number as
  reference), so its payments add up to its total like any document's. It is not counted
  as sales again (its report figures carry the type `receipt_invoice`, outside
  `SALES_TYPES`), not sent to the RT printer (only receipts and their returns are), and
  under French integrity it is chained like any invoice and counted among the day's
  documents, without adding its value to the day's totals and the grand total again.
- A receipt is invoiced once: a second invoice is refused, naming the first, also when two
  tills approve one at the same time (checked again inside the approval's transaction).
- A receipt partly returned is invoiced for what is left, as a real POS does: the customer
  is entitled to an invoice for what they bought and kept, and an approved return cannot
  be undone. A receipt returned in full has nothing left and is refused. Once invoiced, a
  receipt is not returned any more: its goods come back through a return of the invoice
  (CQFV), the document the business customer holds (Poland: a correcting invoice, not a
  receipt's correction); a return opened before is refused at its approval.
- No receipt line is ever under reverse charge (such a receipt is refused), so none
  carries over; the document's flag, which a reverse-charge customer's receipt may hold,
  is off on the invoice.
- Buy-back lines stay out: a buy-back is a purchase from the customer, not a sale to
  invoice.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine.catalog import Customer, CustomerKind
from cassa.engine.documents import Document, DocumentStatus, DocumentType, SaleInputs
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.invoicing._lines import invoice_lines, same_lines
from cassa.engine.returns._lines import taken_back
from cassa.engine.storage.documents import document_in
from cassa.engine.storage.models import DocumentRow, PaymentRow
from cassa.engine.taxes import after_pricing, generated_flags, mechanisms
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = [
    "SETTLEMENT",
    "InvoiceCheck",
    "InvoicingDesk",
    "commit_invoice",
    "install",
    "invoice_of",
    "refuse_invoiced_receipt",
]

# The kind (and tender) of the payment row that settles an invoice of a receipt: the
# receipt's own payments pay it; its reference is the receipt's number.
SETTLEMENT = "receipt"


class InvoicingDesk:
    """Invoices of receipts at one till (`Till.invoicing`)."""

    def __init__(self, till: Till) -> None:
        self.till = till

    def from_receipt(self, number: str, customer: str | None = None) -> Document:
        """Open the invoice of the approved receipt numbered `number` for `customer` (by
        default the receipt's own); approve it with `till.approve()`."""
        till = self.till
        till._require_open_day()
        if till.current is not None and till.current.editable and till.current.lines:
            raise DocumentStateError(_("park, approve or discard the current document first"))
        receipt = till.documents.find_by_number(number)
        if receipt.type is not DocumentType.RECEIPT:
            raise InvalidInput(
                _(
                    "{number} is a {value}: only a receipt is invoiced afterwards",
                    number=number,
                    value=receipt.type.value,
                )
            )
        if receipt.status is not DocumentStatus.APPROVED:
            raise DocumentStateError(_("{number} is not approved", number=number))
        existing = invoice_of(till, receipt)
        if existing is not None:
            raise InvalidInput(
                _(
                    "{number} has already been invoiced: {existing}",
                    number=number,
                    existing=existing,
                )
            )
        buyer = _customer(till, receipt, customer)
        with till.database.session() as session:
            lines = invoice_lines(receipt, taken_back(session, receipt.id), till.currency)
        if not lines:
            raise InvalidInput(
                _(
                    "everything on {number} has been returned: nothing is left to invoice",
                    number=number,
                )
            )
        flags = generated_flags(mechanisms(till), receipt, DocumentType.INVOICE.value)
        invoice = Document(
            id=str(uuid.uuid4()),
            type=DocumentType.INVOICE,
            store=till.store.code,
            till=till.code,
            currency=receipt.currency,
            direction=receipt.direction,  # the receipt's amounts, to the cent (see above)
            created_at=till.now(),
            operator=till.operator,
            customer=buyer.code,
            lines=lines,
            reverse_charge=flags.reverse_charge,
            split_payment=flags.split_payment,
            split_payment_manual=flags.split_payment,
            origin_id=receipt.id,
            origin_number=receipt.number,
        )
        return till._commit(invoice)

    def receipt(self) -> Document:
        """The receipt the open invoice comes from."""
        document = self.till.document()
        if not document.paid_by_origin or document.origin_id is None:
            raise DocumentStateError(_("the open document is not an invoice of a receipt"))
        return self.till.documents.load(document.origin_id)


def _customer(till: Till, receipt: Document, code: str | None) -> Customer:
    """The invoice's customer: a business with a VAT number; the business the receipt was
    sold to, when it names one (a retail customer on it, a loyalty card, may ask for an
    invoice to their company)."""
    sold_to = till.catalog.find_customer(receipt.customer)
    code = code or receipt.customer
    if code is None:
        raise InvalidInput(_("an invoice needs a customer: choose one"))
    if sold_to is not None and sold_to.kind is CustomerKind.BUSINESS and code != sold_to.code:
        raise InvalidInput(
            _(
                "{number} was sold to customer {code}: its invoice is for them",
                number=receipt.number,
                code=sold_to.code,
            )
        )
    customer = till.catalog.customer(code)
    if customer.kind is not CustomerKind.BUSINESS or not customer.vat_number:
        raise InvalidInput(
            _(
                "customer {code} is not a business with a VAT number: a "
                "receipt is invoiced to a business customer",
                code=code,
            )
        )
    return customer


def invoice_of(till: Till, receipt: Document) -> str | None:
    """The number of the approved invoice of `receipt`, if it has one."""
    with till.database.session() as session:
        return _invoice_of(session, receipt.id)


def _invoice_of(session: Session, receipt_id: str, excluding: str | None = None) -> str | None:
    query = select(DocumentRow.number).where(
        DocumentRow.origin_id == receipt_id,
        DocumentRow.doc_type == DocumentType.INVOICE.value,
        DocumentRow.status == DocumentStatus.APPROVED.value,
    )
    if excluding is not None:
        query = query.where(DocumentRow.id != excluding)
    return session.scalars(query.limit(1)).first()


def refuse_invoiced_receipt(till: Till, original: Document) -> None:
    """A receipt with an invoice is not returned: the invoice is returned instead."""
    if original.type is not DocumentType.RECEIPT:
        return
    invoice = invoice_of(till, original)
    if invoice is not None:
        raise InvalidInput(_invoiced(original.number, invoice))


def _invoiced(receipt: str | None, invoice: str) -> str:
    return (
        f"{receipt} has been invoiced on {invoice}: its goods come back through a return "
        f"of {invoice}"
    )


def commit_invoice(till: Till, document: Document) -> Document:
    """Store an invoice of a receipt as it is (`Till._commit` for it): never re-priced, its
    lines what is left of the receipt, its customer and flags as generated."""
    receipt = till.documents.load(document.origin_id or "")
    if receipt.type is not DocumentType.RECEIPT or document.type is not DocumentType.INVOICE:
        raise InvalidInput(
            _(
                "a {value} generated from a {value2} is not issued here",
                value=document.type.value,
                value2=receipt.type.value,
            )
        )
    if document.inputs != SaleInputs():
        raise InvalidInput(
            _(
                "an invoice of {number} takes the receipt's prices and "
                "discounts: coupons, promotions and discounts cannot be "
                "added to it",
                number=receipt.number,
            )
        )
    previous = till.current if till.current is not None and till.current.id == document.id else None
    if previous is not None and document.customer != previous.customer:
        raise InvalidInput(
            _(
                "this invoice of {number} is for customer {customer}: "
                "discard it and invoice the receipt again for another "
                "customer",
                number=receipt.number,
                customer=previous.customer,
            )
        )
    flags = generated_flags(mechanisms(till), receipt, document.type.value)
    if document.reverse_charge != flags.reverse_charge and not flags.reverse_charge_editable:
        raise InvalidInput(
            _(
                "reverse charge cannot be selected on an invoice of a receipt ({number})",
                number=receipt.number,
            )
        )
    if document.split_payment != flags.split_payment and not flags.split_payment_editable:
        raise InvalidInput(
            _(
                "split payment is off on an invoice of a receipt ({number}) and cannot be changed",
                number=receipt.number,
            )
        )
    with till.database.session() as session:
        wanted = invoice_lines(receipt, taken_back(session, receipt.id), till.currency)
    if not same_lines(document.lines, wanted):
        if previous is not None and not same_lines(document.lines, previous.lines):
            raise InvalidInput(
                _(
                    "the lines of an invoice of a receipt are those of {number}, "
                    "as sold: they cannot be changed",
                    number=receipt.number,
                )
            )
        raise DocumentStateError(_changed(receipt.number))
    document = after_pricing(till, document)  # split payment, as the pack's rule allows
    till.documents.save(document)
    till.current = document
    till.messages = []
    return document


def _changed(receipt: str | None) -> str:
    return (
        f"{receipt} changed since this invoice was opened (a return was approved): "
        "discard it and invoice the receipt again"
    )


# -- inside the approval's transaction ------------------------------------------------------
class InvoiceCheck:
    """An approval hook: an invoice of a receipt is checked again where it is approved (the
    receipt approved, not invoiced by another till meanwhile, nothing returned since) and
    its settlement by the receipt is written; a receipt's return is refused once the receipt
    has an invoice."""

    def __init__(self, till: Till) -> None:
        self.till = till

    def __call__(self, session: Session, document_id: str) -> None:
        found = session.execute(
            select(DocumentRow.doc_type, DocumentRow.origin_id).where(DocumentRow.id == document_id)
        ).one_or_none()
        if found is None or found.origin_id is None:
            return
        if found.doc_type not in (DocumentType.INVOICE.value, DocumentType.RECEIPT_RETURN.value):
            return
        origin = session.execute(
            select(DocumentRow.doc_type, DocumentRow.status, DocumentRow.number)
            .where(DocumentRow.id == found.origin_id)
            .with_for_update()  # PostgreSQL: one invoice or return of a receipt at a time
        ).one_or_none()
        if origin is None or origin.doc_type != DocumentType.RECEIPT.value:
            return
        invoice = _invoice_of(session, found.origin_id, excluding=document_id)
        if found.doc_type == DocumentType.RECEIPT_RETURN.value:
            if invoice is not None:
                raise InvalidInput(_invoiced(origin.number, invoice))
            return
        if origin.status != DocumentStatus.APPROVED.value:
            raise DocumentStateError(_("{number} is not approved", number=origin.number))
        if invoice is not None:
            raise InvalidInput(
                _(
                    "{number} has already been invoiced: {invoice}",
                    number=origin.number,
                    invoice=invoice,
                )
            )
        document = document_in(session, document_id)
        receipt = document_in(session, found.origin_id)
        wanted = invoice_lines(receipt, taken_back(session, receipt.id), self.till.currency)
        if not same_lines(document.lines, wanted):
            raise DocumentStateError(_changed(receipt.number))
        self._settle(session, document, receipt)

    def _settle(self, session: Session, invoice: Document, receipt: Document) -> None:
        """The receipt's payments pay the invoice: one row for its total, no money moved."""
        from cassa.engine.cash._ledger import open_shift_row, require_open_day

        till = self.till
        day = require_open_day(session, invoice.till)
        shift = open_shift_row(session, invoice.operator)
        total = invoice.totals(till.currency).total
        at = invoice.approved_at or till.now()
        session.add(
            PaymentRow(
                id=str(uuid.uuid4()),
                document_id=invoice.id,
                position=1,
                kind=SETTLEMENT,
                tender=SETTLEMENT,
                tender_type=SETTLEMENT,
                currency=invoice.currency,
                amount=total,
                rate=Decimal(1),
                amount_system=total,
                reference=receipt.number,
                detail=json.dumps({"receipt_id": receipt.id}),
                store=invoice.store,
                till=invoice.till,
                day_id=day.id,
                shift_id=shift.id if shift is not None else None,
                business_date=at.astimezone(till.timezone).date(),
                at=at,
                operator=invoice.operator,
            )
        )


def install(till: Till) -> None:
    """Attach the check to the till's approvals (once)."""
    hooks = till.documents.approval_hooks
    if not any(isinstance(hook, InvoiceCheck) for hook in hooks):
        hooks.append(InvoiceCheck(till))
