"""What the store holds in orders: open orders with what remains, the deposits held (money
owed to customers, a liability, not sales), and orders as JSON (schemas/order.schema.json).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from cassa.engine.money import Currency
from cassa.engine.orders._book import OrderState
from cassa.engine.orders._context import Order
from cassa.engine.orders._generated import order_value
from cassa.engine.orders._query import find_orders
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import OrderDepositRow, OrderRow

__all__ = ["deposits_held", "open_orders", "order_json"]


def _money(value: Decimal, currency: Currency) -> str:
    return f"{currency.round(value):.{currency.minor_units}f}"


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def order_json(order: Order, currency: Currency) -> dict[str, Any]:
    document = order.document
    totals = document.totals(currency)
    return {
        "number": order.number,
        "type": document.type.value,
        "state": order.state,
        "customer": document.customer,
        "recipient": document.recipient,
        "pickup_point": document.pickup_point,
        "expected_date": document.expected_date.isoformat() if document.expected_date else None,
        "made_at": (document.approved_at or document.created_at).isoformat(),
        "currency": document.currency,
        "total": _money(totals.total, currency),
        "remaining_value": _money(order_value(order, currency), currency),
        "held": _money(order.held, currency),
        "reverse_charge": document.reverse_charge,
        "split_payment": document.split_payment,
        "note": document.note,
        "lines": [
            {
                "line": p.position,
                "sku": p.line.sku,
                "name": p.line.name,
                "lot": p.line.lot,
                "unit": p.line.unit,
                "value": _money(t.value, currency),
                "ordered": _quantity(p.ordered),
                "fulfilled": _quantity(p.fulfilled),
                "cancelled": _quantity(p.cancelled),
                "remaining": _quantity(p.remaining),
            }
            for p, t in zip(order.lines, totals.lines, strict=True)
        ],
        "deposits": [
            {
                "number": d.number,
                "amount": _money(d.amount, currency),
                "deducted": _money(d.deducted, currency),
                "held": _money(d.held, currency),
                "state": d.state,
                "settled_by": d.settled_by,
            }
            for d in order.deposits
        ],
    }


def open_orders(
    database: Database, currency: Currency, *, store: str | None = None, due_by: date | None = None
) -> dict[str, Any]:
    """The orders still to deliver, the soonest expected first, with what remains."""
    found = find_orders(database, state="active", kind="sales_order", store=store)
    if due_by is not None:
        found = [
            o for o in found if o.document.expected_date and o.document.expected_date <= due_by
        ]
    found.sort(key=lambda o: (o.document.expected_date or date.max, o.number))
    rows = [order_json(o, currency) for o in found]
    return {
        "orders": rows,
        "count": len(rows),
        "remaining_value": _money(
            sum((Decimal(r["remaining_value"]) for r in rows), Decimal(0)), currency
        ),
        "held": _money(sum((o.held for o in found), Decimal(0)), currency),
    }


def deposits_held(
    database: Database, currency: Currency, *, store: str | None = None
) -> dict[str, Any]:
    """Deposits taken and not yet deducted, refunded or turned into vouchers: money the
    store owes its customers until the goods leave (a liability, not sales)."""
    from cassa.engine.orders._book import deposits_of

    with database.session() as session:
        query = (
            select(OrderRow)
            .join(OrderDepositRow, OrderDepositRow.order_id == OrderRow.document_id)
            .where(OrderDepositRow.state == "held")
            .distinct()
        )
        if store is not None:
            query = query.where(OrderRow.store == store)
        orders = session.scalars(query.order_by(OrderRow.number)).all()
        rows: list[dict[str, Any]] = []
        total = Decimal(0)
        for order in orders:
            for deposit in deposits_of(session, order.document_id):
                if deposit.held > 0:
                    total += deposit.held
                    rows.append(
                        {
                            "order": order.number,
                            "order_state": order.state,
                            "customer": order.customer,
                            "deposit": deposit.number,
                            "amount": _money(deposit.amount, currency),
                            "deducted": _money(deposit.deducted, currency),
                            "held": _money(deposit.held, currency),
                            "refund_due": order.state == OrderState.CANCELLED,
                        }
                    )
    return {
        "deposits": rows,
        "held": _money(total, currency),
    }
