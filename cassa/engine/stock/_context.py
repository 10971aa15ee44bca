"""What the stock desk needs of a till: its store, clock, operator, rules and permissions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cassa.engine.catalog import Catalog
    from cassa.engine.people import Grant
    from cassa.engine.rules.rulepack import RulePack
    from cassa.engine.storage.catalog import StoredStore
    from cassa.engine.storage.db import Database
    from cassa.engine.storage.documents import DocumentStore

__all__ = ["StockContext"]


class StockContext(Protocol):
    """A till as the stock desk sees it (`cassa.engine.till.Till` is one)."""

    database: Database
    store: StoredStore
    code: str  # the till's
    operator: str
    pack: RulePack
    catalog: Catalog
    documents: DocumentStore

    def now(self) -> datetime: ...

    def require(self, *permissions: str, what: str | None = None) -> Grant: ...
