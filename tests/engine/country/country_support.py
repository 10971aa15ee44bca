"""Helpers of the country pack tests (a module of its own name: conftest.py is not
importable from test modules when several test folders have one)."""

from __future__ import annotations

from cassa.devices.config import DevicesConfig, FiscalPrinterConfig
from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
from cassa.devices.fiscal.records import Fiscalization
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.fiscal import with_pack_defaults
from cassa.engine.payments import PaymentDevices
from cassa.engine.till import Till


def with_rt(till: Till, rt: RtSimulator) -> Till:
    """The till fiscalizes on the simulated RT, with its pack's departments."""
    config = FiscalPrinterConfig(url=rt.url, serial_number=rt.serial)
    completed = with_pack_defaults(
        DevicesConfig(till.code, fiscal_printer=config), till.pack.fiscal
    )
    assert completed.fiscal_printer is not None
    printer = EpsonRtPrinter(completed.fiscal_printer)
    till.payment_devices = PaymentDevices(
        fiscal=Fiscalization(till.database, printer, till.code, till.now)
    )
    return till
