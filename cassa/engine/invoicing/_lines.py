"""The lines of a receipt's invoice: each line of the receipt as sold, less what its
approved returns took back.

A line never returned is copied as it is: item, unit, quantity, list price, discounts,
VAT and the item's split-payment flag. A line partly returned keeps what the returns left
of its quantity and of each of its discounts, and its value is exactly the line's value
less the returned values (a rounding adjustment of a cent catches the case where a price
times a fractional quantity rounds otherwise), so the invoice is worth what the customer
kept paid for. Lines returned in full and buy-back lines are left out.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import ColumnElement, and_

from cassa.engine.catalog import ItemType
from cassa.engine.documents import Adjustment, Document, DocumentType, Line, line_totals
from cassa.engine.money import Currency
from cassa.engine.returns._lines import Taken, TakenBack
from cassa.engine.storage.models import DocumentRow

__all__ = ["INVOICES_OF_RECEIPTS", "ROUNDING", "invoice_lines", "same_lines"]

# Rows of `documents` that are invoices of receipts (`Document.paid_by_origin` in SQL);
# never NULL, so its negation keeps every other document.
INVOICES_OF_RECEIPTS: ColumnElement[bool] = and_(
    DocumentRow.doc_type == DocumentType.INVOICE.value,
    DocumentRow.origin_number.is_not(None),
    DocumentRow.origin_number.like(f"{DocumentType.RECEIPT.prefix}/%"),
)
ROUNDING = Adjustment("returns", "rounding", Decimal(0), "what the returns left, to the cent")


def _left(sold: Line, earlier: TakenBack, currency: Currency) -> Line:
    """`sold` less what the returns took back of it (`earlier`, never empty)."""
    quantity = sold.quantity - sum((q for q, _, _ in earlier), Decimal(0))
    base = sold.base_quantity - sum((b for _, b, _ in earlier), Decimal(0))
    left: dict[tuple[str, str, str], Decimal] = {}
    for a in sold.adjustments:
        key = (a.source, a.kind, a.label)
        left[key] = left.get(key, Decimal(0)) + a.amount
    returned_value = Decimal(0)
    for _, taken_base, given in earlier:
        returned_value += currency.round(sold.list_price * taken_base)
        for a in given:
            key = (a.source, a.kind, a.label)
            left[key] = left.get(key, Decimal(0)) - a.amount
            returned_value -= a.amount
    adjustments = [Adjustment(s, k, v, label) for (s, k, label), v in left.items() if v]
    line = sold.with_changes(quantity=quantity, base_quantity=base, adjustments=tuple(adjustments))
    wanted = line_totals(sold, currency).value - returned_value
    off = line_totals(line, currency).value - wanted
    if off:
        adjustments.append(Adjustment(ROUNDING.source, ROUNDING.kind, off, ROUNDING.label))
        line = line.with_changes(adjustments=tuple(adjustments))
    return line


def invoice_lines(receipt: Document, taken: Taken, currency: Currency) -> list[Line]:
    """The invoice's lines: what is left of each line of `receipt` after the returns in
    `taken`, each naming the receipt's line (`origin_line`); never under reverse charge
    (a receipt has no such line, and the seed's invoice of a receipt cannot select it)."""
    lines = []
    for sold in receipt.lines:
        if sold.item_type is ItemType.BUY_BACK or sold.quantity <= 0:
            continue  # a purchase from the customer, not a sale to invoice
        earlier = taken.get(sold.id, [])
        if sum((q for q, _, _ in earlier), Decimal(0)) >= sold.quantity:
            continue  # returned in full
        line = _left(sold, earlier, currency) if earlier else sold
        lines.append(
            line.with_changes(id=uuid.uuid4().hex, reverse_charge=False, origin_line=sold.id)
        )
    return lines


def same_lines(lines: list[Line], wanted: list[Line]) -> bool:
    """The same lines in the same order, whatever their ids."""
    return len(lines) == len(wanted) and all(
        a.with_changes(id="") == b.with_changes(id="") for a, b in zip(lines, wanted, strict=True)
    )
