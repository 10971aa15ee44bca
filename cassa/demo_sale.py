"""The demo: a sale on the demo store, stored, printed and fiscalized on simulated devices.

The receipt goes through the real printing path (layout -> ESC/POS bytes via
python-escpos -> print queue -> a simulated printer that records the bytes)
and is shown decoded back to text; the fiscal receipt goes over HTTP to the
simulated Italian RT printer, started on a loopback port for the run.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cassa.devices.config import DevicesConfig, FiscalPrinterConfig, PrinterConfig, PrintRules
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.devices.printing.data import Payment
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.devices.till_devices import TillDevices
from cassa.engine.fiscal import with_pack_defaults
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

__all__ = ["run_demo"]

DEMO_OPERATOR = "demo"


def run_demo(database_url: str, store_folder: Path) -> str:
    """Sell the demo basket on till T01 and return what the devices printed."""
    database = open_database(database_url)
    try:
        import_store(database, load_store(store_folder))
        till = Till.open(database, till="T01")
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
        window = till.checkout()
        tendered = (window.to_pay // 50 + 1) * 50  # the customer pays cash with round notes
        window.add("cash", tendered)
        document = window.approve().document  # the payment and the change are stored with it
        totals = document.totals(till.currency)
        store = till.store
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        printer = SimulatedPrinter()
        with RtSimulator() as rt:
            config = DevicesConfig(
                till=till.code,
                printer=PrinterConfig(backend="simulator"),
                print_rules=PrintRules(omit_receipt_up_to=Decimal("10.00")),
                fiscal_printer=FiscalPrinterConfig(url=rt.url, serial_number=rt.serial),
            )
            devices = TillDevices.from_config(
                with_pack_defaults(config, till.pack.fiscal),  # the pack's RT departments
                database,
                till.currency,
                printer_backend=printer,
            )
            assert devices.printing is not None
            till.fiscal.attach_printing(devices.printing)
            outcome = devices.after_sale(
                document,
                totals,
                till.country,
                header,
                operator=DEMO_OPERATOR,
                payments=[Payment("cash", tendered)],
            )
        printed = "\n\n".join(text for job in printer.jobs for text in decode(job).receipts())
        report = [
            printed,
            "",
            f"Printed on the simulated receipt printer: {len(printer.output)} bytes of ESC/POS.",
            f"Fiscal printer (simulated RT {rt.serial}, XML over HTTP): "
            + (outcome.fiscal.describe() if outcome.fiscal else "; ".join(outcome.messages)),
            f"Stored as {document.number} in {database.url}",
        ]
        return "\n".join(report) + "\n"
    finally:
        database.dispose()
