"""Offers and orders read back from the database, with their progress and deposits."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine.documents import Document, DocumentType
from cassa.engine.orders._book import (
    OrderState,
    deposits_of,
    moved,
)
from cassa.engine.orders._lines import Progress
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import document_in
from cassa.engine.storage.models import OrderRow

if TYPE_CHECKING:
    pass

from cassa.engine.orders._context import Order, _date

__all__ = ["find_orders", "read_order"]


# -- reading ------------------------------------------------------------------------------
def read_order(session: Session, row: OrderRow) -> Order:
    document = document_in(session, row.document_id)
    return Order(
        document=document,
        state=row.state,
        lines=progress_of(session, document),
        deposits=deposits_of(session, row.document_id),
        source_id=row.source_id,
        version=row.version,
    )


def progress_of(session: Session, document: Document) -> list[Progress]:
    from cassa.engine.orders._lines import progress

    return progress(
        document, moved(session, document.id, "fulfilled"), moved(session, document.id, "cancelled")
    )


def find_orders(
    database: Database,
    *,
    number: str | None = None,
    customer: str | None = None,
    day: date | str | None = None,
    state: str | None = None,
    kind: str | None = None,
    store: str | None = None,
) -> list[Order]:
    query = select(OrderRow)
    if number:
        query = query.where(OrderRow.number.contains(number.strip()))
    if customer:
        query = query.where(OrderRow.customer == customer.strip())
    if state == "active":
        query = query.where(OrderRow.state.in_(OrderState.ACTIVE))
    elif state:
        query = query.where(OrderRow.state == state)
    if kind:
        query = query.where(OrderRow.kind == DocumentType(kind).value)
    if store:
        query = query.where(OrderRow.store == store)
    wanted = _date(day) if day is not None else None
    with database.session() as session:
        rows = session.scalars(query.order_by(OrderRow.opened_at, OrderRow.number)).all()
        found = [read_order(session, row) for row in rows]
    if wanted is not None:
        found = [
            o
            for o in found
            if wanted
            in (o.document.expected_date, (o.document.approved_at or o.document.created_at).date())
        ]
    return found
