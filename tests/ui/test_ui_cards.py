"""The card transactions screen: the list of this till or of the store, voiding a payment
and the manual refund (done by the terminal, or by the operator on a terminal that cannot,
then recorded; a manager's approval first for a cashier), and transactions whose outcome
is unknown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from ui_support import Clock, login, manager_approves, texts

from cassa.devices.terminal.base import TerminalError
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.engine.payments import CardOutcomeUnknown, CardPayments, CardTransaction
from cassa.ui.app import Screen, TillApp
from cassa.ui.views.cards import cards_screen


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


def _simulator(app: TillApp) -> TerminalSimulator:
    assert app.devices is not None
    simulator: TerminalSimulator = app.devices.terminal_simulator
    return simulator


class _SaleOnly:
    """A terminal that can only charge: voids and refunds are done on it by hand."""

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        return self.terminal.sale(transaction_id, amount, currency)

    def status(self, transaction_id: str) -> Any:
        return self.terminal.status(transaction_id)


def _terminal_without_void_and_refund(app: TillApp) -> None:
    devices = app.till.payment_devices
    assert devices is not None
    devices.terminal = _SaleOnly(devices.terminal)


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
    assert when == "05/07/2026, 10:30"
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
        f"89,90 EUR: Pagamento, 05/07/2026, 10:30, cassa T01, anna · autorizzazione {authorization}"
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


def test_a_cashier_voids_a_payment_on_the_terminal_right_after_a_managers_approval(
    selling: TillApp, clock: Clock
) -> None:
    _paid_by_card(selling)
    clock.now += timedelta(minutes=5)
    selling.go_to("cards")
    cards = selling.cards
    paid = cards.rows[0].id
    cards.select(paid)
    assert cards.on_terminal("void")
    assert cards.locked("void")
    assert not cards.ask_void()
    assert selling.approval.open
    assert selling.approval.permissions == ("void_card_payment",)
    assert selling.approval.amount == Decimal("89.90")
    assert selling.till.cash.cards().get(paid).state == "approved"  # nothing done yet
    manager_approves(selling)
    assert cards.step is None
    assert not cards.busy
    void, payment = cards.rows  # the newest first
    assert selling.notice is not None
    assert selling.notice.kind == "info"
    assert selling.notice.text == (
        f"Annullamento di 89,90 eseguito dal terminale, autorizzazione {void.cells[6]}"
    )
    assert void.cells[0] == "05/07/2026, 10:35"
    assert void.cells[5] == "Annullamento pagamento"
    assert payment.cells[5] == "Pagamento annullato"
    assert not payment.voidable
    assert _simulator(selling).voided(paid) == 1
    stored = selling.till.cash.cards().get(void.id)
    assert (stored.resolution, stored.original_id) == ("terminal", paid)


def test_the_terminal_works_off_the_screen_and_cannot_be_interrupted(
    selling: TillApp, clock: Clock
) -> None:
    _paid_by_card(selling)
    clock.now += timedelta(minutes=5)
    selling.go_to("cards")
    cards = selling.cards
    waiting: list[Any] = []
    cards.background = waiting.append  # as the view does, off its event loop
    cards.select(cards.rows[0].id)
    cards.ask_void()
    manager_approves(selling)
    assert cards.busy
    assert cards.step is not None
    assert cards.instruction == (
        "Il terminale di pagamento sta annullando la transazione di 89,90 EUR…"
    )
    assert cards.instruction in texts(cards_screen(selling))
    cards.cancel_step()
    assert cards.step is not None
    (work,) = waiting
    work()
    assert not cards.busy
    assert cards.step is None
    assert cards.rows[1].cells[5] == "Pagamento annullato"


def test_a_void_the_terminal_declines_says_why_and_leaves_the_payment(
    selling: TillApp, clock: Clock
) -> None:
    _paid_by_card(selling)
    clock.now += timedelta(minutes=5)
    selling.go_to("cards")
    cards = selling.cards
    paid = cards.rows[0].id
    cards.select(paid)
    _simulator(selling).script("decline")
    cards.ask_void()
    manager_approves(selling)
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    assert selling.notice.text == (
        "Il terminale ha rifiutato l'annullamento: void refused by the acquirer"
    )
    void, payment = cards.rows
    assert void.cells[5] == "Annullamento rifiutato"
    assert payment.cells[5] == "Pagamento"
    assert payment.voidable
    assert selling.till.cash.cards().get(paid).state == "approved"


def test_a_void_without_an_answer_is_listed_as_unknown_until_the_terminal_tells(
    selling: TillApp, clock: Clock
) -> None:
    _paid_by_card(selling)
    clock.now += timedelta(minutes=5)
    selling.go_to("cards")
    cards = selling.cards
    paid = cards.rows[0].id
    cards.select(paid)
    _simulator(selling).script("lost_answer")
    _terminal(selling).status = _unreachable  # type: ignore[attr-defined]
    cards.ask_void()
    manager_approves(selling)
    assert selling.notice is not None
    assert selling.notice.kind == "warning"
    assert selling.notice.text == (
        "Il terminale non ha detto l'esito dell'annullamento di 89,90: è tra le transazioni "
        "con esito sconosciuto"
    )
    void, payment = cards.rows
    assert void.unresolved
    assert void.cells[5] == "Esito sconosciuto"
    assert cards.unresolved == 1
    assert payment.cells[5] == "Pagamento"
    assert not payment.voidable  # not a second void while the first one's outcome is unknown
    assert cards.selected == void.id
    assert cards.chosen is not None
    question = cards.question(cards.chosen)
    assert question.startswith("Il terminale non ha detto l'esito. L'annullamento è stato eseg")
    assert question in texts(cards_screen(selling))
    _terminal_answers_again(selling)
    assert cards.ask_terminal()
    assert selling.notice.text == "Esito registrato: Annullamento pagamento"
    assert [r.cells[5] for r in cards.rows] == ["Annullamento pagamento", "Pagamento annullato"]
    assert _simulator(selling).voided(paid) == 1


def test_a_manual_refund_is_typed_approved_and_done_by_the_terminal(selling: TillApp) -> None:
    selling.go_to("cards")
    cards = selling.cards
    for key in "15,5":
        cards.press(key)
    assert cards.amount == "15,5"
    cards.press("enter")
    assert selling.approval.open
    assert selling.approval.permissions == ("manual_refund",)
    assert selling.till.cash.card_transactions() == []
    manager_approves(selling)
    (refund,) = selling.till.cash.card_transactions()
    assert selling.notice is not None
    assert selling.notice.text == (
        f"Rimborso manuale di 15,50 eseguito dal terminale, autorizzazione {refund.auth_code}"
    )
    assert cards.amount == ""
    assert (refund.kind, refund.amount, refund.resolution) == (
        "refund",
        Decimal("15.50"),
        "terminal",
    )
    assert _simulator(selling).refunds == [(refund.id, Decimal("15.50"))]
    assert [r.cells[5] for r in cards.rows] == ["Rimborso manuale"]


def test_a_refund_the_terminal_declines_keeps_the_amount_typed(selling: TillApp) -> None:
    selling.go_to("cards")
    cards = selling.cards
    cards.press("9")
    _simulator(selling).script("decline")
    cards.ask_refund()
    manager_approves(selling)
    assert selling.notice is not None
    assert selling.notice.text == (
        "Il terminale ha rifiutato il rimborso: refund declined by the issuer"
    )
    assert cards.amount == "9"
    assert [r.cells[5] for r in cards.rows] == ["Rimborso rifiutato"]
    assert _simulator(selling).refunds == []


def test_the_operator_answers_a_refund_the_terminal_cannot_tell_about(
    selling: TillApp,
) -> None:
    selling.go_to("cards")
    cards = selling.cards
    cards.press("9")
    _simulator(selling).script("timeout")
    _terminal(selling).status = _unreachable  # type: ignore[attr-defined]
    cards.ask_refund()
    manager_approves(selling)
    assert selling.notice is not None
    assert selling.notice.text.startswith("Il terminale non ha detto l'esito del rimborso di 9,00")
    assert cards.chosen is not None
    assert "Il rimborso sulla carta è stato eseguito?" in cards.question(cards.chosen)
    assert cards.answer(False)
    assert selling.notice.text == "Esito registrato: Rimborso non eseguito"
    (refund,) = selling.till.cash.card_transactions()
    assert (refund.state, refund.resolved_by) == ("failed", "anna")
    assert selling.till.cash.expected("card") == Decimal("0")


def test_a_manager_refunds_on_the_terminal_without_an_approval(app: TillApp) -> None:
    login(app, "marco", "responsabile-milano")
    app.opening.press("0")
    assert app.opening.submit()
    app.go_to("cards")
    cards = app.cards
    assert not cards.locked("refund")
    cards.press("5")
    assert cards.ask_refund()
    assert not app.approval.open
    (refund,) = app.till.cash.card_transactions()
    assert (refund.amount, refund.resolution) == (Decimal("5"), "terminal")


def test_with_a_terminal_that_cannot_void_the_operator_voids_on_it_then_records(
    selling: TillApp,
) -> None:
    _paid_by_card(selling)
    _terminal_without_void_and_refund(selling)
    selling.go_to("cards")
    cards = selling.cards
    paid = cards.rows[0].id
    cards.select(paid)
    assert not cards.on_terminal("void")
    assert not cards.ask_void()
    manager_approves(selling)
    assert cards.step is not None
    assert "Annulla ora sul terminale di pagamento la transazione di 89,90 EUR" in (
        cards.instruction
    )
    assert any(text.endswith("Fatto sul terminale?") for text in texts(cards_screen(selling)))
    assert selling.till.cash.cards().get(paid).state == "approved"  # nothing recorded yet
    assert cards.done_on_terminal()
    assert selling.notice is not None
    assert selling.notice.text == "Annullamento di 89,90 registrato"
    assert cards.step is None
    # both at the test clock's same minute: told apart by id, not by their order
    (payment,) = [r for r in cards.rows if r.id == paid]
    (void,) = [r for r in cards.rows if r.id != paid]
    assert void.cells[5] == "Annullamento pagamento"
    assert payment.cells[5] == "Pagamento annullato"
    stored = selling.till.cash.cards().get(paid)
    assert stored.state == "voided"
    assert stored.resolved_by == "anna"
    assert selling.till.cash.cards().get(void.id).resolution == "operator"
    assert _simulator(selling).voids == []


def test_saying_no_at_the_terminal_question_records_nothing(selling: TillApp) -> None:
    _paid_by_card(selling)
    _terminal_without_void_and_refund(selling)
    selling.go_to("cards")
    cards = selling.cards
    cards.select(cards.rows[0].id)
    cards.ask_void()
    manager_approves(selling)
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


def test_with_a_terminal_that_cannot_refund_the_operator_refunds_on_it_then_records(
    selling: TillApp,
) -> None:
    _terminal_without_void_and_refund(selling)
    selling.go_to("cards")
    cards = selling.cards
    for key in "15,5":
        cards.press(key)
    cards.press("enter")
    manager_approves(selling)
    assert "rimborso di 15,50 EUR sulla carta del cliente" in cards.instruction
    assert selling.till.cash.card_transactions() == []
    assert cards.done_on_terminal()
    assert selling.notice is not None
    assert selling.notice.text == "Rimborso manuale di 15,50 registrato"
    assert cards.amount == ""
    (refund,) = selling.till.cash.card_transactions()
    assert refund.resolution == "operator"  # done on the terminal by the operator
    assert [r.cells[5] for r in cards.rows] == ["Rimborso manuale"]


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
