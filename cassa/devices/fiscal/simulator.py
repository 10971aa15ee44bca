"""A simulated Italian RT fiscal printer: a real HTTP server speaking the FpMate XML commands.

It keeps a fiscal memory (every receipt and refund with its Z and receipt
number, amount and lines), numbers receipts inside the open day, closes the
day on printZReport (the Z counter moves on, the receipt counter restarts),
checks refunds against the memory (the original must exist, on this printer,
and not be refunded beyond its amount), and can be made to fail the ways a
real one does:

    sim.paper_out = True            # refuses receipts with EPTR_REC_EMPTY until refilled
    sim.fail_next("error", status="11")
    sim.fail_next("timeout")        # answers too late; nothing printed
    sim.fail_next("lost_answer")    # prints, then drops the connection unanswered
    sim.fail_next("http_500")

    with RtSimulator() as sim:      # 127.0.0.1, a free port
        config = FiscalPrinterConfig(url=sim.url, serial_number=sim.serial)
"""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from zoneinfo import ZoneInfo

from cassa.devices.fiscal.epson_rt import SOAP, amount_text, parse_amount

__all__ = ["FiscalDocument", "RtSimulator"]

CENT = Decimal("0.01")


@dataclass
class FiscalDocument:
    z_number: int
    number: int
    day: date
    kind: str  # sale, refund
    amount: Decimal
    lines: list[tuple[str, Decimal, Decimal, int]]  # description, quantity, unit price, department
    payments: list[tuple[str, Decimal]]
    trailer: list[str] = field(default_factory=list)
    refund_of: tuple[int, int, date] | None = None


class _Refused(Exception):
    def __init__(self, code: str, status: str) -> None:
        super().__init__(code)
        self.code, self.status = code, status


class RtSimulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        serial: str = "99MEY000001",
        timezone: str = "Europe/Rome",
        answer_delay: float = 2.0,
    ) -> None:
        self.serial = serial
        self.timezone = ZoneInfo(timezone)
        self.memory: list[FiscalDocument] = []
        self.last_z = 0
        self.receipt_number = 0
        self.paper_out = False
        self.answer_delay = answer_delay  # how late a "timeout" answer comes
        self.requests: list[str] = []
        self.z_reports: list[tuple[int, int, Decimal]] = []
        self._failures: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                simulator._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        address = self._server.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/cgi-bin/fpmate.cgi"

    def __enter__(self) -> RtSimulator:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def fail_next(self, mode: str, *, status: str = "11", code: str = "PRINTER ERROR") -> None:
        """Make the next request fail: error, timeout, lost_answer or http_500."""
        if mode not in ("error", "timeout", "lost_answer", "http_500"):
            raise ValueError(f"unknown failure {mode!r}")
        with self._lock:
            self._failures.append((mode, f"{code}|{status}"))

    @property
    def open_z(self) -> int:
        """The number of the day's closure still to come, which the day's receipts carry."""
        return self.last_z + 1

    def sales(self) -> list[FiscalDocument]:
        return [d for d in self.memory if d.kind == "sale"]

    # -- HTTP ------------------------------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length", "0"))
        body = request.rfile.read(length).decode("utf-8", errors="replace")
        with self._lock:
            self.requests.append(body)
            failure = self._failures.pop(0) if self._failures else None
        mode, detail = failure if failure else ("", "")
        if mode == "http_500":
            request.send_error(500, "fiscal firmware error")
            return
        if mode == "timeout":
            time.sleep(self.answer_delay)  # nothing printed; the answer comes too late
            self._reply(request, False, "FP_NO_ANSWER", "0", {})
            return
        if mode == "error":
            code, status = detail.split("|")
            self._reply(request, False, code, status, {})
            return
        try:
            with self._lock:
                info = self._execute(body)
        except _Refused as refused:
            self._reply(request, False, refused.code, refused.status, {})
            return
        if mode == "lost_answer":
            request.close_connection = True
            request.wfile.flush()
            request.connection.close()  # printed, but the answer never arrives
            return
        self._reply(request, True, "", "2", info)

    def _reply(
        self,
        request: BaseHTTPRequestHandler,
        success: bool,
        code: str,
        status: str,
        info: dict[str, str],
    ) -> None:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in info.items())
        element_list = ",".join(info)
        add_info = f"<addInfo><elementList>{element_list}</elementList>{fields}</addInfo>"
        text = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body>'
            f'<response success="{str(success).lower()}" code="{code}" status="{status}">'
            f"{add_info}</response></soapenv:Body></soapenv:Envelope>"
        ).encode()
        request.send_response(200)
        request.send_header("Content-Type", "text/xml; charset=utf-8")
        request.send_header("Content-Length", str(len(text)))
        request.end_headers()
        request.wfile.write(text)

    # -- the fiscal firmware ------------------------------------------------------------------
    def _now(self) -> datetime:
        return datetime.now(UTC).astimezone(self.timezone)

    def _printer_status(self) -> str:
        return ("3" if self.paper_out else "0") + "0110"

    def _execute(self, body: str) -> dict[str, str]:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            raise _Refused("PARSER_ERROR", "0") from None
        envelope_body = root.find(f"{{{SOAP}}}Body")
        if envelope_body is None or len(envelope_body) != 1:
            raise _Refused("PARSER_ERROR", "0")
        command = envelope_body[0]
        if command.tag == "printerFiscalReceipt":
            return self._receipt(command)
        if command.tag == "printerFiscalReport":
            return self._report(command)
        if command.tag == "printerCommand":
            return {"printerStatus": self._printer_status(), "serialNumber": self.serial}
        raise _Refused("Non valid XML command", "0")

    def _receipt(self, command: ET.Element) -> dict[str, str]:
        if self.paper_out:
            raise _Refused("EPTR_REC_EMPTY", "3")
        children = list(command)
        refund_of = None
        if (
            children
            and children[0].tag == "printRecMessage"
            and children[0].get("messageType") == "4"
        ):
            refund_of = self._reference(children.pop(0).get("message", ""))
        if not children or children[0].tag != "beginFiscalReceipt":
            raise _Refused("PRINTER ERROR", "11")
        if children[-1].tag != "endFiscalReceipt":
            raise _Refused("INCOMPLETE FILE", "0")
        amount = Decimal(0)
        lines: list[tuple[str, Decimal, Decimal, int]] = []
        payments: list[tuple[str, Decimal]] = []
        trailer: list[str] = []
        for element in children[1:-1]:
            tag = element.tag
            if payments and tag != "printRecTotal":
                raise _Refused("PRINTER ERROR", "11")  # nothing but payments after the first
            if tag in ("printRecItem", "printRecRefund"):
                if (tag == "printRecRefund") != (refund_of is not None):
                    raise _Refused("PRINTER ERROR", "11")
                quantity = parse_amount(element.get("quantity", "1"))
                price = parse_amount(element.get("unitPrice", "0"))
                department = int(element.get("department", "1"))
                lines.append((element.get("description", ""), quantity, price, department))
                amount += (quantity * price).quantize(CENT, ROUND_HALF_UP)
            elif tag in ("printRecItemAdjustment", "printRecSubtotalAdjustment"):
                value = parse_amount(element.get("amount", "0"))
                kind = element.get("adjustmentType", "3")
                amount += value if kind in ("6", "7", "5", "8") else -value
            elif tag == "printRecMessage":
                trailer.append(element.get("message", ""))
            elif tag == "printRecSubtotal":
                continue
            elif tag == "printRecTotal":
                payments.append(
                    (element.get("description", ""), parse_amount(element.get("payment", "0")))
                )
            else:
                raise _Refused("Non valid XML command", "0")
        if not lines:
            raise _Refused("PRINTER ERROR", "11")
        paid = sum((p for _, p in payments), Decimal(0))
        if not payments or paid < amount:
            raise _Refused("PRINTER ERROR", "11")  # the receipt cannot close unpaid
        if refund_of is not None:
            self._check_refund(refund_of, amount)
        self.receipt_number += 1
        now = self._now()
        document = FiscalDocument(
            self.open_z,
            self.receipt_number,
            now.date(),
            "refund" if refund_of else "sale",
            amount,
            lines,
            payments,
            trailer,
            refund_of,
        )
        self.memory.append(document)
        return {
            "lastCommand": "74",
            "printerStatus": self._printer_status(),
            "fiscalReceiptNumber": str(document.number),
            "fiscalReceiptAmount": amount_text(amount),
            "fiscalReceiptDate": now.strftime("%d/%m/%Y"),
            "fiscalReceiptTime": now.strftime("%H:%M"),
            "zRepNumber": str(document.z_number),
        }

    def _reference(self, message: str) -> tuple[int, int, date]:
        parts = message.split()
        if len(parts) != 5 or parts[0] != "REFUND":
            raise _Refused("PRINTER ERROR", "13")
        _, z_text, number_text, day_text, serial = parts
        if serial != self.serial:
            raise _Refused("PRINTER ERROR", "12")  # not a receipt of this printer
        try:
            day = datetime.strptime(day_text, "%d%m%Y").replace(tzinfo=UTC).date()
            return int(z_text), int(number_text), day
        except ValueError:
            raise _Refused("PRINTER ERROR", "13") from None

    def _check_refund(self, reference: tuple[int, int, date], amount: Decimal) -> None:
        z_number, number, day = reference
        original = next(
            (
                d
                for d in self.memory
                if d.kind == "sale" and (d.z_number, d.number, d.day) == (z_number, number, day)
            ),
            None,
        )
        if original is None:
            raise _Refused("PRINTER ERROR", "12")
        refunded = sum((d.amount for d in self.memory if d.refund_of == reference), Decimal(0))
        if refunded + amount > original.amount:
            raise _Refused("PRINTER ERROR", "40")

    def _report(self, command: ET.Element) -> dict[str, str]:
        if len(command) != 1 or command[0].tag not in ("printZReport", "printXReport"):
            raise _Refused("Non valid XML command", "0")
        if self.paper_out:
            raise _Refused("EPTR_REC_EMPTY", "3")
        today = [d for d in self.memory if d.z_number == self.open_z]
        sales = sum((d.amount for d in today if d.kind == "sale"), Decimal(0))
        refunds = sum((d.amount for d in today if d.kind == "refund"), Decimal(0))
        info = {
            "zRepNumber": str(self.open_z),
            "dailyReceipts": str(len(today)),
            "dailyAmount": amount_text(sales - refunds),
        }
        if command[0].tag == "printZReport":
            self.z_reports.append((self.open_z, len(today), sales - refunds))
            self.last_z += 1
            self.receipt_number = 0
        return info
