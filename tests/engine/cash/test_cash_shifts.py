"""Shifts: a cashier's drawer independent of the till, across the store's tills, counted
by denomination when counting is mandatory, carried from shift to shift."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from staffing import logged_in

from cassa.engine.cash import Count
from cassa.engine.errors import DocumentStateError, InvalidInput, PermissionDenied
from cassa.engine.payments import LocalizedError
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

D = Decimal
ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 7, 5, 8, 0, tzinfo=UTC)

TillFactory = Callable[[str, str], Till]


@pytest.fixture
def open_till(database: Database) -> TillFactory:
    """Tills of the shift-working demo store (mandatory counting), day open."""
    import_store(database, load_store(ROOT / "examples" / "stores" / "shifts"))

    def opened(code: str, operator: str) -> Till:
        till = logged_in(Till.open(database, till=code, clock=lambda: NOW), operator, "cashier")
        if till.days.current(code) is None:
            till.open_day()
        return till

    return opened


def sell(till: Till, price: str) -> None:
    till.add_non_coded("Articolo", price, "22")
    window = till.checkout()
    window.add("cash", price)
    window.approve()


def test_a_shift_moves_with_its_cashier_between_the_tills_of_the_store(
    open_till: TillFactory,
) -> None:
    first = open_till("T01", "anna")
    second = open_till("T02", "anna")
    first.cash.open_shift(deposits=[Count.of("cash", "50")])
    sell(first, "10.00")
    sell(second, "15.00")
    assert first.cash.expected() == second.cash.expected() == D("75.00")
    closing = second.cash.close_shift(
        counts=[Count.of("cash", denominations={"50": 1, "20": 1, "5": 1})]
    )
    assert closing.line("cash").difference == D(0)
    assert closing.number == "TU/MI01/2026/000001"


def test_sales_and_cash_need_an_open_shift_when_the_store_works_by_shifts(
    open_till: TillFactory,
) -> None:
    till = open_till("T01", "anna")
    with pytest.raises(DocumentStateError, match="anna has no open shift"):
        till.cash.cash_in("10")
    till.add_non_coded("Articolo", "5.00", "22")
    window = till.checkout()
    window.add("cash", "5")
    with pytest.raises(DocumentStateError, match="anna has no open shift"):
        window.approve()
    assert till.document().status.value == "draft"


def test_mandatory_counting_refuses_a_closing_without_a_count_or_with_a_typed_one(
    open_till: TillFactory,
) -> None:
    till = open_till("T01", "anna")
    till.cash.open_shift(deposits=[Count.of("cash", "20")])
    with pytest.raises(LocalizedError) as refused:
        till.cash.close_shift()
    assert refused.value.render("it") == "Il conteggio del saldo della cassa è obbligatorio"
    with pytest.raises(InvalidInput, match="by banknotes and coins"):
        till.cash.close_shift(counts=[Count.of("cash", "20")])
    till.cash.close_shift(counts=[Count.of("cash", denominations={"20": 1})])


def test_a_shift_with_nothing_in_the_drawer_opens_without_a_count(
    open_till: TillFactory,
) -> None:
    till = open_till("T01", "anna")
    assert till.cash.open_shift().cashier == "anna"
    with pytest.raises(DocumentStateError, match="already open"):
        till.cash.open_shift()


def test_the_next_shift_opens_with_what_the_last_one_left(open_till: TillFactory) -> None:
    till = open_till("T01", "anna")
    till.cash.open_shift(deposits=[Count.of("cash", "100")])
    till.cash.close_shift(
        counts=[Count.of("cash", denominations={"50": 2})], withdrawals=[Count.of("cash", "60")]
    )
    with pytest.raises(LocalizedError):
        till.cash.open_shift()  # 40.00 are expected: count them
    till.cash.open_shift(counts=[Count.of("cash", denominations={"20": 2})])
    assert till.cash.expected() == D("40")


def test_closing_another_cashiers_shift_needs_the_permission(open_till: TillFactory) -> None:
    anna = open_till("T01", "anna")
    anna.cash.open_shift()
    bruno = open_till("T02", "bruno")
    with pytest.raises(PermissionDenied, match="close another cashier's shift"):
        bruno.cash.close_shift(cashier="anna")
    logged_in(bruno, bruno.operator, "manager")
    closed = bruno.cash.close_shift(cashier="anna")
    assert closed.kind == "shift"
    assert [s.as_json()["status"] for s in bruno.cash.shifts(text="anna")] == ["closed"]


def test_shifts_do_not_exist_where_the_store_works_by_till(till: Till) -> None:
    with pytest.raises(InvalidInput, match="works by till"):
        till.cash.open_shift()
