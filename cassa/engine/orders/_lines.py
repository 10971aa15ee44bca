"""What an order still holds, line by line, and the lines of a document fulfilling it.

A fulfilment line mirrors a line of the order at a quantity no larger than what
remains: the same list price, VAT, lot and flags, and the order's discounts in
proportion (the seed's "copia della quantità dall'OrV": a smaller quantity keeps the
threshold and header discounts, never recalculated). The line taking the last units
of an order line takes exactly what earlier fulfilments left of its discounts, so an
order fulfilled in parts adds up to the order's value, to the cent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from cassa.engine.documents import Adjustment, Document, Line
from cassa.engine.errors import InvalidInput
from cassa.engine.money import Currency
from cassa.i18n import _

__all__ = [
    "MIRRORED",
    "OVER_ORDER",
    "Earlier",
    "Progress",
    "check_fulfilment",
    "fulfilment_line",
    "progress",
]

STORED = Decimal("0.000001")  # the places storage keeps (ExactDecimal)

# Seed (003, "Sconto di testata" and "Sconto di soglia"): the message refusing more than the
# order holds on a document generated from it.
OVER_ORDER = (
    "È stata bloccata la possibilità di impostare una quantità superiore alla quantità "
    "disponibile nell'ordine di vendita. L'articolo va aggiunto come una nuova voce"
)

# Fields a fulfilment line keeps exactly as on the order line.
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
    "lot",
    "lot_properties",
)

# What earlier fulfilments took of one order line: (quantity, base quantity, discounts).
Earlier = list[tuple[Decimal, Decimal, tuple[Adjustment, ...]]]


@dataclass(frozen=True)
class Progress:
    """One line of an order: ordered = fulfilled + cancelled + remaining."""

    position: int  # on the order, 1-based
    line: Line
    fulfilled: Decimal
    cancelled: Decimal

    @property
    def ordered(self) -> Decimal:
        return self.line.quantity

    @property
    def remaining(self) -> Decimal:
        return self.ordered - self.fulfilled - self.cancelled


def progress(
    order: Document, fulfilled: Mapping[str, Decimal], cancelled: Mapping[str, Decimal]
) -> list[Progress]:
    return [
        Progress(
            position,
            line,
            fulfilled.get(line.id, Decimal(0)),
            cancelled.get(line.id, Decimal(0)),
        )
        for position, line in enumerate(order.lines, 1)
    ]


def fulfilment_line(
    ordered: Line,
    quantity: Decimal,
    earlier: Earlier,
    *,
    currency: Currency,
    operator: str,
    reverse_charge: bool,
) -> Line:
    """The line delivering `quantity` of `ordered`. The one delivering the last of the
    ordered units takes exactly what is left of its base quantity and discounts."""
    if quantity + sum((q for q, _, _ in earlier), Decimal(0)) == ordered.quantity:
        base = ordered.base_quantity - sum((b for _, b, _ in earlier), Decimal(0))
        left: dict[tuple[str, str, str], Decimal] = {}
        for a in ordered.adjustments:
            key = (a.source, a.kind, a.label)
            left[key] = left.get(key, Decimal(0)) + a.amount
        for _, _, given in earlier:
            for a in given:
                key = (a.source, a.kind, a.label)
                left[key] = left.get(key, Decimal(0)) - a.amount
        adjustments = [Adjustment(src, kind, v, label) for (src, kind, label), v in left.items()]
    else:
        share = quantity / ordered.quantity
        base = _base(ordered, quantity)
        adjustments = [
            Adjustment(a.source, a.kind, currency.round(a.amount * share), a.label)
            for a in ordered.adjustments
        ]
    return Line(
        id=uuid.uuid4().hex,
        **{name: getattr(ordered, name) for name in MIRRORED},
        quantity=quantity,
        base_quantity=base,
        discountable=ordered.discountable,
        adjustments=tuple(a for a in adjustments if a.amount),
        handled_by=operator,
        reverse_charge=ordered.reverse_charge and reverse_charge,
        split_payment=ordered.split_payment,
        origin_line=ordered.id,
    )


def _base(ordered: Line, quantity: Decimal) -> Decimal:
    if ordered.base_quantity == ordered.quantity:
        return quantity
    return (ordered.base_quantity * quantity / ordered.quantity).quantize(STORED)


def check_fulfilment(
    lines: Iterable[Line], order: Document, remaining: Mapping[str, Decimal]
) -> None:
    """Every line naming an order line delivers it as ordered, at most what remains;
    raises InvalidInput saying which line and why (the seed's message above the order)."""
    by_id = {line.id: (position, line) for position, line in enumerate(order.lines, 1)}
    seen: set[str] = set()
    for position, line in enumerate(lines, 1):
        if line.origin_line is None:
            continue
        found = by_id.get(line.origin_line)
        if found is None:
            raise InvalidInput(
                _(
                    "line {position} ({name}) is not a line of {number}",
                    position=position,
                    name=line.name,
                    number=order.number,
                )
            )
        at, ordered = found
        if ordered.id in seen:
            raise InvalidInput(
                _("line {at} of {number} is on the document twice", at=at, number=order.number)
            )
        seen.add(ordered.id)
        if any(getattr(line, name) != getattr(ordered, name) for name in MIRRORED):
            raise InvalidInput(
                _(
                    "line {position} ({name}) keeps the item, unit, price and "
                    "VAT of line {at} of {number}: they cannot be changed",
                    position=position,
                    name=line.name,
                    at=at,
                    number=order.number,
                )
            )
        if line.quantity <= 0:
            raise InvalidInput(
                _(
                    "line {position} ({name}) must deliver something",
                    position=position,
                    name=line.name,
                )
            )
        if line.quantity > remaining.get(ordered.id, Decimal(0)):
            raise InvalidInput(OVER_ORDER)
