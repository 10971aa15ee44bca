"""A Spanish and a German till: the pack's language on screen and paper, and the pack's
actions offered to the cashier."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from staffing import logged_in
from ui_support import ROOT, Clock

from cassa.engine.storage.db import open_database
from cassa.engine.till import Till
from cassa.ui.app import Screen, TillApp
from cassa.ui.devices import UiDevices
from cassa.ui.server import ensure_store


def _till(tmp_path: Path, clock: Clock, store: str, operator: str, role: str) -> Iterator[TillApp]:
    database = open_database(f"sqlite:///{tmp_path / 'till.db'}")
    ensure_store(database, ROOT / "examples" / store)
    till = logged_in(Till.open(database, clock=clock), operator, role)
    till.open_day("100.00")
    devices = UiDevices.simulated(database, till, terminal_hang=0.2)
    try:
        yield TillApp(till, devices=devices)
    finally:
        devices.close()
        database.dispose()


@pytest.fixture
def madrid(tmp_path: Path, clock: Clock) -> Iterator[TillApp]:
    yield from _till(tmp_path, clock, "es-store", "anna", "cashier")


@pytest.fixture
def berlin(tmp_path: Path, clock: Clock) -> Iterator[TillApp]:
    yield from _till(tmp_path, clock, "de-store", "anna", "cashier")


def test_the_spanish_till_speaks_spanish_and_offers_the_invoice_a_business_needs(
    madrid: TillApp,
) -> None:
    app = madrid
    assert (app.locale, app.languages) == ("es_ES", ("es", "en"))
    app.go(Screen.SALE)
    assert app.sale.submit_entry("2*TALADRO")
    assert app.sale.choose_customer("OBRAS1")
    assert app.sale.answer_recalculate(True)
    assert app.sale.approve() is False  # the payment window does not open: an offer does
    assert app.sale.dialog == "convert"
    assert app.sale.conversion is not None
    assert "una empresa necesita una factura completa" in app.sale.conversion[0]
    assert app.sale.answer_conversion(True)
    assert app.screen is Screen.PAYMENT
    assert app.till.current is not None
    assert app.till.current.type.value == "invoice"


def test_a_cashier_who_declines_the_conversion_stays_on_the_ticket(madrid: TillApp) -> None:
    app = madrid
    app.go(Screen.SALE)
    assert app.sale.submit_entry("2*TALADRO")
    assert app.sale.choose_customer("OBRAS1")
    assert app.sale.answer_recalculate(True)
    assert app.sale.approve() is False
    assert app.sale.answer_conversion(False) is False
    assert app.screen is Screen.SALE
    assert app.till.current is not None
    assert app.till.current.type.value == "receipt"


def test_the_german_till_prints_every_receipt_in_german(berlin: TillApp) -> None:
    app = berlin
    assert app.t("total") == "Summe"
    app.go(Screen.SALE)
    assert app.sale.submit_entry("KAFFEE")
    assert app.sale.approve()
    assert app.payment.choose("cash")
    assert app.payment.approve()
    paper = app.payment.paper
    assert "KASSENBELEG" in paper  # 2.50 € is below the printer's 10 € rule: printed anyway
    assert "SUMME EUR" in paper
    assert "Vielen Dank für Ihren Einkauf" in paper
    app.set_locale("en")
    assert app.locale == "en_DE"
    assert app.t("total") == "Total"
    assert app.money(app.till.totals().total) == "2,50"  # English words, German numbers
