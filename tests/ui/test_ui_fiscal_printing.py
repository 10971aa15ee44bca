"""What the till prints carries the pack's fiscal marks: in France each receipt its short
signature, each reprint a numbered duplicate with its own link in the hash chain, and
the chain still verifies afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from staffing import logged_in
from ui_support import ROOT, Clock

from cassa.engine.fiscal import verify_chains
from cassa.engine.storage.db import Database, open_database
from cassa.engine.till import Till
from cassa.ui.app import Screen, TillApp
from cassa.ui.devices import UiDevices
from cassa.ui.server import ensure_store


@pytest.fixture
def paris(tmp_path: Path, clock: Clock) -> Iterator[tuple[TillApp, Database]]:
    """The Paris bakery's till, its manager at work, the day open."""
    database = open_database(f"sqlite:///{tmp_path / 'paris.db'}")
    ensure_store(database, ROOT / "examples" / "fr-store")
    till = logged_in(Till.open(database, clock=clock), "claire", "gerant")
    till.open_day("50.00")
    devices = UiDevices.simulated(database, till, language="en", omit_receipt_up_to=None)
    try:
        yield TillApp(till, devices=devices, locale="en"), database
    finally:
        devices.close()
        database.dispose()


def test_a_french_receipt_and_its_reprint_are_signed_and_chained(
    paris: tuple[TillApp, Database],
) -> None:
    app, database = paris
    app.go(Screen.SALE)
    assert app.sale.submit_entry("TARTE-CITRON")
    assert app.sale.approve()
    assert app.payment.choose("cash")
    assert app.payment.approve()
    paid = app.payment.paid
    assert paid is not None
    signature = app.till.fiscal.signature(paid.number)
    assert signature in app.payment.paper

    assert app.payment.print_receipt()  # the manager may reprint
    assert "Duplicate no. 1" in app.payment.paper
    assert signature not in app.payment.paper  # the duplicate is signed by its own link
    original, duplicate = app.till.fiscal.print_history(paid.number)
    assert (original.print_number, original.duplicate_id) == (1, None)
    assert (duplicate.print_number, duplicate.duplicate_id, duplicate.operator) == (2, 1, "claire")
    assert duplicate.signature is not None
    assert duplicate.signature in app.payment.paper
    report = verify_chains(database)
    assert report.ok, report.problems
