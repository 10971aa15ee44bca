"""The drawer opens only for tenders configured to open it; the seeds' examples run as
scenario files."""

from __future__ import annotations

from pathlib import Path

import pytest
from staffing import logged_in

from cassa.devices.drawer import CashDrawer
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.devices.terminal.tcp import TcpPaymentTerminal
from cassa.engine.payments import PaymentDevices
from cassa.engine.scenario import run_scenario_file
from cassa.engine.till import Till

SCENARIOS = Path(__file__).resolve().parents[3] / "examples" / "scenarios"
SEED_EXAMPLES = [
    "payment-card-and-cash",  # 359.95 = 309.95 card + 50.00 cash
    "payment-refused-in-italian",  # "Impossibile salvare il pagamento…"
    "cash-change-recorded",  # 75 paid with 100: cash in 100, cash out 25
    "cash-change-not-recorded",  # the same without record change: cash in 75
    "card-lost-answer",  # status query, the operator's answer, never charged twice
    "safe-deposit-at-drawer-limit",  # the 1,000 EUR limit and the 200 EUR deposit
    "shifts-and-mandatory-count",
    "vouchers-own",
    "vouchers-sold-by-debit-note",
    "vouchers-meal-and-social",
    "gift-cards-and-cheques",
    "split-payment-bank-transfer-only",
    "full-day",
]


@pytest.fixture
def printer() -> SimulatedPrinter:
    return SimulatedPrinter()


@pytest.fixture
def drawer_till(card_till: Till, terminal: TcpPaymentTerminal, printer: SimulatedPrinter) -> Till:
    drawer = CashDrawer(ReceiptPrinter(printer))
    card_till.payment_devices = PaymentDevices(terminal=terminal, drawer=drawer)
    return card_till


def test_the_drawer_opens_after_a_cash_payment(
    drawer_till: Till, printer: SimulatedPrinter
) -> None:
    drawer_till.scan("NOTEBOOK-A5")
    window = drawer_till.checkout()
    window.add("cash", "5")
    assert printer.jobs == []  # assigning an amount never opens it (seed)
    assert window.approve().drawer_opened
    assert printer.jobs == [b"\x1bp\x00\x32\x32"]


def test_the_drawer_stays_shut_after_a_card_payment(
    drawer_till: Till, printer: SimulatedPrinter
) -> None:
    drawer_till.scan("NOTEBOOK-A5")
    window = drawer_till.checkout()
    window.add("card")
    assert not window.approve().drawer_opened
    assert printer.jobs == []


def test_opening_the_drawer_without_a_sale_needs_the_permission(
    drawer_till: Till, printer: SimulatedPrinter
) -> None:
    from cassa.engine.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="open the drawer"):
        drawer_till.cash.open_drawer()
    logged_in(drawer_till, drawer_till.operator, "manager")
    assert drawer_till.cash.open_drawer()
    assert len(printer.jobs) == 1


@pytest.mark.parametrize("name", SEED_EXAMPLES)
def test_every_seed_example_of_the_money_side_runs_as_a_scenario(name: str) -> None:
    result = run_scenario_file(SCENARIOS / f"{name}.yaml")
    assert result.failures == []
    assert result.passed
