"""Card payments through a real terminal simulator on loopback TCP: the intent is stored
first, an unknown outcome is resolved by a status query, the operator is asked only when
that fails, and a card is never charged twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from staffing import logged_in

from cassa.devices.terminal.base import TerminalError
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.engine.errors import PermissionDenied
from cassa.engine.payments import CardDeclined, CardOutcomeUnknown, CardState
from cassa.engine.storage.models import CardTransactionRow, CashMovementRow
from cassa.engine.till import Till

D = Decimal


def as_manager(till: Till) -> Till:
    logged_in(till, till.operator, "manager")
    return till


def sales_sent(simulator: TerminalSimulator, transaction_id: str) -> int:
    return sum(1 for r in simulator.requests if r.startswith(f"SALE {transaction_id} "))


def test_the_intent_is_stored_as_pending_before_the_terminal_is_asked(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    seen: list[str] = []
    real = card_till.payment_devices.terminal  # type: ignore[union-attr]

    class Watching:
        def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
            with card_till.database.session() as session:
                row = session.get(CardTransactionRow, transaction_id)
                assert row is not None
                seen.append(row.state)
            return real.sale(transaction_id, amount, currency)

        def status(self, transaction_id: str) -> Any:
            return real.status(transaction_id)

    card_till.payment_devices.terminal = Watching()  # type: ignore[union-attr]
    card_till.scan("SHOE-RUN-42")
    card_till.checkout().add("card")
    assert seen == [CardState.PENDING]


def test_a_lost_answer_is_resolved_by_a_status_query_and_charged_once(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.script("lost_answer")
    card_till.scan("SHOE-RUN-42")
    window = card_till.checkout()
    entry = window.add("card")
    transaction = window.cards.get(entry.reference or "")
    assert (transaction.state, transaction.resolution) == ("approved", "status_query")
    assert simulator.charged(transaction.id) == 1
    assert sales_sent(simulator, transaction.id) == 1
    assert f"STATUS {transaction.id}" in simulator.requests
    window.approve()
    assert window.cards.get(transaction.id).payment_id is not None


def test_a_timeout_is_polled_until_the_terminal_declines_and_nothing_is_charged(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.script("timeout")
    card_till.scan("BAG-TOTE")
    window = card_till.checkout()
    with pytest.raises(CardDeclined, match="timed out"):
        window.add("card")
    assert window.entries == []
    (transaction,) = window.cards.list()
    assert transaction.state == "declined"
    assert simulator.charges == []


def test_when_the_status_cannot_be_learnt_the_operator_is_asked_and_the_answer_logged(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.script("lost_answer")
    devices = card_till.payment_devices
    assert devices is not None
    real = devices.terminal

    class StatusDown:
        def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
            return real.sale(transaction_id, amount, currency)  # type: ignore[union-attr]

        def status(self, transaction_id: str) -> Any:
            raise TerminalError("payment terminal cannot be reached")

    devices.terminal = StatusDown()
    card_till.scan("SHOE-RUN-42")
    window = card_till.checkout()
    with pytest.raises(CardOutcomeUnknown) as unknown:
        window.add("card")
    assert unknown.value.render("it") == (
        "Si è verificato un problema durante il pagamento. Dettagli: Transazione non riuscita! "
        "Il pagamento con carta è stato tuttavia completato con successo?"
    )
    transaction_id = unknown.value.transaction_id
    assert window.cards.get(transaction_id).state == "unknown"
    with pytest.raises(CardOutcomeUnknown):
        window.add("cash", "10")  # nothing else until the operator answers
    entry = window.confirm_card(transaction_id, True)
    assert entry is not None
    assert entry.executed
    logged = window.cards.get(transaction_id)
    assert (logged.state, logged.resolution, logged.resolved_by) == ("approved", "operator", "anna")
    window.approve()
    assert simulator.charged(transaction_id) == 1
    assert sales_sent(simulator, transaction_id) == 1


def test_an_unreachable_terminal_is_never_assumed_to_have_charged(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    simulator.stop()
    card_till.scan("NOTEBOOK-A5")
    window = card_till.checkout()
    with pytest.raises(CardOutcomeUnknown) as unknown:
        window.add("card")
    assert window.confirm_card(unknown.value.transaction_id, False) is None
    logged = window.cards.get(unknown.value.transaction_id)
    assert (logged.state, logged.resolved_by) == ("failed", "anna")
    window.add("cash", "5")
    assert window.approve().settlement.change == D("1.50")


class Crash(BaseException):
    """The till process dying in the middle of a card payment."""


def test_a_card_charged_before_a_crash_pays_the_document_after_the_restart(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    devices = card_till.payment_devices
    assert devices is not None
    real = devices.terminal

    class DiesAfterSending:
        def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
            real.sale(transaction_id, amount, currency)  # type: ignore[union-attr]
            raise Crash

        def status(self, transaction_id: str) -> Any:
            return real.status(transaction_id)  # type: ignore[union-attr]

    devices.terminal = DiesAfterSending()
    card_till.scan("SHOE-RUN-42")
    with pytest.raises(Crash):
        card_till.checkout().add("card")
    with card_till.database.session() as session:
        (row,) = session.scalars(select(CardTransactionRow)).all()
        assert row.state == "pending"
    devices.terminal = real
    window = card_till.checkout()  # the next start: the pending transaction is resolved
    assert [e.reference for e in window.entries] == [row.id]
    assert window.settled
    window.approve()
    assert simulator.charged(row.id) == 1
    assert sales_sent(simulator, row.id) == 1


def test_voiding_a_card_payment_needs_its_permission_and_takes_the_money_out(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    card_till.scan("BAG-TOTE")
    window = card_till.checkout()
    entry = window.add("card")
    window.approve()
    with pytest.raises(PermissionDenied, match="void a card payment"):
        card_till.cash.void_card(entry.reference or "")
    as_manager(card_till)
    voided = card_till.cash.void_card(entry.reference or "")
    assert voided.state == "voided"
    assert card_till.cash.expected("card") == D("0")
    with card_till.database.session() as session:
        reasons = sorted(r.reason for r in session.scalars(select(CashMovementRow)))
    assert reasons == ["card_void", "sale"]
    kinds = [(t.kind, t.state) for t in card_till.cash.card_transactions(store_wide=True)]
    assert sorted(kinds) == [("payment", "voided"), ("void", "approved")]


def test_a_manual_refund_needs_its_permission(card_till: Till) -> None:
    with pytest.raises(PermissionDenied, match="manual refund"):
        card_till.cash.manual_refund("12.00")
    as_manager(card_till)
    refund = card_till.cash.manual_refund("12.00")
    assert (refund.kind, refund.state, refund.operator) == ("refund", "approved", "anna")
    assert card_till.cash.expected("card") == D("-12.00")
