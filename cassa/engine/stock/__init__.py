"""Stock: warehouses per store, movements written with the documents that cause them, the
quantity on hand derived from them.

`_ledger`: movements and the levels they sum to (the only writer of both); `_sales`: the
approval hook booking a sale's, return's or buy-back's movements; `_desk`: on hand,
levels and movements of a till's store (`Till.stock`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cassa.engine.stock._context import StockContext
from cassa.engine.stock._desk import MovementRecord, StockDesk, Warehouse
from cassa.engine.stock._ledger import Level, Movement, book, levels, rebuilt_levels
from cassa.engine.stock._sales import Shortfall, StockHook, sale_movements

if TYPE_CHECKING:
    from cassa.engine.storage.documents import DocumentStore

__all__ = [
    "Level",
    "Movement",
    "MovementRecord",
    "Shortfall",
    "StockContext",
    "StockDesk",
    "StockHook",
    "Warehouse",
    "book",
    "install",
    "levels",
    "rebuilt_levels",
    "sale_movements",
]


def install(documents: DocumentStore) -> StockHook:
    """Book stock inside every approval of these documents (once)."""
    for hook in documents.approval_hooks:
        if isinstance(hook, StockHook):
            return hook
    hook = StockHook()
    documents.approval_hooks.append(hook)
    return hook
