"""Daily (Z) and periodic fiscal reports through the fiscal printer interface, against
the RT simulator's fiscal memory and Z counter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cassa.devices.config import FiscalPrinterConfig
from cassa.devices.errors import DeviceError
from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
from cassa.devices.fiscal.records import Fiscalization
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.payments import PaymentDevices
from cassa.engine.till import Till

D = Decimal


@pytest.fixture
def rt() -> Iterator[RtSimulator]:
    with RtSimulator(timezone="Europe/Rome") as simulator:
        yield simulator


@pytest.fixture
def fiscal_till(till: Till, rt: RtSimulator) -> Till:
    printer = EpsonRtPrinter(FiscalPrinterConfig(url=rt.url, serial_number=rt.serial))
    till.payment_devices = PaymentDevices(
        fiscal=Fiscalization(till.database, printer, till.code, till.now)
    )
    return till


def sell(till: Till, *codes: str) -> None:
    for code in codes:
        till.scan(code)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    window.approve()


def test_the_daily_report_closes_the_fiscal_day_and_agrees_with_the_receipts(
    fiscal_till: Till, rt: RtSimulator
) -> None:
    sell(fiscal_till, "SHOE-RUN-42")
    sell(fiscal_till, "BAG-TOTE", "NOTEBOOK-A5")
    report = fiscal_till.reports.fiscal_daily()
    (z,) = report.device
    assert (z.z_number, z.receipts, z.amount) == (1, 2, D("118.30"))
    assert report.agrees
    assert rt.last_z == 1  # the printer's Z counter moved on
    sell(fiscal_till, "NOTEBOOK-A5")
    second = fiscal_till.reports.fiscal_daily()
    assert (second.device[0].z_number, second.device[0].amount) == (2, D("3.50"))


def test_a_receipt_the_printer_refused_blocks_the_daily_report_until_it_is_printed(
    fiscal_till: Till, rt: RtSimulator
) -> None:
    rt.paper_out = True
    sell(fiscal_till, "SHOE-RUN-42")  # the sale is stored; the receipt is fiscal pending
    assert fiscal_till.current is not None
    assert fiscal_till.current.status.value == "approved"
    with pytest.raises(DeviceError, match="fiscal pending"):
        fiscal_till.reports.fiscal_daily()
    rt.paper_out = False
    devices = fiscal_till.payment_devices
    assert devices is not None
    devices.fiscal.retry_pending()
    assert fiscal_till.reports.fiscal_daily().agrees


def test_the_periodic_report_lists_the_z_reports_of_a_period(fiscal_till: Till) -> None:
    sell(fiscal_till, "SHOE-RUN-42")
    fiscal_till.reports.fiscal_daily()
    tomorrow = fiscal_till.now() + timedelta(days=1)
    fiscal_till.clock = lambda: tomorrow
    sell(fiscal_till, "BAG-TOTE")
    fiscal_till.reports.fiscal_daily()
    report = fiscal_till.reports.fiscal_periodic(date(2026, 7, 1), date(2026, 7, 31))
    assert [(z.z_number, z.amount) for z in report.device] == [(1, D("89.90")), (2, D("24.90"))]
    assert report.agrees
    only_first = fiscal_till.reports.fiscal_periodic(date(2026, 7, 5), date(2026, 7, 5))
    assert [z.z_number for z in only_first.device] == [1]
