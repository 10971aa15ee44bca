"""The document generated from an order: its lines, the deposit and its deductions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document, DocumentStatus, Line, SaleInputs
from cassa.engine.errors import InvalidInput
from cassa.engine.money import Currency
from cassa.engine.orders._book import (
    DEDUCTION,
    DEPOSIT,
    Deposit,
    deposits_of,
    earlier_of,
    moved,
)
from cassa.engine.orders._lines import check_fulfilment, fulfilment_line
from cassa.engine.taxes import after_pricing, generated_flags
from cassa.i18n import _, translate

if TYPE_CHECKING:
    pass

from cassa.engine.orders._context import Order, OrderContext, mechanisms_of

__all__ = ["commit_generated", "deduction_lines", "deposit_lines", "order_value"]


# -- the document generated from an order -------------------------------------------------
def commit_generated(till: OrderContext, document: Document) -> Document:
    """Store a document generated from an order (`Till._commit` for one): its lines naming
    order lines rebuilt from the order at their quantities (discounts in proportion, never
    recalculated), checked against what remains; other lines priced by the rules in force,
    alone; the deposits held deducted; then saved and shown."""
    assert document.origin_id is not None
    order = till.documents.load(document.origin_id)
    if document.customer != order.customer:
        raise InvalidInput(
            _("a document generated from {number} keeps its customer", number=order.number)
        )
    flags = generated_flags(mechanisms_of(till), order, document.type.value)
    if document.reverse_charge != flags.reverse_charge and not flags.reverse_charge_editable:
        raise InvalidInput(
            _(
                "the reverse charge of this document is copied from {number} and cannot be changed",
                number=order.number,
            )
        )
    if document.split_payment != flags.split_payment and not flags.split_payment_editable:
        raise InvalidInput(
            _(
                "the split payment of this document comes from {number} and cannot be changed",
                number=order.number,
            )
        )
    if any(line.price_source == DEPOSIT for line in document.lines):
        if any(line.price_source != DEPOSIT for line in document.lines):
            raise InvalidInput(_("a deposit document holds the deposit only"))
        return _show(till, document)
    with till.database.session() as session:
        fulfilled = moved(session, order.id, "fulfilled")
        cancelled = moved(session, order.id, "cancelled")
        earlier = earlier_of(session, order.id)
        deposits = [d for d in deposits_of(session, order.id) if d.held > 0]
        deducted = {d.id: _deducted_by_rate(session, d.id) for d in deposits}
    remaining = {
        line.id: line.quantity
        - fulfilled.get(line.id, Decimal(0))
        - cancelled.get(line.id, Decimal(0))
        for line in order.lines
    }
    ordered = {line.id: line for line in order.lines}
    kept = [line for line in document.lines if not line.price_source.startswith(DEDUCTION)]
    check_fulfilment(kept, order, remaining)
    new = [line for line in kept if line.origin_line is None]
    priced = {line.id: line for line in _priced_alone(till, document, new)}
    lines: list[Line] = []
    for line in kept:
        if line.origin_line is None:
            lines.append(priced[line.id])
            continue
        rebuilt = fulfilment_line(
            ordered[line.origin_line],
            line.quantity,
            earlier.get(line.origin_line, []),
            currency=till.currency,
            operator=line.handled_by or till.operator,
            reverse_charge=document.reverse_charge,
        )
        lines.append(rebuilt.with_changes(id=line.id))
    goods = replace(document, lines=lines)
    value = goods.totals(till.currency).total
    delivering = {line.origin_line: line.quantity for line in lines if line.origin_line}
    left = {key: remaining[key] - delivering.get(key, Decimal(0)) for key in remaining}
    held = sum((d.held for d in deposits), Decimal(0))
    if all(quantity <= 0 for quantity in left.values()):
        due = held  # the final document: every deposit held, whatever its value
    else:  # a part: only what the rest of the order no longer covers
        after = _value_left(order, left, till.currency)
        due = min(max(held - after, Decimal(0)), max(value, Decimal(0)))
    locale = till.country.receipt_locale
    lines += deduction_lines(deposits, deducted, due, till.currency, locale)
    return _show(till, replace(document, lines=lines))


def _value_left(order: Document, left: dict[str, Decimal], currency: Currency) -> Decimal:
    """The value of the order's units in `left` (by line id), in proportion."""
    value = Decimal(0)
    for totals in order.totals(currency).lines:
        line = totals.line
        if line.quantity > 0 and left.get(line.id, Decimal(0)) > 0:
            value += totals.value * left[line.id] / line.quantity
    return currency.round(value)


def _show(till: OrderContext, document: Document) -> Document:
    document = after_pricing(till, document)  # type: ignore[arg-type]
    till.documents.save(document)
    till.current = document
    till.messages = []
    return document


def _priced_alone(till: OrderContext, document: Document, lines: list[Line]) -> list[Line]:
    """Lines added to a generated document: the rules in force apply to them only."""
    if not lines:
        return []
    ids = {line.id for line in lines}
    alone = replace(
        document,
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, document.id)),
        lines=list(lines),
        inputs=SaleInputs(
            line_discounts=tuple((i, d) for i, d in document.inputs.line_discounts if i in ids)
        ),
        origin_id=None,
        origin_number=None,
    )
    priced = till.pricing.reprice(alone, till.now())
    till.pricing.forget(alone)
    return priced.lines


def _deducted_by_rate(session: Session, deposit_id: str) -> dict[str, Decimal]:
    from sqlalchemy import func

    from cassa.engine.storage.models import DocumentLineRow, DocumentRow

    rows = session.execute(
        select(DocumentLineRow.vat_code, func.sum(DocumentLineRow.value))
        .join(DocumentRow, DocumentRow.id == DocumentLineRow.document_id)
        .where(
            DocumentLineRow.price_source == DEDUCTION + deposit_id,
            DocumentRow.status == DocumentStatus.APPROVED.value,
        )
        .group_by(DocumentLineRow.vat_code)
    )
    return {str(code): -Decimal(total or 0) for code, total in rows}


def deduction_lines(
    deposits: Sequence[Deposit],
    deducted: dict[str, dict[str, Decimal]],
    amount: Decimal,
    currency: Currency,
    locale: str,
) -> list[Line]:
    """Negative lines deducting `amount` of the deposits held, oldest first: a deposit's
    last deduction takes exactly what is left of it per VAT rate, so it is deducted once,
    to the cent. A deposit is deducted from the order's final document, or from a part
    as far as the rest of the order would no longer cover the deposits held."""
    lines: list[Line] = []
    room = amount
    for deposit in deposits:
        if room <= 0:
            break
        left = deposit.held
        take = min(left, room)
        room -= take
        rates = [
            (code, percent, gross - deducted[deposit.id].get(code, Decimal(0)))
            for code, percent, gross in deposit.vat
        ]
        rates = [r for r in rates if r[2] != 0]
        shares: list[Decimal] = []
        for index, (_code, _percent, rest) in enumerate(rates):
            if take == left:
                shares.append(rest)
            elif index == len(rates) - 1:
                shares.append(take - sum(shares, Decimal(0)))
            else:
                shares.append(currency.round(take * rest / left))
        for (code, percent, _rest), share in zip(rates, shares, strict=True):
            if share == 0:
                continue
            lines.append(
                Line(
                    id=uuid.uuid4().hex,
                    sku=None,
                    name=translate(_("Deposit {number}", number=deposit.number), locale),
                    item_type=ItemType.SERVICE,
                    group=None,
                    unit="pz",
                    unit_precision=0,
                    quantity=Decimal(1),
                    base_quantity=Decimal(1),
                    list_price=-share,
                    vat_code=code,
                    vat_percent=percent,
                    discountable=False,
                    price_source=DEDUCTION + deposit.id,
                    base_unit="pz",
                )
            )
    return lines


def deposit_lines(
    order: Order, value: Decimal, currency: Currency, operator: str, locale: str
) -> list[Line]:
    """A deposit's lines: one per VAT rate of what remains on the order, in proportion
    (the last rate takes the remainder)."""
    by_rate: dict[tuple[str, Decimal], Decimal] = {}
    totals = order.document.totals(currency)
    for progress, line_totals in zip(order.lines, totals.lines, strict=True):
        if progress.remaining <= 0 or progress.ordered <= 0:
            continue
        key = (progress.line.vat_code, progress.line.vat_percent)
        share = line_totals.value * progress.remaining / progress.ordered
        by_rate[key] = by_rate.get(key, Decimal(0)) + share
    whole = sum(by_rate.values(), Decimal(0))
    if whole <= 0:
        raise InvalidInput(_("nothing remains to pay on order {number}", number=order.number))
    lines = []
    given = Decimal(0)
    rates = sorted(by_rate.items())
    for index, ((code, percent), part) in enumerate(rates):
        share = value - given if index == len(rates) - 1 else currency.round(value * part / whole)
        given += share
        lines.append(
            Line(
                id=uuid.uuid4().hex,
                sku=None,
                name=translate(_("Deposit on order {number}", number=order.number), locale),
                item_type=ItemType.SERVICE,
                group=None,
                unit="pz",
                unit_precision=0,
                quantity=Decimal(1),
                base_quantity=Decimal(1),
                list_price=share,
                vat_code=code,
                vat_percent=percent,
                discountable=False,
                handled_by=operator,
                price_source=DEPOSIT,
                base_unit="pz",
            )
        )
    return [line for line in lines if line.list_price != 0]


def order_value(
    order: Order, currency: Currency, cancelling: dict[str, Decimal] | None = None
) -> Decimal:
    """The value of what remains on an order (after `cancelling` these units)."""
    totals = order.document.totals(currency)
    value = Decimal(0)
    for progress, line_totals in zip(order.lines, totals.lines, strict=True):
        left = progress.remaining - (cancelling or {}).get(progress.line.id, Decimal(0))
        if progress.ordered > 0 and left > 0:
            value += line_totals.value * left / progress.ordered
    return currency.round(value)
