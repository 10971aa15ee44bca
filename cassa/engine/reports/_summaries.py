"""The till summary and the store summary (seed: Riepilogo della postazione / del negozio).

Both are SQL sums over stored rows: `cash_movements` (cash flows and the balance
by tender), `payments` (how many payments per tender), `sale_stats` and
`sale_group_stats` (the sales KPIs and sales by category, frozen per document
at approval). Nothing is recomputed from document lines at report time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cassa.engine.cash._ledger import IN, OUT, BalanceLine, Reason, balances
from cassa.engine.money import Currency
from cassa.engine.payments._settings import MoneySettings, TenderType
from cassa.engine.reports._stats import CORRECTION_TYPES, SALES_TYPES
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import (
    CashCountRow,
    PaymentRow,
    SaleGroupStatsRow,
    SaleStatsRow,
    TillDayRow,
)
from cassa.i18n import _

__all__ = [
    "CashFlows",
    "SalesSummary",
    "StoreSummary",
    "TenderLine",
    "TillSummary",
    "sales_summary",
    "store_summary",
    "till_summary",
]

TWO = Decimal("0.01")


def _money(value: Decimal, currency: Currency) -> str:
    return f"{currency.round(value):.{currency.minor_units}f}"


@dataclass(frozen=True)
class CashFlows:
    """Seed: Flussi di cassa, for one cash tender and currency."""

    tender: str
    currency: str
    opening_balance: Decimal
    opening_difference: Decimal
    opening_deposits: Decimal
    deposits: dict[str, Decimal]
    withdrawals: dict[str, Decimal]

    @property
    def balance(self) -> Decimal:
        return (
            self.opening_balance
            + self.opening_deposits
            + sum(self.deposits.values(), Decimal(0))
            - sum(self.withdrawals.values(), Decimal(0))
        )

    def as_json(self, money: Currency) -> dict[str, Any]:
        return {
            "tender": self.tender,
            "currency": self.currency,
            "opening_balance": _money(self.opening_balance, money),
            "opening_difference": _money(self.opening_difference, money),
            "opening_deposits": _money(self.opening_deposits, money),
            "deposits": {k: _money(v, money) for k, v in self.deposits.items()},
            "withdrawals": {k: _money(v, money) for k, v in self.withdrawals.items()},
            "balance": _money(self.balance, money),
        }


@dataclass(frozen=True)
class TenderLine:
    """Seed: Riepilogo del saldo di cassa, one row per tender and currency."""

    tender: str
    currency: str
    payments: int
    opening: Decimal
    cash_in: Decimal
    cash_out: Decimal
    manual_in: Decimal
    manual_out: Decimal
    returns: Decimal
    sales: Decimal
    change: Decimal = Decimal(0)  # given back in this tender on sales paid with more

    @property
    def total(self) -> Decimal:
        return self.cash_in - self.cash_out

    @property
    def taken(self) -> Decimal:
        """What the day's sales brought in this tender, less the change and the returns
        paid back with it: the tenders' figures add up to the sales less the corrections,
        whatever cash was put in or taken out by hand."""
        return self.sales - self.change - self.returns

    @property
    def balance(self) -> Decimal:
        return self.opening + self.total

    def as_json(self, money: Currency) -> dict[str, Any]:
        return {
            "tender": self.tender,
            "currency": self.currency,
            "payments": self.payments,
            "opening": _money(self.opening, money),
            "cash_in": _money(self.cash_in, money),
            "cash_out": _money(self.cash_out, money),
            "total": _money(self.total, money),
            "balance": _money(self.balance, money),
            "manual_in": _money(self.manual_in, money),
            "manual_out": _money(self.manual_out, money),
            "returns": _money(self.returns, money),
            "sales": _money(self.sales, money),
            "change": _money(self.change, money),
            "taken": _money(self.taken, money),
        }


@dataclass(frozen=True)
class SalesSummary:
    """Seed: Riepilogo delle vendite."""

    documents: int
    total_sales: Decimal
    regular_price_sales: Decimal
    discounts: Decimal
    vouchers_sold: int
    vouchers_sold_value: Decimal
    items_sold: int
    corrections: int
    corrections_value: Decimal
    items_returned: int
    documents_with_loyalty_card: int

    @property
    def average_sale(self) -> Decimal:
        return self.total_sales / self.documents if self.documents else Decimal(0)

    @property
    def average_item_value(self) -> Decimal:
        return self.total_sales / self.items_sold if self.items_sold else Decimal(0)

    @property
    def discount_percent(self) -> Decimal:
        if not self.total_sales:
            return Decimal(0)
        return (self.discounts * 100 / self.total_sales).quantize(TWO)

    @property
    def average_items_per_document(self) -> Decimal:
        return (
            (Decimal(self.items_sold) / self.documents).quantize(TWO)
            if self.documents
            else (Decimal(0))
        )

    @property
    def items_returned_percent(self) -> Decimal:
        if not self.items_sold:
            return Decimal(0)
        return (Decimal(self.items_returned) * 100 / self.items_sold).quantize(TWO)

    @property
    def documents_without_loyalty_card(self) -> int:
        return self.documents - self.documents_with_loyalty_card

    def as_json(self, money: Currency) -> dict[str, Any]:
        def share(part: int) -> str:
            return (
                str((Decimal(part) * 100 / self.documents).quantize(TWO))
                if self.documents
                else ("0.00")
            )

        return {
            "total_sales": _money(self.total_sales, money),
            "regular_price_sales": _money(self.regular_price_sales, money),
            "discounts": _money(self.discounts, money),
            "vouchers_sold_value": _money(self.vouchers_sold_value, money),
            "corrections_value": _money(self.corrections_value, money),
            "average_sale": _money(self.average_sale, money),
            "average_item_value": _money(self.average_item_value, money),
            "documents": self.documents,
            "items_sold": self.items_sold,
            "discount_percent": str(self.discount_percent),
            "vouchers_sold": self.vouchers_sold,
            "corrections": self.corrections,
            "items_returned": self.items_returned,
            "items_returned_percent": str(self.items_returned_percent),
            "average_items_per_document": str(self.average_items_per_document),
            "loyalty": {
                "documents_with_card": self.documents_with_loyalty_card,
                "documents_with_card_percent": share(self.documents_with_loyalty_card),
                "documents_without_card": self.documents_without_loyalty_card,
                "documents_without_card_percent": share(self.documents_without_loyalty_card),
            },
        }


def sales_summary(session: Session, *conditions: ColumnElement[bool]) -> SalesSummary:
    """One SQL aggregate over `sale_stats`: sales documents and corrections apart."""
    sale = SaleStatsRow.doc_type.in_(SALES_TYPES)
    correction = SaleStatsRow.doc_type.in_(CORRECTION_TYPES)
    row = session.execute(
        select(
            func.count().filter(sale),
            func.sum(SaleStatsRow.total).filter(sale),
            func.sum(SaleStatsRow.regular_total).filter(sale),
            func.sum(SaleStatsRow.vouchers).filter(sale),
            func.sum(SaleStatsRow.vouchers_value).filter(sale),
            func.sum(func.coalesce(SaleStatsRow.pieces, SaleStatsRow.lines)).filter(sale),
            func.count().filter(correction),
            func.sum(SaleStatsRow.total).filter(correction),
            func.sum(
                func.coalesce(SaleStatsRow.returned_pieces, SaleStatsRow.returned_lines)
            ).filter(correction),
            func.count().filter(sale & SaleStatsRow.loyalty_card.is_(True)),
        ).where(*conditions)
    ).one()
    total = Decimal(row[1] or 0)
    regular = Decimal(row[2] or 0)
    return SalesSummary(
        documents=int(row[0] or 0),
        total_sales=total,
        regular_price_sales=regular,
        discounts=regular - total,
        vouchers_sold=int(row[3] or 0),
        vouchers_sold_value=Decimal(row[4] or 0),
        items_sold=int(row[5] or 0),
        corrections=int(row[6] or 0),
        corrections_value=abs(Decimal(row[7] or 0)),
        items_returned=int(row[8] or 0),
        documents_with_loyalty_card=int(row[9] or 0),
    )


@dataclass(frozen=True)
class TillSummary:
    store: str
    till: str
    currency: Currency
    day_id: int
    business_date: date
    opened_at: datetime
    closed_at: datetime | None
    opened_by: str
    cash_flows: tuple[CashFlows, ...]
    tenders: tuple[TenderLine, ...]
    sales: SalesSummary
    categories: tuple[tuple[str, str, Decimal], ...]  # group, name, gross value
    sessions: tuple[int, ...] = field(default=())

    def tender(self, code: str, currency: str | None = None) -> TenderLine:
        for line in self.tenders:
            if line.tender == code and (currency is None or line.currency == currency):
                return line
        raise KeyError(code)

    def as_json(self) -> dict[str, Any]:
        money = self.currency
        return {
            "report": "till_summary",
            "store": self.store,
            "till": self.till,
            "currency": money.code,
            "day": {
                "id": self.day_id,
                "business_date": self.business_date.isoformat(),
                "opened_at": self.opened_at.isoformat(),
                "closed_at": self.closed_at.isoformat() if self.closed_at else None,
                "opened_by": self.opened_by,
                "sessions_that_date": list(self.sessions),
            },
            "cash_flows": [f.as_json(money) for f in self.cash_flows],
            "balances": [t.as_json(money) for t in self.tenders],
            "sales": self.sales.as_json(money),
            "categories": [
                {"group": code, "name": name, "value": _money(value, money)}
                for code, name, value in self.categories
            ],
        }


def _flows(line: BalanceLine, direction: str, names: dict[str, str]) -> dict[str, Decimal]:
    return {name: line.flow(direction, reason) for reason, name in names.items()}


_DEPOSITS = {
    Reason.MANUAL: "manual",
    Reason.SALE: "sales",
    Reason.SAFE_WITHDRAWAL: "from_safe",
    Reason.CLOSING_DIFFERENCE: "closing_difference",
}
_WITHDRAWALS = {
    Reason.MANUAL: "manual",
    Reason.REFUND: "returns",
    Reason.CHANGE: "change",
    Reason.SAFE_DEPOSIT: "to_safe",
    Reason.CLOSING_WITHDRAWAL: "closing",
    Reason.CLOSING_DIFFERENCE: "closing_difference",
}


def till_summary(
    database: Database,
    settings: MoneySettings,
    *,
    store: str,
    till: str,
    day_id: int,
    group_names: dict[str, str] | None = None,
) -> TillSummary:
    """The till summary of one day (session) of one till."""
    names = group_names or {}
    with database.session() as session:
        day = session.get(TillDayRow, day_id)
        if day is None or day.till != till:
            from cassa.engine.errors import NotFound

            raise NotFound(_("till {till} has no day {day_id}", till=till, day_id=day_id))
        moved = balances(session, day_id=day_id)
        counts = {
            (row.tender, row.currency): row.difference
            for row in session.scalars(
                select(CashCountRow).where(
                    CashCountRow.day_id == day_id, CashCountRow.stage == "open"
                )
            )
        }
        paid = {
            (tender, currency): int(count)
            for tender, currency, count in session.execute(
                select(PaymentRow.tender, PaymentRow.currency, func.count())
                .where(
                    PaymentRow.till == till,
                    PaymentRow.day_id == day_id,
                    PaymentRow.kind == "payment",
                )
                .group_by(PaymentRow.tender, PaymentRow.currency)
            )
        }
        sales = sales_summary(session, SaleStatsRow.till == till, SaleStatsRow.day_id == day_id)
        categories = session.execute(
            select(SaleGroupStatsRow.item_group, func.sum(SaleGroupStatsRow.gross))
            .join(SaleStatsRow, SaleStatsRow.document_id == SaleGroupStatsRow.document_id)
            .where(
                SaleGroupStatsRow.till == till,
                SaleGroupStatsRow.day_id == day_id,
                SaleStatsRow.doc_type.in_(SALES_TYPES),
            )
            .group_by(SaleGroupStatsRow.item_group)
            .order_by(SaleGroupStatsRow.item_group)
        ).all()
        same_date = tuple(
            session.scalars(
                select(TillDayRow.id)
                .where(TillDayRow.till == till, TillDayRow.business_date == day.business_date)
                .order_by(TillDayRow.id)
            )
        )
        opened_at = aware(day.opened_at)
        assert opened_at is not None
        cash_key = next(
            (
                (t.code, settings.currency.code)
                for t in settings.tenders_of(TenderType.CASH)
                if settings.currency.code in t.currencies
            ),
            ("cash", settings.currency.code),
        )
        keys = list(dict.fromkeys([cash_key, *moved]))
        flows = []
        tenders = []
        for key in keys:
            line = moved.get(key) or BalanceLine(*key)
            opening = day.opening_float if key == cash_key else Decimal(0)
            tender = settings.tenders.get(key[0])
            if (tender is not None and tender.is_cash) or key == cash_key:
                flows.append(
                    CashFlows(
                        key[0],
                        key[1],
                        opening,
                        counts.get(key, Decimal(0)),
                        line.flow(IN, Reason.OPENING_DEPOSIT),
                        _flows(line, IN, _DEPOSITS),
                        _flows(line, OUT, _WITHDRAWALS),
                    )
                )
            tenders.append(
                TenderLine(
                    key[0],
                    key[1],
                    paid.get(key, 0),
                    opening,
                    line.cash_in,
                    line.cash_out,
                    line.flow(IN, Reason.MANUAL),
                    line.flow(OUT, Reason.MANUAL),
                    line.flow(OUT, Reason.REFUND),
                    line.flow(IN, Reason.SALE),
                    line.flow(OUT, Reason.CHANGE),
                )
            )
        return TillSummary(
            store=store,
            till=till,
            currency=settings.currency,
            day_id=day_id,
            business_date=day.business_date,
            opened_at=opened_at,
            closed_at=aware(day.closed_at),
            opened_by=day.opened_by,
            cash_flows=tuple(flows),
            tenders=tuple(tenders),
            sales=sales,
            categories=tuple(
                (code, names.get(code, code), Decimal(value or 0))
                for code, value in categories
                if Decimal(value or 0) > 0
            ),
            sessions=same_date,
        )


@dataclass(frozen=True)
class StoreSummary:
    store: str
    currency: Currency
    date_from: date
    date_to: date
    tills: tuple[str, ...]
    sales: SalesSummary

    def as_json(self) -> dict[str, Any]:
        return {
            "report": "store_summary",
            "store": self.store,
            "currency": self.currency.code,
            "period": "daily" if self.date_from == self.date_to else "periodic",
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "tills": list(self.tills),
            "sales": self.sales.as_json(self.currency),
        }


def store_summary(
    database: Database,
    currency: Currency,
    *,
    store: str,
    date_from: date,
    date_to: date,
    tills: Iterable[str] = (),
) -> StoreSummary:
    """The store summary across its tills, for a day or a range of days."""
    if date_to < date_from:
        from cassa.engine.errors import InvalidInput

        raise InvalidInput(
            _(
                "the period ends ({date_to}) before it starts ({date_from})",
                date_to=date_to,
                date_from=date_from,
            )
        )
    with database.session() as session:
        sales = sales_summary(
            session,
            SaleStatsRow.store == store,
            SaleStatsRow.business_date >= date_from,
            SaleStatsRow.business_date <= date_to,
        )
    return StoreSummary(store, currency, date_from, date_to, tuple(tills), sales)
