"""A till's devices file: read, validated, every problem with its position."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cassa.devices.config import load_devices
from cassa.engine.yamlsource import DataFileError

FULL = """\
apiVersion: cassa/v1
kind: Devices
till: T01
language: pl
printer: {backend: network, host: 192.168.1.50, port: 9100, profile: TM-T20II, paper_width: 58,
          code_pages: [CP852, CP858], layouts: layouts}
drawer: {pin: 5, pulse_ms: 150, open_for_tenders: [cash, cheque]}
display: {device: /dev/ttyUSB1, idle: [Witamy, Kasa 1]}
scanner: {device: /dev/ttyUSB2, suffix: CRLF}
fiscal_printer: {kind: epson_rt, url: "http://192.168.1.60/cgi-bin/fpmate.cgi",
                 serial_number: 99MEY012345, departments: {"22": 1, N4: 5},
                 tenders: {meal_voucher: {payment_type: 3, index: 2}}}
payment_terminal: {host: 192.168.1.70, port: 9101, timeout: 90}
print_rules: {omit_receipt_up_to: 10.00}
"""


def test_a_complete_devices_file_is_read_into_typed_settings(tmp_path: Path) -> None:
    path = tmp_path / "devices.yaml"
    path.write_text(FULL, encoding="utf-8")
    config = load_devices(path)
    assert config.till == "T01"
    assert config.language == "pl"
    assert config.printer is not None
    assert (config.printer.paper_width, config.printer.code_pages) == (58, ("CP852", "CP858"))
    assert config.printer.layouts == (tmp_path / "layouts").resolve()
    assert config.drawer is not None
    assert config.drawer.open_for_tenders == ("cash", "cheque")
    assert config.scanner is not None
    assert config.scanner.suffix == "CRLF"
    assert config.fiscal_printer is not None
    assert config.fiscal_printer.department("N4") == 5
    assert config.fiscal_printer.department("10") == 2  # the common programming stays
    assert config.fiscal_printer.tenders["meal_voucher"].payment_type == 3
    assert config.payment_terminal is not None
    assert config.payment_terminal.timeout == 90
    assert config.print_rules.omit_receipt_up_to == Decimal("10.00")


def test_every_mistake_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "devices.yaml"
    path.write_text(
        "apiVersion: cassa/v1\nkind: Devices\ntill: T01\n"
        "printer: {backend: network, paper_width: 76}\n"
        "drawer: {pin: 3, pulsems: 100}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as raised:
        load_devices(path)
    messages = [str(p) for p in raised.value.problems]
    assert f"{path}:4:10: /printer: 'host' is a required property" in messages
    assert any(m.startswith(f"{path}:4:42: /printer/paper_width:") for m in messages)
    assert any(m.startswith(f"{path}:5:15: /drawer/pin:") for m in messages)
    assert any("unknown field 'pulsems'" in m for m in messages)
