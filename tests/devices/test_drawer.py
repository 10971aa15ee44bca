"""The cash drawer opens through the printer, only for tenders configured to open it."""

from __future__ import annotations

from dataclasses import dataclass

from cassa.devices.config import DrawerConfig
from cassa.devices.drawer import CashDrawer, drawer_opens_for, open_for_payment
from cassa.devices.printing.decoder import DrawerKick, decode
from cassa.devices.printing.device_simulator import PtyPrinterSimulator
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.serial_line import SerialPrinter
from cassa.devices.printing.simulator import SimulatedPrinter

CASH_ONLY = DrawerConfig(pin=2, pulse_ms=100, open_for_tenders=("cash", "cheque"))


@dataclass(frozen=True)
class Tender:
    code: str
    opens_drawer: bool | None = None


def test_the_drawer_opens_for_cash_and_not_for_a_card() -> None:
    assert drawer_opens_for(["cash"], CASH_ONLY)
    assert not drawer_opens_for(["card"], CASH_ONLY)


def test_with_several_tenders_one_that_opens_the_drawer_is_enough() -> None:
    assert drawer_opens_for(["card", "cheque"], CASH_ONLY)
    assert not drawer_opens_for(["card", "voucher"], CASH_ONLY)
    assert not drawer_opens_for([], CASH_ONLY)


def test_a_tenders_own_setting_wins_over_the_devices_file() -> None:
    assert drawer_opens_for([Tender("gift_card", opens_drawer=True)], CASH_ONLY)
    assert not drawer_opens_for([Tender("cash", opens_drawer=False)], CASH_ONLY)
    assert drawer_opens_for([Tender("cash")], CASH_ONLY)


def test_a_cash_payment_sends_exactly_the_configured_kick_to_the_printer() -> None:
    simulated = SimulatedPrinter()
    drawer = CashDrawer(ReceiptPrinter(simulated), DrawerConfig(pin=5, pulse_ms=200, off_ms=400))
    assert open_for_payment(drawer, [Tender("cash")]) is True
    assert simulated.output == bytes.fromhex("1b 70 01 64 c8")
    assert decode(simulated.output).kicks == [DrawerKick(5, 200, 400)]


def test_a_card_payment_sends_nothing() -> None:
    simulated = SimulatedPrinter()
    assert open_for_payment(CashDrawer(ReceiptPrinter(simulated), CASH_ONLY), ["card"]) is False
    assert simulated.output == b""
    assert open_for_payment(None, ["cash"]) is False  # a till without a drawer


def test_the_kick_travels_to_a_serial_printer_and_its_sensor_is_read() -> None:
    with PtyPrinterSimulator() as device:
        device.device.drawer_pin3_high = True
        drawer = CashDrawer(ReceiptPrinter(SerialPrinter(device.device_path, timeout=2)), CASH_ONLY)
        drawer.kick()
        assert drawer.sensor_high() is True
        drawer.printer.backend.close()
        assert device.wait_for(lambda d: b"\x1bp\x00\x32\x32" in d.printed)
