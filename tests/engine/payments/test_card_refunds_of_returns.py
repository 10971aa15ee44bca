"""A return of a receipt paid by card gives the money back to that card: the terminal's
REFUND names the original payment, never more than it has left; the return's own payment
books it in the drawer once; a return that cannot go back to a card says why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from staffing import logged_in

from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.engine.documents import Document
from cassa.engine.errors import InvalidInput
from cassa.engine.payments import CardDeclined
from cassa.engine.storage.models import CashMovementRow, PaymentRow
from cassa.engine.till import Till

D = Decimal


@pytest.fixture(autouse=True)
def manager(card_till: Till) -> None:
    """Returns need the permission make_return: the demo's managers hold it."""
    logged_in(card_till, card_till.operator, "manager")


def sold(till: Till, *tenders: str, code: str = "BAG-TOTE", quantity: int = 2) -> Document:
    """A receipt paid with the tenders in turn (the last one pays what is left)."""
    till.scan(code, quantity)
    window = till.checkout()
    for tender in tenders[:-1]:
        window.add(tender, window.due(tender) / 2)
    window.add(tenders[-1])
    return window.approve().document


def card_payment_of(till: Till, document: Document) -> str:
    (payment,) = [
        t for t in till.cash.card_transactions(document_id=document.id) if t.kind == "payment"
    ]
    return payment.id


def returning(till: Till, receipt: Document, quantity: int | None = None) -> None:
    till.returns.start(receipt.number or "")
    till.returns.take(1, quantity)


def test_the_return_of_a_card_sale_goes_back_to_its_card_by_a_refund_naming_the_sale(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    receipt = sold(card_till, "card")
    sale = card_payment_of(card_till, receipt)
    returning(card_till, receipt, 1)
    window = card_till.checkout()
    assert window.gives_back("card")
    entry = window.add("card")
    assert entry.amount == -(receipt.totals(card_till.currency).total / 2)
    back = f"{-entry.amount:.2f}"
    assert simulator.requests[-1] == f"REFUND {entry.reference} {back} EUR {sale}"
    paid = window.approve().document
    refund = card_till.cash.cards().get(entry.reference or "")
    assert (refund.kind, refund.state, refund.original_id) == ("refund", "approved", sale)
    assert refund.document_id == paid.id
    assert refund.payment_id is not None
    with card_till.database.session() as session:
        rows = session.scalars(select(PaymentRow).where(PaymentRow.document_id == paid.id)).all()
        assert [(r.tender, r.amount) for r in rows if r.kind == "payment"] == [
            ("card", entry.amount)
        ]
        manual = session.scalars(
            select(CashMovementRow).where(CashMovementRow.reason == "manual_refund")
        ).all()
        assert manual == []  # booked once, by the return's payment
    assert card_till.cash.expected("card") == receipt.totals(card_till.currency).total / 2


def test_a_card_gives_back_only_what_its_sale_has_left_and_cash_the_rest(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    receipt = sold(card_till, "cash", "card")
    total = receipt.totals(card_till.currency).total
    sale = card_payment_of(card_till, receipt)
    on_card = card_till.cash.cards().get(sale).amount
    returning(card_till, receipt)
    window = card_till.checkout()
    with pytest.raises(InvalidInput, match="can give back only"):
        window.add("card", total)
    assert simulator.refunds == []
    entry = window.add("card")  # what the card has left, not the whole return
    assert entry.amount == -on_card
    assert not window.gives_back("card")
    assert window.card_refund_refusal() is not None
    window.add("cash")
    window.approve()
    assert simulator.refunds == [(entry.reference, on_card)]


def test_a_second_return_of_the_same_card_sale_cannot_refund_it_twice(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    receipt = sold(card_till, "card")
    returning(card_till, receipt, 1)
    window = card_till.checkout()
    window.add("card")
    window.approve()
    returning(card_till, receipt, 1)
    again = card_till.checkout()
    again.add("card")
    again.approve()
    assert len(simulator.refunds) == 2
    assert (
        sum(amount for _id, amount in simulator.refunds) == receipt.totals(card_till.currency).total
    )


def test_a_cash_sale_returned_says_why_the_card_is_not_offered(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    receipt = sold(card_till, "cash")
    returning(card_till, receipt, 1)
    window = card_till.checkout()
    assert not window.gives_back("card")
    refusal = window.card_refund_refusal()
    assert refusal is not None
    assert str(refusal) == "The returned receipt was not paid by card"
    assert refusal.render("it") != str(refusal)  # the catalogs translate it
    with pytest.raises(InvalidInput, match="not paid by card"):
        window.add("card")
    assert simulator.requests == []  # nothing was sent for the return


def test_a_refund_declined_by_the_terminal_adds_nothing_and_can_be_tried_again(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    receipt = sold(card_till, "card")
    returning(card_till, receipt, 1)
    window = card_till.checkout()
    simulator.script("decline")
    with pytest.raises(CardDeclined, match="the card refund was declined"):
        window.add("card")
    assert window.entries == []
    assert simulator.refunds == []
    entry = window.add("card")
    window.approve()
    assert [amount for _id, amount in simulator.refunds] == [-entry.amount]


def test_a_refund_given_before_a_crash_is_found_again_when_the_window_reopens(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    receipt = sold(card_till, "card")
    returning(card_till, receipt, 1)
    entry = card_till.checkout().add("card")
    reopened = card_till.checkout()  # the till restarted: the window is opened again
    assert [(e.reference, e.amount, e.executed) for e in reopened.entries] == [
        (entry.reference, entry.amount, True)
    ]
    assert reopened.settled
    reopened.approve()
    assert len(simulator.refunds) == 1
