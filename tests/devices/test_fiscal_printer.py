"""The Italian RT fiscal printer over loopback HTTP, and documents flagged "fiscal pending"."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cassa.devices.config import FiscalPrinterConfig
from cassa.devices.errors import DeviceError
from cassa.devices.fiscal.base import FiscalError, FiscalReference, fiscal_receipt
from cassa.devices.fiscal.epson_rt import SOAP, EpsonRtPrinter
from cassa.devices.fiscal.records import Fiscalization, fiscal_pending, fiscal_record
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.devices.printing.data import Payment
from cassa.engine.storage.db import Database

Seller = Any  # the `sell` fixture of tests/devices/conftest.py


@pytest.fixture
def rt() -> Iterator[RtSimulator]:
    with RtSimulator(answer_delay=1.0) as simulator:
        yield simulator


@pytest.fixture
def fiscal(database: Database, rt: RtSimulator) -> Fiscalization:
    config = FiscalPrinterConfig(url=rt.url, serial_number=rt.serial, timeout=0.5)
    return Fiscalization(database, EpsonRtPrinter(config), "T01")


def commands(request: str) -> list[ET.Element]:
    body = ET.fromstring(request).find(f"{{{SOAP}}}Body")
    assert body is not None
    return list(body[0])


def test_a_receipt_is_registered_with_items_discounts_and_payments(
    fiscal: Fiscalization, rt: RtSimulator, sell: Seller, till: object
) -> None:
    till.new_document()  # type: ignore[attr-defined]
    till.scan("8001234000011")  # type: ignore[attr-defined]
    till.scan("20123451", "2.235")  # type: ignore[attr-defined]
    till.present_loyalty_card("4000123400017")  # type: ignore[attr-defined]
    document = till.approve()  # type: ignore[attr-defined]
    totals = document.totals(till.currency)  # type: ignore[attr-defined]
    payments = [Payment("card", Decimal("10.00")), Payment("cash", Decimal("20.00"))]
    record = fiscal.fiscalize_sale(document, totals, payments)
    assert record.printed
    assert (record.z_number, record.fiscal_number) == (1, 1)
    assert record.describe() == f"{document.number}: fiscal 0001-0001"
    (registered,) = rt.sales()
    assert registered.amount == totals.total  # the printer agrees to the cent
    tags = [c.tag for c in commands(rt.requests[-1])]
    assert tags == [
        "beginFiscalReceipt",
        "printRecMessage",
        "printRecItem",
        "printRecItemAdjustment",
        "printRecItem",
        "printRecTotal",
        "printRecTotal",
        "endFiscalReceipt",
    ]
    items = [c for c in commands(rt.requests[-1]) if c.tag == "printRecItem"]
    assert (items[0].get("quantity"), items[0].get("unitPrice")) == ("1,000", "1,90")
    assert items[0].get("department") == "2"  # 10 %
    # 2.235 kg x 6.50 = 14.5275: sent as one unit at the line's rounded amount.
    assert (items[1].get("quantity"), items[1].get("unitPrice")) == ("1,000", "14,53")
    totals_sent = [c for c in commands(rt.requests[-1]) if c.tag == "printRecTotal"]
    assert [(t.get("paymentType"), t.get("payment")) for t in totals_sent] == [
        ("2", "10,00"),
        ("0", "20,00"),
    ]


def test_receipts_are_numbered_in_the_day_and_the_z_report_starts_a_new_one(
    fiscal: Fiscalization, rt: RtSimulator, sell: Seller
) -> None:
    a, b = sell("8001234000011"), sell("JUICE-APPLE")
    numbers = [fiscal.fiscalize_sale(s.document, s.totals).fiscal_number for s in (a, b)]
    assert numbers == [1, 2]
    z = fiscal.z_report()
    assert (z.z_number, z.receipts, z.amount) == (1, 2, a.totals.total + b.totals.total)
    c = sell("TILE-CER-01")
    record = fiscal.fiscalize_sale(c.document, c.totals)
    assert (record.z_number, record.fiscal_number) == (2, 1)


def test_a_refund_references_the_original_receipt_by_z_number_and_serial(
    fiscal: Fiscalization, rt: RtSimulator, sell: Seller
) -> None:
    original = sell(("Articolo A", "9.00", "22"), ("Articolo B", "10.00", "22"))
    fiscal.fiscalize_sale(original.document, original.totals)
    refund = sell(("Articolo A", "9.00", "22"))
    record = fiscal.fiscalize_refund(refund.document, refund.totals, original.document.number or "")
    assert record.printed
    assert record.kind == "refund"
    message = commands(rt.requests[-1])[0]
    today = rt.memory[0].day
    assert message.get("message") == f"REFUND 0001 0001 {today:%d%m%Y} {rt.serial}"
    assert [c.tag for c in commands(rt.requests[-1])].count("printRecRefund") == 1
    assert rt.memory[-1].kind == "refund"
    assert rt.memory[-1].refund_of == (1, 1, today)


def test_a_refund_of_a_receipt_the_printer_does_not_know_stays_pending(
    database: Database, fiscal: Fiscalization, rt: RtSimulator, sell: Seller
) -> None:
    refund = sell(("Articolo A", "9.00", "22"))
    receipt = fiscal_receipt(
        refund.document,
        refund.totals,
        refund_of=FiscalReference(7, 42, date(2026, 7, 1), rt.serial),
    )
    with pytest.raises(FiscalError, match="status 12") as raised:
        fiscal.printer.print_receipt(receipt)
    assert raised.value.outcome_known
    with pytest.raises(DeviceError, match="not registered by the fiscal printer"):
        fiscal.fiscalize_refund(refund.document, refund.totals, "S/T01/2026/999999")


def test_paper_out_leaves_the_document_fiscal_pending_and_a_retry_prints_it(
    database: Database, fiscal: Fiscalization, rt: RtSimulator, sell: Seller
) -> None:
    sale = sell("8001234000011")
    rt.paper_out = True
    record = fiscal.fiscalize_sale(sale.document, sale.totals)
    assert record.status == "pending"
    assert "EPTR_REC_EMPTY" in record.last_error
    assert "FISCAL PENDING" in record.describe()
    assert [r.document_number for r in fiscal_pending(database)] == [sale.document.number]
    assert rt.sales() == []
    assert fiscal.printer.status().ready is False
    with pytest.raises(DeviceError, match="fiscal pending"):
        fiscal.z_report()
    rt.paper_out = False
    (retried,) = fiscal.retry_pending()
    assert retried.printed
    assert retried.attempts == 2
    assert fiscal_pending(database) == []
    assert len(rt.sales()) == 1


@pytest.mark.parametrize(
    ("mode", "message"),
    [("error", "PRINTER ERROR status 11"), ("http_500", "HTTP 500")],
)
def test_an_error_code_is_never_taken_for_a_print(
    fiscal: Fiscalization, rt: RtSimulator, sell: Seller, mode: str, message: str
) -> None:
    sale = sell("8001234000011")
    rt.fail_next(mode)
    record = fiscal.fiscalize_sale(sale.document, sale.totals)
    assert not record.printed
    assert message in record.last_error


def test_a_timeout_is_an_unknown_outcome_that_is_never_resent_by_itself(
    database: Database, fiscal: Fiscalization, rt: RtSimulator, sell: Seller
) -> None:
    sale = sell("8001234000011")
    rt.fail_next("timeout")
    record = fiscal.fiscalize_sale(sale.document, sale.totals)
    assert record.status == "unknown"
    assert "may or may not have printed" in record.last_error
    assert fiscal.retry_pending() == []  # not resent
    assert fiscal.fiscalize_sale(sale.document, sale.totals).status == "unknown"
    assert len(rt.requests) == 1
    settled = fiscal.confirm(sale.document.number or "", printed=None)  # checked: not printed
    assert settled.status == "pending"
    (retried,) = fiscal.retry_pending()
    assert retried.printed


def test_a_lost_answer_is_settled_with_the_numbers_the_printer_shows(
    database: Database, fiscal: Fiscalization, rt: RtSimulator, sell: Seller
) -> None:
    sale = sell("8001234000011")
    rt.fail_next("lost_answer")
    record = fiscal.fiscalize_sale(sale.document, sale.totals)
    assert record.outcome_unknown
    (registered,) = rt.sales()  # it did print: resending would register it twice
    fiscal.retry_pending()
    assert len(rt.sales()) == 1
    reference = FiscalReference(registered.z_number, registered.number, registered.day, rt.serial)
    settled = fiscal.confirm(sale.document.number or "", printed=reference)
    assert settled.printed
    assert settled.reference() == reference
    found = fiscal_record(database, sale.document.number or "")
    assert found is not None
    assert found.printed


def test_an_unreachable_printer_is_a_known_failure(database: Database, sell: Seller) -> None:
    config = FiscalPrinterConfig(url="http://127.0.0.1:9/cgi-bin/fpmate.cgi", timeout=0.5)
    fiscal = Fiscalization(database, EpsonRtPrinter(config), "T01")
    sale = sell("8001234000011")
    record = fiscal.fiscalize_sale(sale.document, sale.totals)
    assert record.status == "pending"
    assert "cannot be reached" in record.last_error


def test_a_vat_rate_without_a_department_is_refused_before_anything_is_sent(
    database: Database, rt: RtSimulator, sell: Seller
) -> None:
    config = FiscalPrinterConfig(url=rt.url, departments={"22": 1})
    fiscal = Fiscalization(database, EpsonRtPrinter(config), "T01")
    sale = sell(("Servizio esente", "10.00", "N4"))  # the common programming has no N4
    record = fiscal.fiscalize_sale(sale.document, sale.totals)
    assert record.status == "pending"
    assert "VAT rate N4 has no department" in record.last_error
    assert rt.requests == []
