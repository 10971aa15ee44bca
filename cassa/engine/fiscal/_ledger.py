"""The money link: every transaction that writes money ends with one, before it commits.

`MoneyLedger.of(database)` listens to the database's sessions: the rows of the money
tables (cassa.engine.fiscal._money) a flush writes are noted, and just before the
transaction commits they enter the chain of their till as one `money` link, after the
document link the same approval made. A till takes part once `watch(till)` named it
(`install`, where its pack keeps a chain); rows that name no till (a voucher issued in
the back office) go to the chain of the till watched first.

Rows written with Core statements are not seen here: money is written through the
ORM, and `verify` names any row of a chained till that no link stands for.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from sqlalchemy import bindparam, event, select, text
from sqlalchemy.orm import Session, UOWTransaction

from cassa.engine.fiscal._canonical import canonical_value
from cassa.engine.fiscal._chain import APPENDED, LINKED, append_link
from cassa.engine.fiscal._money import BY_NAME, rows_text
from cassa.engine.fiscal._signing import Signer
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import (
    Base,
    CashCountRow,
    CouponRedemptionRow,
    DocumentRow,
    ShiftRow,
    TillDayRow,
)

__all__ = ["ChainingTill", "MoneyLedger"]

PENDING = "cassa.money_rows"  # session.info: the money rows written in this transaction


class ChainingTill(Protocol):
    """What the ledger needs of a till: its code, its key, its pack's integrity rules."""

    @property
    def code(self) -> str: ...

    @property
    def signer(self) -> Signer | None: ...

    def money_chained(self) -> tuple[Collection[str], bool] | None:
        """The chained document types and whether money links are signed, or None when
        the pack keeps no chain."""
        ...


class MoneyLedger:
    """The money links of one database's transactions."""

    _ledgers: ClassVar[weakref.WeakKeyDictionary[Database, MoneyLedger]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, database: Database) -> None:
        self.tills: dict[str, ChainingTill] = {}
        self.chained: set[str] = set()  # chains known to hold money links
        maker = database.sessions  # drafts hold no money
        event.listen(maker, "after_flush", self._noted)
        event.listen(maker, "before_commit", self._link)
        event.listen(maker, "after_commit", _forget)
        event.listen(maker, "after_rollback", _forget)

    @classmethod
    def of(cls, database: Database) -> MoneyLedger:
        ledger = cls._ledgers.get(database)
        if ledger is None:
            ledger = cls._ledgers[database] = MoneyLedger(database)
        return ledger

    def watch(self, till: ChainingTill) -> None:
        self.tills[till.code] = till

    def forget(self, code: str) -> None:
        self.tills.pop(code, None)

    def _till(self, code: str | None) -> ChainingTill | None:
        if code is None:
            code = next(iter(self.tills), None)
        till = self.tills.get(code) if code is not None else None
        if till is None or till.money_chained() is None:
            return None
        return till

    def _noted(self, session: Session, context: UOWTransaction) -> None:
        if not self.tills:
            return
        rows = [row for row in session.new if getattr(row, "__tablename__", None) in BY_NAME]
        if rows:
            session.info.setdefault(PENDING, []).extend(rows)

    def _link(self, session: Session) -> None:
        if not self.tills:
            return
        session.flush()  # rows still pending are noted too
        pending: list[Base] = session.info.pop(PENDING, [])
        if not pending:
            return
        keys: dict[str, dict[str, list[list[Any]]]] = {}
        moments: dict[str, list[datetime]] = {}
        for row in pending:
            table = BY_NAME[str(row.__tablename__)]
            till = self._till(_till_of(session, row))
            if till is None:
                continue
            keys.setdefault(till.code, {}).setdefault(table.name, []).append(
                [canonical_value(getattr(row, column)) for column in table.key]
            )
            moment = getattr(row, "at", None) or getattr(row, "redeemed_at", None)
            if isinstance(moment, datetime):
                moments.setdefault(till.code, []).append(_aware(moment))
        self._documents(session, pending, keys)
        for code, tables in keys.items():
            till = self._till(code)
            assert till is not None
            chained = till.money_chained()
            assert chained is not None
            types, signed = chained
            times = moments.get(code) or [datetime.now(UTC)]
            append_link(
                session,
                code,
                "money",
                max(times),
                signer=till.signer if signed else None,
                chained_types=types,
                rows=rows_text(self._since(session, code, min(times)), tables),
            )

    def _documents(
        self, session: Session, pending: list[Base], keys: dict[str, dict[str, list[list[Any]]]]
    ) -> None:
        """The documents money moved for that no document link stands for (cash in and
        cash out documents) join the money link, with their lines and VAT summary."""
        linked = session.info.get(LINKED, set())
        named = {
            str(reference)
            for row in pending
            for reference in (
                getattr(row, "document_id", None),
                getattr(row, "cash_document_id", None),
            )
            if reference is not None and str(reference) not in linked
        }
        if not named:
            return
        found = session.execute(
            text(
                'SELECT d."id", d."till" FROM documents d WHERE d."status" = \'approved\' '
                'AND d."id" IN :ids AND NOT EXISTS (SELECT 1 FROM fiscal_chain c WHERE '
                'c."document_id" = d."id" AND c."kind" = \'document\')'
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": sorted(named)},
        ).all()
        for document_id, code in found:
            till = self._till(str(code))
            if till is None:
                continue
            tables = keys.setdefault(till.code, {})
            tables.setdefault("documents", []).append([document_id])
            lines = session.execute(
                text('SELECT "id" FROM document_lines WHERE "document_id" = :d'), {"d": document_id}
            ).all()
            tables.setdefault("document_lines", []).extend([line[0]] for line in lines)
            vat = session.execute(
                text('SELECT "vat_code" FROM document_vat WHERE "document_id" = :d'),
                {"d": document_id},
            ).all()
            tables.setdefault("document_vat", []).extend([document_id, v[0]] for v in vat)
            for name in ("document_lines", "document_vat"):
                if not tables[name]:
                    del tables[name]

    def _since(self, session: Session, chain: str, earliest: datetime) -> str | None:
        """None when money entered the chain with its first transaction; else the moment
        from which every money row of the till is linked."""
        if chain in self.chained:
            return None  # read from the first money link only
        earlier = session.execute(
            text(
                "SELECT COUNT(*), SUM(CASE WHEN \"kind\" = 'money' THEN 1 ELSE 0 END) "
                'FROM fiscal_chain WHERE "chain" = :c'
            ),
            {"c": chain},
        ).one()
        links, money = int(earlier[0] or 0), int(earlier[1] or 0)
        if money:
            self.chained.add(chain)
            return None
        appended = session.info.get(APPENDED, {}).get(chain, 0)
        return None if links <= appended else str(canonical_value(earliest))


def _forget(session: Session) -> None:
    for name in (PENDING, APPENDED, LINKED):
        session.info.pop(name, None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _till_of(session: Session, row: Any) -> str | None:
    """The till whose chain takes a money row (cash counts and coupons name it elsewhere)."""
    till = getattr(row, "till", None)
    if till:
        return str(till)
    if isinstance(row, CashCountRow):
        if row.day_id is not None:
            day = session.get(TillDayRow, row.day_id)
            if day is not None:
                return day.till
        if row.shift_id is not None:
            shift = session.get(ShiftRow, row.shift_id)
            if shift is not None:
                return shift.closed_till or shift.opened_till
    if isinstance(row, CouponRedemptionRow):
        found = session.scalar(select(DocumentRow.till).where(DocumentRow.id == row.document_id))
        return str(found) if found is not None else None
    return None
