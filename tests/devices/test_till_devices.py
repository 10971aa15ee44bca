"""After a sale: fiscalized, printed and shown; a failing device never undoes the sale."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cassa.devices.config import DevicesConfig, FiscalPrinterConfig, PrinterConfig, PrintRules
from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.devices.printing.data import Payment
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.devices.till_devices import TillDevices
from cassa.engine.money import Currency
from cassa.engine.storage.db import Database

Seller = Any  # the `sell` fixture of tests/devices/conftest.py


def test_a_sale_is_fiscalized_printed_and_a_cash_payment_opens_the_drawer(
    database: Database, sell: Seller
) -> None:
    simulated = SimulatedPrinter()
    config = DevicesConfig(
        till="T01", printer=PrinterConfig(), print_rules=PrintRules(Decimal("10.00"))
    )
    with RtSimulator() as rt:
        devices = TillDevices.from_config(
            config,
            database,
            Currency("EUR", 2),
            printer_backend=simulated,
            fiscal_printer=EpsonRtPrinter(FiscalPrinterConfig(url=rt.url, serial_number=rt.serial)),
        )
        sale = sell("EARRING-GOLD")
        outcome = devices.after_sale(
            sale.document,
            sale.totals,
            sale.country,
            sale.header,
            operator="anna",
            payments=[Payment("cash", Decimal("150.00"))],
        )
        assert devices.open_drawer_for(["cash"])
    assert outcome.fiscal is not None
    assert outcome.fiscal.printed
    assert outcome.printed is not None
    assert outcome.printed.printed
    assert outcome.messages == [f"{sale.document.number}: fiscal 0001-0001", "printed"]
    receipt, kick = simulated.jobs
    assert "Resto                                 1,00" in decode(receipt).text
    assert decode(kick).kicks[0].pin == 2


def test_devices_that_fail_leave_messages_and_never_raise(database: Database, sell: Seller) -> None:
    simulated = SimulatedPrinter()
    simulated.connected = False
    config = DevicesConfig(
        till="T01",
        printer=PrinterConfig(),
        fiscal_printer=FiscalPrinterConfig(url="http://127.0.0.1:9/x", timeout=0.5),
    )
    devices = TillDevices.from_config(
        config, database, Currency("EUR", 2), printer_backend=simulated
    )
    sale = sell("EARRING-GOLD")
    outcome = devices.after_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    )
    assert "FISCAL PENDING" in outcome.messages[0]
    assert outcome.messages[1].startswith("printer problem, the document waits in the print queue")
