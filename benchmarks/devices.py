"""How fast the device layer is: rendering, decoding, and round trips to the simulators.

    python benchmarks/devices.py [--lines 40] [--repetitions 200]

Builds an approved receipt of --lines lines (Italian VAT, one discount per
fifth line) without a database, then times, --repetitions times each:

- render: layout -> ESC/POS bytes through python-escpos (TM-T88V, CP858/CP852);
- decode: the bytes back to text;
- network print: one job to the TCP printer simulator on loopback, with the
  status requests before and after (what `ReceiptPrinter.deliver` does);
- queued print: the same through the print queue on a SQLite file (WAL, FULL):
  store the job, print it, mark it printed;
- fiscal receipt: XML over HTTP to the RT simulator on loopback, answer parsed;
- card payment: one SALE on the payment terminal simulator over loopback TCP.

Prints the median and the 99th percentile of each; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from cassa.devices.config import FiscalPrinterConfig, TerminalConfig
from cassa.devices.fiscal.base import fiscal_receipt
from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.devices.printing.data import Payment, sale_data
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.device_simulator import TcpPrinterSimulator
from cassa.devices.printing.network import NetworkPrinter
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.queue import PrintQueue
from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.devices.terminal.tcp import TcpPaymentTerminal
from cassa.engine.catalog import ItemType
from cassa.engine.country import load_country
from cassa.engine.documents import Adjustment, Document, DocumentStatus, DocumentType, Line
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.storage.db import open_database
from cassa.engine.tax import PriceDirection

RATES = [("22", Decimal(22)), ("10", Decimal(10)), ("4", Decimal(4))]


def receipt(lines: int) -> Document:
    document = Document(
        id=str(uuid.uuid4()),
        type=DocumentType.RECEIPT,
        store="MI01",
        till="T01",
        currency="EUR",
        direction=PriceDirection.GROSS,
        created_at=datetime(2026, 7, 5, 10, 0, tzinfo=UTC),
        operator="anna",
        status=DocumentStatus.APPROVED,
        number="S/T01/2026/000001",
        approved_at=datetime(2026, 7, 5, 10, 5, tzinfo=UTC),
    )
    for n in range(lines):
        code, percent = RATES[n % 3]
        document.lines.append(
            Line(
                id=f"l{n}",
                sku=f"SKU-{n}",
                name=f"Articolo di prova n. {n} è ç à",
                item_type=ItemType.GOODS,
                group=None,
                unit="pz",
                unit_precision=0,
                quantity=Decimal(1 + n % 3),
                base_quantity=Decimal(1 + n % 3),
                list_price=Decimal("1.95") + n,
                vat_code=code,
                vat_percent=percent,
                adjustments=(Adjustment("promo", "promotion", Decimal("0.50"), "Promo -0.50"),)
                if n % 5 == 0
                else (),
            )
        )
    return document


def timed(repetitions: int, action: Callable[[int], object]) -> tuple[float, float]:
    samples = []
    for n in range(repetitions):
        start = time.perf_counter()
        action(n)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--repetitions", type=int, default=200)
    args = parser.parse_args()
    country = load_country("it")
    document = receipt(args.lines)
    totals = document.totals(country.currency)
    header = ReceiptHeader("Bottega Demo", "Via Dante 12, Milano", "IT01234567897", "Europe/Rome")
    data = sale_data(
        document, totals, country, header, payments=[Payment("cash", totals.total + 10)]
    )
    results: list[tuple[str, tuple[float, float]]] = []
    with TcpPrinterSimulator() as device:
        printer = ReceiptPrinter(NetworkPrinter("127.0.0.1", device.port, timeout=5))
        payload = printer.render(data)
        results.append(
            ("render receipt to ESC/POS", timed(args.repetitions, lambda n: printer.render(data)))
        )
        results.append(
            ("decode ESC/POS to text", timed(args.repetitions, lambda n: decode(payload)))
        )
        results.append(
            (
                "network print (loopback, 2 status checks)",
                timed(args.repetitions, lambda n: printer.deliver(payload)),
            )
        )
        with tempfile.TemporaryDirectory() as folder:
            database = open_database(str(Path(folder) / "bench.db"))
            queue = PrintQueue(database, printer, "T01")
            results.append(
                (
                    "queued print (SQLite job + print + mark)",
                    timed(args.repetitions, lambda n: queue.submit("receipt", payload)),
                )
            )
            database.dispose()
        printer.backend.close()
    with RtSimulator() as rt:
        fiscal = EpsonRtPrinter(FiscalPrinterConfig(url=rt.url, serial_number=rt.serial))
        sent = fiscal_receipt(document, totals)
        results.append(
            (
                "fiscal receipt (XML over loopback HTTP)",
                timed(args.repetitions, lambda n: fiscal.print_receipt(sent)),
            )
        )
    with TerminalSimulator() as simulator:
        terminal = TcpPaymentTerminal(TerminalConfig("127.0.0.1", simulator.port, timeout=5))
        results.append(
            (
                "card payment (loopback TCP)",
                timed(args.repetitions, lambda n: terminal.sale(f"b-{n}", Decimal("12.30"), "EUR")),
            )
        )
    print(f"{args.lines}-line receipt ({len(payload)} bytes), {args.repetitions} repetitions")
    for name, (median, p99) in results:
        print(f"{name:<44} median {median:7.3f} ms   p99 {p99:7.3f} ms")


if __name__ == "__main__":
    main()
