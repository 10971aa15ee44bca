"""What the order desk needs of a till, an order as read back, and small helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from cassa.engine import inputs
from cassa.engine.catalog import Catalog
from cassa.engine.country import CountrySettings
from cassa.engine.documents import Document, DocumentType, Line
from cassa.engine.errors import InvalidInput
from cassa.engine.messages import Message
from cassa.engine.money import Currency
from cassa.engine.orders._book import (
    DEDUCTION,
    Deposit,
    OrderState,
)
from cassa.engine.orders._lines import Progress
from cassa.engine.orders._settings import OrderSettings
from cassa.engine.rules.rulepack import RulePack
from cassa.engine.storage.catalog import StoredStore
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.taxes import TaxMechanisms
from cassa.i18n import Text, _

if TYPE_CHECKING:
    from cassa.engine.people import Grant
    from cassa.engine.pricing.session import SalePricing
    from cassa.engine.returns import ReturnDesk

__all__ = ["Order", "OrderContext", "mechanisms_of", "settings"]

NO_SETTINGS = OrderSettings()


class OrderContext(Protocol):
    """What the order desk needs of a till."""

    database: Database
    documents: DocumentStore
    pack: RulePack
    catalog: Catalog
    pricing: SalePricing
    code: str
    operator: str
    store: StoredStore
    current: Document | None
    messages: list[Message]

    @property
    def currency(self) -> Currency: ...
    @property
    def country(self) -> CountrySettings: ...
    @property
    def returns(self) -> ReturnDesk: ...
    def now(self) -> datetime: ...
    def require(self, *permissions: str, what: str | None = None) -> Grant: ...
    def new_document(self, doc_type: DocumentType | str = ...) -> Document: ...
    def document(self) -> Document: ...
    def _commit(self, document: Document) -> Document: ...
    def _require_open_day(self) -> None: ...
    def approve(self) -> Document: ...


@dataclass(frozen=True)
class Order:
    """An approved offer or order with what became of it."""

    document: Document
    state: str
    lines: list[Progress]
    deposits: list[Deposit]
    source_id: str | None  # an order's offer, an offer's order
    version: int

    @property
    def number(self) -> str:
        return self.document.number or ""

    @property
    def held(self) -> Decimal:
        return sum((d.held for d in self.deposits), Decimal(0))

    @property
    def active(self) -> bool:
        return self.state in OrderState.ACTIVE


def settings(context: OrderContext) -> OrderSettings:
    return context.pack.orders or NO_SETTINGS


def mechanisms_of(till: OrderContext) -> TaxMechanisms:
    return till.pack.taxes or TaxMechanisms()


def _at(order: Order, position: int) -> Progress:
    if not 1 <= position <= len(order.lines):
        raise InvalidInput(
            _(
                "{number} has no line {position} (it has {count} lines)",
                number=order.number,
                position=position,
                count=len(order.lines),
            )
        )
    return order.lines[position - 1]


def _slot(lines: list[Line]) -> int:
    """Where a delivered line goes: after the other delivered and new lines, before the
    deductions."""
    return next(
        (i for i, line in enumerate(lines) if line.price_source.startswith(DEDUCTION)), len(lines)
    )


def _draft_line(ordered: Line, quantity: Decimal) -> Line:
    return ordered.with_changes(id=uuid.uuid4().hex, origin_line=ordered.id, quantity=quantity)


def _quantity(value: object) -> Decimal:
    return inputs.quantity(value, negative=False)


def _amount(value: object, what: Text) -> Decimal:
    return inputs.amount(value, what)


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else inputs.day(value)
