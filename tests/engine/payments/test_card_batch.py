"""Closing the card terminal's batch from the till (seed: [Rapporto di spedizione]): the
terminal simulator on loopback TCP settles the sales and refunds since its last settlement,
and the till sets them beside its own record: they agree, or the difference is named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from staffing import logged_in

from cassa.devices.errors import DeviceError
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.devices.terminal.tcp import TcpPaymentTerminal
from cassa.engine.errors import DocumentStateError
from cassa.engine.payments import CardDeclined, CardOutcomeUnknown
from cassa.engine.people import AuditLog
from cassa.engine.till import Till

D = Decimal


def as_manager(till: Till) -> Till:
    logged_in(till, till.operator, "manager")
    return till


def paid_by_card(till: Till, code: str) -> str:
    """A receipt paid by card and approved: the card payment's id."""
    till.scan(code)
    window = till.checkout()
    entry = window.add("card")
    window.approve()
    assert entry.reference is not None
    return entry.reference


def test_a_batch_of_two_sales_and_a_refund_agrees_with_the_till(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid_by_card(card_till, "BAG-TOTE")  # 24.90
    paid_by_card(card_till, "SHOE-RUN-42")  # 89.90
    as_manager(card_till).cash.manual_refund("10.00")
    batch = card_till.cash.close_card_batch()
    assert (batch.terminal.sales, batch.terminal.sales_total) == (2, D("114.80"))
    assert (batch.terminal.refunds, batch.terminal.refunds_total) == (1, D("10.00"))
    assert batch.terminal.net == D("104.80")
    assert batch.agrees
    assert batch.difference == 0
    assert any(line.startswith(f"SETTLE {batch.id} EUR") for line in simulator.requests)


def test_a_voided_sale_is_in_neither_total_and_the_next_batch_starts_after_this_one(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    voided = paid_by_card(card_till, "BAG-TOTE")
    paid_by_card(card_till, "SHOE-RUN-42")
    as_manager(card_till).cash.void_card(voided)
    first = card_till.cash.close_card_batch()
    assert (first.terminal.sales, first.terminal.sales_total) == (1, D("89.90"))
    assert first.agrees
    paid_by_card(card_till, "BAG-TOTE")
    second = card_till.cash.close_card_batch()
    assert (second.till.sales, second.till.sales_total) == (1, D("24.90"))
    assert second.agrees
    empty = card_till.cash.close_card_batch()
    assert (empty.terminal.sales, empty.till.sales, empty.difference) == (0, 0, 0)


def test_a_sale_the_till_never_recorded_is_the_difference(
    card_till: Till, simulator: TerminalSimulator, terminal: TcpPaymentTerminal
) -> None:
    paid_by_card(card_till, "BAG-TOTE")
    terminal.sale("typed-on-the-terminal", D("15.00"), "EUR")  # by hand, past the till
    batch = card_till.cash.close_card_batch()
    assert not batch.agrees
    assert (batch.terminal.sales, batch.till.sales) == (2, 1)
    assert batch.difference == D("15.00")


def test_the_settlement_is_audited_with_both_sets_of_totals(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid_by_card(card_till, "BAG-TOTE")
    batch = card_till.cash.close_card_batch()
    (event,) = AuditLog(card_till.database).events(event="terminal_settlement")
    assert (event.actor, event.till, event.amount) == ("anna", "T01", D("24.90"))
    assert event.detail["terminal"]["net"] == event.detail["till"]["net"] == "24.90"
    assert event.detail["transactions"] == list(batch.transactions)


def test_a_settled_sale_can_no_longer_be_voided_only_refunded(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(card_till, "BAG-TOTE")
    card_till.cash.close_card_batch()
    with pytest.raises(CardDeclined, match="settled"):
        as_manager(card_till).cash.void_card(paid)


def test_a_card_payment_waiting_for_its_outcome_stops_the_settlement_before_the_terminal(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.script("timeout")
    card_till.scan("BAG-TOTE")
    window = card_till.checkout()
    simulator.hang = 30  # the customer never taps while the batch is asked for
    card_till.payment_devices.status_wait = 0.2  # type: ignore[union-attr]
    with pytest.raises((CardDeclined, CardOutcomeUnknown)):
        window.add("card")
    with pytest.raises(DocumentStateError, match="waits for its outcome"):
        card_till.cash.close_card_batch()
    assert not any(line.startswith("SETTLE") for line in simulator.requests)


def test_a_settlement_asked_again_with_its_id_answers_the_same_report(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("s1", D("12.50"), "EUR")
    first = terminal.settle("batch-1", "EUR")
    terminal.sale("s2", D("3.00"), "EUR")
    assert terminal.settle("batch-1", "EUR") == first
    assert (first.sales, first.sales_total, first.net) == (1, D("12.50"), D("12.50"))
    assert terminal.settle("batch-2", "EUR").sales_total == D("3.00")
    assert terminal.settle("batch-3", "CHF").sales == 0  # another currency's batch


def test_a_till_without_a_terminal_says_so(till: Till) -> None:
    with pytest.raises(DeviceError, match="No payment terminal"):
        till.cash.close_card_batch()
