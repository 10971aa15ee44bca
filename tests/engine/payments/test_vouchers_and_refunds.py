"""Own vouchers and gift cards: balances follow their events, sales are reserved until
paid, money goes back onto multi-use vouchers and gift cards only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from staffing import logged_in

from cassa.engine.errors import InvalidInput
from cassa.engine.payments import LocalizedError, StoredValues
from cassa.engine.till import Till

D = Decimal


def manager(till: Till) -> Till:
    logged_in(till, till.operator, "manager")
    return till


def test_a_voucher_balance_always_equals_the_sum_of_its_events(till: Till) -> None:
    vouchers = till.cash.vouchers
    vouchers.issue("CREDIT", ["VM-000001"])
    vouchers.issue("GIFT50", ["V50-000001"])
    vouchers.sell("V50-000001")
    till.checkout().add("cash", "50")
    till.payment_window.approve()  # type: ignore[union-attr]
    till.add_non_coded("Libro", "35.00", "4")
    window = till.checkout()
    window.add("voucher", number="V50-000001")
    window.voucher_change("voucher", "VM-000001")
    window.approve()
    till.add_non_coded("Penna", "4.00", "22")
    till.checkout().add("voucher", number="VM-000001")
    till.payment_window.approve()  # type: ignore[union-attr]
    store = StoredValues(till.database)
    for number, balance in (("V50-000001", D(0)), ("VM-000001", D(11))):
        found = store.get(number)
        assert found is not None
        assert found.balance == balance
        assert store.balance_from_events(number) == balance


def test_a_voucher_line_deleted_before_the_payment_leaves_the_voucher_unsold(till: Till) -> None:
    vouchers = till.cash.vouchers
    vouchers.issue("GIFT50", ["V50-000002"])
    vouchers.sell("V50-000002")
    till.scan("NOTEBOOK-A5")
    till.delete_line(1)
    till.checkout().add("cash", "5")
    till.payment_window.approve()  # type: ignore[union-attr]
    assert vouchers.get("V50-000002").status == "generated"
    vouchers.sell("V50-000002")  # free to be sold again


def test_a_buy_back_is_paid_onto_a_multi_use_voucher_which_it_activates(till: Till) -> None:
    manager(till)
    till.cash.vouchers.issue("CREDIT", ["VM-000009"])
    till.scan("BUYBACK-GOLD", -1)
    window = till.checkout()
    assert window.to_pay == D("-30.00")
    with pytest.raises(InvalidInput, match="cannot be used to give money back"):
        window.add("sodexo", "30")
    window.add("voucher", number="VM-000009")
    paid = window.approve()
    assert paid.document.status.value == "approved"
    voucher = till.cash.vouchers.get("VM-000009")
    assert (voucher.status, voucher.balance) == ("active", D("30.00"))
    assert till.cash.expected("voucher") == D("-30.00")  # a voucher handed out


def test_money_goes_back_onto_a_gift_card_or_in_cash(till: Till) -> None:
    manager(till)
    till.cash.vouchers.top_up("GC00000005", "10.00")
    till.checkout().add("cash", "10")
    till.payment_window.approve()  # type: ignore[union-attr]
    till.scan("BUYBACK-GOLD", -1)
    window = till.checkout()
    window.add("giftcard", "-20", number="GC00000005")
    window.add("cash")
    assert window.settled
    window.approve()
    assert till.cash.vouchers.balance("GC00000005") == D("30.00")
    assert till.cash.expected("cash") == D("100") + D("10") - D("10")


def test_a_single_use_voucher_cannot_take_money_back(till: Till) -> None:
    manager(till)
    vouchers = till.cash.vouchers
    vouchers.issue("GIFT50", ["V50-000003"])
    till.scan("BUYBACK-GOLD", -1)
    with pytest.raises(InvalidInput, match="not a multi-use"):
        till.checkout().add("voucher", number="V50-000003")


def test_a_deactivated_gift_card_keeps_its_balance_on_record_but_pays_nothing(till: Till) -> None:
    till.cash.vouchers.top_up("GC00000007", "15.00")
    till.checkout().add("cash", "15")
    till.payment_window.approve()  # type: ignore[union-attr]
    till.cash.vouchers.deactivate("GC00000007")
    assert till.cash.vouchers.balance("GC00000007") == D("15.00")
    till.scan("NOTEBOOK-A5")
    with pytest.raises(LocalizedError) as refused:
        till.checkout().add("giftcard", number="GC00000007")
    assert refused.value.render("it") == (
        "L'azione non è disponibile per il buono acquisto numero GC00000007"
    )


def test_a_voucher_sold_by_debit_note_leaves_the_receipt_in_the_same_transaction(
    till: Till,
) -> None:
    till.cash.vouchers.issue("GIFT50NA", ["VN-000007"])
    till.cash.vouchers.sell("VN-000007")
    till.scan("SHOE-RUN-42")
    window = till.checkout()
    window.add("cash", "139.90")
    paid = window.approve()
    assert (paid.number, paid.debit_note) == ("S/T01/2026/000001", "NA/T01/2026/000001")
    receipt = till.documents.find_by_number("S/T01/2026/000001")
    note = till.documents.find_by_number("NA/T01/2026/000001")
    assert [line.sku for line in receipt.lines] == ["SHOE-RUN-42"]
    assert [line.sku for line in note.lines] == ["VOUCHER-50"]
    assert till.cash.vouchers.get("VN-000007").status == "active"
