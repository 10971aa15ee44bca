"""The payment terminal over loopback TCP: approve, decline, timeout, lost answer, status."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from cassa.devices.config import TerminalConfig
from cassa.devices.terminal.base import PaymentOutcome, TerminalError
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.devices.terminal.tcp import TcpPaymentTerminal


@pytest.fixture
def simulator() -> Iterator[TerminalSimulator]:
    with TerminalSimulator(hang=1.0) as terminal:
        yield terminal


@pytest.fixture
def terminal(simulator: TerminalSimulator) -> TcpPaymentTerminal:
    return TcpPaymentTerminal(TerminalConfig("127.0.0.1", simulator.port, timeout=0.5))


def test_an_approved_payment_carries_amount_and_authorization(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    result = terminal.sale("S-T01-000001-1", Decimal("91.31"), "EUR")
    assert result.approved
    assert result.amount == Decimal("91.31")
    assert result.authorization
    assert simulator.charges == [("S-T01-000001-1", Decimal("91.31"))]
    assert simulator.requests == ["SALE S-T01-000001-1 91.31 EUR"]


def test_a_declined_payment_says_why_and_charges_nothing(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    simulator.script("decline")
    result = terminal.sale("txn-2", Decimal("10.00"), "EUR")
    assert result.outcome is PaymentOutcome.DECLINED
    assert "declined" in result.reason
    assert simulator.charges == []


def test_a_timeout_is_unknown_until_the_status_says_declined(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    simulator.script("timeout")
    result = terminal.sale("txn-3", Decimal("10.00"), "EUR")
    assert result.outcome is PaymentOutcome.UNKNOWN
    assert terminal.status("txn-3").outcome is PaymentOutcome.PENDING
    final = terminal.resolve("txn-3", wait=5, interval=0.1)
    assert final.outcome is PaymentOutcome.DECLINED
    assert "timed out" in final.reason
    assert simulator.charged("txn-3") == 0


def test_a_lost_answer_is_resolved_by_status_and_never_charged_twice(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    simulator.script("lost_answer")
    result = terminal.sale("txn-4", Decimal("25.50"), "EUR")
    assert result.outcome is PaymentOutcome.UNKNOWN
    with pytest.raises(TerminalError, match="never sent twice"):
        terminal.sale("txn-4", Decimal("25.50"), "EUR")
    resolved = terminal.resolve("txn-4", wait=2, interval=0.05)
    assert resolved.approved
    assert resolved.amount == Decimal("25.50")
    assert simulator.charged("txn-4") == 1


def test_the_terminal_itself_never_charges_a_known_transaction_again(
    simulator: TerminalSimulator,
) -> None:
    config = TerminalConfig("127.0.0.1", simulator.port, timeout=0.5)
    first = TcpPaymentTerminal(config).sale("txn-5", Decimal("5.00"), "EUR")
    again = TcpPaymentTerminal(config).sale("txn-5", Decimal("5.00"), "EUR")  # another process
    assert first.approved
    assert again.approved
    assert again.authorization == first.authorization
    assert simulator.charged("txn-5") == 1


def test_a_transaction_the_terminal_never_saw_is_not_found(terminal: TcpPaymentTerminal) -> None:
    assert terminal.status("never-sent").outcome is PaymentOutcome.NOT_FOUND


def test_the_cents_pick_the_outcome_when_trying_by_hand(
    terminal: TcpPaymentTerminal,
) -> None:
    assert terminal.sale("hand-1", Decimal("3.51"), "EUR").outcome is PaymentOutcome.DECLINED
    assert terminal.sale("hand-2", Decimal("3.53"), "EUR").outcome is PaymentOutcome.UNKNOWN
    assert terminal.status("hand-2").approved


def test_ping_and_an_unreachable_terminal(terminal: TcpPaymentTerminal) -> None:
    assert terminal.ping()
    gone = TcpPaymentTerminal(TerminalConfig("127.0.0.1", 9, timeout=0.5))
    assert not gone.ping()
    with pytest.raises(TerminalError, match="cannot be reached"):
        gone.sale("txn-6", Decimal("1.00"), "EUR")


def test_bad_transaction_ids_and_amounts_are_refused_before_sending(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    with pytest.raises(TerminalError, match="transaction id"):
        terminal.sale("has space", Decimal("1.00"), "EUR")
    with pytest.raises(TerminalError, match="above zero"):
        terminal.sale("txn-7", Decimal("0"), "EUR")
    assert simulator.requests == []
