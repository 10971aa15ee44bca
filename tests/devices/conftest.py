"""Fixtures for the device tests: approved sales on the demo store, and a printer.

``sell(*items)`` approves a receipt on the ``till`` fixture (tests/conftest.py)
and returns a ``Sale``: the document, its totals, the country and the store
header. An item is a catalog code, or (description, price, vat) for a
non-coded item with an exact price, as the seed's worked examples need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from cassa.devices.config import PrinterConfig
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.engine.country import CountrySettings
from cassa.engine.documents import Document, DocumentTotals
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.till import Till


@dataclass
class Sale:
    document: Document
    totals: DocumentTotals
    country: CountrySettings
    header: ReceiptHeader


Seller = Callable[..., Sale]


@pytest.fixture
def sell(till: Till) -> Seller:
    def sale(*items: str | tuple[str, str, str], doc_type: str = "receipt") -> Sale:
        till.new_document(doc_type)
        for item in items:
            if isinstance(item, tuple):
                till.add_non_coded(*item)
            else:
                till.scan(item)
        if doc_type == "invoice":
            till.set_customer("B0001")  # a business customer, with a VAT number
        document = till.approve()
        store = till.store
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        return Sale(document, document.totals(till.currency), till.country, header)

    return sale


@pytest.fixture
def simulated() -> SimulatedPrinter:
    return SimulatedPrinter()


@pytest.fixture
def printer(simulated: SimulatedPrinter) -> ReceiptPrinter:
    return ReceiptPrinter(simulated, PrinterConfig(backend="simulator"))
