"""A till process paying a receipt, stopped at a chosen step of the payment.

    python payment_child.py '{"url": ..., "engine_options": {...}, "host": ..., "port": ...,
                              "marker": ..., "when": ...}'

Builds a receipt of 114.80 (SHOE-RUN-42 and BAG-TOTE) on till T01 and pays it 64.80 by
card (through the terminal simulator the parent runs on loopback TCP) and 50.00 in cash.
At the step named by ``when`` it writes ``marker`` (JSON: the document id and the card
transaction id) and sleeps until the parent kills it with SIGKILL:

``intent-stored``           the card intent is committed, the terminal not asked yet;
``charged-not-recorded``    the terminal charged the card, the till has not recorded it;
``card-recorded``           the card payment is recorded as approved, not yet approved;
``approval-before-commit``  the approval wrote everything (number, payments, movements,
                            figures) and COMMIT has not run;
``after-commit``            the payment is approved.

The database (schema, store, open day) is prepared by the parent.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from cassa.devices.config import TerminalConfig
from cassa.devices.terminal.tcp import TcpPaymentTerminal
from cassa.engine.payments import PaymentDevices
from cassa.engine.storage.db import open_database
from cassa.engine.storage.models import CardTransactionRow
from cassa.engine.till import Till


def main(spec: dict[str, Any]) -> None:
    database = open_database(spec["url"], migrate=False, **spec["engine_options"])
    moment = datetime(2026, 7, 5, 10, 30, tzinfo=UTC)
    till = Till.open(database, clock=lambda: moment)
    terminal = TcpPaymentTerminal(
        TerminalConfig(spec["host"], spec["port"], timeout=5.0), status_timeout=5.0
    )
    marker = Path(spec["marker"])
    when = spec["when"]

    known: dict[str, str | None] = {"card": None}

    def stop_here() -> None:
        if known["card"] is None and when != "approval-before-commit":
            with database.session() as session:  # never inside the approval's transaction
                known["card"] = session.scalar(select(CardTransactionRow.id))
        card = known["card"]
        document = till.current.id if till.current else None
        written = marker.with_suffix(".tmp")
        written.write_text(json.dumps({"document": document, "card": card, "when": when}))
        written.replace(marker)
        time.sleep(600)  # the parent kills us here

    class Terminal:
        def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
            if when == "intent-stored":
                stop_here()
            result = terminal.sale(transaction_id, amount, currency)
            if when == "charged-not-recorded":
                stop_here()
            return result

        def status(self, transaction_id: str) -> Any:
            return terminal.status(transaction_id)

    till.payment_devices = PaymentDevices(terminal=Terminal(), status_wait=5.0)
    till.scan("SHOE-RUN-42")
    till.scan("BAG-TOTE")
    window = till.checkout()
    known["card"] = window.add("card", "64.80").reference
    if when == "card-recorded":
        stop_here()
    window.add("cash", "50.00")
    figures_written = {"done": False}

    @event.listens_for(database.engine, "after_cursor_execute")
    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO sale_group_stats"):
            figures_written["done"] = True

    @event.listens_for(database.engine, "commit")
    def before_commit(_conn: Any) -> None:
        if when == "approval-before-commit" and figures_written["done"]:
            stop_here()

    window.approve()
    if when == "after-commit":
        stop_here()
    raise SystemExit(f"the child was not stopped at {when!r}")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
