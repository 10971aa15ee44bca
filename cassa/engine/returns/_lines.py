"""What a return may take back from its original, and the return lines themselves.

A return line mirrors one line of the original at a negative quantity: the same
list price, VAT and flags, and the original's discounts in proportion. The line
that takes back the last units of an original line takes exactly what the
earlier returns left of its discounts, so the returns of a line never add up to
more (or less) discount than was given.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine.documents import Adjustment, Document, DocumentStatus, DocumentType, Line
from cassa.engine.errors import InvalidInput
from cassa.engine.money import Currency
from cassa.engine.storage.models import DocumentLineRow, DocumentRow
from cassa.i18n import _

__all__ = ["Returnable", "Taken", "check_lines", "return_line", "returnable", "taken_back"]

# What approved returns took back of one original line: (quantity, base quantity,
# discounts) of each return line, positive as on the original.
TakenBack = list[tuple[Decimal, Decimal, tuple[Adjustment, ...]]]
Taken = dict[str, TakenBack]  # by original line id

STORED = Decimal("0.000001")  # the places storage keeps (ExactDecimal)

# Fields a return line keeps exactly as on the original line.
MIRRORED = (
    "sku",
    "name",
    "item_type",
    "group",
    "unit",
    "unit_precision",
    "base_unit",
    "list_price",
    "vat_code",
    "vat_percent",
    "price_source",
    "lot",  # the lot sold comes back
    "lot_properties",
)


@dataclass(frozen=True)
class Returnable:
    """One line of the original and how much of it a return may still take back."""

    position: int  # on the original, 1-based
    line: Line
    returned: Decimal  # taken back by approved returns, in the line's unit

    @property
    def sold(self) -> Decimal:
        return self.line.quantity

    @property
    def left(self) -> Decimal:
        return self.sold - self.returned


def taken_back(session: Session, original_id: str, *, excluding: str | None = None) -> Taken:
    """Per original line: (quantity, base quantity, adjustments) of each approved return
    line, positive, as the returns stored them."""
    query = (
        select(
            DocumentLineRow.origin_line,
            DocumentLineRow.quantity,
            DocumentLineRow.base_quantity,
            DocumentLineRow.adjustments,
        )
        .join(DocumentRow, DocumentRow.id == DocumentLineRow.document_id)
        .where(
            DocumentRow.origin_id == original_id,
            DocumentRow.status == DocumentStatus.APPROVED.value,
            # returns only: an invoice of a receipt names the receipt's lines too
            DocumentRow.doc_type.in_([kind.value for kind in DocumentType if kind.is_return]),
            DocumentLineRow.origin_line.is_not(None),
        )
    )
    if excluding is not None:
        query = query.where(DocumentRow.id != excluding)
    found: Taken = {}
    for origin, quantity, base, adjustments in session.execute(query):
        stored = (
            Adjustment(a["source"], a["kind"], -Decimal(a["amount"]), a.get("label", ""))
            for a in json.loads(adjustments)
        )
        found.setdefault(str(origin), []).append((-quantity, -base, tuple(stored)))
    return found


def returnable(original: Document, taken: Taken) -> list[Returnable]:
    return [
        Returnable(position, line, sum((q for q, _, _ in taken.get(line.id, ())), Decimal(0)))
        for position, line in enumerate(original.lines, 1)
    ]


def _negated(adjustments: Iterable[Adjustment]) -> list[Adjustment]:
    return [Adjustment(a.source, a.kind, -a.amount, a.label) for a in adjustments]


def return_line(
    original: Line,
    quantity: Decimal,
    earlier: TakenBack,
    *,
    currency: Currency,
    operator: str,
    reverse_charge: bool,
) -> Line:
    """The line taking back `quantity` (positive, in the original's unit) of `original`."""
    returned = sum((q for q, _, _ in earlier), Decimal(0))
    if quantity == original.quantity - returned:  # the last units: exactly what is left
        base = original.base_quantity - sum((b for _, b, _ in earlier), Decimal(0))
        left: dict[tuple[str, str, str], Decimal] = {}
        for a in original.adjustments:
            key = (a.source, a.kind, a.label)
            left[key] = left.get(key, Decimal(0)) + a.amount
        for _, _, given in earlier:
            for a in given:
                key = (a.source, a.kind, a.label)
                left[key] = left.get(key, Decimal(0)) - a.amount
        adjustments = [Adjustment(src, kind, v, label) for (src, kind, label), v in left.items()]
    else:
        share = quantity / original.quantity
        base = (
            quantity
            if original.base_quantity == original.quantity
            else (original.base_quantity * share).quantize(STORED)
        )
        adjustments = [
            Adjustment(a.source, a.kind, currency.round(a.amount * share), a.label)
            for a in original.adjustments
        ]
    return Line(
        id=uuid.uuid4().hex,
        **{name: getattr(original, name) for name in MIRRORED},
        quantity=-quantity,
        base_quantity=-base,
        discountable=original.discountable,
        adjustments=tuple(_negated(a for a in adjustments if a.amount)),
        handled_by=operator,
        reverse_charge=original.reverse_charge and reverse_charge,
        split_payment=original.split_payment,
        origin_line=original.id,
    )


def check_lines(
    document: Document,
    original: Document,
    taken: Taken,
) -> None:
    """Every line of the return takes back a line of its original, as sold, at most what
    the earlier returns left; raises InvalidInput saying which line and why."""
    by_id = {line.id: (position, line) for position, line in enumerate(original.lines, 1)}
    seen: set[str] = set()
    for position, line in enumerate(document.lines, 1):
        found = by_id.get(line.origin_line or "")
        if found is None:
            raise InvalidInput(
                _(
                    "line {position} ({name}) is not a line of {number}: a "
                    "return takes back lines of its original only (use the "
                    "return's take command)",
                    position=position,
                    name=line.name,
                    number=original.number,
                )
            )
        at, sold = found
        if line.origin_line in seen:
            raise InvalidInput(
                _("line {at} of {number} is on the return twice", at=at, number=original.number)
            )
        seen.add(sold.id)
        if any(getattr(line, name) != getattr(sold, name) for name in MIRRORED):
            raise InvalidInput(
                _(
                    "line {position} ({name}) of a return keeps the item, unit, "
                    "price and VAT of line {at} of {number}: they cannot be "
                    "changed",
                    position=position,
                    name=line.name,
                    at=at,
                    number=original.number,
                )
            )
        if line.reverse_charge != (sold.reverse_charge and document.reverse_charge):
            raise InvalidInput(
                _(
                    "line {position} ({name}) of a return keeps the reverse "
                    "charge of line {at} of {number}: it cannot be changed",
                    position=position,
                    name=line.name,
                    at=at,
                    number=original.number,
                )
            )
        returned = sum((q for q, _unit, _adjustments in taken.get(sold.id, ())), Decimal(0))
        left = sold.quantity - returned
        if line.quantity >= 0:
            raise InvalidInput(
                _(
                    "line {position} ({name}) of a return must take something back",
                    position=position,
                    name=line.name,
                )
            )
        if -line.quantity > left:
            raise InvalidInput(
                _(
                    "line {at} of {number} ({name}): only {left} {unit} can be "
                    "returned (sold {quantity}, already returned {returned}), "
                    "not {value}",
                    at=at,
                    number=original.number,
                    name=sold.name,
                    left=left,
                    unit=sold.unit,
                    quantity=sold.quantity,
                    returned=returned,
                    value=-line.quantity,
                )
            )
