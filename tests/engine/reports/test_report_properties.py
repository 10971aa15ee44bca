"""Property: for random days of sales, the till summary, the shift balance, the safe
balance and the fiscal printer's Z totals agree with the stored documents to the cent.

Each example is a fresh SQLite file with the shift-working demo store, one cashier's
shift, a fiscal printer simulator (RT, over HTTP on loopback) and a card terminal that
approves. The test keeps its own account of every cent it handed over and compares it
with what the reports say and with the stored rows summed again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from staffing import logged_in

from cassa.devices.config import FiscalPrinterConfig
from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
from cassa.devices.fiscal.records import Fiscalization
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.cash import Count
from cassa.engine.payments import PaymentDevices
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import open_database
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.storage.models import CashMovementRow, PaymentRow, SafeMovementRow
from cassa.engine.storefiles import StoreData, load_store
from cassa.engine.till import Till

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
D = Decimal
ITEMS = ["SHOE-RUN-42", "BAG-TOTE", "NOTEBOOK-A5", "CHOC-MILK", "MARKERS-12", "TILE-CER-01"]
WEIGHED = ["STRAWBERRY", "APPLE-RED"]


@cache
def shifts_store() -> StoreData:
    return load_store(ROOT / "examples" / "stores" / "shifts")


@pytest.fixture(scope="module")
def fiscal_printer() -> Iterator[RtSimulator]:
    with RtSimulator(timezone="Europe/Rome") as simulator:
        yield simulator


class Approving:
    """A payment terminal that approves every sale (the TCP one is tested elsewhere)."""

    def __init__(self) -> None:
        self.charged: dict[str, Decimal] = {}

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        from cassa.devices.terminal.base import PaymentOutcome, PaymentResult

        self.charged[transaction_id] = amount
        return PaymentResult(transaction_id, PaymentOutcome.APPROVED, amount, "OK")

    def status(self, transaction_id: str) -> Any:
        raise AssertionError("never asked: every answer arrives")


sale = st.tuples(
    st.just("sale"),
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(ITEMS), st.integers(1, 3).map(D)),
            st.tuples(st.sampled_from(WEIGHED), st.integers(50, 2500).map(lambda g: D(g) / 1000)),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["cash", "cash_note", "card", "split", "usd"]),
)
cash_move = st.tuples(
    st.sampled_from(["cash_in", "cash_out", "safe_deposit", "safe_withdrawal"]),
    st.integers(1, 100).map(lambda n: D(n) / 100),  # a fraction of what is there
    st.just(""),
)
day = st.lists(st.one_of(sale, cash_move), min_size=1, max_size=8)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=day)
def test_reports_balances_and_z_totals_agree_with_the_stored_documents(
    fiscal_printer: RtSimulator, operations: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory(prefix="cassa-property-") as folder:
        database = open_database(str(Path(folder) / "day.db"))
        try:
            check_a_day(database, fiscal_printer, operations)
        finally:
            database.dispose()


def check_a_day(database: Any, fiscal_printer: RtSimulator, operations: list[Any]) -> None:
    import_store(database, shifts_store())
    moment = [datetime(2026, 7, 5, 7, 0, tzinfo=UTC)]

    def clock() -> datetime:
        moment[0] += timedelta(minutes=3)
        return moment[0]

    # a manager: the day takes money out of the safe too
    till = logged_in(Till.open(database, clock=clock), "anna", "manager")
    printer = EpsonRtPrinter(
        FiscalPrinterConfig(url=fiscal_printer.url, serial_number=fiscal_printer.serial)
    )
    till.payment_devices = PaymentDevices(
        terminal=Approving(), fiscal=Fiscalization(database, printer, till.code, till.now)
    )
    till.open_day()
    till.cash.open_shift(deposits=[Count.of("cash", "200.00")])
    drawer = {"EUR": D("200.00"), "USD": D(0)}  # what this test handed over
    card = safe = D(0)
    receipts = D(0)
    count = 0
    for operation in operations:
        kind = operation[0]
        if kind == "sale":
            _, lines, plan = operation
            for sku, quantity in lines:
                till.scan(sku, quantity)
            total = till.totals().total
            window = till.checkout()
            if plan in ("card", "split"):
                part = total if plan == "card" else (total / 2).quantize(D("0.01"))
                window.add("card", part)
                card += part
            if plan == "usd":
                window.add("cash", "10", currency="USD")
                drawer["USD"] += 10
            if not window.settled:
                due = window.remaining
                given = due if plan != "cash_note" else D(((int(due) // 20) + 1) * 20)
                window.add("cash", given)
                drawer["EUR"] += given
            paid = window.approve()
            drawer["EUR"] -= paid.settlement.change
            receipts += total
            count += 1
            continue
        _, fraction, _ = operation
        if kind == "cash_in":
            amount = (D(50) * fraction).quantize(D("0.01"))
            till.cash.cash_in(amount)
            drawer["EUR"] += amount
        elif kind in ("cash_out", "safe_deposit"):
            amount = (drawer["EUR"] * fraction).quantize(D("0.01"), rounding="ROUND_DOWN")
            if amount <= 0:
                continue
            if kind == "cash_out":
                till.cash.cash_out(amount)
            else:
                till.cash.safe_deposit(amount)
                safe += amount
            drawer["EUR"] -= amount
        elif safe > 0:
            amount = (safe * fraction).quantize(D("0.01"), rounding="ROUND_DOWN")
            if amount > 0:
                till.cash.safe_withdrawal(amount, payer_kind="employee")
                safe -= amount
                drawer["EUR"] += amount

    # The shift's balance (derived) is what was handed over, and the stored movements' sum.
    balance = till.cash.balance()
    assert balance[("cash", "EUR")].expected == drawer["EUR"]
    assert balance.get(("cash", "USD"), None) is None or (
        balance[("cash", "USD")].expected == drawer["USD"]
    )
    with database.session() as session:

        def summed(column: Any, *where: Any) -> Decimal:
            return D(session.scalar(select(func.sum(column)).where(*where)) or 0)

        cash = (CashMovementRow.tender == "cash", CashMovementRow.currency == "EUR")
        stored_cash = summed(
            CashMovementRow.amount, *cash, CashMovementRow.direction == "in"
        ) - summed(CashMovementRow.amount, *cash, CashMovementRow.direction == "out")
        assert stored_cash == drawer["EUR"]
        stored_safe = summed(SafeMovementRow.amount, SafeMovementRow.direction == "in") - summed(
            SafeMovementRow.amount, SafeMovementRow.direction == "out"
        )
        assert stored_safe == safe
        paid = session.scalar(select(func.sum(PaymentRow.amount_system)))
        assert D(paid or 0) == receipts  # payments, change, rounding: each document's total

    # The till summary adds up the same documents.
    summary = till.reports.till_summary()
    documents = [
        d for d in DocumentStore(database).list(till="T01") if d.status.value == "approved"
    ]
    sales = [d for d in documents if d.type.value == "receipt"]
    assert summary.sales.documents == len(sales) == count
    assert (
        summary.sales.total_sales
        == sum((d.totals(till.currency).total for d in sales), D(0))
        == receipts
    )
    assert summary.sales.items_sold == sum(  # pieces; a weighed line is one item
        int(line.quantity) if line.unit_precision == 0 else 1
        for d in sales
        for line in d.lines
        if line.quantity > 0 and not line.returned
    )
    assert summary.tender("cash", "EUR").balance == drawer["EUR"]
    if card:
        assert summary.tender("card").total == card
    categories = sum((value for _, _, value in summary.categories), D(0))
    assert categories == receipts
    assert till.cash.safe().line("cash").closing == safe

    # The fiscal printer's daily report (Z) agrees with the stored receipts.
    report = till.reports.fiscal_daily()
    assert report.agrees
    (z,) = report.device
    assert (z.receipts, z.amount) == (count, receipts)
