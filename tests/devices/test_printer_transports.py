"""The printer backends over real lines: a loopback TCP port and a serial pty pair."""

from __future__ import annotations

import socket

import pytest

from cassa.devices.config import PrinterConfig
from cassa.devices.errors import DeviceUnavailable, MissingExtra, PaperOut
from cassa.devices.printing.device_simulator import (
    PrinterDevice,
    PtyPrinterSimulator,
    TcpPrinterSimulator,
)
from cassa.devices.printing.escpos_writer import EscposWriter
from cassa.devices.printing.file import FilePrinter
from cassa.devices.printing.network import NetworkPrinter
from cassa.devices.printing.printer import ReceiptPrinter, backend_for
from cassa.devices.printing.serial_line import SerialPrinter
from cassa.devices.printing.usb_device import UsbPrinter, usb_available


def job(text: str) -> bytes:
    writer = EscposWriter()
    writer.line(text)
    writer.cut()
    return writer.bytes()


def test_a_network_printer_receives_the_job_and_reports_its_status() -> None:
    echoed: list[str] = []
    with TcpPrinterSimulator(PrinterDevice(echo=echoed.append)) as device:
        printer = ReceiptPrinter(NetworkPrinter("127.0.0.1", device.port, timeout=2))
        printer.deliver(job("Caffè 1,00 €"))
        status = printer.status()
        printer.backend.close()
        assert device.wait_for(lambda d: "Caffè 1,00 €" in d.text())
    assert status.online
    assert status.paper == "ok"
    assert echoed == ["Caffè 1,00 €"]


def test_a_serial_printer_on_a_pty_receives_the_exact_bytes() -> None:
    data = job("Łódź żółć")
    with PtyPrinterSimulator() as device:
        printer = ReceiptPrinter(SerialPrinter(device.device_path, timeout=2))
        printer.deliver(data)
        printer.backend.close()
        assert device.wait_for(lambda d: len(d.printed) >= len(data) + 6)
    printed = bytes(device.device.printed)
    # The two status requests around the job travel on the same line.
    assert printed == b"\x10\x04\x01\x10\x04\x04" + data + b"\x10\x04\x01\x10\x04\x04"
    assert "Łódź żółć" in device.device.text()


def test_a_printer_out_of_paper_refuses_the_job_before_sending_it() -> None:
    with TcpPrinterSimulator() as device:
        device.device.paper = "out"
        printer = ReceiptPrinter(NetworkPrinter("127.0.0.1", device.port, timeout=2))
        with pytest.raises(PaperOut, match="out of paper"):
            printer.deliver(job("never printed"))
        assert printer.status().paper == "out"
        printer.backend.close()
    assert "never printed" not in device.device.text()


def test_paper_near_end_still_prints() -> None:
    with PtyPrinterSimulator() as device:
        device.device.paper = "near_end"
        printer = ReceiptPrinter(SerialPrinter(device.device_path, timeout=2))
        printer.deliver(job("last metres"))
        assert printer.status().describe() == "online, paper near end"
        printer.backend.close()


def test_a_network_printer_that_is_switched_off_is_reported_unavailable() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    printer = NetworkPrinter("127.0.0.1", port, timeout=1)
    with pytest.raises(DeviceUnavailable, match=f"network printer 127.0.0.1:{port} cannot be"):
        printer.send(b"x")


def test_a_serial_printer_that_is_unplugged_is_reported_unavailable() -> None:
    with pytest.raises(DeviceUnavailable, match="serial printer /dev/ttyNOPE0 cannot be opened"):
        SerialPrinter("/dev/ttyNOPE0").send(b"x")


def test_a_file_printer_writes_the_bytes_to_its_device_file(tmp_path: object) -> None:
    path = f"{tmp_path}/lp0"
    printer = FilePrinter(path)
    printer.send(b"\x1b@hello\n")
    printer.close()
    with open(path, "rb") as file:
        assert file.read() == b"\x1b@hello\n"


@pytest.mark.skipif(usb_available(), reason="pyusb is installed here")
def test_a_usb_printer_without_pyusb_names_the_extra_to_install() -> None:
    with pytest.raises(MissingExtra, match=r"python-escpos\[usb\]"):
        UsbPrinter(0x04B8, 0x0202)
    with pytest.raises(MissingExtra):
        backend_for(PrinterConfig(backend="usb", vendor_id=0x04B8, product_id=0x0202))
