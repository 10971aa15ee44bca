"""Fixtures for the payment tests: the demo till (tests/conftest.py) with a payment
terminal simulator on loopback TCP, and a manager's rights when a test needs them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cassa.devices.config import TerminalConfig
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.devices.terminal.tcp import TcpPaymentTerminal
from cassa.engine.payments import PaymentDevices
from cassa.engine.till import Till


@pytest.fixture
def simulator() -> Iterator[TerminalSimulator]:
    with TerminalSimulator(hang=0.3) as running:
        yield running


@pytest.fixture
def terminal(simulator: TerminalSimulator) -> TcpPaymentTerminal:
    return TcpPaymentTerminal(
        TerminalConfig(simulator.host, simulator.port, timeout=2.0), status_timeout=2.0
    )


@pytest.fixture
def card_till(till: Till, terminal: TcpPaymentTerminal) -> Till:
    """The demo till with its payment terminal."""
    till.payment_devices = PaymentDevices(terminal=terminal, status_wait=3.0)
    return till
