"""A till process for the storage tests, run with the virtualenv's python.

    python storage_child.py approve '{"url": ..., "engine_options": {...}, ...}'
    python storage_child.py crash '{"url": ..., "engine_options": {...}, ...}'

approve
    Opens the till, prints "ready", waits for a line on stdin (so that every
    process starts at the same moment), then approves ``count`` documents of
    ``doc_type`` on ``till`` with the clock in ``year``, and prints the numbers
    it got as a JSON list.
crash
    Builds a receipt of ``lines`` lines on till T01, then approves it. At the
    point named by ``when`` it writes ``marker`` (JSON: the document id and how
    far it got) and sleeps until the parent kills it:
    ``after-numbering``: the numbering upsert has run, nothing else of the approval;
    ``after-stock``: the stock movements are inserted, their levels not yet updated;
    ``before-commit``: every statement of the approval has run, COMMIT has not;
    ``after-commit``: approve() has returned;
    ``after-scans``: every scan has returned (its draft saved), approve() not called.

The database (schema, store, open day) is prepared by the parent.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from cassa.engine.storage.db import open_database
from cassa.engine.till import Till

ITEMS = ["8001234000011", "NOTEBOOK-A5", "STRAWBERRY", "BAG-TOTE"]


def _clock(year: int) -> Any:
    moment = datetime(year, 7, 5, 10, 30, tzinfo=UTC)
    return lambda: moment


def approve_many(spec: dict[str, Any]) -> None:
    database = open_database(spec["url"], migrate=False, **spec["engine_options"])
    till = Till.open(database, till=spec["till"], clock=_clock(spec["year"]))
    print("ready", flush=True)
    sys.stdin.readline()
    numbers = []
    for index in range(spec["count"]):
        till.new_document(spec["doc_type"])
        if spec.get("customer"):
            till.set_customer(spec["customer"])
        till.scan(ITEMS[index % len(ITEMS)])
        till.scan("NOTEBOOK-A5", 2)
        numbers.append(till.approve().number)
    database.dispose()
    print(json.dumps(numbers), flush=True)


def crash(spec: dict[str, Any]) -> None:
    database = open_database(spec["url"], migrate=False, **spec["engine_options"])
    till = Till.open(database, clock=_clock(2026))
    for index in range(spec["lines"]):
        till.scan(ITEMS[index % len(ITEMS)], 1 + index % 3)
    document = till.document()
    marker = Path(spec["marker"])
    when = spec["when"]
    progress = {"numbered": False, "approved_update": False}

    def stop_here() -> None:
        written = marker.with_suffix(".tmp")
        written.write_text(json.dumps({"document": document.id, "when": when, **progress}))
        written.replace(marker)  # the parent never reads half a marker
        time.sleep(600)  # the parent kills us here

    if when == "after-scans":  # each scan saved its draft (synchronous=NORMAL on SQLite)
        stop_here()

    @event.listens_for(database.engine, "after_cursor_execute")
    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO numbering"):
            progress["numbered"] = True
            if when == "after-numbering":
                stop_here()
        elif statement.startswith("UPDATE documents SET") and "number" in statement:
            progress["approved_update"] = True
        elif statement.startswith("INSERT INTO stock_movements"):
            progress["stock"] = True
            if when == "after-stock":
                stop_here()

    @event.listens_for(database.engine, "commit")
    def before_commit(_conn: Any) -> None:
        if when == "before-commit" and progress["approved_update"]:
            stop_here()

    approved = till.approve()
    if when == "after-commit":
        progress["number"] = approved.number  # type: ignore[assignment]
        stop_here()
    raise SystemExit(f"the child was not stopped at {when!r}")


if __name__ == "__main__":
    command, argument = sys.argv[1], json.loads(sys.argv[2])
    {"approve": approve_many, "crash": crash}[command](argument)
