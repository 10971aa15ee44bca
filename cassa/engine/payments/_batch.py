"""The card terminal's batch closed from the till (seed: [Rapporto di spedizione]).

`close_batch` asks the terminal to settle the card transactions made since its last
settlement and sets its totals beside the till's own record of them: the approved
payments (voided ones left out) and refunds of this till since the previous
settlement. A difference means a card transaction the till does not know or one the
terminal never made: it is reported, never booked. The settlement is an audit event
with both sets of totals, so the next one knows where this one stopped.

Transactions still waiting for their outcome are resolved first: a batch is never
compared while the till does not know what it holds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine.errors import DocumentStateError
from cassa.engine.payments._cards import CardState
from cassa.engine.payments._format import amount_text
from cassa.engine.people import AuditEvent, AuditLog
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import AuditEventRow, CardTransactionRow
from cassa.i18n import _

__all__ = ["BatchContext", "BatchTotals", "SettlingTerminal", "TerminalBatch", "close_batch"]


class BatchReportLike(Protocol):
    @property
    def sales(self) -> int: ...

    @property
    def sales_total(self) -> Decimal: ...

    @property
    def refunds(self) -> int: ...

    @property
    def refunds_total(self) -> Decimal: ...


class SettlingTerminal(Protocol):
    def settle(self, transaction_id: str, currency: str) -> BatchReportLike: ...


@dataclass(frozen=True)
class BatchTotals:
    sales: int
    sales_total: Decimal
    refunds: int
    refunds_total: Decimal

    @property
    def net(self) -> Decimal:
        return self.sales_total - self.refunds_total

    def as_json(self) -> dict[str, object]:
        return {
            "sales": self.sales,
            "sales_total": amount_text(self.sales_total),
            "refunds": self.refunds,
            "refunds_total": amount_text(self.refunds_total),
            "net": amount_text(self.net),
        }


@dataclass(frozen=True)
class TerminalBatch:
    """A settlement: what the terminal closed and what the till recorded for it."""

    id: str
    at: datetime
    currency: str
    terminal: BatchTotals
    till: BatchTotals
    transactions: tuple[str, ...]  # the till's card transactions it covers

    @property
    def difference(self) -> Decimal:
        return self.terminal.net - self.till.net

    @property
    def agrees(self) -> bool:
        return self.terminal == self.till

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "currency": self.currency,
            "terminal": self.terminal.as_json(),
            "till": self.till.as_json(),
            "difference": amount_text(self.difference),
            "agrees": self.agrees,
        }


@dataclass(frozen=True)
class BatchContext:
    """What closing a batch needs of a till."""

    database: Database
    store: str
    till: str
    operator: str
    clock: Callable[[], datetime]


def close_batch(context: BatchContext, terminal: SettlingTerminal, currency: str) -> TerminalBatch:
    """Settle the terminal's batch in `currency` and compare it with the till's record."""
    audit = AuditLog(context.database)
    with context.database.session() as session:
        waiting = session.scalar(
            select(CardTransactionRow.id).where(
                CardTransactionRow.till == context.till,
                CardTransactionRow.state.in_(sorted(CardState.UNRESOLVED)),
            )
        )
        if waiting is not None:
            raise DocumentStateError(
                _(
                    "Card transaction {id} waits for its outcome: resolve it before the "
                    "terminal's batch is closed"
                ).format(id=waiting)
            )
        since, covered = _last_settlement(session, context.till, currency)
        query = select(CardTransactionRow).where(
            CardTransactionRow.till == context.till,
            CardTransactionRow.currency == currency,
            CardTransactionRow.kind.in_(("payment", "refund")),
        )
        if since is not None:
            query = query.where(CardTransactionRow.created_at >= since)
        rows = [row for row in session.scalars(query) if row.id not in covered]
    sales = [r for r in rows if r.kind == "payment" and r.state == CardState.APPROVED]
    refunds = [r for r in rows if r.kind == "refund" and r.state == CardState.APPROVED]
    recorded = BatchTotals(
        len(sales),
        sum((r.amount for r in sales), Decimal(0)),
        len(refunds),
        sum((r.amount for r in refunds), Decimal(0)),
    )
    settlement_id = uuid.uuid4().hex
    report = terminal.settle(settlement_id, currency)
    batch = TerminalBatch(
        id=settlement_id,
        at=context.clock(),
        currency=currency,
        terminal=BatchTotals(
            report.sales, report.sales_total, report.refunds, report.refunds_total
        ),
        till=recorded,
        transactions=tuple(sorted(r.id for r in rows)),  # voided ones too: settled with it
    )
    audit.record(
        AuditEvent.TERMINAL_SETTLEMENT,
        batch.at,
        actor=context.operator,
        amount=batch.terminal.net,
        store=context.store,
        till=context.till,
        detail={**batch.as_json(), "transactions": list(batch.transactions)},
    )
    return batch


def _last_settlement(
    session: Session, till: str, currency: str
) -> tuple[datetime | None, frozenset[str]]:
    """When the till's last settlement in `currency` was made and what it covered (with
    any other made at that same instant: a transaction of that instant is in one of them)."""
    rows = session.scalars(
        select(AuditEventRow)
        .where(
            AuditEventRow.event == AuditEvent.TERMINAL_SETTLEMENT.value,
            AuditEventRow.till == till,
        )
        .order_by(AuditEventRow.id.desc())
    )
    since: datetime | None = None
    covered: set[str] = set()
    for row in rows:
        detail = json.loads(row.detail) if row.detail else {}
        if detail.get("currency") != currency:
            continue
        at = aware(row.at)
        if since is not None and at != since:
            break
        since = at
        covered.update(detail.get("transactions", ()))
    return since, frozenset(covered)
