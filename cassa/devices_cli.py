"""`cassa devices …`: start the simulators, check a till's devices, see and settle what waits.

cassa devices simulate [--dir sim] [--seconds N]   printer, display, fiscal printer, terminal
cassa devices test --config devices.yaml [--kick]   printer, drawer, display, fiscal, terminal
cassa devices jobs [--db cassa.db] [--till T01]     print jobs waiting for a printer
cassa devices retry --config devices.yaml [--db]    print them, and resend fiscal pending
cassa devices fiscal [--db] [--till T01]            documents that are fiscal pending
cassa devices fiscal-confirm NUMBER --printed 0001-0002 --day 2026-07-05 | --not-printed
cassa devices reprint NUMBER --config devices.yaml --operator anna [--db]   (asks the password)
cassa devices history NUMBER [--db]                 every printed copy: who, when, where
cassa devices decode FILE                           ESC/POS bytes as the customer reads them
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

from cassa import cli_inputs
from cassa.i18n import _

__all__ = ["add_commands", "run"]


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="cassa.db", help="SQLite file or SQLAlchemy URL")


def add_commands(commands: Any) -> None:
    devices = commands.add_parser("devices", help="printers, drawer, display, fiscal printer, …")
    sub = devices.add_subparsers(dest="devices_command", required=True)
    simulate = sub.add_parser("simulate", help="start every device simulator on this machine")
    simulate.add_argument("--dir", type=Path, default=Path("devices-sim"))
    simulate.add_argument("--till", default="T01")
    simulate.add_argument(
        "--printer-port",
        type=cli_inputs.whole(_("the port"), high=65535),
        default=0,
        help="default: a free port",
    )
    simulate.add_argument(
        "--fiscal-port", type=cli_inputs.whole(_("the port"), high=65535), default=0
    )
    simulate.add_argument(
        "--terminal-port", type=cli_inputs.whole(_("the port"), high=65535), default=0
    )
    simulate.add_argument(
        "--seconds",
        type=cli_inputs.seconds(_("the duration")),
        help="stop after this long (default: Ctrl-C)",
    )
    test = sub.add_parser("test", help="check each configured device and report")
    test.add_argument("--config", type=Path, required=True)
    test.add_argument("--kick", action="store_true", help="also open the cash drawer")
    jobs = sub.add_parser("jobs", help="list print jobs waiting for a printer")
    _db(jobs)
    jobs.add_argument("--till")
    retry = sub.add_parser("retry", help="print waiting jobs and resend fiscal pending documents")
    retry.add_argument("--config", type=Path, required=True)
    _db(retry)
    fiscal = sub.add_parser("fiscal", help="list documents that are fiscal pending")
    _db(fiscal)
    fiscal.add_argument("--till")
    confirm = sub.add_parser("fiscal-confirm", help="settle a fiscal document of unknown outcome")
    confirm.add_argument("number")
    confirm.add_argument("--config", type=Path, required=True)
    _db(confirm)
    outcome = confirm.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--printed", metavar="ZZZZ-NNNN", help="the numbers on the printer")
    outcome.add_argument("--not-printed", action="store_true")
    confirm.add_argument("--day", type=cli_inputs.day(), help="day it was printed (YYYY-MM-DD)")
    reprint = sub.add_parser("reprint", help="print another copy (marked DUPLICATE)")
    reprint.add_argument("number")
    reprint.add_argument("--config", type=Path, required=True)
    reprint.add_argument("--operator", required=True)
    _db(reprint)
    history = sub.add_parser("history", help="the print history of a document")
    history.add_argument("number")
    _db(history)
    decode = sub.add_parser("decode", help="show ESC/POS bytes as text")
    decode.add_argument("file", type=Path)


def run(args: argparse.Namespace) -> int:
    command = args.devices_command.replace("-", "_")
    handler = globals()[f"_{command}"]
    result: int = handler(args)
    return result


# -- simulate ---------------------------------------------------------------------------------
def _simulate(args: argparse.Namespace) -> int:
    from cassa.devices.display import PtyDisplaySimulator
    from cassa.devices.fiscal.simulator import RtSimulator
    from cassa.devices.printing.device_simulator import PrinterDevice, TcpPrinterSimulator
    from cassa.devices.terminal.simulator import TerminalSimulator

    folder: Path = args.dir
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / "printer-output.bin"
    lock = threading.Lock()

    def say(text: str) -> None:
        with lock:
            print(text, flush=True)

    def receipt(text: str) -> None:
        say("[printer]\n" + "\n".join(f"  | {line}" for line in text.splitlines()))

    def display(lines: list[str]) -> None:
        say(f"[display] |{lines[0]}|{lines[1]}|")

    printer = TcpPrinterSimulator(
        PrinterDevice(output=output, echo=receipt), port=args.printer_port
    )
    screen = PtyDisplaySimulator(on_change=display)
    fiscal = RtSimulator(port=args.fiscal_port)
    terminal = TerminalSimulator(port=args.terminal_port)
    config = folder / "devices.yaml"
    config.write_text(
        "# Written by `cassa devices simulate`: the simulators on this machine.\n"
        "apiVersion: cassa/v1\nkind: Devices\n"
        f"till: {args.till}\nlanguage: it\n"
        f"printer: {{backend: network, host: 127.0.0.1, port: {printer.port}, "
        "profile: TM-T88V, paper_width: 80}\n"
        "drawer: {pin: 2, pulse_ms: 100, open_for_tenders: [cash]}\n"
        f"display: {{device: {screen.device_path}, idle: [Benvenuti, Cassa {args.till}]}}\n"
        f'fiscal_printer: {{kind: epson_rt, url: "{fiscal.url}", serial_number: {fiscal.serial}}}\n'
        f"payment_terminal: {{host: 127.0.0.1, port: {terminal.port}, timeout: 5}}\n"
        "print_rules: {omit_receipt_up_to: 10.00}\n",
        encoding="utf-8",
    )
    for simulator in (printer, screen, fiscal, terminal):
        simulator.start()
    try:
        say(
            f"receipt printer   tcp 127.0.0.1:{printer.port} (ESC/POS; bytes also in {output})\n"
            f"customer display  {screen.device_path} (serial pty, ESC/POS display commands)\n"
            f"fiscal printer    {fiscal.url} (Epson RT XML, serial {fiscal.serial})\n"
            f"payment terminal  tcp 127.0.0.1:{terminal.port} (cents .51 decline, "
            ".52 timeout, .53 lost answer)\n\n"
            f"Point the till at them with {config}:\n"
            f"  cassa devices test --config {config}\n"
            f"  cassa devices retry --config {config} --db cassa.db\n"
            + ("Press Ctrl-C to stop." if args.seconds is None else f"Running {args.seconds} s.")
        )
        deadline = None if args.seconds is None else time.monotonic() + args.seconds
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    finally:
        for simulator in (printer, screen, fiscal, terminal):
            simulator.stop()
        say("simulators stopped")
    return 0


# -- test ------------------------------------------------------------------------------------
def _test(args: argparse.Namespace) -> int:
    from cassa.devices.config import load_devices
    from cassa.devices.display import CustomerDisplay
    from cassa.devices.drawer import CashDrawer
    from cassa.devices.errors import DeviceError
    from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
    from cassa.devices.printing.printer import ReceiptPrinter, backend_for
    from cassa.devices.terminal.tcp import TcpPaymentTerminal
    from cassa.engine.money import Currency

    config = load_devices(args.config)
    results: list[tuple[bool, str, str]] = []

    def check(name: str, action: Any) -> None:
        try:
            ok, text = action()
        except DeviceError as error:
            ok, text = False, error.message
        results.append((ok, name, text))

    if config.printer is not None:
        printer_config = config.printer

        def printer_check() -> tuple[bool, str]:
            printer = ReceiptPrinter(backend_for(printer_config), printer_config)
            status = printer.status()
            printer.backend.close()
            return status.ready, f"{printer.backend.name}: {status.describe()}"

        check("printer", printer_check)

        def drawer_check() -> tuple[bool, str]:
            printer = ReceiptPrinter(backend_for(printer_config), printer_config)
            drawer = CashDrawer(printer, config.drawer)
            sensor = drawer.sensor_high()
            text = f"pin {drawer.config.pin}, pulse {drawer.config.pulse_ms} ms"
            text += f", opens for {', '.join(drawer.config.open_for_tenders) or 'no tender'}"
            if sensor is not None:
                text += f"; sensor (pin 3) {'high' if sensor else 'low'}"
            if args.kick:
                drawer.kick()
                text += "; kicked"
            printer.backend.close()
            return True, text

        check("drawer", drawer_check)
    if config.display is not None:
        display_config = config.display

        def display_check() -> tuple[bool, str]:
            display = CustomerDisplay(display_config, Currency("EUR", 2), config.language or "en")
            display.show("Cassa: test display", "0123456789ABCDEFGHIJ")
            display.idle()
            display.close()
            return True, f"{display_config.device}: test message and idle message shown"

        check("display", display_check)
    if config.fiscal_printer is not None:
        fiscal_config = config.fiscal_printer

        def fiscal_check() -> tuple[bool, str]:
            status = EpsonRtPrinter(fiscal_config).status()
            return status.ready, f"{fiscal_config.url}: {status.detail}"

        check("fiscal printer", fiscal_check)
    if config.payment_terminal is not None:
        terminal_config = config.payment_terminal

        def terminal_check() -> tuple[bool, str]:
            answered = TcpPaymentTerminal(terminal_config).ping()
            where = f"{terminal_config.host}:{terminal_config.port}"
            return answered, f"{where}: {'answers' if answered else 'does not answer'}"

        check("payment terminal", terminal_check)
    if config.scanner is not None:
        scanner_config = config.scanner

        def scanner_check() -> tuple[bool, str]:
            from cassa.devices.scanner import SerialScanner

            scanner = SerialScanner(scanner_config, on_code=lambda code: None)
            scanner.open()
            scanner.stop()
            return True, f"{scanner_config.device}: opened (suffix {scanner_config.suffix})"

        check("scanner", scanner_check)
    if not results:
        print(f"{args.config}: no devices configured")
        return 1
    for ok, name, text in results:
        print(f"{'OK  ' if ok else 'FAIL'} {name:<17} {text}")
    failed = sum(not ok for ok, _, _ in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


# -- queue, fiscal, history ---------------------------------------------------------------------
def _open(url: str) -> Any:
    from cassa.engine.storage.db import open_existing_database

    return open_existing_database(url)


def _jobs(args: argparse.Namespace) -> int:
    from cassa.devices.printing.queue import pending_jobs

    database = _open(args.db)
    try:
        jobs = pending_jobs(database, args.till)
    finally:
        database.dispose()
    for job in jobs:
        print(f"{job.created_at:%Y-%m-%d %H:%M} {job.till} {job.describe()}")
    print(f"{len(jobs)} print job(s) waiting")
    return 0


def _devices(args: argparse.Namespace, database: Any) -> Any:
    from cassa.devices.config import load_devices
    from cassa.devices.till_devices import TillDevices
    from cassa.engine.money import Currency

    config = load_devices(args.config)
    return TillDevices.from_config(config, database, Currency("EUR", 2))


def _retry(args: argparse.Namespace) -> int:
    database = _open(args.db)
    try:
        devices = _devices(args, database)
        waiting = 0
        if devices.printing is not None:
            for job in devices.printing.queue.retry_pending():
                print(job.describe())
            waiting += len(devices.printing.queue.pending())
        if devices.fiscal is not None:
            for record in devices.fiscal.retry_pending():
                print(record.describe())
            from cassa.devices.fiscal.records import fiscal_pending

            waiting += len(fiscal_pending(database, devices.config.till))
        devices.close()
    finally:
        database.dispose()
    print(f"{waiting} still waiting")
    return 1 if waiting else 0


def _fiscal(args: argparse.Namespace) -> int:
    from cassa.devices.fiscal.records import fiscal_pending

    database = _open(args.db)
    try:
        records = fiscal_pending(database, args.till)
    finally:
        database.dispose()
    for record in records:
        print(record.describe())
    print(f"{len(records)} document(s) fiscal pending")
    return 0


def _fiscal_confirm(args: argparse.Namespace) -> int:
    from cassa.devices.errors import DeviceError
    from cassa.devices.fiscal.records import reference_from_text

    database = _open(args.db)
    try:
        devices = _devices(args, database)
        if devices.fiscal is None:
            raise DeviceError(_("{config} configures no fiscal printer", config=args.config))
        printed = None
        if args.printed:
            if args.day is None:
                raise DeviceError(_("give the day it was printed with --day YYYY-MM-DD"))
            serial = devices.config.fiscal_printer.serial_number
            printed = reference_from_text(args.printed, args.day, serial)
        record = devices.fiscal.confirm(args.number, printed=printed)
    finally:
        database.dispose()
    print(record.describe())
    return 0


def _reprint(args: argparse.Namespace) -> int:
    """A numbered duplicate through the till's fiscal desk: the pack's mentions, and under
    fiscal integrity its signature and its own link in the chain. The operator proves
    who they are with their password and needs the permission `reprint`."""
    from cassa.devices.config import load_devices
    from cassa.devices.errors import DeviceError
    from cassa.devices.till_devices import TillDevices
    from cassa.engine.storage.documents import DocumentStore
    from cassa.engine.till import Till
    from cassa.people_cli import read_secret

    database = _open(args.db)
    try:
        document = DocumentStore(database).find_by_number(args.number)
        till = Till.open(database, till=document.till, store=document.store)
        till.login(args.operator, read_secret(f"password of {args.operator}: "))
        devices = TillDevices.from_config(load_devices(args.config), database, till.currency)
        try:
            if devices.printing is None:
                raise DeviceError(_("{config} configures no printer", config=args.config))
            outcome = till.fiscal.reprint(devices.printing, args.number)
        finally:
            devices.close()
    finally:
        database.dispose()
    print(f"{args.number}: {outcome.message()}")
    return 0 if outcome.printed else 1


def _history(args: argparse.Namespace) -> int:
    from cassa.devices.printing.service import print_history

    database = _open(args.db)
    try:
        records = print_history(database, args.number)
    finally:
        database.dispose()
    for r in records:
        mark = "DUPLICATE" if r.duplicate else "original "
        print(
            f"copy {r.copy} {mark} {r.requested_at:%Y-%m-%d %H:%M} till {r.till} "
            f"by {r.operator} ({r.reason}, job {r.job_id}: {r.job_status})"
        )
    print(f"{len(records)} cop{'y' if len(records) == 1 else 'ies'} of {args.number}")
    return 0


def _decode(args: argparse.Namespace) -> int:
    from cassa.devices.printing.decoder import DecodeError, decode

    try:
        job = decode(args.file.read_bytes())
    except OSError as error:
        print(f"cassa: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    except DecodeError as error:
        print(f"cassa: {args.file}: {error}", file=sys.stderr)
        return 1
    for number, text in enumerate(job.receipts(), 1):
        print(f"--- {number} ---\n{text}")
    if job.kicks:
        print(f"drawer kicks: {', '.join(f'pin {k.pin} {k.pulse_ms} ms' for k in job.kicks)}")
    return 0
