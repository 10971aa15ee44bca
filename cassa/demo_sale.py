"""The demo: a sale on the demo store, stored in the database and printed."""

from __future__ import annotations

from pathlib import Path

from cassa.engine.receipt_text import ReceiptHeader, render_receipt
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

__all__ = ["run_demo"]

DEMO_OPERATOR = "demo"


def run_demo(database_url: str, store_folder: Path) -> str:
    """Sell the demo basket on till T01 and return the printed receipt."""
    database = open_database(database_url)
    try:
        import_store(database, load_store(store_folder))
        till = Till.open(database, till="T01", operator=DEMO_OPERATOR)
        if till.days.current(till.code) is None:
            till.open_day("150.00")
        till.new_document()
        till.scan("8001234000011")  # milk chocolate, 1 pz
        till.scan("JUICE-APPLE", "1.5")  # 1.5 l
        till.scan("20123451", "2.2")  # strawberries by EAN-8, 2.2 kg
        till.scan("TILE-CER-01", "11.0", "mq")  # 11 m² of tiles -> 30 pieces
        till.scan("EARRING-GOLD")
        till.set_line_name(5, "Orecchini d'oro con zircone")
        till.present_loyalty_card("4000123400017")  # Maria Rossi: 10 % off sweets
        document = till.approve()
        totals = document.totals(till.currency)
        store = till.store
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        receipt = render_receipt(document, totals, till.country, header)
        return f"{receipt}\nStored as {document.number} in {database.url}\n"
    finally:
        database.dispose()
