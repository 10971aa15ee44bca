"""A document as plain receipt text, the same content the printer layouts carry."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cassa.engine.country import CountrySettings
from cassa.engine.documents import Document, DocumentTotals, DocumentType, total_quantity
from cassa.i18n import Text, _, _p, translate

__all__ = ["WORDS", "ReceiptHeader", "render_receipt"]

# The words printed on paper (receipts, slips, the printer's layouts), by key.
WORDS: dict[str, Text] = {
    "receipt": _("SALES RECEIPT"),
    "invoice": _("INVOICE"),
    "debit_note": _("DEBIT NOTE"),
    "receipt_return": _("RETURN of receipt"),
    "invoice_return": _("RETURN of invoice"),
    "manual_correction": _("MANUAL CORRECTION"),
    "dated": _("of"),
    "paid_by": _("For receipt {number} of {day}, already paid"),
    "refund": _("Paid back to the customer"),
    "cash_in": _("CASH IN"),
    "cash_out": _("CASH OUT"),
    "shift_closing": _("SHIFT CLOSING"),
    "report": _("REPORT"),
    "total": _("TOTAL"),
    "of_which_vat": _("of which VAT"),
    "vat": _("VAT"),
    "net": _("net"),
    "tax": _("tax"),
    "quantity": _("Total quantity"),
    "operator": _("Operator"),
    "customer": _("Customer"),
    "vat_number": _("VAT no."),
    "draft": _("NOT VALID - DRAFT"),
    "discount": _("discount"),
    "discounts": _("Discounts applied"),
    "duplicate": _("DUPLICATE"),
    "copy": _("copy no."),
    "payments": _("Payments"),
    "change": _("Change"),
    "till": _("Till"),
    "amount": _("Amount"),
    "reason": _("Reason"),
    "expected": _("expected"),
    "counted": _("counted"),
    "difference": _("difference"),
    "opened": _("Opened"),
    "closed": _p("closed", "Closed"),
    "opening_float": _("Opening float"),
    "documents": _("Documents issued"),
    "sales": _("Sales"),
    "withdrawal": _("End of shift withdrawal"),
    "signature": _("Signature"),
    "cash": _("Cash"),
    "card": _("Card"),
    "cheque": _("Cheque"),
    "voucher": _("Voucher"),
    "gift_card": _("Gift card"),
    "bank_transfer": _("Bank transfer"),
}


@dataclass(frozen=True)
class ReceiptHeader:
    name: str
    address: str
    vat_number: str
    timezone: str = "UTC"


def _both(left: str, right: str, width: int) -> str:
    space = max(1, width - len(left) - len(right))
    return f"{left}{' ' * space}{right}"[: max(width, len(left) + 1 + len(right))]


def render_receipt(
    document: Document,
    totals: DocumentTotals,
    country: CountrySettings,
    header: ReceiptHeader,
    *,
    width: int = 42,
    customer_line: str | None = None,
    mentions: Sequence[str] = (),
    origin_at: datetime | None = None,
) -> str:
    """The document as text; `mentions` are what a country pack prints (reverse charge,
    split payment: `Till.taxes.mentions`); a return names its original, dated `origin_at`
    when given."""
    language = country.receipt_locale
    words = {key: translate(text, language) for key, text in WORDS.items()}
    currency = country.currency
    amount = currency.format
    rule = "-" * width
    out = [header.name.center(width), header.address.center(width)]
    if header.vat_number:
        out.append(f"{words['vat_number']} {header.vat_number}".center(width))
    declared = country.documents.get(document.type.value)
    own_title = declared.title_text() if declared is not None else None
    title = words[document.type]
    if own_title is not None:  # the country's own title, as it is
        title = translate(own_title, language)
    elif document.type is DocumentType.MANUAL_CORRECTION and document.origin_number:
        title += f" {document.origin_number}"  # what a sale bought back (cassa.engine.buyback)
    elif document.type.is_return and document.origin_number:
        title += f" {document.origin_number}"
        if origin_at is not None:
            day = origin_at.astimezone(ZoneInfo(header.timezone)).strftime("%d/%m/%Y")
            title += f" {words['dated']} {day}"
    out.append(rule)
    out.extend(piece.center(width) for piece in textwrap.wrap(title, width))
    if not document.number:
        out.append(str(words["draft"]).center(width))
    if customer_line:
        out.append(f"{words['customer']}: {customer_line}")
    out.append(rule)
    for t in totals.lines:
        line = t.line
        vat_label = f"{line.vat_code}%" if _is_number(line.vat_code) else line.vat_code
        out.append(_both(line.name[: width - 8], vat_label, width))
        if line.lot_properties:  # the lot sold: "Colore: Beige"
            shown = ", ".join(f"{name}: {value}" for name, value in line.lot_properties)
            out.append(f"  {shown}"[:width])
        if line.base_unit and line.base_unit != line.unit:
            shown = f"{_plain(line.quantity)} {line.unit}"
            quantity = f"{_plain(line.base_quantity)} {line.base_unit} ({shown})"
        else:
            quantity = f"{_plain(line.quantity)} {line.unit}"
        unit_price = currency.format(line.list_price)
        out.append(_both(f"  {quantity} x {unit_price}", amount(t.gross_amount), width))
        for adjustment in line.adjustments:
            label = adjustment.label or str(words["discount"])
            # a return's discounts are negative: they come back as a plus
            out.append(_both(f"    {label}", amount(-adjustment.amount), width))
        if line.note:
            out.append(f"    {line.note}"[:width])
    out.append(rule)
    out.append(_both(f"{words['total']} {currency.code}", amount(totals.total), width))
    out.append(_both(f"{words['of_which_vat']}", amount(totals.vat_total), width))
    for summary in totals.vat:
        label = f"{words['vat']} {summary.rate.code}" + (
            "%" if _is_number(summary.rate.code) else ""
        )
        out.append(
            _both(
                label,
                f"{words['net']} {amount(summary.net)}  {words['tax']} {amount(summary.vat)}",
                width,
            )
        )
    legal = [translate(m, language) for m in declared.mention_texts()] if declared else []
    for mention in (*mentions, *legal):
        out.extend(textwrap.wrap(mention, width))
    out.append(rule)
    counted = totals.total_quantity
    if document.type.is_return:  # the seeds' count leaves negative quantities out
        counted = -total_quantity([ln.with_changes(quantity=-ln.quantity) for ln in document.lines])
    out.append(f"{words['quantity']}: {counted}")
    moment = (document.approved_at or document.created_at).astimezone(ZoneInfo(header.timezone))
    out.append(_both(document.number or "", moment.strftime("%d/%m/%Y %H:%M"), width))
    out.append(f"{words['operator']}: {document.operator}")
    return "\n".join(out) + "\n"


def _plain(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
