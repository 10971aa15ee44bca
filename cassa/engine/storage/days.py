"""A till's business days: opened with a float, closed at the end of the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, update

from cassa.engine.errors import DocumentStateError
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import TillDayRow
from cassa.i18n import _

__all__ = ["TillDay", "TillDays"]


@dataclass(frozen=True)
class TillDay:
    id: int
    till: str
    business_date: date
    opened_at: datetime
    opened_by: str
    opening_float: Decimal


class TillDays:
    def __init__(self, database: Database) -> None:
        self.database = database

    def current(self, till: str) -> TillDay | None:
        with self.database.session() as session:
            row = session.scalar(
                select(TillDayRow).where(TillDayRow.till == till, TillDayRow.closed_at.is_(None))
            )
            return _day(row) if row else None

    def open(self, till: str, operator: str, opening_float: Decimal, now: datetime) -> TillDay:
        with self.database.session() as session, session.begin():
            if session.scalar(
                select(TillDayRow.id).where(TillDayRow.till == till, TillDayRow.closed_at.is_(None))
            ):
                raise DocumentStateError(_("the day is already open on till {till}", till=till))
            row = TillDayRow(
                till=till,
                business_date=now.date(),
                opened_at=now,
                opened_by=operator,
                opening_float=opening_float,
            )
            session.add(row)
            session.flush()
            return _day(row)

    def close(self, till: str, now: datetime) -> None:
        with self.database.session() as session, session.begin():
            closed = session.execute(
                update(TillDayRow)
                .where(TillDayRow.till == till, TillDayRow.closed_at.is_(None))
                .values(closed_at=now)
            ).rowcount  # type: ignore[attr-defined]
            if closed == 0:
                raise DocumentStateError(_("the day is not open on till {till}", till=till))


def _day(row: TillDayRow) -> TillDay:
    opened_at = aware(row.opened_at)
    assert opened_at is not None
    return TillDay(row.id, row.till, row.business_date, opened_at, row.opened_by, row.opening_float)
