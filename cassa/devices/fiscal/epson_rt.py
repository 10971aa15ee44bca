"""The Italian RT fiscal printer over XML and HTTP: Epson's FpMate ("ePOS fiscal print") commands.

Every request is a SOAP envelope posted to `http://PRINTER/cgi-bin/fpmate.cgi`:

```xml
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
  <printerFiscalReceipt>
    <beginFiscalReceipt operator="1"/>
    <printRecItem operator="1" description="Succo di mela" quantity="1,500" unitPrice="2,20"
                  department="2" justification="1"/>
    <printRecItemAdjustment operator="1" adjustmentType="3" description="Promo" amount="0,19"
                  department="2" justification="1"/>
    <printRecSubtotalAdjustment operator="1" adjustmentType="1" description="Sconto"
                  amount="1,00" justification="1"/>
    <printRecTotal operator="1" description="CONTANTI" payment="100,00" paymentType="0"
                  index="0" justification="1"/>
    <endFiscalReceipt operator="1"/>
  </printerFiscalReceipt>
</s:Body></s:Envelope>
```
A refund starts with `<printRecMessage messageType="4" message="REFUND zzzz nnnn ddmmyyyy SERIAL"/>`
naming the original receipt, then `printRecRefund` lines; the daily closure is
`<printerFiscalReport><printZReport/></printerFiscalReport>`; the status is
`<printerCommand><queryPrinterStatus/></printerCommand>`.

The answer is `<response success="true|false" code="…" status="…">` with an
`addInfo` holding `fiscalReceiptNumber`, `zRepNumber`, `fiscalReceiptAmount`,
`fiscalReceiptDate`. Amounts use a decimal comma. VAT rates map to the
departments programmed on the printer, tenders to RT payment types
(0 cash, 1 cheque, 2 card/credit, 3 ticket), both from the devices file.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.sax.saxutils import quoteattr

from cassa.devices.config import FiscalPrinterConfig
from cassa.devices.fiscal.base import (
    FiscalError,
    FiscalItem,
    FiscalPrinter,
    FiscalReceipt,
    FiscalReference,
    FiscalResult,
    FiscalStatus,
    ZReport,
)
from cassa.i18n import _

__all__ = ["EpsonRtPrinter", "amount_text", "parse_amount", "receipt_xml"]

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
PAPER_CODES = ("EPTR_REC_EMPTY",)
# The printer's error status numbers, as Epson documents them (a few of them).
STATUS_TEXT = {
    "2": "paper running out",
    "3": "printer offline: paper finished or cover open",
    "11": "command sequence not allowed",
    "12": "data does not exist (for a refund: the original receipt is unknown)",
    "13": "a field holds a wrong value",
    "17": "not possible at this time",
    "20": "amount above the allowed maximum",
    "40": "the document was already refunded",
}


def amount_text(value: Decimal, places: int = 2) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def parse_amount(text: str) -> Decimal:
    return Decimal(text.strip().replace(".", "").replace(",", ".") or "0")


def _element(name: str, **attributes: str) -> str:
    body = " ".join(f"{key}={quoteattr(value)}" for key, value in attributes.items())
    return f"<{name} {body}/>"


def envelope(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body>{body}</s:Body></s:Envelope>'
    )


def receipt_xml(receipt: FiscalReceipt, config: FiscalPrinterConfig) -> str:
    operator = config.operator
    parts = ["<printerFiscalReceipt>"]
    if receipt.refund_of is not None:
        ref = receipt.refund_of
        message = (
            f"REFUND {ref.z_number:04d} {ref.fiscal_number:04d} "
            f"{ref.day:%d%m%Y} {ref.printer_serial}"
        )
        parts.append(
            _element("printRecMessage", operator=operator, messageType="4", message=message)
        )
    parts.append(_element("beginFiscalReceipt", operator=operator))
    parts.append(
        _element(
            "printRecMessage",
            operator=operator,
            messageType="3",
            index="1",
            font="1",
            message=f"Doc. {receipt.document_number}"[:46],
        )
    )
    for item in receipt.items:
        parts.extend(_item(item, config, refund=receipt.refund_of is not None))
    for payment in receipt.payments:
        tender = config.tenders.get(payment.tender) or config.tenders["cash"]
        parts.append(
            _element(
                "printRecTotal",
                operator=operator,
                description=(tender.description or payment.tender.upper())[:38],
                payment=amount_text(payment.amount),
                paymentType=str(tender.payment_type),
                index=str(tender.index),
                justification="1",
            )
        )
    parts.append(_element("endFiscalReceipt", operator=operator))
    parts.append("</printerFiscalReceipt>")
    return envelope("".join(parts))


def _department(vat_code: str, config: FiscalPrinterConfig) -> str:
    department = config.department(vat_code)
    if department is None:
        raise FiscalError(
            _(
                "VAT rate {vat_code} has no department on the fiscal "
                "printer: add it under fiscal_printer.departments in the "
                "devices file",
                vat_code=vat_code,
            ),
            outcome_known=True,
        )
    return str(department)


def _item(item: FiscalItem, config: FiscalPrinterConfig, *, refund: bool) -> list[str]:
    operator = config.operator
    department = _department(item.vat_code, config)
    if refund:
        return [
            _element(
                "printRecRefund",
                operator=operator,
                description=item.description,
                quantity=amount_text(abs(item.quantity), 3),
                unitPrice=amount_text(abs(item.unit_price)),
                department=department,
                justification="1",
            )
        ]
    if item.quantity * item.unit_price < 0:  # a buy-back or negative line lowers the total
        return [
            _element(
                "printRecItemAdjustment",
                operator=operator,
                adjustmentType="3",
                description=item.description,
                amount=amount_text(abs(item.quantity * item.unit_price)),
                department=department,
                justification="1",
            )
        ]
    parts = [
        _element(
            "printRecItem",
            operator=operator,
            description=item.description,
            quantity=amount_text(item.quantity, 3),
            unitPrice=amount_text(item.unit_price),
            department=department,
            justification="1",
        )
    ]
    for adjustment in item.adjustments:
        parts.append(
            _element(
                "printRecItemAdjustment",
                operator=operator,
                adjustmentType="3",
                description=adjustment.description,
                amount=amount_text(adjustment.amount),
                department=department,
                justification="1",
            )
        )
    return parts


class EpsonRtPrinter(FiscalPrinter):
    def __init__(self, config: FiscalPrinterConfig) -> None:
        self.config = config

    def _post(self, body: str) -> ET.Element:
        """Send one request; classify every failure by whether the printer may have acted."""
        payload = body if body.startswith("<?xml") else envelope(body)
        request = urllib.request.Request(
            self.config.url,
            data=payload.encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            method="POST",
        )
        where = self.config.url
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as answer:
                text = answer.read()
        except urllib.error.HTTPError as error:
            known = error.code < 500
            raise FiscalError(
                _("fiscal printer {where} answered HTTP {code}", where=where, code=error.code),
                outcome_known=known,
                device_code=f"HTTP_{error.code}",
            ) from None
        except urllib.error.URLError as error:  # never connected: nothing was sent
            raise FiscalError(
                _(
                    "fiscal printer {where} cannot be reached: {reason}",
                    where=where,
                    reason=error.reason,
                ),
                outcome_known=True,
                device_code="FP_NO_ANSWER_NETWORK",
            ) from None
        except (TimeoutError, http.client.HTTPException, ConnectionError) as error:
            raise FiscalError(
                _(
                    "fiscal printer {where} did not answer ({name}): it may or "
                    "may not have printed the document",
                    where=where,
                    name=type(error).__name__,
                ),
                outcome_known=False,
                device_code="FP_NO_ANSWER",
            ) from None
        try:
            root = ET.fromstring(text)
        except ET.ParseError:
            raise FiscalError(
                _("fiscal printer {where} gave an answer that is not XML", where=where),
                outcome_known=False,
                device_code="BAD_ANSWER",
            ) from None
        response = root.find(f".//{{{SOAP}}}Body/response")
        if response is None:
            response = root.find(".//response")
        if response is None:
            raise FiscalError(
                _("fiscal printer {where} gave no <response>", where=where), outcome_known=False
            )
        if response.get("success") != "true":
            code = response.get("code", "")
            status = response.get("status", "")
            reason = STATUS_TEXT.get(status, "")
            if code in PAPER_CODES:
                reason = reason or "no paper or cover open"
            detail = f"{code or 'error'}" + (f" status {status}" if status else "")
            refused = (
                _(
                    "fiscal printer refused the request: {detail} ({reason})",
                    detail=detail,
                    reason=reason,
                )
                if reason
                else _("fiscal printer refused the request: {detail}", detail=detail)
            )
            raise FiscalError(
                refused,
                outcome_known=True,
                device_code=code or f"STATUS_{status}",
            )
        return response

    def print_receipt(self, receipt: FiscalReceipt) -> FiscalResult:
        if receipt.refund_of is not None and not receipt.refund_of.printer_serial:
            raise FiscalError(
                _("the original receipt's printer serial number is not known"), outcome_known=True
            )
        response = self._post(receipt_xml(receipt, self.config))
        info = response.find("addInfo")

        def field(name: str) -> str:
            value = info.findtext(name) if info is not None else None
            if not value:
                raise FiscalError(
                    _(
                        "the fiscal printer's answer has no {name}: the document is left pending",
                        name=name,
                    ),
                    outcome_known=False,
                )
            return value.strip()

        day = _day(field("fiscalReceiptDate"))
        return FiscalResult(
            FiscalReference(
                int(field("zRepNumber")),
                int(field("fiscalReceiptNumber")),
                day,
                self.config.serial_number,
            ),
            parse_amount(field("fiscalReceiptAmount")),
        )

    def z_report(self) -> ZReport:
        operator = self.config.operator
        body = (
            "<printerFiscalReport>"
            + _element("printZReport", operator=operator, timeout="60000")
            + "</printerFiscalReport>"
        )
        response = self._post(body)
        info = response.find("addInfo")
        z_number = info.findtext("zRepNumber", "0") if info is not None else "0"
        receipts = info.findtext("dailyReceipts", "0") if info is not None else "0"
        amount = info.findtext("dailyAmount", "0") if info is not None else "0"
        return ZReport(int(z_number), int(receipts), parse_amount(amount))

    def status(self) -> FiscalStatus:
        body = (
            "<printerCommand>"
            + _element("queryPrinterStatus", operator=self.config.operator, statusType="1")
            + "</printerCommand>"
        )
        response = self._post(body)
        info = response.find("addInfo")
        status = info.findtext("printerStatus", "") if info is not None else ""
        paper = {"0": "paper ok", "2": "paper near end", "3": "offline (paper out or cover open)"}
        detail = paper.get(status[:1], f"printer status {status or 'unknown'}")
        return FiscalStatus(
            ready=status[:1] in ("0", "2"),
            detail=detail,
            printer_serial=self.config.serial_number,
            extra={"printerStatus": status},
        )


def _day(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d%m%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC).date()
        except ValueError:
            continue
    raise FiscalError(
        _("the fiscal printer gave a date '{text}' that cannot be read", text=text),
        outcome_known=False,
    )
