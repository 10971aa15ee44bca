"""The payment terminal over loopback TCP: approve, decline, timeout, lost answer, status;
voids and refunds, each carried out once."""

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


# -- VOID and REFUND -----------------------------------------------------------------------------
def test_a_void_cancels_an_approved_sale_for_its_amount(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("sale-1", Decimal("42.10"), "EUR")
    result = terminal.void("void-1", "sale-1")
    assert result.approved
    assert result.amount == Decimal("42.10")
    assert result.authorization
    assert simulator.voids == [("void-1", "sale-1")]
    assert simulator.requests[-1] == "VOID void-1 sale-1"
    assert terminal.status("void-1").approved
    assert terminal.status("sale-1").approved  # the sale's own status stays the sale's


def test_a_sale_is_voided_once_and_an_unknown_one_never(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("sale-2", Decimal("5.00"), "EUR")
    assert terminal.void("void-2", "sale-2").approved
    again = terminal.void("void-3", "sale-2")
    assert again.outcome is PaymentOutcome.DECLINED
    assert again.reason == "sale sale-2 is already voided"
    unknown = terminal.void("void-4", "never-sold")
    assert unknown.outcome is PaymentOutcome.DECLINED
    assert unknown.reason == "unknown sale never-sold"
    assert terminal.void("void-5", "void-2").reason == "unknown sale void-2"
    assert simulator.voided("sale-2") == 1


def test_a_declined_sale_cannot_be_voided(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    simulator.script("decline")
    terminal.sale("sale-3", Decimal("5.00"), "EUR")
    assert terminal.void("void-6", "sale-3").reason == "sale sale-3 is not approved"
    assert simulator.voids == []


def test_the_script_decides_a_void_too_and_a_declined_void_leaves_the_sale_voidable(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("sale-4", Decimal("8.00"), "EUR")
    simulator.script("decline")
    declined = terminal.void("void-7", "sale-4")
    assert declined.outcome is PaymentOutcome.DECLINED
    assert declined.reason == "void refused by the acquirer"
    assert terminal.void("void-8", "sale-4").approved
    assert simulator.voided("sale-4") == 1


def test_a_void_whose_answer_is_lost_is_learnt_by_status_and_never_sent_twice(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("sale-5", Decimal("8.00"), "EUR")
    simulator.script("lost_answer")
    assert terminal.void("void-9", "sale-5").outcome is PaymentOutcome.UNKNOWN
    with pytest.raises(TerminalError, match="never sent twice"):
        terminal.void("void-9", "sale-5")
    assert terminal.resolve("void-9", wait=2, interval=0.05).approved
    assert simulator.executed("void-9") == 1


def test_a_void_in_progress_holds_the_sale_until_it_ends(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("sale-6", Decimal("8.00"), "EUR")
    simulator.script("timeout")
    assert terminal.void("void-10", "sale-6").outcome is PaymentOutcome.UNKNOWN
    assert terminal.void("void-11", "sale-6").reason == "a void of sale sale-6 is in progress"
    assert terminal.resolve("void-10", wait=5, interval=0.1).reason == "timed out at the terminal"
    assert terminal.void("void-12", "sale-6").approved
    assert simulator.voided("sale-6") == 1


def test_a_refund_pays_money_back_to_a_card(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    result = terminal.refund("refund-1", Decimal("15.50"), "EUR")
    assert result.approved
    assert result.amount == Decimal("15.50")
    assert result.authorization
    assert simulator.refunds == [("refund-1", Decimal("15.50"))]
    assert simulator.requests == ["REFUND refund-1 15.50 EUR"]
    assert simulator.charges == []


def test_a_refund_is_declined_or_lost_like_a_sale(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    simulator.script("decline", "lost_answer")
    declined = terminal.refund("refund-2", Decimal("3.00"), "EUR")
    assert declined.outcome is PaymentOutcome.DECLINED
    assert declined.reason == "refund declined by the issuer"
    assert terminal.refund("refund-3", Decimal("3.00"), "EUR").outcome is PaymentOutcome.UNKNOWN
    assert terminal.status("refund-3").approved
    assert terminal.refund("refund-4", Decimal("3.51"), "EUR").reason == (
        "refund declined by the issuer"  # the cents, when trying by hand
    )
    assert simulator.refunds == [("refund-3", Decimal("3.00"))]


def test_a_refund_naming_its_sale_goes_back_to_that_sale_never_above_what_it_has_left(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    terminal.sale("sale-9", Decimal("20.00"), "EUR")
    assert terminal.refund("refund-9", Decimal("12.00"), "EUR", original_id="sale-9").approved
    assert simulator.requests[-1] == "REFUND refund-9 12.00 EUR sale-9"
    too_much = terminal.refund("refund-10", Decimal("8.01"), "EUR", original_id="sale-9")
    assert too_much.outcome is PaymentOutcome.DECLINED
    assert too_much.reason == "sale sale-9 has only 8.00 left to refund"
    assert terminal.refund("refund-11", Decimal("8.00"), "EUR", original_id="sale-9").approved
    assert simulator.refunds == [("refund-9", Decimal("12.00")), ("refund-11", Decimal("8.00"))]


def test_a_refund_of_an_unknown_or_voided_sale_is_declined(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    unknown = terminal.refund("refund-12", Decimal("1.00"), "EUR", original_id="nosuchsale")
    assert unknown.reason == "unknown sale nosuchsale"
    terminal.sale("sale-13", Decimal("5.00"), "EUR")
    terminal.void("void-13", "sale-13")
    voided = terminal.refund("refund-13", Decimal("1.00"), "EUR", original_id="sale-13")
    assert voided.reason == "sale sale-13 is voided"
    assert simulator.refunds == []


def test_the_terminal_never_executes_a_repeated_id_again(simulator: TerminalSimulator) -> None:
    config = TerminalConfig("127.0.0.1", simulator.port, timeout=0.5)
    first = TcpPaymentTerminal(config).refund("refund-5", Decimal("2.00"), "EUR")
    again = TcpPaymentTerminal(config).refund("refund-5", Decimal("2.00"), "EUR")  # another process
    assert again.authorization == first.authorization
    TcpPaymentTerminal(config).sale("sale-7", Decimal("2.00"), "EUR")
    voided = TcpPaymentTerminal(config).void("void-13", "sale-7")
    assert TcpPaymentTerminal(config).void("void-13", "sale-7") == voided
    assert (simulator.executed("refund-5"), simulator.executed("void-13")) == (1, 1)


def test_bad_voids_and_refunds_are_refused_before_sending(
    terminal: TcpPaymentTerminal, simulator: TerminalSimulator
) -> None:
    with pytest.raises(TerminalError, match="transaction id"):
        terminal.void("void-14", "has space")
    with pytest.raises(TerminalError, match="transaction id"):
        terminal.void("has space", "sale-1")
    with pytest.raises(TerminalError, match="above zero"):
        terminal.refund("refund-6", Decimal("0"), "EUR")
    assert simulator.requests == []
