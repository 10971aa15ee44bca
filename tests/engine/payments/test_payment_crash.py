"""Killing the till (SIGKILL, a real subprocess) at any step of a payment leaves either a
paid document with its cash movements or an unpaid one, never half; and a card whose
outcome the dead till never recorded is never charged twice.

A child process (payment_child.py) pays 114.80 as 64.80 by card and 50.00 cash, and is
killed at each step. The parent, like the next start of the till, reopens the database,
checks what is stored, then finishes the payment: the card already charged counts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from staffing import DEMO_STAFF

from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.engine.payments import PaymentDevices
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import (
    CardTransactionRow,
    CashMovementRow,
    DocumentRow,
    PaymentRow,
    SaleStatsRow,
)
from cassa.engine.till import Till

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("payment_child.py")
STEPS = [
    "intent-stored",
    "charged-not-recorded",
    "card-recorded",
    "approval-before-commit",
    "after-commit",
]
D = Decimal


def run_until_marker(spec: dict[str, Any], marker: Path) -> dict[str, Any]:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                out, err = child.communicate()
                pytest.fail(f"the child ended ({child.returncode}) early:\n{out}\n{err}")
            if time.monotonic() > deadline:
                pytest.fail(f"the child did not reach {spec['when']} in 60 s")
            time.sleep(0.02)
        time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    return dict(json.loads(marker.read_text()))


def stored(database: Database, document_id: str) -> dict[str, Any]:
    with database.session() as session:
        document = session.get(DocumentRow, document_id)
        assert document is not None

        def count(model: Any, column: Any) -> int:
            return int(
                session.scalar(select(func.count()).select_from(model).where(column == document_id))
                or 0
            )

        return {
            "status": document.status,
            "number": document.number,
            "total": document.total,
            "payments": count(PaymentRow, PaymentRow.document_id),
            "paid": session.scalar(
                select(func.sum(PaymentRow.amount_system)).where(
                    PaymentRow.document_id == document_id
                )
            ),
            "movements": count(CashMovementRow, CashMovementRow.document_id),
            "figures": count(SaleStatsRow, SaleStatsRow.document_id),
        }


@pytest.mark.parametrize("when", STEPS)
def test_a_payment_killed_at_any_step_is_whole_or_absent_and_never_charges_twice(
    database_url: Any, database: Database, till: Till, tmp_path: Path, when: str
) -> None:
    with TerminalSimulator() as simulator:
        spec = {
            "url": database_url.url,
            "engine_options": database_url.engine_options,
            "host": simulator.host,
            "port": simulator.port,
            "marker": str(tmp_path / "marker.json"),
            "when": when,
        }
        reached = run_until_marker(spec, tmp_path / "marker.json")
        document_id = reached["document"]
        if database_url.dialect == "sqlite":
            with database.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

        found = stored(database, document_id)
        if when == "after-commit":
            assert found == {
                "status": "approved",
                "number": "S/T01/2026/000001",
                "total": D("114.80"),
                "payments": 2,
                "paid": D("114.80"),
                "movements": 2,
                "figures": 1,
            }
        else:
            assert found == {
                "status": "draft",
                "number": None,
                "total": None,
                "payments": 0,
                "paid": None,
                "movements": 0,
                "figures": 0,
            }

        # The till starts again on the same database and terminal.
        restarted = Till.open(database, credentials=DEMO_STAFF["anna"], clock=till.clock)
        restarted.payment_devices = PaymentDevices(terminal=_client(simulator), status_wait=5.0)
        if when != "after-commit":
            restarted.current = restarted.documents.load(document_id)
            window = restarted.checkout()
            charged_before = [e for e in window.entries if e.executed]
            if when == "intent-stored":
                assert charged_before == []  # the terminal never saw it: nothing charged
                window.add("card", "64.80")  # a new transaction, charged once
            else:
                assert [e.reference for e in charged_before] == [reached["card"]]
            window.add("cash", "50.00")
            paid = window.approve()
            assert paid.document.number == "S/T01/2026/000001"
        with database.session() as session:
            states = sorted(
                (row.state, row.payment_id is not None)
                for row in session.scalars(select(CardTransactionRow))
            )
        if when == "intent-stored":
            assert states == [("approved", True), ("failed", False)]
        else:
            assert states == [("approved", True)]
        assert len(simulator.charges) == 1  # the customer's card was charged once
        assert sum(1 for r in simulator.requests if r.startswith("SALE ")) == 1  # never resent
        assert stored(database, document_id)["paid"] == D("114.80")


def _client(simulator: TerminalSimulator) -> Any:
    from cassa.devices.config import TerminalConfig
    from cassa.devices.terminal.tcp import TcpPaymentTerminal

    return TcpPaymentTerminal(
        TerminalConfig(simulator.host, simulator.port, timeout=5.0), status_timeout=5.0
    )
