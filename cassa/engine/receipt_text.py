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

__all__ = ["ReceiptHeader", "render_receipt"]

_WORDS = {
    "it": {
        DocumentType.RECEIPT: "DOCUMENTO COMMERCIALE di vendita",
        DocumentType.INVOICE: "FATTURA",
        DocumentType.DEBIT_NOTE: "NOTA DI ADDEBITO",
        DocumentType.CASH_IN: "VERSAMENTO DI CASSA",
        DocumentType.CASH_OUT: "PRELIEVO DI CASSA",
        DocumentType.RECEIPT_RETURN: "RESO dello scontrino",
        DocumentType.INVOICE_RETURN: "RESO della fattura",
        "dated": "del",
        "total": "TOTALE",
        "of_which_vat": "di cui IVA",
        "vat": "IVA",
        "net": "imponibile",
        "tax": "imposta",
        "quantity": "Quantità totale",
        "operator": "Operatore",
        "customer": "Cliente",
        "vat_number": "P.IVA",
        "draft": "NON VALIDO - BOZZA",
        "discount": "sconto",
    },
    "en": {
        DocumentType.RECEIPT: "SALES RECEIPT",
        DocumentType.INVOICE: "INVOICE",
        DocumentType.DEBIT_NOTE: "DEBIT NOTE",
        DocumentType.CASH_IN: "CASH IN",
        DocumentType.CASH_OUT: "CASH OUT",
        DocumentType.RECEIPT_RETURN: "RETURN of receipt",
        DocumentType.INVOICE_RETURN: "RETURN of invoice",
        "dated": "of",
        "total": "TOTAL",
        "of_which_vat": "of which VAT",
        "vat": "VAT",
        "net": "net",
        "tax": "tax",
        "quantity": "Total quantity",
        "operator": "Operator",
        "customer": "Customer",
        "vat_number": "VAT no.",
        "draft": "NOT VALID - DRAFT",
        "discount": "discount",
    },
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
    words = _WORDS["it" if country.code == "IT" else "en"]
    currency = country.currency
    amount = currency.format
    rule = "-" * width
    out = [header.name.center(width), header.address.center(width)]
    if header.vat_number:
        out.append(f"{words['vat_number']} {header.vat_number}".center(width))
    title = str(words[document.type])
    if document.type.is_return and document.origin_number:
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
    for mention in mentions:
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
