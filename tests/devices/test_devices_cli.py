"""`cassa devices …` against the simulators, and the demo's devices."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cassa.cli import main
from cassa.devices.display import PtyDisplaySimulator
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.devices.printing.device_simulator import TcpPrinterSimulator
from cassa.devices.printing.escpos_writer import EscposWriter
from cassa.devices.terminal.simulator import TerminalSimulator

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def test_simulate_writes_a_devices_file_and_stops_by_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sim"
    assert main(["devices", "simulate", "--dir", str(folder), "--seconds", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "receipt printer   tcp 127.0.0.1:" in out
    assert "fiscal printer    http://127.0.0.1:" in out
    assert f"cassa devices test --config {folder / 'devices.yaml'}" in out
    assert out.rstrip().endswith("simulators stopped")
    config = (folder / "devices.yaml").read_text(encoding="utf-8")
    assert "kind: Devices" in config
    assert "backend: network" in config


def test_devices_test_reports_each_device_against_running_simulators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        TcpPrinterSimulator() as printer,
        PtyDisplaySimulator() as display,
        RtSimulator() as fiscal,
        TerminalSimulator() as terminal,
    ):
        config = tmp_path / "devices.yaml"
        config.write_text(
            "apiVersion: cassa/v1\nkind: Devices\ntill: T01\n"
            f"printer: {{backend: network, host: 127.0.0.1, port: {printer.port}, timeout: 2}}\n"
            "drawer: {pin: 2, pulse_ms: 100}\n"
            f"display: {{device: {display.device_path}}}\n"
            f'fiscal_printer: {{kind: epson_rt, url: "{fiscal.url}"}}\n'
            f"payment_terminal: {{host: 127.0.0.1, port: {terminal.port}}}\n",
            encoding="utf-8",
        )
        assert main(["devices", "test", "--config", str(config), "--kick"]) == 0
        printer.wait_for(lambda d: b"\x1bp\x00\x32\x32" in d.printed)
        printer.device.paper = "out"
        assert main(["devices", "test", "--config", str(config)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("OK   printer") and "online, paper ok" in line for line in out)
    assert any(line.startswith("OK   drawer") and "kicked" in line for line in out)
    assert any(line.startswith("OK   display") for line in out)
    assert any(line.startswith("OK   fiscal printer") and "paper ok" in line for line in out)
    assert any(line.startswith("OK   payment terminal") and "answers" in line for line in out)
    assert "5 passed, 0 failed" in out
    assert any(line.startswith("FAIL printer") and "paper out" in line for line in out)


def test_devices_test_names_a_device_that_does_not_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "devices.yaml"
    config.write_text(
        "apiVersion: cassa/v1\nkind: Devices\ntill: T01\n"
        "printer: {backend: serial, device: /dev/ttyNOPE0}\n",
        encoding="utf-8",
    )
    assert main(["devices", "test", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "FAIL printer" in out
    assert "/dev/ttyNOPE0 cannot be opened" in out


def test_the_queue_history_and_reprint_commands_after_the_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "cassa.db")
    assert main(["demo", "--db", db]) == 0
    demo = capsys.readouterr().out
    assert "[CODE128 S/T01/" in demo
    assert "Resto" in demo
    assert "fiscal 0001-0001" in demo
    number = demo.split("Stored as ")[1].split()[0]
    output = tmp_path / "printed.bin"
    config = tmp_path / "devices.yaml"
    config.write_text(
        "apiVersion: cassa/v1\nkind: Devices\ntill: T01\n"
        f"printer: {{backend: simulator, output: {output.name}}}\n",
        encoding="utf-8",
    )
    assert main(["employees", "import", str(DEMO), "--db", db]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("responsabile-milano\n"))  # marco's password
    assert (
        main(
            [
                "devices",
                "reprint",
                number,
                "--config",
                str(config),
                "--operator",
                "marco",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert main(["devices", "history", number, "--db", db]) == 0
    assert main(["devices", "jobs", "--db", db]) == 0
    assert main(["devices", "fiscal", "--db", db]) == 0
    assert main(["devices", "decode", str(output)]) == 0
    out = capsys.readouterr().out
    assert f"{number}: printed as duplicate, copy 2" in out
    assert "copy 1 original " in out
    assert "copy 2 DUPLICATE " in out
    assert "by marco" in out
    assert "0 print job(s) waiting" in out
    assert "0 document(s) fiscal pending" in out
    assert "*** DUPLICATO ***" in out


def test_decode_reports_bytes_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.bin"
    writer = EscposWriter()
    writer.line("ok")
    path.write_bytes(writer.bytes() + b"\x1b\x7f")
    assert main(["devices", "decode", str(path)]) == 1
    assert "unknown command ESC" in capsys.readouterr().err
