"""A sale in each till language, in Chromium: the cashier logs in, a scanner types a code
(its digits and Enter, nothing clicked), the sale is paid in cash and printed; every word
on the screen is the till language's, none another shipped language's, and the receipt
is in the store's paper language with the amounts the screen showed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import BROWSER_MARKS

from cassa.i18n import Text, _, _p, translate
from cassa.ui.browser import TillPage, TillServer, browser

pytestmark = BROWSER_MARKS

LANGUAGES = ["it", "fr", "pl", "es", "de"]
# Words of the login, sale and payment screens: each must read in the till's language.
SCREEN_WORDS: list[Text] = [
    _("Receipt"),
    _("Payment"),
    _p("operator", "Cashier"),
]


def _words_of_other_languages(language: str) -> set[str]:
    """The screen words as the other shipped languages write them, where they differ."""
    own = {translate(word, language) for word in SCREEN_WORDS}
    others = {translate(w, other) for w in SCREEN_WORDS for other in [*LANGUAGES, "en"]}
    return {word for word in others - own if len(word) > 3}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sale_reads_in_the_tills_language_on_screen_and_on_paper(
    tmp_path: Path, language: str
) -> None:
    def say(text: Text) -> str:
        return translate(text, language)

    server = TillServer(str(tmp_path / "till.db"), locale=language)
    with server, browser() as page:
        till = TillPage(page, server.url).open(first_label=say(_("Username")))
        till.fill(say(_("Username")), "anna")
        till.fill(say(_("Password")), "cassiera-di-turno", enter=True)
        till.wait_for("screen-opening")
        till.tap("open-button")
        till.wait_for("screen-sale")
        till.scan("8001234000059")  # Scarpe da corsa 42: above the 10 € printing threshold
        till.wait_text("lines-count", "1")
        assert till.wait_text("screen-title", say(_("Receipt")))
        assert till.wait_text("total", "89,90")  # it, fr, pl, es, de: a decimal comma
        screen = str(page.inner_text("body"))
        for foreign in _words_of_other_languages(language):
            assert foreign not in screen, (language, foreign)
        till.tap("approve")
        till.wait_for("screen-payment")
        assert till.wait_text("screen-title", say(_("Payment")))
        assert till.wait_text("to-pay", "89,90")
        till.tap("tender-cash")  # the amount proposed: what is left to pay
        assert till.wait_text("remaining", "0,00")
        till.tap("approve-payment")
        assert till.wait_text("payment-status", "S/T01/2026/000001")
        # the demo store is Italian: its receipts are printed in Italian, whoever sells
        paper = till.wait_text("receipt-paper", "TOTALE EUR")
        assert "89,90" in paper
        assert "DOCUMENTO COMMERCIALE" in paper
