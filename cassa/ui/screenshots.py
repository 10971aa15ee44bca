"""`cassa till screenshots`: the main screens at 1366x768, and the sale screen and the
payment window at 1024x768 and 1920x1080 too, driven in Chromium on a fresh demo
database (needs Playwright for Python and Chromium: `pip install -e '.[dev]'`,
`apt-get install chromium`). Items are scanned as a wedge scanner types them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from cassa.engine.errors import ConfigurationError
from cassa.i18n import _
from cassa.ui.browser import TillPage

__all__ = ["take_screenshots"]


def take_screenshots(out: Path, *, locale: str = "it") -> list[Path]:
    try:
        import playwright  # noqa: F401
    except ImportError:
        raise ConfigurationError(
            _(
                "screenshots need Playwright for Python: pip install -e "
                "'.[dev]' (and Debian's chromium; never `playwright install`)"
            )
        ) from None
    from cassa.ui.browser import TillServer, browser

    words = {
        "it": {
            "user": "Utente",
            "password": "Password",
            "search": "Cerca articolo",
            "coupons": "Buoni sconto",
            "coupon": "Codice del buono sconto",
            "summary": "Riepilogo sconti",
            "close": "Chiudi",
            "new": "Nuovo scontrino",
            "cash": "Versamenti / prelievi",
            "description": "Descrizione",
            "record": "Registra",
            "back": "Torna alla vendita",
            "till_summary": "Riepilogo",
            "safe": "Cassaforte",
            "functions": "Altre funzioni",
            "voucher": "Numero del buono o della carta regalo (Invio)",
            "closing": "Chiusura",
            "customer": "Cliente",
        },
        "en": {
            "user": "Username",
            "password": "Password",
            "search": "Search item",
            "coupons": "Coupons",
            "coupon": "Coupon code",
            "summary": "Discount summary",
            "close": "Close",
            "new": "New receipt",
            "cash": "Cash in / out",
            "description": "Description",
            "record": "Record",
            "back": "Back to sale",
            "till_summary": "Till summary",
            "safe": "Safe",
            "functions": "More functions",
            "voucher": "Voucher or gift card number (Enter)",
            "closing": "Close",
            "customer": "Customer",
        },
    }[locale]
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cassa-shots-") as folder:
        server = TillServer(str(Path(folder) / "till.db"), locale=locale)
        with server, browser() as page:
            till = TillPage(page, server.url).open(words["user"])

            def shot(name: str) -> None:
                shots.append(till.screenshot(out / f"{name}.png"))

            def keys(text: str) -> None:
                for key in text:
                    till.tap(f"key-{key}")

            till.fill(words["user"], "anna")
            shot("01-login")
            till.fill(words["password"], "cassiera-di-turno", enter=True)
            till.wait_for("screen-opening")
            keys("150")
            shot("02-day-opening")
            till.tap("open-button")
            till.wait_for("screen-sale")
            scan_sale(till)
            till.click(words["coupons"])
            till.wait_for("coupons-dialog")
            till.fill(words["coupon"], "WELCOME-5A7Q", enter=True)
            till.wait_text("customer", "WELCOME-5A7Q")
            till.click(words["customer"])
            till.wait_for("customers-dialog")
            till.page.get_by_text("Maria Rossi").first.click()
            till.wait_for("recalculate-dialog")
            shot("03-sale-customer-question")
            till.click({"it": "Sì", "en": "Yes"}[locale])
            till.page.wait_for_timeout(500)
            till.tap("line-6")
            shot("04-sale")
            till.click(words["summary"])
            till.wait_for("summary-dialog")
            shot("05-discount-summary")
            till.click(words["close"])
            till.page.wait_for_timeout(300)
            till.tap("approve")
            till.wait_for("screen-payment")
            till.tap("key-clear")
            keys("100")
            till.tap("tender-card")
            till.wait_text("paid", "100", timeout=20_000)
            till.tap("key-clear")
            keys("100")
            shot("06-payment")
            till.tap("tender-cash")
            till.wait_text("remaining", "0,00" if locale == "it" else "0.00")
            till.tap("approve-payment")
            till.wait_for("receipt-paper")
            shot("07-paid-and-printed")
            till.click(words["new"])
            till.wait_for("screen-sale")
            till.click(words["cash"])
            till.wait_for("screen-cash")
            keys("20")
            till.fill(words["description"], "Fondo per il resto" if locale == "it" else "Change")
            till.click(words["record"])
            till.wait_for("cash-documents")
            till.page.wait_for_timeout(300)
            shot("08-cash-in-out")
            till.click(words["back"])
            till.wait_for("screen-sale")
            till.click(words["till_summary"])
            till.wait_for("summary")
            shot("09-till-summary")
            till.click(words["back"])
            till.wait_for("screen-sale")
            till.click(words["functions"])
            till.wait_for("screen-functions")
            till.click(words["safe"])
            till.wait_for("screen-safe")
            keys("50")
            shot("10-safe")
            till.click(words["back"])
            till.wait_for("screen-sale")
            till.click(words["functions"])
            till.wait_for("screen-functions")
            shot("11-functions")
            till.tap("function-card_payments")
            till.wait_for("screen-cards")
            till.page.wait_for_timeout(300)
            shot("12-card-transactions")
            till.click(words["back"])
            till.click(words["functions"])
            till.tap("function-vouchers")
            till.wait_for("screen-vouchers")
            till.fill(words["voucher"], "V50-000001", enter=True)
            till.page.wait_for_timeout(500)
            shot("13-vouchers")
            till.click(words["back"])
            till.click(words["functions"])
            till.tap("function-reports")
            till.wait_for("store-summary")
            till.page.wait_for_timeout(300)
            shot("14-reports")
            till.click(words["functions"])  # the reports go back to the functions
            till.wait_for("screen-functions")
            till.click(words["back"])
            till.wait_for("screen-sale")
            till.click(words["closing"])
            till.wait_for("screen-closing")
            keys("200")
            shot("15-day-closing")
        for width, height in OTHER_SIZES:
            shots += _sale_and_payment(out, locale, width, height, words)
    return shots


SALE = ("8001234000059", "BAG-TOTE", "2*CHOC-MILK", "1,5*JUICE-APPLE", "2,2*STRAWBERRY")
SALE_MORE = ("3*NOTEBOOK-A5", "TILE-CER-01")
OTHER_SIZES = ((1024, 768), (1920, 1080))


def scan_sale(till: TillPage) -> None:
    """The demo sale, each item scanned (keys and Enter, nothing clicked)."""
    for count, code in enumerate(SALE + SALE_MORE, 1):
        till.scan(code)
        till.wait_text("lines-count", str(count))


def _sale_and_payment(
    out: Path, locale: str, width: int, height: int, words: dict[str, str]
) -> list[Path]:
    """The sale screen and the payment window at another screen size."""
    from cassa.ui.browser import TillServer, browser

    size = f"{width}x{height}"
    shots = []
    with tempfile.TemporaryDirectory(prefix="cassa-shots-") as folder:
        server = TillServer(str(Path(folder) / "till.db"), locale=locale)
        with server, browser(width, height) as page:
            till = TillPage(page, server.url).open(words["user"])
            till.fill(words["user"], "anna")
            till.fill(words["password"], "cassiera-di-turno", enter=True)
            till.wait_for("screen-opening")
            till.tap("open-button")
            till.wait_for("screen-sale")
            scan_sale(till)
            shots.append(till.screenshot(out / f"{size}-sale.png"))
            till.tap("approve")
            till.wait_for("screen-payment")
            till.wait_for("quick-exact")
            shots.append(till.screenshot(out / f"{size}-payment.png"))
    return shots
