"""The card transactions screen: the list of this till or of the store, voiding a payment
and the manual refund (done on the terminal by the operator, then recorded, with a
manager's approval first for a cashier), and card payments whose outcome is unknown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from ui_support import Clock, login

from cassa.devices.terminal.base import TerminalError
from cassa.engine.payments import CardOutcomeUnknown, CardPayments, CardTransaction
from cassa.ui.app import Screen, TillApp


def _paid_by_card(app: TillApp, code: str = "SHOE-RUN-42") -> None:
    assert app.sale.submit_entry(code), app.notice
    assert app.sale.approve()
    assert app.payment.pay_card("card"), app.notice
    assert app.payment.approve(), app.notice
    app.payment.new_sale()


def _terminal(app: TillApp) -> object:
    devices = app.till.payment_devices
    assert devices is not None
    assert devices.terminal is not None
    return devices.terminal


def _unreachable(transaction_id: str) -> object:
    raise TerminalError("payment terminal cannot be reached: connection refused")


def _lost_answer(app: TillApp, amount: str = "20.00") -> CardTransaction:
    """A card payment the terminal charged but whose answer never came back, with the
    terminal unreachable since: its outcome is unknown."""
    assert app.devices is not None
    app.devices.terminal_simulator.script("lost_answer")
    terminal = _terminal(app)
    terminal.status = _unreachable  # type: ignore[attr-defined]
    cards = app.till.cash.cards()
    with pytest.raises(CardOutcomeUnknown) as unknown:
        cards.charge(Decimal(amount), "EUR", operator="anna", document_id=None)
    return cards.get(unknown.value.transaction_id)


def _terminal_answers_again(app: TillApp) -> None:
    del _terminal(app).status  # type: ignore[attr-defined]


def _manager_approves(app: TillApp) -> None:
    app.approval.username = "marco"
    app.approval.password = "responsabile-milano"
    assert app.approval.approve(), app.approval.error


def test_the_functions_screen_opens_the_card_list_with_this_tills_payments(
    selling: TillApp,
) -> None:
    _paid_by_card(selling)
    selling.go_to("functions")
    assert "card_payments" in selling.functions()
    assert selling.run_function("card_payments")
    assert selling.screen is Screen.CARDS
    (row,) = selling.cards.rows
    when, till, cashier, document, amount, status, authorization = row.cells
    assert when == "05/07/2026 10:30"
    assert till == "T01"
    assert cashier == "anna"
    assert document.startswith("S")
    assert amount == "89,90 EUR"
    assert status == "Pagamento"
    assert authorization
    assert row.voidable
    selling.cards.select(row.id)
    assert selling.cards.chosen is not None
    assert selling.cards.describe(selling.cards.chosen) == (
        f"89,90 EUR: Pagamento, 05/07/2026 10:30, cassa T01, anna · autorizzazione {authorization}"
    )


def test_the_whole_store_shows_the_other_tills_card_payments_too(selling: TillApp) -> None:
    terminal = _terminal(selling)
    other = CardPayments(
        selling.till.database,
        terminal,  # type: ignore[arg-type]
        store="MI01",
        till="T02",
        clock=selling.till.now,
    )
    other.charge(Decimal("7.00"), "EUR", operator="marco", document_id=None)
    selling.go_to("cards")
    assert selling.cards.rows == []
    selling.cards.set_store_wide(True)
    (row,) = selling.cards.rows
    assert row.cells[1] == "T02"
    assert row.cells[4] == "7,00 EUR"


def test_the_filter_takes_an_amount_or_a_cashier(selling: TillApp) -> None:
    _paid_by_card(selling)
    selling.go_to("cards")
    selling.cards.set_filter("89,90")
    assert len(selling.cards.rows) == 1
    selling.cards.set_filter("12")
    assert selling.cards.rows == []
    selling.cards.set_filter("anna")
    assert len(selling.cards.rows) == 1


def test_a_cashier_voids_a_payment_after_a_managers_approval_and_the_terminal(
    selling: TillApp, clock: Clock
) -> None:
    _paid_by_card(selling)
    clock.now += timedelta(minutes=5)
    selling.go_to("cards")
    cards = selling.cards
    paid = cards.rows[0].id
    cards.select(paid)
    assert cards.locked("void")
    assert not cards.ask_void()
    assert selling.approval.open
    assert selling.approval.permissions == ("void_card_payment",)
    assert selling.approval.amount == Decimal("89.90")
    _manager_approves(selling)
    assert cards.step is not None
    assert "Annulla ora sul terminale di pagamento la transazione di 89,90 EUR" in (
        cards.instruction
    )
    assert selling.till.cash.cards().get(paid).state == "approved"  # nothing recorded yet
    assert cards.done_on_terminal()
    assert selling.notice is not None
    assert selling.notice.text == "Annullamento di 89,90 registrato"
    assert cards.step is None
    void, payment = cards.rows  # the newest first
    assert void.cells[0] == "05/07/2026 10:35"
    assert void.cells[5] == "Annullamento pagamento"
    assert payment.cells[5] == "Pagamento annullato"
    assert not payment.voidable
    stored = selling.till.cash.cards().get(paid)
    assert stored.state == "voided"
    assert stored.resolved_by == "anna"


def test_saying_no_at_the_terminal_question_records_nothing(selling: TillApp) -> None:
    _paid_by_card(selling)
    selling.go_to("cards")
    cards = selling.cards
    cards.select(cards.rows[0].id)
    cards.ask_void()
    _manager_approves(selling)
    cards.cancel_step()
    assert cards.step is None
    assert len(selling.till.cash.card_transactions()) == 1
    assert selling.till.cash.card_transactions()[0].state == "approved"


def test_only_an_approved_payment_can_be_voided(selling: TillApp) -> None:
    selling.go_to("cards")
    assert not selling.cards.ask_void()
    assert selling.notice is not None
    assert selling.notice.text == "Seleziona un pagamento con carta approvato"
    assert not selling.approval.open


def test_a_manual_refund_is_typed_approved_done_on_the_terminal_then_recorded(
    selling: TillApp,
) -> None:
    selling.go_to("cards")
    cards = selling.cards
    for key in "15,5":
        cards.press(key)
    assert cards.amount == "15,5"
    cards.press("enter")
    assert selling.approval.open
    assert selling.approval.permissions == ("manual_refund",)
    _manager_approves(selling)
    assert "rimborso di 15,50 EUR sulla carta del cliente" in cards.instruction
    assert selling.till.cash.card_transactions() == []
    assert cards.done_on_terminal()
    assert selling.notice is not None
    assert selling.notice.text == "Rimborso manuale di 15,50 registrato"
    assert cards.amount == ""
    (refund,) = selling.till.cash.card_transactions()
    assert refund.kind == "refund"
    assert refund.amount == Decimal("15.50")
    assert refund.resolution == "operator"  # done on the terminal by the operator
    assert [r.cells[5] for r in cards.rows] == ["Rimborso manuale"]


def test_a_manager_refunds_without_an_approval(app: TillApp) -> None:
    login(app, "marco", "responsabile-milano")
    app.opening.press("0")
    assert app.opening.submit()
    app.go_to("cards")
    cards = app.cards
    assert not cards.locked("refund")
    for key in "5":
        cards.press(key)
    assert cards.ask_refund()
    assert not app.approval.open
    assert cards.done_on_terminal()
    assert app.till.cash.card_transactions()[0].amount == Decimal("5")


def test_a_refund_of_nothing_is_refused_before_anything_else(selling: TillApp) -> None:
    selling.go_to("cards")
    assert not selling.cards.ask_refund()
    assert selling.notice is not None
    assert selling.notice.text == "L'importo deve essere maggiore di zero"
    assert not selling.approval.open
    assert selling.cards.step is None


def test_an_unknown_card_payment_is_listed_and_the_operator_answers_it(
    selling: TillApp,
) -> None:
    unknown = _lost_answer(selling)
    selling.go_to("cards")
    cards = selling.cards
    (row,) = cards.rows
    assert row.unresolved
    assert row.cells[5] == "Esito sconosciuto"
    assert cards.unresolved == 1
    cards.select(unknown.id)
    assert not cards.ask_terminal()  # the terminal still cannot be reached
    assert selling.notice is not None
    assert selling.notice.kind == "warning"
    assert "Completato sì o no" in selling.notice.text
    assert cards.answer(True)
    assert selling.notice.text == "Esito registrato: Pagamento"
    assert cards.chosen is not None
    assert cards.describe(cards.chosen).endswith("esito dato da anna")
    stored = selling.till.cash.cards().get(unknown.id)
    assert stored.state == "approved"
    assert stored.resolution == "operator"
    assert stored.resolved_by == "anna"
    assert cards.unresolved == 0


def test_asking_the_terminal_again_learns_that_it_charged(selling: TillApp) -> None:
    unknown = _lost_answer(selling)
    _terminal_answers_again(selling)
    selling.go_to("cards")
    selling.cards.select(unknown.id)
    selling.cards.begin_query()
    assert selling.cards.busy
    assert selling.cards.ask_terminal()
    assert not selling.cards.busy
    assert selling.notice is not None
    assert selling.notice.text == "Esito registrato: Pagamento"
    stored = selling.till.cash.cards().get(unknown.id)
    assert stored.state == "approved"
    assert stored.resolution == "status_query"


def test_logging_in_settles_card_payments_the_terminal_can_tell_about(selling: TillApp) -> None:
    unknown = _lost_answer(selling)
    _terminal_answers_again(selling)
    selling.logout()
    login(selling)
    assert selling.screen is Screen.SALE
    assert selling.notice is None
    assert selling.till.cash.cards().get(unknown.id).state == "approved"


def test_logging_in_warns_of_card_payments_still_unknown(selling: TillApp) -> None:
    unknown = _lost_answer(selling)
    selling.logout()
    login(selling)
    assert selling.notice is not None
    assert selling.notice.kind == "warning"
    assert selling.notice.text.startswith("Pagamenti con carta con esito sconosciuto: 1.")
    assert selling.till.cash.cards().get(unknown.id).state == "unknown"
