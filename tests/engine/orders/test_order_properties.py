"""Random orders, deposits, partial fulfilments and cancellations: every line's ordered
quantity is what was fulfilled, cancelled and still remains; every deposit is deducted
once, to the cent, or refunded whole, never both."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from staffing import logged_in

from cassa.engine.documents import DocumentStatus
from cassa.engine.orders import Order, OrderState, order_value
from cassa.engine.payments import StoredValues
from cassa.engine.storage.models import DocumentLineRow, DocumentRow
from cassa.engine.till import Till

D = Decimal
ITEMS = ["LAMP-NIGHT", "NOTEBOOK-A5", "TILE-CER-01", "BATHMAT-01"]

ORDERS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

lines = st.lists(
    st.tuples(st.sampled_from(ITEMS), st.integers(min_value=1, max_value=7)),
    min_size=1,
    max_size=3,
    unique_by=lambda pair: pair[0],
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), st.integers(min_value=1, max_value=60)),  # % of what is left
        st.tuples(st.just("fulfil"), st.lists(st.integers(0, 4), min_size=3, max_size=3)),
        st.tuples(st.just("cancel_line"), st.integers(min_value=1, max_value=3)),
    ),
    max_size=5,
)


def pay(till: Till) -> None:
    window = till.checkout()
    if not window.settled:
        window.add("cash", window.due("cash"))
    window.approve()


def check(till: Till, order: Order) -> None:
    """The invariants, read back from the database."""
    with till.database.session() as session:
        delivered = dict(
            session.execute(
                select(DocumentLineRow.origin_line, func.sum(DocumentLineRow.quantity))
                .join(DocumentRow, DocumentRow.id == DocumentLineRow.document_id)
                .where(
                    DocumentRow.origin_id == order.document.id,
                    DocumentRow.status == DocumentStatus.APPROVED.value,
                    DocumentLineRow.origin_line.is_not(None),
                )
                .group_by(DocumentLineRow.origin_line)
            ).all()
        )
    for line in order.lines:
        assert line.ordered == line.fulfilled + line.cancelled + line.remaining
        assert line.remaining >= 0
        assert line.fulfilled == delivered.get(line.line.id, D(0))
    for deposit in order.deposits:
        assert 0 <= deposit.deducted <= deposit.amount
        if deposit.state == "deducted":
            assert deposit.deducted == deposit.amount
        if deposit.state == "refunded":
            assert deposit.deducted == 0


@ORDERS
@given(ordered=lines, plan=steps, ending=st.sampled_from(["fulfil", "cancel"]))
def test_ordered_is_fulfilled_plus_cancelled_plus_remaining_and_deposits_settle_once(
    till: Till, ordered: list[tuple[str, int]], plan: list[tuple[str, object]], ending: str
) -> None:
    logged_in(till, till.operator, "manager")  # cancelling and refunds
    till.orders.new()
    till.set_customer("C0001")
    for sku, quantity in ordered:
        till.scan(sku, quantity)
    number = till.orders.save().number
    for kind, value in plan:
        order = till.orders.get(number)
        if not order.active:
            break
        if kind == "deposit":
            left = order_value(order, till.currency) - order.held
            amount = till.currency.round(left * D(int(value)) / 100)  # type: ignore[call-overload]
            if amount > 0:
                till.orders.take_deposit(number, amount)
                pay(till)
        elif kind == "fulfil":
            parts = list(value)  # type: ignore[call-overload]
            wanted = [min(D(parts[i]), p.remaining) for i, p in enumerate(order.lines)]
            if sum(wanted) == 0:
                continue
            till.orders.fulfil(number)
            for position, quantity in enumerate(wanted, 1):
                till.orders.take(position, quantity)
            pay(till)
        else:
            position = int(value)  # type: ignore[call-overload]
            if position <= len(order.lines) and order.lines[position - 1].remaining > 0:
                left = order.lines[position - 1].remaining
                rest = order_value(
                    order, till.currency, cancelling={order.lines[position - 1].line.id: left}
                )
                if order.held <= rest:  # else refused: the deposits would exceed the rest
                    till.orders.cancel_line(number, position, left)
        check(till, till.orders.get(number))
    order = till.orders.get(number)
    if order.active and ending == "fulfil":
        till.orders.fulfil(number)
        pay(till)
    elif order.active and any(d.deducted > 0 for d in order.deposits if d.held > 0):
        till.orders.cancel(number, deposit="voucher", voucher=f"VM-{number[-6:]}")
    elif order.active:
        cancelled = till.orders.cancel(number)
        for deposit in [d for d in cancelled.deposits if d.held > 0]:
            till.orders.refund_deposit(deposit.number)
            window = till.checkout()
            window.add("cash")
            window.approve()
    order = till.orders.get(number)
    check(till, order)
    event(f"{order.state}, deposits {sorted(d.state for d in order.deposits)}")
    assert order.state in (OrderState.FULFILLED, OrderState.CANCELLED)
    assert all(line.remaining == 0 for line in order.lines)
    assert order.held == 0  # every deposit deducted once or refunded whole
    assert {d.state for d in order.deposits} <= {"deducted", "refunded", "voucher"}
    vouchers = {d.settled_by for d in order.deposits if d.state == "voucher"}
    for number in vouchers:
        kept = sum((d.amount - d.deducted for d in order.deposits if d.settled_by == number), D(0))
        voucher = StoredValues(till.database).get(number or "")
        assert voucher is not None
        assert voucher.balance == kept
