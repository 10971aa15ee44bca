"""The payment window's view-model: tender tiles, amount keypad, cash with change, card
through the terminal simulator, unknown card outcomes, clear/undo/back, print."""

from __future__ import annotations

from decimal import Decimal

from ui_support import manager_approves

from cassa.ui.app import Screen, TillApp
from cassa.ui.payment import next_amounts


def pay_screen(app: TillApp, *codes: str) -> None:
    for code in codes:
        assert app.sale.submit_entry(code), app.notice
    assert app.sale.approve()
    assert app.screen is Screen.PAYMENT


def type_amount(app: TillApp, text: str) -> None:
    app.payment.press("clear")
    for key in text:
        app.payment.press(key)


def test_tiles_follow_the_layout_and_the_amount_proposes_what_is_left(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    payment = selling.payment
    tiles = payment.tiles()
    assert [t.code for t in tiles][:3] == ["cash", "card", "voucher"]
    assert all(t.enabled for t in tiles if t.code in ("cash", "card"))
    assert payment.amount == "89,90"
    assert payment.figures() == {
        "to_pay": "89,90",
        "paid": "0,00",
        "remaining": "89,90",
        "change": "0,00",
    }
    assert not payment.settled


def test_cash_with_change_then_printed(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42", "BAG-TOTE")
    payment = selling.payment
    type_amount(selling, "120")
    assert payment.choose("cash")
    assert payment.settled
    assert payment.figures()["change"] == "5,20"
    assert [e.tender for e in payment.entries()] == ["Contanti"]
    assert payment.approve()
    assert payment.paid is not None
    assert payment.paid.number == "S/T01/2026/000001"
    assert payment.print_message == "Stampato"
    assert "TOTALE EUR                          114,80" in payment.paper
    assert "Scarpe da corsa 42" in payment.paper
    assert payment.tiles()
    assert not any(t.enabled for t in payment.tiles())
    payment.new_sale()
    assert selling.screen is Screen.SALE
    assert selling.sale.totals.lines == 0


def test_keypad_enter_pays_in_cash(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    selling.payment.press("enter")
    assert selling.payment.settled


def test_card_through_the_terminal_then_cash_for_the_rest(selling: TillApp) -> None:
    """Seed: 309,95 by card, the remaining 50,00 in cash."""
    pay_screen(selling, "4*SHOE-RUN-42")
    payment = selling.payment
    assert payment.figures()["to_pay"] == "359,60"
    type_amount(selling, "309,60")
    payment.begin_card()
    assert payment.card_busy
    assert payment.pay_card("card")
    assert not payment.card_busy
    (card,) = payment.entries()
    assert card.executed
    assert card.reference
    assert not payment.can_clear  # a charged card payment is never cleared
    assert payment.amount == "50,00"
    assert payment.choose("cash")
    assert payment.approve()
    simulator = selling.devices.terminal_simulator if selling.devices else None
    assert simulator is not None
    assert simulator.charges[0][1] == Decimal("309.60")


def test_card_outcome_nobody_knows_is_asked_to_the_operator(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    assert selling.devices is not None
    simulator = selling.devices.terminal_simulator
    simulator.script("lost_answer")
    selling.till.payment_devices.terminal.status = _unreachable  # type: ignore[union-attr]
    payment = selling.payment
    assert not payment.pay_card("card")
    assert payment.card_question is not None
    assert "Il pagamento con carta è stato tuttavia completato" in payment.card_question_text
    assert payment.answer_card(True)
    assert payment.card_question is None
    assert payment.settled
    assert payment.approve()


def _unreachable(transaction_id: str) -> object:
    from cassa.devices.terminal.base import TerminalError

    raise TerminalError("payment terminal cannot be reached: connection refused")


def test_a_declined_card_is_a_clear_refusal(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    assert selling.devices is not None
    selling.devices.terminal_simulator.script("decline")
    assert not selling.payment.pay_card("card")
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    assert not selling.payment.settled


def test_clear_undo_and_back_to_the_document(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    payment = selling.payment
    type_amount(selling, "10")
    assert payment.choose("cash")
    type_amount(selling, "20")
    assert payment.choose("cash")
    assert payment.figures()["paid"] == "30,00"
    assert payment.undo()
    assert payment.figures()["paid"] == "10,00"
    assert not payment.back()  # seed: clear the payments before going back
    assert payment.can_clear
    assert payment.clear()
    assert payment.figures()["paid"] == "0,00"
    assert payment.back()
    assert selling.screen is Screen.SALE
    assert selling.sale.totals.lines == 1


def test_paying_less_than_the_document_is_refused_in_italian(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    type_amount(selling, "10")
    selling.payment.choose("cash")
    assert not selling.payment.approve()
    assert selling.notice is not None
    assert selling.notice.text == (
        "Impossibile salvare il pagamento. Il valore del pagamento è inferiore al valore "
        "del documento"
    )


def test_a_voucher_asks_its_number(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    payment = selling.payment
    assert payment.choose("voucher")
    assert payment.number_for == "voucher"
    assert not payment.submit_number()  # no number typed
    payment.number = "V50-999999"
    assert not payment.submit_number()
    assert selling.notice is not None
    assert selling.notice.text == "Non esiste un buono acquisto con tale numero"


def test_a_small_receipt_is_printed_only_when_the_customer_asks(selling: TillApp) -> None:
    pay_screen(selling, "CHOC-MILK")
    payment = selling.payment
    assert payment.choose("cash")
    assert payment.approve()
    assert payment.printable_again
    assert payment.paper == ""
    assert "sotto il limite" in payment.print_message
    assert payment.print_receipt()
    assert "1,90" in payment.paper
    assert not payment.printable_again
    assert payment.print_receipt()  # a copy: anna may reprint
    assert "DUPLICAT" in payment.paper.upper()


def test_another_currency_proposes_the_amount_at_the_packs_rate(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    payment = selling.payment
    assert payment.currencies()[:2] == ["EUR", "USD"]
    payment.set_currency("USD")
    assert payment.amount == "97,72"  # 89.90 / 0.92, rounded up
    card = next(t for t in payment.tiles() if t.code == "card")
    assert not card.enabled
    assert "USD" in card.why_not
    assert payment.choose("cash")
    assert payment.settled
    assert payment.entries()[0].amount == "97,72 USD"


def test_quick_cash_offers_the_exact_amount_and_the_next_banknotes(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42", "2*BAG-TOTE", "2*TILE-CER-01")  # 89,90 + 49,80 + 4,80
    payment = selling.payment
    assert [(q.label, q.exact) for q in payment.quick_cash()] == [
        ("144,50", True),
        ("145,00", False),
        ("150,00", False),
        ("160,00", False),
    ]


def test_a_quick_cash_button_pays_that_much_in_cash_with_the_change(selling: TillApp) -> None:
    pay_screen(selling, "SHOE-RUN-42")
    payment = selling.payment
    offered = {q.label: q.amount for q in payment.quick_cash()}
    assert list(offered) == ["89,90", "90,00", "100,00", "200,00"]
    assert payment.pay_cash(offered["100,00"])
    assert payment.settled
    assert payment.figures()["change"] == "10,10"
    assert payment.quick_cash() == []  # nothing left to pay


def test_the_next_amounts_round_up_to_banknotes_and_whole_coins() -> None:
    faces = tuple(Decimal(f) for f in ("500", "200", "100", "50", "20", "10", "5", "2", "1", "0.5"))
    assert next_amounts(Decimal("209.50"), faces) == [Decimal(210), Decimal(220), Decimal(250)]
    assert next_amounts(Decimal("7.30"), faces) == [Decimal(8), Decimal(10), Decimal(20)]
    assert next_amounts(Decimal("20"), faces) == [Decimal(50), Decimal(100), Decimal(200)]


def test_a_buy_back_prints_the_receipt_and_its_manual_correction(selling: TillApp) -> None:
    """Used gold (30.00) taken back against the running shoes (89.90): the customer pays
    59.90; the receipt holds the shoes, the correction the gold, each on its own paper."""
    assert selling.sale.submit_entry("SHOE-RUN-42")
    assert selling.sale.submit_entry("-1*BUYBACK-GOLD")
    assert not selling.sale.approve()  # anna may not approve a buy-back: asked before paying
    manager_approves(selling)
    payment = selling.payment
    assert payment.choose("cash")
    assert payment.approve(), selling.notice
    paid = payment.paid
    assert paid is not None
    assert paid.number == "S/T01/2026/000001"
    assert paid.bought_back is not None
    assert paid.bought_back.number == "CM/T01/2026/000001"
    paper = selling.devices.paper_since(0) if selling.devices else ""
    assert "TOTALE EUR                           89,90" in paper
    assert "CORREZIONE MANUALE S/T01/2026/000001" in paper
    assert "TOTALE EUR                          -30,00" in paper
