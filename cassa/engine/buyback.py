"""Buy-back (seed: Gestione del riacquisto): what a sale buys back from the customer.

The cashier puts the bought-back items on the receipt or invoice as lines with a
negative quantity, lowering what the customer pays. On approval they leave it for
a manual correction (CM, seed: "documento di correzione manuale della quantità")
approved in the same transaction and naming the sale as its origin: the receipt
holds only what is sold, the correction what is bought back, and the payment
settles the difference once ("Il pagamento di entrambi i documenti viene
compensato"). A document of buy-back lines only is itself the correction.

Offers and sales orders show buy-back lines with a positive value (seed); Cassa
has neither document yet.
"""

from __future__ import annotations

from datetime import datetime

from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document, DocumentType, Line

__all__ = ["FISCAL_TENDER", "split_buy_back"]

# The tender under which the fiscal printer sees the part of a receipt settled by
# what was bought back (the sale's value and VAT stay whole on the receipt).
FISCAL_TENDER = "buy_back"

_SALES = (DocumentType.RECEIPT, DocumentType.INVOICE)


def split_buy_back(document: Document, now: datetime) -> tuple[Document, Document | None]:
    """The sale without its buy-back lines, and the manual correction holding them."""
    if document.type not in _SALES:
        return document, None
    return document.split_off(DocumentType.MANUAL_CORRECTION, _bought_back, now)


def _bought_back(line: Line) -> bool:
    return line.item_type is ItemType.BUY_BACK
