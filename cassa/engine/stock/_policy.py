"""The pack's negative stock policy applied: a sale, issue or dispatch that would take an
item below zero is allowed, allowed with a warning, or refused, as its item group says.

A sale is checked twice: before the payment window opens (`check_sale`: a refusal comes
before any money moves, a warning is shown), and again inside the approval's transaction
(`StockHook`), where two tills selling the last units at once are told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document
from cassa.engine.errors import InvalidInput
from cassa.engine.messages import Message
from cassa.engine.stock._context import StockContext
from cassa.engine.stock._rules import NegativeStock, StockRules
from cassa.engine.stock._sales import STOCKED, Shortfall
from cassa.engine.storage.models import StockLevelRow, table_of
from cassa.engine.storefiles import FLOOR
from cassa.i18n import Text, _

__all__ = ["StockShortage", "StockWarning", "check_issue", "check_sale", "refuse_shortfalls"]

_LEVELS = table_of(StockLevelRow)


def _text(short: Shortfall) -> Text:
    return _(
        "Not enough stock of {name}: {on_hand} {unit} on hand in {warehouse}, {wanted} wanted",
        name=short.name,
        on_hand=short.on_hand,
        unit=short.unit,
        warehouse=short.warehouse,
        wanted=short.wanted,
    )


class StockShortage(InvalidInput):
    """A document refused by the negative stock policy."""

    code = "stock_shortage"

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        super().__init__(_text(shortfalls[0]))
        self.shortfalls = tuple(shortfalls)


class StockWarning(Message):
    """The warning of the `warn` policy, shown at the till."""

    def __init__(self, short: Shortfall) -> None:
        super().__init__("stock_warning", {"short": short})

    @property
    def text(self) -> Text:
        short = self.params["short"]
        assert isinstance(short, Shortfall)
        return _text(short)


def policy(context: StockContext, group: str | None) -> NegativeStock:
    rules = context.pack.stock or StockRules()
    return rules.negative(group, context.catalog.group_path)


def refuse_shortfalls(context: StockContext, shortfalls: Sequence[Shortfall]) -> None:
    refused = [s for s in shortfalls if policy(context, s.group) is NegativeStock.REFUSE]
    if refused:
        raise StockShortage(refused)


def check_issue(context: StockContext, taken: Sequence[tuple[Any, Decimal]]) -> None:
    """Refuse an issue or dispatch that takes a refusing group's item below zero."""
    short = [
        Shortfall(r.sku, r.name, r.group, r.lot, "", after + r.quantity, r.quantity, "")
        for r, after in taken
        if after < 0
    ]
    refuse_shortfalls(context, short)


def check_sale(context: StockContext, document: Document) -> list[StockWarning]:
    """Before the payment: raise StockShortage for a line the policy refuses, return the
    warnings of those it allows with a warning."""
    wanted: dict[tuple[str, str], Decimal] = {}
    lines: dict[tuple[str, str], Any] = {}
    for line in document.lines:
        if line.sku is None or line.item_type not in STOCKED or line.item_type is ItemType.VOUCHER:
            continue
        key = (line.sku, line.lot or "")
        wanted[key] = wanted.get(key, Decimal(0)) + line.base_quantity
        lines.setdefault(key, line)
    checked = {k: q for k, q in wanted.items() if q > 0}
    if not checked or (
        (context.pack.stock or StockRules()).default is NegativeStock.ALLOW
        and not (context.pack.stock and context.pack.stock.groups)
    ):
        return []
    held = _held(context, {sku for sku, _ in checked})
    short = []
    for key, quantity in checked.items():
        on_hand = held.get(key, Decimal(0))
        if on_hand - quantity < 0:
            line = lines[key]
            short.append(
                Shortfall(
                    key[0],
                    line.name,
                    line.group,
                    key[1],
                    FLOOR,
                    on_hand,
                    quantity,
                    line.base_unit or line.unit,
                )
            )
    refuse_shortfalls(context, short)
    return [StockWarning(s) for s in short if policy(context, s.group) is NegativeStock.WARN]


def _held(context: StockContext, skus: set[str]) -> dict[tuple[str, str], Decimal]:
    from sqlalchemy import select

    query = select(_LEVELS.c.sku, _LEVELS.c.lot, _LEVELS.c.quantity).where(
        _LEVELS.c.store == context.store.code,
        _LEVELS.c.warehouse == FLOOR,
        _LEVELS.c.sku.in_(skus),
    )
    with context.database.reader.connect() as connection:
        return {(s, lot): q for s, lot, q in connection.execute(query)}
