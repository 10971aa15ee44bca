"""The safe: tenders kept there, deposits and withdrawals by an employee (also on the
drawer) or a customer (safe only), balances carried day to day, limits as reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from staffing import logged_in

from cassa.engine.errors import InvalidInput
from cassa.engine.messages import Message
from cassa.engine.people import ApprovalRequired, Permission, import_store_employees
from cassa.engine.till import Till

D = Decimal
DEMO = Path(__file__).resolve().parents[3] / "examples" / "demo"


def manager(till: Till) -> None:
    """Taking money out of the safe needs withdraw_from_safe: the demo's managers hold it."""
    logged_in(till, till.operator, "manager")


def test_the_seed_example_deposit_of_200_writes_a_safe_deposit_and_a_cash_out(
    till: Till,
) -> None:
    moved = till.cash.safe_deposit("100.00")
    assert (moved.number, moved.cash_document) == ("VS/MI01/2026/000001", "PC/T01/2026/000001")
    assert till.cash.expected() == D("0")
    assert till.cash.safe().line("cash").closing == D("100")


def test_a_customer_payer_moves_money_in_the_safe_only(till: Till) -> None:
    moved = till.cash.safe_deposit("300", payer_kind="customer", payer="B0001")
    assert moved.cash_document is None
    assert till.cash.expected() == D("100")


def test_the_safe_keeps_only_the_tenders_declared_for_it(till: Till) -> None:
    with pytest.raises(InvalidInput, match="Carta is not kept in the safe"):
        till.cash.safe_deposit("10", tender="card")
    with pytest.raises(InvalidInput, match="Buono Sodexo is not kept in the safe"):
        till.cash.safe_deposit("10", tender="sodexo", payer_kind="customer", payer="B0001")


def test_the_safes_opening_balance_is_the_previous_days_closing(till: Till) -> None:
    manager(till)
    till.cash.safe_deposit("60")
    later = till.now() + timedelta(hours=1)
    till.clock = lambda: later
    till.cash.safe_withdrawal("10", description="Banca")
    today = till.now().date()
    tomorrow = till.now() + timedelta(days=1)
    till.clock = lambda: tomorrow
    till.cash.safe_deposit("5", payer_kind="customer", payer="B0001")
    view = till.cash.safe(tomorrow.date())
    line = view.line("cash")
    assert (line.transactions, line.opening, line.deposits, line.withdrawals, line.closing) == (
        1,
        D(50),
        D(5),
        D(0),
        D(55),
    )
    assert [t.kind for t in till.cash.safe_transactions(day=today)] == ["deposit", "withdrawal"]
    assert [t.number for t in till.cash.safe_transactions(kind="withdrawal")] == [
        "PS/MI01/2026/000001"
    ]


def test_the_balance_and_time_limits_raise_the_seeds_reminder(till: Till) -> None:
    manager(till)
    assert till.cash.reminders() == []
    till.cash.safe_deposit("5000", payer_kind="customer", payer="B0001")
    (limit,) = till.cash.reminders()
    assert limit == Message(
        "safe_balance_limit", {"limit": "5,000.00 EUR", "balance": "5,000.00 EUR"}
    )
    later = datetime(2026, 7, 7, 11, 0, tzinfo=UTC)
    till.clock = lambda: later
    codes = sorted(m.code for m in till.cash.reminders())
    assert codes == ["safe_balance_limit", "safe_time_limit"]
    till.cash.safe_withdrawal("5000", description="Versamento bancario")
    assert till.cash.reminders() == []


def test_a_cashier_takes_money_out_of_the_safe_only_with_a_managers_approval(
    till: Till,
) -> None:
    import_store_employees(
        till.database, DEMO, store=till.store.code, pack=till.pack, clock=till.now
    )
    till.login("anna", "cassiera-di-turno")
    till.cash.safe_deposit("80.00")
    with pytest.raises(
        ApprovalRequired,
        match="anna may not withdraw money from the safe: needs the permission withdraw_from_safe",
    ):
        till.cash.safe_withdrawal("75.00", description="Versamento bancario")
    with pytest.raises(ApprovalRequired):
        till.cash.safe_withdrawal("5.00", payer_kind="employee")  # into the drawer: the same
    assert till.cash.safe().line("cash").closing == D("80.00")
    assert till.cash.safe_transactions(kind="withdrawal") == []
    till.authorize(
        Permission.WITHDRAW_FROM_SAFE,
        username="lucia",
        password="seconda-responsabile",
        amount="75.00",
    )
    till.cash.safe_withdrawal("75.00", description="Versamento bancario")
    assert till.cash.safe().line("cash").closing == D("5.00")
    with pytest.raises(ApprovalRequired):  # the approval was for that one withdrawal
        till.cash.safe_withdrawal("5.00", description="Versamento bancario")


def hours(till: Till) -> list[object]:
    return [m.params["hours"] for m in till.cash.reminders() if m.code == "safe_time_limit"]


def test_the_safe_time_reminder_counts_from_the_oldest_money_still_in_the_safe(
    till: Till,
) -> None:
    """The demo's limit is 48 hours. A small withdrawal takes the oldest money first and
    leaves the rest of it in: the clock of that money keeps running."""
    manager(till)
    start = datetime(2026, 7, 5, 8, 0, tzinfo=UTC)

    def at(hours_later: str) -> None:
        moment = start + timedelta(hours=float(hours_later))
        till.clock = lambda: moment

    at("0")
    till.cash.safe_deposit("300.00", payer_kind="customer", payer="B0001")
    at("27")
    till.cash.safe_deposit("50.00", payer_kind="customer", payer="B0001")
    at("47")
    till.cash.safe_withdrawal("20.00", description="Versamento bancario parziale")
    assert hours(till) == []
    at("48.5")
    assert hours(till) == [D("48.50")]  # 280.00 of the first deposit are still there
    till.cash.safe_withdrawal("280.00", description="Versamento bancario")
    assert hours(till) == []  # what is left came in 21.5 hours ago
    at("75.25")
    assert hours(till) == [D("48.25")]
    till.cash.safe_withdrawal("50.00", description="Versamento bancario")
    at("200")
    assert hours(till) == []  # an empty safe has nothing to take to the bank
