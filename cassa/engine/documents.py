"""Sales documents: a header, lines, a lifecycle and computed totals.

The model is general: receipts, invoices, cash in/out, debit notes and returns
are `DocumentType`s over the same lines and lifecycle; a return records its
origin (the original document) and, on each line, the original line.
Lines are immutable values; an edit replaces a line, which also lets storage
write only the lines that changed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cassa.engine.catalog import ItemType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.money import Currency
from cassa.engine.tax import PriceDirection, VatRate, VatSummaryLine, vat_summary
from cassa.i18n import _

__all__ = [
    "Adjustment",
    "Document",
    "DocumentStatus",
    "DocumentTotals",
    "DocumentType",
    "Line",
    "LineTotals",
    "OperatorDiscount",
    "SaleInputs",
]


class DocumentType(StrEnum):
    RECEIPT = "receipt"
    INVOICE = "invoice"
    CASH_IN = "cash_in"  # versamento di cassa (VC): money into the drawer
    CASH_OUT = "cash_out"  # prelievo di cassa (PC): money out of the drawer
    DEBIT_NOTE = "debit_note"  # nota di addebito (NA): sells vouchers when so configured
    RECEIPT_RETURN = "receipt_return"  # correzione dello scontrino (CQS): a receipt's return
    INVOICE_RETURN = "invoice_return"  # correzione della fattura (CQFV): an invoice's return
    # correzione manuale della quantità: what a sale bought back from the customer (riacquisto)
    MANUAL_CORRECTION = "manual_correction"
    # Documents that turn into other documents (cassa.engine.orders): an offer (OV), a sales
    # order (OrV) fulfilled in parts by receipts and invoices, an advance invoice (FAV) for
    # a deposit on an order and its correction (CVFAV).
    OFFER = "offer"
    SALES_ORDER = "sales_order"
    ADVANCE_INVOICE = "advance_invoice"
    ADVANCE_INVOICE_CORRECTION = "advance_invoice_correction"

    @property
    def prefix(self) -> str:
        return _PREFIXES[self]

    @property
    def is_order(self) -> bool:
        """An offer or a sales order: priced as a sale, but no money changes hands."""
        return self in (DocumentType.OFFER, DocumentType.SALES_ORDER)

    @property
    def is_return(self) -> bool:
        return self in _RETURN_OF.values()

    def return_type(self) -> DocumentType | None:
        """The type of a return of a document of this type, None when it cannot be returned."""
        return _RETURN_OF.get(self)


_PREFIXES = {DocumentType.RECEIPT: "S", DocumentType.INVOICE: "FV"}
_PREFIXES |= {
    DocumentType.CASH_IN: "VC",
    DocumentType.CASH_OUT: "PC",
    DocumentType.DEBIT_NOTE: "NA",
    DocumentType.RECEIPT_RETURN: "CQS",
    DocumentType.INVOICE_RETURN: "CQFV",
    DocumentType.MANUAL_CORRECTION: "CM",
    DocumentType.OFFER: "OV",
    DocumentType.SALES_ORDER: "OrV",
    DocumentType.ADVANCE_INVOICE: "FAV",
    DocumentType.ADVANCE_INVOICE_CORRECTION: "CVFAV",
}
_RETURN_OF = {
    DocumentType.RECEIPT: DocumentType.RECEIPT_RETURN,
    DocumentType.INVOICE: DocumentType.INVOICE_RETURN,
    # an advance invoice's correction (CVFAV): a deposit refunded
    DocumentType.ADVANCE_INVOICE: DocumentType.ADVANCE_INVOICE_CORRECTION,
}


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    PARKED = "parked"
    APPROVED = "approved"
    DISCARDED = "discarded"


@dataclass(frozen=True)
class Adjustment:
    """A change of a line's value, positive for a discount, and who made it."""

    source: str  # rule id, or "operator:<username>"
    kind: str  # line_discount, header_discount, promotion, ...
    amount: Decimal
    label: str = ""


@dataclass(frozen=True)
class OperatorDiscount:
    """A discount typed by the operator: a percent, an amount, or a final unit price.
    `approved_by` names who let it exceed the operator's limit (a manager's approval)."""

    percent: Decimal | None = None
    amount: Decimal | None = None
    price: Decimal | None = None
    approved_by: str | None = None

    def as_json(self) -> dict[str, str]:
        found = {
            k: str(v)
            for k, v in (("percent", self.percent), ("amount", self.amount), ("price", self.price))
            if v is not None
        }
        if self.approved_by is not None:
            found["approved_by"] = self.approved_by
        return found

    @classmethod
    def of(cls, figures: dict[str, Decimal], approved_by: str | None = None) -> OperatorDiscount:
        return cls(
            percent=figures.get("percent"),
            amount=figures.get("amount"),
            price=figures.get("price"),
            approved_by=approved_by,
        )

    @classmethod
    def from_json(cls, data: dict[str, str]) -> OperatorDiscount:
        figures = {k: Decimal(v) for k, v in data.items() if k != "approved_by"}
        return cls.of(figures, data.get("approved_by"))


@dataclass(frozen=True)
class SaleInputs:
    """What the cashier entered that pricing depends on; stored with the document
    so a parked sale resumes priced the same way."""

    coupons: tuple[str, ...] = ()
    manual: tuple[str, ...] = ()  # manual promotions picked
    loyalty_card: str | None = None
    line_discounts: tuple[tuple[str, OperatorDiscount], ...] = ()  # (line id, discount)
    header_discount: OperatorDiscount | None = None

    def line_discount(self, line_id: str) -> OperatorDiscount | None:
        return dict(self.line_discounts).get(line_id)

    def as_json(self) -> dict[str, object]:
        return {
            "coupons": list(self.coupons),
            "manual": list(self.manual),
            "loyalty_card": self.loyalty_card,
            "line_discounts": {line_id: d.as_json() for line_id, d in self.line_discounts},
            "header_discount": self.header_discount.as_json() if self.header_discount else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SaleInputs:
        lines = data.get("line_discounts") or {}
        header = data.get("header_discount")
        assert isinstance(lines, dict)
        return cls(
            coupons=tuple(data.get("coupons") or ()),  # type: ignore[arg-type]
            manual=tuple(data.get("manual") or ()),  # type: ignore[arg-type]
            loyalty_card=data.get("loyalty_card"),  # type: ignore[arg-type]
            line_discounts=tuple((k, OperatorDiscount.from_json(v)) for k, v in lines.items()),
            header_discount=OperatorDiscount.from_json(header)
            if isinstance(header, dict)
            else None,
        )


@dataclass(frozen=True)
class Line:
    id: str
    sku: str | None  # None for a non-coded item sold by description and price
    name: str
    item_type: ItemType
    group: str | None
    unit: str
    unit_precision: int
    quantity: Decimal  # in `unit`
    base_quantity: Decimal  # in the item's base unit; prices are per base unit
    list_price: Decimal  # per base unit, in the document's direction
    vat_code: str
    vat_percent: Decimal
    discountable: bool = True
    adjustments: tuple[Adjustment, ...] = ()
    note: str = ""
    handled_by: str | None = None
    returned: bool = False  # corrected/returned in an exchange
    price_source: str = "item"
    base_unit: str = ""  # the item's base unit when `unit` is an additional one
    # Country packs (cassa.engine.taxes): the line is under reverse charge (its VAT is the
    # pack's reverse-charge rate); its item is subject to split payment (from master data).
    reverse_charge: bool = False
    split_payment: bool = False
    origin_line: str | None = None  # the original line a return takes back (or an invoice copies)
    # The item's lot sold (seed: lotto) and its property values as sold, so a reprint shows
    # them even after the catalog changed: (("Colore", "Beige"),).
    lot: str | None = None
    lot_properties: tuple[tuple[str, str], ...] = ()
    # The set a component line belongs to (seed "Gestione dei set"): the lines of one set
    # inserted with its components share it; they are changed and deleted together.
    set_group: str | None = None

    def with_changes(self, **changes: object) -> Line:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LineTotals:
    line: Line
    gross_amount: Decimal  # list price x quantity, rounded
    discount: Decimal
    value: Decimal  # what the customer pays for the line, in the document's direction
    price: Decimal  # value per unit of `line.unit`, rounded for display


@dataclass(frozen=True)
class DocumentTotals:
    lines: list[LineTotals]
    total: Decimal  # gross: what the customer pays
    net_total: Decimal
    vat_total: Decimal
    discount_total: Decimal
    vat: list[VatSummaryLine]
    total_quantity: Decimal
    cash_total: Decimal  # total after the currency's cash rounding


@dataclass
class Document:
    id: str
    type: DocumentType
    store: str
    till: str
    currency: str
    direction: PriceDirection
    created_at: datetime
    operator: str
    status: DocumentStatus = DocumentStatus.DRAFT
    customer: str | None = None
    lines: list[Line] = field(default_factory=list)
    number: str | None = None
    year: int | None = None
    sequence: int | None = None
    approved_at: datetime | None = None
    note: str = ""
    inputs: SaleInputs = field(default_factory=SaleInputs)
    # Country packs (cassa.engine.taxes): reverse charge (inversione contabile) and split
    # payment (scissione dei pagamenti), set by the operator (`split_payment_manual`) or
    # automatically when the pack's conditions hold.
    reverse_charge: bool = False
    split_payment: bool = False
    split_payment_manual: bool = False
    # A document generated from another (a return from the receipt or invoice it corrects,
    # an invoice from its receipt): the original's id and number, kept so it can always be
    # traced to it.
    origin_id: str | None = None
    origin_number: str | None = None
    # Offers and sales orders (cassa.engine.orders): where and when the customer collects
    # the goods, and who receives them when not the customer.
    pickup_point: str | None = None
    expected_date: date | None = None
    recipient: str | None = None

    @property
    def editable(self) -> bool:
        return self.status in (DocumentStatus.DRAFT, DocumentStatus.PARKED)

    @property
    def origin_type(self) -> DocumentType | None:
        """The type of the document this one was generated from, read from the prefix of its
        number (every numbering begins with its type's letters: `S/T01/2026/000001`,
        `S2026-T01-000001`; cassa.engine.country)."""
        if self.origin_number is None:
            return None
        prefix = re.match(r"[A-Za-z]*", self.origin_number).group(0)  # type: ignore[union-attr]
        return next((kind for kind, p in _PREFIXES.items() if p == prefix), None)

    @property
    def paid_by_origin(self) -> bool:
        """An invoice of a receipt (cassa.engine.invoicing): the receipt's payments settle
        it and its value is the receipt's, so it is neither paid nor counted as sales again."""
        return self.type is DocumentType.INVOICE and self.origin_type is DocumentType.RECEIPT

    def split_off(
        self, kind: DocumentType, taken: Callable[[Line], bool], now: datetime
    ) -> tuple[Document, Document | None]:
        """This document without the lines `taken` selects, and a new document of `kind`
        issued with it that holds them (same line ids: the approval deletes them from this
        one first). With no line left, this document itself becomes of `kind`."""
        moved = [line for line in self.lines if taken(line)]
        if not moved:
            return self, None
        kept = [line for line in self.lines if not taken(line)]
        if not kept:
            return replace(self, type=kind, lines=list(self.lines)), None
        other = Document(
            id=str(uuid.uuid4()),
            type=kind,
            store=self.store,
            till=self.till,
            currency=self.currency,
            direction=self.direction,
            created_at=now,
            operator=self.operator,
            customer=self.customer,
            lines=moved,
        )
        return replace(self, lines=kept), other

    def ensure_editable(self) -> None:
        if not self.editable:
            label = self.number or self.id
            raise DocumentStateError(
                _(
                    "document {label} is {value} and cannot be changed",
                    label=label,
                    value=self.status.value,
                )
            )

    def line_at(self, position: int) -> Line:
        """The line at a 1-based position, as the till numbers them."""
        if not 1 <= position <= len(self.lines):
            raise InvalidInput(
                _(
                    "there is no line {position} (the document has {count} lines)",
                    position=position,
                    count=len(self.lines),
                )
            )
        return self.lines[position - 1]

    def replace_line(self, position: int, line: Line) -> None:
        self.ensure_editable()
        self.line_at(position)
        self.lines[position - 1] = line

    def totals(self, currency: Currency) -> DocumentTotals:
        return compute_totals(self, currency)


def line_totals(line: Line, currency: Currency) -> LineTotals:
    gross_amount = currency.round(line.list_price * line.base_quantity)
    discount = sum((a.amount for a in line.adjustments), Decimal(0))
    value = gross_amount - discount
    price = (
        currency.round(value / line.quantity) if line.quantity else currency.round(line.list_price)
    )
    return LineTotals(line, gross_amount, discount, value, price)


def total_quantity(lines: list[Line]) -> Decimal:
    """The seeds' "total quantity": every unit counted alike, shown with the
    largest precision among the lines' units; services, negative (buy-back)
    quantities and returned items are left out."""
    counted = [
        line
        for line in lines
        if line.item_type is not ItemType.SERVICE and line.quantity > 0 and not line.returned
    ]
    places = max((line.unit_precision for line in lines), default=0)
    total = sum((line.quantity for line in counted), Decimal(0))
    return total.quantize(Decimal(1).scaleb(-places))


def compute_totals(document: Document, currency: Currency) -> DocumentTotals:
    lines = [line_totals(line, currency) for line in document.lines]
    summary = vat_summary(
        ((VatRate(t.line.vat_code, t.line.vat_percent), t.value) for t in lines),
        document.direction,
        currency,
    )
    total = sum((s.gross for s in summary), Decimal(0))
    return DocumentTotals(
        lines=lines,
        total=total,
        net_total=sum((s.net for s in summary), Decimal(0)),
        vat_total=sum((s.vat for s in summary), Decimal(0)),
        discount_total=sum((t.discount for t in lines), Decimal(0)),
        vat=summary,
        total_quantity=total_quantity(document.lines),
        cash_total=currency.rounding.to_cash(total),
    )
