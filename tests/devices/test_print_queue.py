"""A printer that fails mid-sale: the sale is kept, the job waits in the queue and is retried."""

from __future__ import annotations

import time
from typing import Any

from cassa.devices.config import PrinterConfig
from cassa.devices.printing.data import sale_data
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.device_simulator import TcpPrinterSimulator
from cassa.devices.printing.network import NetworkPrinter
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.queue import PrintQueue, RetryLoop, pending_jobs
from cassa.devices.printing.service import DocumentPrinting
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.engine.documents import DocumentStatus
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import DocumentStore

Seller = Any  # the `sell` fixture of tests/devices/conftest.py


def test_paper_running_out_while_printing_keeps_the_sale_and_queues_the_receipt(
    database: Database, sell: Seller
) -> None:
    with TcpPrinterSimulator() as device:
        backend = NetworkPrinter("127.0.0.1", device.port, timeout=2)
        printer = ReceiptPrinter(backend)
        printing = DocumentPrinting(database, printer, "T01")
        sale = sell("TILE-CER-01")

        class RunsOut(NetworkPrinter):
            def send(self, data: bytes) -> None:
                half = data.index(b"TOTALE")
                super().send(data[:half])
                device.wait_for(lambda d: b"Piastrella" in d.printed)
                device.device.paper = "out"  # the roll ends before the total
                super().send(data[half:])

        printer.backend = RunsOut("127.0.0.1", device.port, timeout=2)
        outcome = printing.print_sale(
            sale.document, sale.totals, sale.country, sale.header, operator="anna"
        )
        assert outcome.queued
        assert not outcome.printed
        assert "ran out of paper while printing" in outcome.message()

        stored = DocumentStore(database).find_by_number(sale.document.number or "")
        assert stored.status is DocumentStatus.APPROVED  # the sale is kept
        (waiting,) = pending_jobs(database)
        assert waiting.document_number == sale.document.number
        assert waiting.attempts == 1
        assert "paper" in waiting.last_error

        printer.backend = backend
        assert printing.queue.retry_pending()[0].pending  # still no paper
        device.device.paper = "ok"  # the cashier changes the roll
        (done,) = printing.queue.retry_pending()
        assert not done.pending
        assert done.attempts == 3
        assert pending_jobs(database) == []
        backend.close()
        assert device.wait_for(lambda d: "TOTALE EUR" in d.text())
    # The torn first half stays on paper; the whole receipt follows once the paper is back.
    text = device.device.text()
    assert text.count("Piastrella ceramica per pareti") == 2
    assert text.count("TOTALE EUR") == 1
    printed = decode(bytes(device.device.printed))
    assert [b.data for b in printed.barcodes] == [sale.document.number]
    assert len(printed.cuts) == 1


def test_an_unplugged_printer_leaves_jobs_in_order_and_the_retry_loop_prints_them(
    database: Database, sell: Seller
) -> None:
    simulated = SimulatedPrinter()
    simulated.connected = False
    printer = ReceiptPrinter(simulated, PrinterConfig())
    printing = DocumentPrinting(database, printer, "T01")
    sales = [sell("8001234000011"), sell("JUICE-APPLE")]
    for sale in sales:
        outcome = printing.print_sale(
            sale.document, sale.totals, sale.country, sale.header, operator="anna"
        )
        assert outcome.queued
        assert "unplugged" in outcome.message()
    assert [j.document_number for j in pending_jobs(database, "T01")] == [
        s.document.number for s in sales
    ]
    loop = RetryLoop(printing.queue, interval=0.05).start()
    try:
        simulated.connected = True
        deadline = time.monotonic() + 5
        while pending_jobs(database) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        loop.stop()
    assert pending_jobs(database) == []
    assert [decode(job).barcodes[0].data for job in simulated.jobs] == [
        s.document.number for s in sales
    ]
    assert loop.errors == []


def test_any_print_job_can_be_queued_and_listed(database: Database) -> None:
    simulated = SimulatedPrinter()
    simulated.paper = "out"
    queue = PrintQueue(database, ReceiptPrinter(simulated), "T02")
    job = queue.submit("report", b"\x1b@report\n")
    assert job.pending
    assert "out of paper" in job.last_error
    assert "waiting (1 tries)" in job.describe()
    assert pending_jobs(database, "T01") == []
    assert [j.id for j in pending_jobs(database, "T02")] == [job.id]


def test_the_printed_receipt_is_the_layout_rendering(database: Database, sell: Seller) -> None:
    simulated = SimulatedPrinter()
    printer = ReceiptPrinter(simulated)
    sale = sell("8001234000011")
    DocumentPrinting(database, printer, "T01").print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    )
    expected = printer.render(sale_data(sale.document, sale.totals, sale.country, sale.header))
    assert simulated.jobs == [expected]
