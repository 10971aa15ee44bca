"""The fiscal printer interface, and a sale as the fiscal printer records it.

A fiscal printer (the Italian RT, "registratore telematico") registers each
receipt in its fiscal memory and gives it a number inside the current daily
closure (Z). Cassa treats a document as fiscalized only when the printer
returned those numbers; any failure leaves it "fiscal pending" (see
`cassa.devices.fiscal.records`).

Errors say whether the outcome is known:
- `FiscalError(outcome_known=True)`: the printer refused or was not reached:
  nothing was registered, the document can be sent again;
- `FiscalError(outcome_known=False)`: the request left and no answer came
  (timeout, connection dropped): it may have been registered, so it is never
  resent automatically.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from cassa.devices.errors import DeviceError
from cassa.devices.printing.data import Payment
from cassa.engine.documents import Document, DocumentTotals, DocumentType
from cassa.engine.tax import PriceDirection
from cassa.i18n import Text, _

__all__ = [
    "FiscalAdjustment",
    "FiscalError",
    "FiscalItem",
    "FiscalPayment",
    "FiscalPrinter",
    "FiscalReceipt",
    "FiscalReference",
    "FiscalResult",
    "FiscalStatus",
    "ZReport",
    "fiscal_receipt",
]

CENT = Decimal("0.01")


class FiscalError(DeviceError):
    code = "fiscal"

    def __init__(self, message: str | Text, *, outcome_known: bool, device_code: str = "") -> None:
        super().__init__(message)
        self.outcome_known = outcome_known
        self.device_code = device_code


@dataclass(frozen=True)
class FiscalAdjustment:
    description: str
    amount: Decimal  # a discount, positive


@dataclass(frozen=True)
class FiscalItem:
    description: str
    quantity: Decimal
    unit_price: Decimal  # gross, VAT included
    vat_code: str
    adjustments: tuple[FiscalAdjustment, ...] = ()

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT) - sum(
            (a.amount for a in self.adjustments), Decimal(0)
        )


@dataclass(frozen=True)
class FiscalPayment:
    tender: str
    amount: Decimal


@dataclass(frozen=True)
class FiscalReference:
    """Where a document sits in a fiscal printer's memory: Z number, receipt number, day."""

    z_number: int
    fiscal_number: int
    day: date
    printer_serial: str

    def label(self) -> str:
        return f"{self.z_number:04d}-{self.fiscal_number:04d}"


@dataclass(frozen=True)
class FiscalReceipt:
    """A sale (or, with `refund_of`, a refund) as sent to the fiscal printer."""

    document_number: str
    items: tuple[FiscalItem, ...]
    payments: tuple[FiscalPayment, ...]
    total: Decimal
    refund_of: FiscalReference | None = None

    def to_json(self) -> str:
        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return json.dumps(plain(asdict(self)), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> FiscalReceipt:
        data = json.loads(text)
        reference = data.get("refund_of")
        return cls(
            document_number=data["document_number"],
            items=tuple(
                FiscalItem(
                    i["description"],
                    Decimal(i["quantity"]),
                    Decimal(i["unit_price"]),
                    i["vat_code"],
                    tuple(
                        FiscalAdjustment(a["description"], Decimal(a["amount"]))
                        for a in i["adjustments"]
                    ),
                )
                for i in data["items"]
            ),
            payments=tuple(
                FiscalPayment(p["tender"], Decimal(p["amount"])) for p in data["payments"]
            ),
            total=Decimal(data["total"]),
            refund_of=FiscalReference(
                reference["z_number"],
                reference["fiscal_number"],
                date.fromisoformat(reference["day"]),
                reference["printer_serial"],
            )
            if reference
            else None,
        )


@dataclass(frozen=True)
class FiscalResult:
    reference: FiscalReference
    amount: Decimal


@dataclass(frozen=True)
class ZReport:
    z_number: int
    receipts: int
    amount: Decimal


@dataclass(frozen=True)
class FiscalStatus:
    ready: bool
    detail: str
    printer_serial: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class FiscalPrinter(ABC):
    """A fiscal printer: register receipts and refunds, close the day, report status."""

    @abstractmethod
    def print_receipt(self, receipt: FiscalReceipt) -> FiscalResult:
        """Register a sale (or a refund when `receipt.refund_of` is set); raise FiscalError."""

    @abstractmethod
    def z_report(self) -> ZReport:
        """The daily closure: the fiscal memory closes the day and the Z number moves on."""

    @abstractmethod
    def status(self) -> FiscalStatus: ...


def fiscal_receipt(
    document: Document,
    totals: DocumentTotals,
    payments: Sequence[Payment] = (),
    *,
    refund_of: FiscalReference | None = None,
) -> FiscalReceipt:
    """The fiscal printer's view of an approved receipt.

    Each line goes with its real quantity and unit price when the printer's own
    quantity x price gives exactly the line's amount; otherwise (a price per kg
    times 2.235 kg, say) as one unit at the line's amount, with the quantity in
    the description, so the printer's total agrees with Cassa's to the cent.
    Without payments the whole total is registered as cash. A receipt's return goes as a
    refund of `refund_of`, in positive amounts, each line at its value after discounts
    (the printer's refund lines carry no discounts).
    """
    if document.type is DocumentType.RECEIPT_RETURN:
        if refund_of is None:
            raise FiscalError(
                _(
                    "a receipt's return is registered only as a refund of the "
                    "original's fiscal receipt: its reference is missing"
                ),
                outcome_known=True,
            )
    elif document.type is not DocumentType.RECEIPT:
        raise FiscalError(
            _("only receipts go to the fiscal printer, not a {value}", value=document.type.value),
            outcome_known=True,
        )
    if document.direction is not PriceDirection.GROSS:
        raise FiscalError(
            _("a fiscal receipt needs gross (VAT-included) prices"), outcome_known=True
        )
    if document.number is None:
        raise FiscalError(
            _("approve the document before sending it to the fiscal printer"), outcome_known=True
        )
    if refund_of is not None:
        return _refund(document.number, totals, payments, refund_of)
    items = []
    for t in totals.lines:
        line = t.line
        adjustments = tuple(
            FiscalAdjustment((a.label or "SCONTO")[:38], a.amount) for a in line.adjustments
        )
        exact = line.list_price * line.base_quantity
        if exact == t.gross_amount and line.base_quantity > 0:
            item = FiscalItem(
                line.name[:38], line.base_quantity, line.list_price, line.vat_code, adjustments
            )
        else:
            quantity = f"{line.base_quantity.normalize():f}"
            description = f"{line.name[:24]} {quantity}x{line.list_price}"[:38]
            item = FiscalItem(description, Decimal(1), t.gross_amount, line.vat_code, adjustments)
        items.append(item)
    paid = tuple(FiscalPayment(p.tender, p.amount) for p in payments) or (
        FiscalPayment("cash", totals.total),
    )
    return FiscalReceipt(document.number, tuple(items), paid, totals.total, refund_of)


def _refund(
    number: str,
    totals: DocumentTotals,
    payments: Sequence[Payment],
    refund_of: FiscalReference,
) -> FiscalReceipt:
    items = []
    for t in totals.lines:
        line = t.line
        quantity, value = abs(line.base_quantity), abs(t.value)
        price = (value / quantity).quantize(CENT) if quantity else value
        if quantity and price * quantity == value:
            item = FiscalItem(line.name[:38], quantity, price, line.vat_code)
        else:
            described = f"{line.name[:24]} {quantity.normalize():f}x{line.list_price}"[:38]
            item = FiscalItem(described, Decimal(1), value, line.vat_code)
        items.append(item)
    total = abs(totals.total)
    paid = tuple(FiscalPayment(p.tender, abs(p.amount)) for p in payments) or (
        FiscalPayment("cash", total),
    )
    return FiscalReceipt(number, tuple(items), paid, total, refund_of)
