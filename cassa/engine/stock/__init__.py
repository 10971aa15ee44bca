"""Stock: warehouses per store, movements written with the documents that cause them, the
quantity on hand derived from them.

`_ledger`: movements and the levels they sum to (the only writer of both); `_sales`: the
approval hook booking a sale's, return's or buy-back's movements; `_desk`: on hand,
levels and movements of a till's store and its warehouse documents (`Till.stock`,
`_documents`); `_rules` and `_policy`: the pack's negative stock policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cassa.engine.stock._context import StockContext
from cassa.engine.stock._desk import MovementRecord, StockDesk, Warehouse
from cassa.engine.stock._documents import StockDocument, StockDocumentKind, StockLine
from cassa.engine.stock._ledger import Level, Movement, book, levels, rebuilt_levels
from cassa.engine.stock._policy import StockShortage, StockWarning, check_sale
from cassa.engine.stock._reports import ReorderRow, StockReport, StockRow, stock_report
from cassa.engine.stock._rules import NegativeStock, StockRules, stock_rules
from cassa.engine.stock._sales import Shortfall, StockHook, sale_movements
from cassa.engine.stock._sets import (
    SetComponentBlocked,
    SetDeletionAsked,
    component_changed,
    set_components,
)

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = [
    "Level",
    "Movement",
    "MovementRecord",
    "NegativeStock",
    "ReorderRow",
    "SetComponentBlocked",
    "SetDeletionAsked",
    "Shortfall",
    "StockContext",
    "StockDesk",
    "StockDocument",
    "StockDocumentKind",
    "StockHook",
    "StockLine",
    "StockReport",
    "StockRow",
    "StockRules",
    "StockShortage",
    "StockWarning",
    "Warehouse",
    "book",
    "check_sale",
    "component_changed",
    "install",
    "levels",
    "rebuilt_levels",
    "sale_movements",
    "set_components",
    "stock_report",
    "stock_rules",
]


def install(till: Till) -> None:
    """Book stock inside every approval of the till's documents (once), refusing what the
    pack's negative stock policy refuses."""
    hooks = till.documents.approval_hooks
    if not any(isinstance(hook, StockHook) for hook in hooks):
        from cassa.engine.stock._policy import refuse_shortfalls

        hooks.append(StockHook(check=lambda short: refuse_shortfalls(till, short)))
