"""A till's day: opening with a float, deposits and counts; closing with the counted
balance, its difference (a permission), the withdrawal; every balance from stored rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from staffing import logged_in

from cassa.engine.cash import Count
from cassa.engine.errors import DocumentStateError, InvalidInput, PermissionDenied
from cassa.engine.storage.models import CashCountRow, CashMovementRow, SafeMovementRow
from cassa.engine.till import Till

D = Decimal


def manager(till: Till) -> Till:
    logged_in(till, till.operator, "manager")
    return till


def sell_cash(till: Till, price: str, given: str | None = None) -> None:
    till.add_non_coded("Articolo", price, "22")
    window = till.checkout()
    window.add("cash", given or price)
    window.approve()


def test_a_day_closed_as_counted_carries_its_remaining_cash_into_the_next_opening(
    till: Till,
) -> None:
    sell_cash(till, "20.00")
    closing = till.close_day(
        counts=[Count.of("cash", "120.00")], withdrawals=[Count.of("cash", "100.00")]
    )
    line = closing.line("cash")
    assert (line.expected, line.counted, line.difference, line.withdrawal, line.remaining) == (
        D("120.00"),
        D("120.00"),
        D(0),
        D("100.00"),
        D("20.00"),
    )
    assert closing.documents == ("PC/T01/2026/000001",)
    till.open_day("25.00")
    with till.database.session() as session:
        opening = session.scalars(
            select(CashCountRow).where(CashCountRow.stage == "open").order_by(CashCountRow.id)
        ).all()[-1]
    assert (opening.expected, opening.counted, opening.difference) == (D(20), D(25), D(5))
    assert till.cash.expected() == D("25.00")  # the opening difference is not booked (seed)


def test_a_counted_difference_needs_the_permission_and_becomes_a_cash_document(
    till: Till,
) -> None:
    sell_cash(till, "10.00")
    short = [Count.of("cash", denominations={"100": 1, "5": 1, "2": 1, "1": 1, "0.50": 1})]
    with pytest.raises(PermissionDenied, match="close a day with a difference"):
        till.close_day(counts=short)
    assert till.days.current(till.code) is not None  # nothing was written
    closing = manager(till).close_day(counts=short)
    assert closing.line("cash").difference == D("-1.50")
    documents = till.cash.documents()
    assert [(d.number, d.kind, d.reason, d.amount) for d in documents] == [
        ("PC/T01/2026/000001", "cash_out", "closing_difference", D("1.50"))
    ]
    with till.database.session() as session:
        row = session.scalars(select(CashCountRow).where(CashCountRow.stage == "close")).one()
        assert row.denominations == '{"0.50": 1, "1": 1, "100": 1, "2": 1, "5": 1}'


def test_the_float_counted_by_denomination_opens_the_day_with_a_deposit(till: Till) -> None:
    till.close_day()
    day = till.open_day(
        counts=[Count.of("cash", denominations={"50": 1, "20": 2, "10": 1})],
        deposits=[Count.of("cash", "30.00"), Count.of("cash", "20", currency="USD")],
    )
    assert day.opening_float == D("100")
    documents = till.cash.documents()
    assert [(d.number, d.reason, d.currency, d.amount) for d in documents] == [
        ("VC/T01/2026/000001", "opening_deposit", "EUR", D("30")),
        ("VC/T01/2026/000002", "opening_deposit", "USD", D("20")),
    ]
    assert till.cash.expected() == D("130.00")
    assert till.cash.expected("cash", "USD") == D("20")


def test_a_count_must_use_the_currencys_banknotes_and_coins(till: Till) -> None:
    with pytest.raises(InvalidInput, match="3 is not a EUR banknote or coin"):
        till.close_day(counts=[Count.of("cash", denominations={"3": 1})])
    with pytest.raises(InvalidInput, match="add up to 20, not to the amount 25"):
        Count.of("cash", "25", denominations={"20": 1})


def test_a_withdrawal_above_the_drawer_is_refused(till: Till) -> None:
    with pytest.raises(InvalidInput, match="more than the 100"):
        till.close_day(withdrawals=[Count.of("cash", "150")])


def test_closing_twice_or_with_an_open_sale_is_refused(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    with pytest.raises(DocumentStateError, match="finish, park or discard"):
        till.close_day()
    till.discard("the customer left")
    till.close_day()
    with pytest.raises(DocumentStateError, match="the day is not open"):
        till.close_day()


def test_manual_cash_in_and_cash_out_documents_are_listed_and_filtered(till: Till) -> None:
    till.cash.cash_in("20.00", payer_kind="employee", description="Fondo")
    till.cash.cash_out("5.00", payer_kind="customer", payer="C0001", description="Rimborso")
    till.cash.cash_out("2.50")
    desk = till.cash
    assert [d.number for d in desk.documents(kind="cash_out")] == [
        "PC/T01/2026/000001",
        "PC/T01/2026/000002",
    ]
    assert [d.number for d in desk.documents(number="000002")] == ["PC/T01/2026/000002"]
    assert [d.amount for d in desk.documents(amount="5.00")] == [D("5")]
    customer = desk.documents(kind="cash_out")[0]
    assert (customer.payer_kind, customer.payer) == ("customer", "C0001")
    assert desk.expected() == D("112.50")
    with pytest.raises(InvalidInput, match=r"the drawer holds 112\.50"):
        desk.cash_out("200")
    with pytest.raises(InvalidInput, match="no customer 'NOBODY'"):
        desk.cash_in("1", payer_kind="customer", payer="NOBODY")


def test_every_day_balance_is_the_float_plus_the_stored_movements(till: Till) -> None:
    sell_cash(till, "33.30", "50")
    till.cash.cash_out("7.00")
    expected = till.cash.expected()
    with till.database.session() as session:
        moved = session.scalar(
            select(
                func.sum(CashMovementRow.amount).filter(CashMovementRow.direction == "in")
            ).where(CashMovementRow.tender == "cash")
        ) - session.scalar(
            select(
                func.sum(CashMovementRow.amount).filter(CashMovementRow.direction == "out")
            ).where(CashMovementRow.tender == "cash")
        )
    assert expected == D("100") + moved == D("126.30")


def test_the_withdrawal_at_closing_goes_into_the_safe_when_the_safe_is_managed(
    till: Till,
) -> None:
    sell_cash(till, "60.00")
    till.close_day(withdrawals=[Count.of("cash", "150")])
    with till.database.session() as session:
        (row,) = session.scalars(select(SafeMovementRow)).all()
    assert (row.direction, row.source, row.amount) == ("in", "day_closing", D("150"))
    assert till.cash.safe().line("cash").closing == D("150")
