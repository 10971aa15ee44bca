"""Voids and manual refunds carried out by the terminal simulator on loopback TCP: an
approved answer voids the payment and moves the drawer's card money, a declined one changes
nothing, an unknown one waits for its status or the operator's answer and takes effect only
then, once; a terminal without the commands leaves them to the operator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from staffing import logged_in

from cassa.devices.terminal.base import TerminalError
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.engine.errors import DocumentStateError
from cassa.engine.payments import CardDeclined, CardOutcomeUnknown
from cassa.engine.storage.models import CashMovementRow
from cassa.engine.till import Till

D = Decimal


def as_manager(till: Till) -> Till:
    logged_in(till, till.operator, "manager")
    return till


def paid_by_card(till: Till, code: str = "BAG-TOTE") -> str:
    """A receipt paid by card and approved: the card payment's id."""
    till.scan(code)
    window = till.checkout()
    entry = window.add("card")
    window.approve()
    assert entry.reference is not None
    return entry.reference


def card_movements(till: Till) -> list[tuple[str, Decimal]]:
    with till.database.session() as session:
        rows = session.scalars(select(CashMovementRow).where(CashMovementRow.reason != "sale"))
        return sorted((r.reason, r.amount) for r in rows)


class Unreachable:
    """The terminal's client whose status queries fail, until `back()`."""

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal
        self.down = True

    def back(self) -> None:
        self.down = False

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        return self.terminal.sale(transaction_id, amount, currency)

    def void(self, transaction_id: str, original_id: str) -> Any:
        return self.terminal.void(transaction_id, original_id)

    def refund(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        return self.terminal.refund(transaction_id, amount, currency)

    def status(self, transaction_id: str) -> Any:
        if self.down:
            raise TerminalError("payment terminal cannot be reached: connection refused")
        return self.terminal.status(transaction_id)


class SaleOnly:
    """A terminal that can only charge: voids and refunds are done on it by hand."""

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        return self.terminal.sale(transaction_id, amount, currency)

    def status(self, transaction_id: str) -> Any:
        return self.terminal.status(transaction_id)


def status_down(till: Till) -> Unreachable:
    devices = till.payment_devices
    assert devices is not None
    devices.terminal = Unreachable(devices.terminal)
    return devices.terminal


# -- voids -----------------------------------------------------------------------------------
def test_a_void_approved_by_the_terminal_voids_the_payment_and_takes_its_money_out(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    voided = card_till.cash.void_card(paid)
    assert (voided.id, voided.state, voided.resolved_by) == (paid, "voided", "anna")
    (void,) = card_till.cash.card_transactions(states=frozenset({"approved"}))
    assert (void.kind, void.original_id, void.amount) == ("void", paid, D("24.90"))
    assert (void.resolution, void.resolved_by) == ("terminal", None)
    assert void.auth_code
    assert f"VOID {void.id} {paid}" in simulator.requests
    assert simulator.voided(paid) == 1
    assert card_movements(card_till) == [("card_void", D("24.90"))]
    assert card_till.cash.expected("card") == D("0")


def test_a_void_declined_by_the_terminal_changes_nothing(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    simulator.script("decline")
    with pytest.raises(CardDeclined, match="the void of the card payment was declined") as no:
        card_till.cash.void_card(paid)
    assert no.value.reason == "void refused by the acquirer"
    void = card_till.cash.cards().get(no.value.transaction_id)
    assert (void.kind, void.state, void.message) == ("void", "declined", no.value.reason)
    assert card_till.cash.cards().get(paid).state == "approved"
    assert card_movements(card_till) == []
    assert card_till.cash.expected("card") == D("24.90")
    assert simulator.voided(paid) == 0


def test_a_void_whose_answer_is_lost_is_settled_by_its_status_and_done_once(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    simulator.script("lost_answer")
    assert card_till.cash.void_card(paid).state == "voided"
    void = next(t for t in card_till.cash.card_transactions() if t.kind == "void")
    assert (void.state, void.resolution) == ("approved", "status_query")
    assert sum(1 for r in simulator.requests if r.startswith("VOID ")) == 1
    assert simulator.executed(void.id) == 1
    assert card_movements(card_till) == [("card_void", D("24.90"))]


def test_an_unknown_void_leaves_the_payment_approved_until_its_status_says_voided(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    terminal = status_down(card_till)
    simulator.script("lost_answer")
    with pytest.raises(CardOutcomeUnknown) as unknown:
        card_till.cash.void_card(paid)
    cards = card_till.cash.cards()
    void_id = unknown.value.transaction_id
    assert cards.get(void_id).state == "unknown"
    assert cards.get(paid).state == "approved"
    assert card_movements(card_till) == []
    with pytest.raises(DocumentStateError, match="waits for its outcome"):
        card_till.cash.void_card(paid)  # never a second void while the first is unknown
    terminal.back()
    assert cards.resolve(void_id).state == "approved"
    assert cards.get(paid).state == "voided"
    assert cards.resolve(void_id).state == "approved"  # settled already: nothing again
    cards.resolve_pending()
    assert card_movements(card_till) == [("card_void", D("24.90"))]
    assert simulator.voided(paid) == 1


def test_an_unknown_void_is_settled_after_a_restart_and_moves_the_money_once(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    terminal = status_down(card_till)
    simulator.script("lost_answer")
    with pytest.raises(CardOutcomeUnknown):
        card_till.cash.void_card(paid)
    terminal.back()
    settled = card_till.cash.cards().resolve_pending()
    assert [(t.kind, t.state) for t in settled] == [("void", "approved")]
    assert card_till.cash.cards().get(paid).state == "voided"
    assert card_till.cash.cards().resolve_pending() == []
    assert card_movements(card_till) == [("card_void", D("24.90"))]


def test_a_void_learnt_while_the_day_is_closed_waits_for_a_drawer_to_book_it(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    terminal = status_down(card_till)
    simulator.script("lost_answer")
    with pytest.raises(CardOutcomeUnknown):
        card_till.cash.void_card(paid)
    card_till.close_day()
    terminal.back()
    (waiting,) = card_till.cash.cards().resolve_pending()
    assert (waiting.kind, waiting.state) == ("void", "unknown")
    assert card_till.cash.cards().get(paid).state == "approved"
    card_till.open_day("100.00")
    (settled,) = card_till.cash.cards().resolve_pending()
    assert settled.state == "approved"
    assert card_till.cash.cards().get(paid).state == "voided"
    assert card_movements(card_till) == [("card_void", D("24.90"))]


def test_the_operator_answers_an_unknown_void_and_only_a_yes_voids_the_payment(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    first, second = paid_by_card(as_manager(card_till)), paid_by_card(card_till, "NOTEBOOK-A5")
    status_down(card_till)
    cards = card_till.cash.cards()
    voids = []
    for paid in (first, second):
        simulator.script("timeout")
        with pytest.raises(CardOutcomeUnknown) as unknown:
            card_till.cash.void_card(paid)
        voids.append(unknown.value.transaction_id)
    done = cards.confirm(voids[0], True, operator="marco")
    assert (done.state, done.resolution, done.resolved_by) == ("approved", "operator", "marco")
    assert cards.get(first).state == "voided"
    assert cards.confirm(voids[1], False, operator="marco").state == "failed"
    assert cards.get(second).state == "approved"
    assert card_movements(card_till) == [("card_void", D("24.90"))]


def test_a_payment_is_never_voided_twice(card_till: Till, simulator: TerminalSimulator) -> None:
    paid = paid_by_card(as_manager(card_till))
    card_till.cash.void_card(paid)
    with pytest.raises(DocumentStateError, match="only an approved payment can be voided"):
        card_till.cash.void_card(paid)
    terminal = card_till.payment_devices.terminal  # type: ignore[union-attr]
    again = terminal.void("another-void", paid)  # another till's void, say
    assert (str(again.outcome), again.reason) == ("declined", f"sale {paid} is already voided")
    assert simulator.voided(paid) == 1
    assert card_movements(card_till) == [("card_void", D("24.90"))]


def test_a_payment_voided_in_its_payment_window_never_entered_the_drawer(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    as_manager(card_till).scan("BAG-TOTE")
    window = card_till.checkout()
    entry = window.add("card")
    window.void_card(entry.id)
    assert window.entries == []
    assert window.cards.get(entry.reference or "").state == "voided"
    assert simulator.voided(entry.reference or "") == 1
    assert card_movements(card_till) == []
    assert card_till.cash.expected("card") == D("0")


def test_nothing_reaches_the_terminal_when_the_drawer_cannot_book_the_void(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    card_till.close_day()
    with pytest.raises(DocumentStateError):
        card_till.cash.void_card(paid)
    assert not any(r.startswith("VOID ") for r in simulator.requests)
    assert card_till.cash.cards().get(paid).state == "approved"


# -- manual refunds ----------------------------------------------------------------------------
def test_a_refund_approved_by_the_terminal_takes_the_money_out_of_the_drawer(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    refund = as_manager(card_till).cash.manual_refund("12.00")
    assert (refund.kind, refund.state, refund.resolution) == ("refund", "approved", "terminal")
    assert refund.auth_code
    assert simulator.refunds == [(refund.id, D("12.00"))]
    assert f"REFUND {refund.id} 12.00 EUR" in simulator.requests
    assert card_movements(card_till) == [("manual_refund", D("12.00"))]
    assert card_till.cash.expected("card") == D("-12.00")


def test_a_refund_declined_by_the_terminal_moves_no_money(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.script("decline")
    with pytest.raises(CardDeclined, match="the card refund was declined") as no:
        as_manager(card_till).cash.manual_refund("12.00")
    refund = card_till.cash.cards().get(no.value.transaction_id)
    assert (refund.kind, refund.state) == ("refund", "declined")
    assert simulator.refunds == []
    assert card_movements(card_till) == []


def test_an_unknown_refund_moves_the_money_once_when_its_status_says_refunded(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    terminal = status_down(as_manager(card_till))
    simulator.script("lost_answer")
    with pytest.raises(CardOutcomeUnknown) as unknown:
        card_till.cash.manual_refund("12.00")
    refund_id = unknown.value.transaction_id
    assert card_movements(card_till) == []
    terminal.back()
    (settled,) = card_till.cash.cards().resolve_pending()
    assert (settled.id, settled.state, settled.resolution) == (
        refund_id,
        "approved",
        "status_query",
    )
    card_till.cash.cards().resolve_pending()
    assert card_movements(card_till) == [("manual_refund", D("12.00"))]
    assert simulator.executed(refund_id) == 1


def test_an_unknown_refund_the_terminal_never_received_refunds_nothing(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.stop()
    with pytest.raises(CardOutcomeUnknown) as unknown:
        as_manager(card_till).cash.manual_refund("12.00")
    refund_id = unknown.value.transaction_id
    assert card_till.cash.cards().get(refund_id).state == "unknown"
    assert card_till.cash.cards().confirm(refund_id, False, operator="anna").state == "failed"
    assert card_movements(card_till) == []


# -- a terminal without the commands -------------------------------------------------------------
def test_a_terminal_without_void_and_refund_leaves_them_to_the_operator(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    paid = paid_by_card(as_manager(card_till))
    devices = card_till.payment_devices
    assert devices is not None
    devices.terminal = SaleOnly(devices.terminal)
    cards = card_till.cash.cards()
    assert not cards.on_terminal("void")
    assert not cards.on_terminal("refund")
    assert card_till.cash.void_card(paid).state == "voided"
    refund = card_till.cash.manual_refund("12.00")
    by_hand = [
        (t.kind, t.state, t.resolution, t.resolved_by) for t in cards.list() if t.kind != "payment"
    ]
    assert sorted(by_hand) == [
        ("refund", "approved", "operator", "anna"),
        ("void", "approved", "operator", "anna"),
    ]
    assert refund.resolution == "operator"
    assert not any(r.startswith(("VOID ", "REFUND ")) for r in simulator.requests)
    assert card_movements(card_till) == [("card_void", D("24.90")), ("manual_refund", D("12.00"))]
