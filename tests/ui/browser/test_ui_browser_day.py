"""A whole day in the real app, in Chromium: log in, open the day, scan, a coupon, pay by
card and cash, print, close the day, checking what the screen shows at each step.

The server is `cassa till` in a child process on a fresh database; the browser is
Debian's Chromium driven by Playwright for Python. Without Chromium (or Playwright)
the tests are skipped, saying why: `make test` installs Chromium when run as root.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_MARKS

from cassa.ui.browser import TillPage, TillServer, browser

pytestmark = BROWSER_MARKS


@pytest.fixture
def till_page(tmp_path: Path) -> Iterator[TillPage]:
    server = TillServer(str(tmp_path / "till.db"))
    with server, browser() as page:
        yield TillPage(page, server.url).open()


def press_keys(till: TillPage, text: str) -> None:
    for key in text:
        till.tap(f"key-{key}")


def test_a_whole_day_at_the_till(till_page: TillPage) -> None:
    till = till_page
    assert till.text("screen-title") == "Accesso"

    # -- log in: a wrong password first ----------------------------------------------------
    till.fill("Utente", "anna")
    till.fill("Password", "not her password", enter=True)
    assert till.wait_text("login-error", "Utente o password errati")
    till.fill("Password", "cassiera-di-turno", enter=True)
    till.wait_for("screen-opening")
    assert "Anna Bianchi" in till.text("operator")

    # -- open the day with 100,00 ---------------------------------------------------------------
    press_keys(till, "100")
    till.wait_text("opening-float", "100")
    till.tap("open-button")
    till.wait_for("screen-sale")
    assert till.text("total").startswith("0,00")

    # -- scan two items: barcode and SKU -------------------------------------------------------
    till.scan("8001234000059")  # a scanner types into whatever has the focus
    till.wait_text("lines-count", "1")
    assert "Scarpe da corsa 42" in till.text("line-1")
    till.scan("BAG-TOTE")  # no click in between
    till.wait_text("total", "114,80")
    assert till.text("lines-count") == "2"
    assert "Borsa shopper" in till.text("line-2")
    assert "Quantità totale" in till.text(
        "group-shoes"
    )  # grouped by item group (the pack's layout)

    # -- the English UI and back ---------------------------------------------------------------
    till.tap("language-en")
    till.wait_text("screen-title", "Receipt")
    assert "114,80" in till.text("total")  # English words, Italy's numbers (CLDR en_IT)
    till.tap("language-it")
    till.wait_text("screen-title", "Scontrino")

    # -- a coupon: 5 % on fashion --------------------------------------------------------------
    till.click("Buoni sconto")
    till.wait_for("coupons-dialog")
    till.fill("Codice del buono sconto", "WELCOME-5A7Q", enter=True)
    till.wait_text("total", "109,05")
    assert till.text("discount-total") == "5,75"
    assert "Benvenuto" in till.text("line-1")

    # -- approve: the payment window -----------------------------------------------------------
    till.tap("approve")
    till.wait_for("screen-payment")
    assert till.wait_text("to-pay", "109,05")

    # -- 50,00 by card through the terminal simulator ------------------------------------------
    till.tap("key-clear")
    press_keys(till, "50")
    till.wait_text("amount", "50")
    till.tap("tender-card")
    till.wait_text("payments", "Carta")
    assert till.wait_text("remaining", "59,05")

    # -- the rest in cash, 60,00 given: 0,95 change --------------------------------------------
    till.tap("key-clear")
    press_keys(till, "60")
    till.wait_text("amount", "60")
    till.tap("tender-cash")
    assert till.wait_text("change", "0,95")
    till.tap("approve-payment")

    # -- stored, numbered and printed ----------------------------------------------------------
    assert till.wait_text("payment-status", "S/T01/2026/")
    assert till.wait_text("print-message", "Stampato")
    paper = till.wait_text("receipt-paper", "TOTALE EUR")
    assert "109,05" in paper
    assert "Resto" in paper
    assert "Scarpe da corsa 42" in paper
    till.click("Nuovo scontrino")
    till.wait_for("screen-sale")
    assert till.text("total").startswith("0,00")

    # -- close the day: 100,00 + 60,00 - 0,95 counted ------------------------------------------
    till.click("Chiusura")
    till.wait_for("screen-closing")
    assert "159,05" in till.wait_text("closing-expected", "159,05")
    press_keys(till, "159,05")
    till.wait_text("counted", "159,05")
    assert till.wait_text("difference", "0,00")
    till.tap("close-button")
    till.wait_for("closing-done")
    assert "159,05" in till.text("closing-result")
    till.click("Fine: esci")
    till.wait_for("screen-login")


def test_a_manager_approves_a_price_below_the_minimum(till_page: TillPage) -> None:
    till = till_page
    till.fill("Utente", "anna")
    till.fill("Password", "cassiera-di-turno", enter=True)
    till.wait_for("screen-opening")
    till.tap("open-button")
    till.wait_for("screen-sale")
    till.scan("EARRING-GOLD")
    till.wait_text("lines-count", "1")
    till.click("Modifica prezzo")
    press_keys(till, "100")
    till.tap("key-enter")
    assert "vendita sotto il prezzo minimo" in till.wait_text("approval-reason", "prezzo minimo")
    till.fill("Utente del responsabile", "marco")
    till.fill("Password", "responsabile-milano", enter=True)
    assert till.wait_text("total", "100,00")
