"""Which documents the fiscal printer has registered; never assumed, always recorded.

Before a receipt goes to the fiscal printer its request is stored as
`sending` (one transaction); the answer then makes it `printed` (with the
printer's Z and receipt numbers), `pending` (the printer refused or could not
be reached: nothing was registered, `retry_pending` sends it again) or
`unknown` (no answer: it may have been registered; it is never resent by
itself, someone checks the printer's journal and `confirm`s either way). A
record left `sending` by a crash counts as `unknown`. Every record that is not
`printed` is "fiscal pending" and listed by `fiscal_pending()` and
`cassa devices fiscal`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from cassa.devices.errors import DeviceError
from cassa.devices.fiscal.base import (
    FiscalError,
    FiscalPrinter,
    FiscalReceipt,
    FiscalReference,
    ZReport,
    fiscal_receipt,
)
from cassa.devices.printing.data import Payment
from cassa.engine.documents import Document, DocumentTotals
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import FiscalRecordRow
from cassa.i18n import _

__all__ = ["FiscalRecord", "Fiscalization", "fiscal_pending", "fiscal_record"]

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class FiscalRecord:
    document_id: str
    document_number: str
    till: str
    kind: str
    status: str  # pending, sending, unknown, printed
    attempts: int
    last_error: str
    z_number: int | None
    fiscal_number: int | None
    printer_serial: str | None
    printed_at: datetime | None

    @property
    def printed(self) -> bool:
        return self.status == "printed"

    @property
    def outcome_unknown(self) -> bool:
        return self.status in ("unknown", "sending")

    def reference(self) -> FiscalReference:
        if not self.printed or self.z_number is None or self.fiscal_number is None:
            raise DeviceError(
                _(
                    "{document_number} is not registered by the fiscal printer",
                    document_number=self.document_number,
                )
            )
        assert self.printed_at is not None
        return FiscalReference(
            self.z_number, self.fiscal_number, self.printed_at.date(), self.printer_serial or ""
        )

    def describe(self) -> str:
        if self.printed:
            return (
                f"{self.document_number}: fiscal {self.z_number:04d}-{self.fiscal_number:04d}"
                if self.z_number is not None and self.fiscal_number is not None
                else f"{self.document_number}: printed"
            )
        state = {
            "pending": "FISCAL PENDING",
            "sending": "FISCAL PENDING (outcome unknown: interrupted while sending)",
            "unknown": "FISCAL PENDING (outcome unknown: check the printer's journal)",
        }[self.status]
        return f"{self.document_number}: {state} after {self.attempts} tries: {self.last_error}"


def _record(row: FiscalRecordRow) -> FiscalRecord:
    return FiscalRecord(
        document_id=row.document_id,
        document_number=row.document_number,
        till=row.till,
        kind=row.kind,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        z_number=row.z_number,
        fiscal_number=row.fiscal_number,
        printer_serial=row.printer_serial,
        printed_at=aware(row.printed_at),
    )


def fiscal_pending(database: Database, till: str | None = None) -> list[FiscalRecord]:
    """Every document the fiscal printer has not (certainly) registered, oldest first."""
    with database.session() as session:
        query = select(FiscalRecordRow).where(FiscalRecordRow.status != "printed")
        if till is not None:
            query = query.where(FiscalRecordRow.till == till)
        rows = session.scalars(query.order_by(FiscalRecordRow.created_at))
        return [_record(row) for row in rows]


def fiscal_record(database: Database, document_number: str) -> FiscalRecord | None:
    with database.session() as session:
        row = session.scalar(
            select(FiscalRecordRow).where(FiscalRecordRow.document_number == document_number)
        )
        return _record(row) if row is not None else None


class Fiscalization:
    """Sends one till's receipts to its fiscal printer and records the outcome."""

    def __init__(
        self, database: Database, printer: FiscalPrinter, till: str, clock: Clock = _now
    ) -> None:
        self.database, self.printer, self.till, self.clock = database, printer, till, clock

    def fiscalize_sale(
        self, document: Document, totals: DocumentTotals, payments: Sequence[Payment] = ()
    ) -> FiscalRecord:
        return self._fiscalize(document, fiscal_receipt(document, totals, payments), "sale")

    def fiscalize_refund(
        self,
        document: Document,
        totals: DocumentTotals,
        original_number: str,
        payments: Sequence[Payment] = (),
    ) -> FiscalRecord:
        """A refund (reso) referencing the original receipt's fiscal numbers."""
        original = fiscal_record(self.database, original_number)
        if original is None or not original.printed:
            raise DeviceError(
                _(
                    "the original {original_number} is not registered by the "
                    "fiscal printer (yet): a refund must reference a fiscal "
                    "receipt",
                    original_number=original_number,
                )
            )
        receipt = fiscal_receipt(document, totals, payments, refund_of=original.reference())
        return self._fiscalize(document, receipt, "refund", refund_of=original.document_id)

    def _fiscalize(
        self,
        document: Document,
        receipt: FiscalReceipt,
        kind: str,
        *,
        refund_of: str | None = None,
    ) -> FiscalRecord:
        assert document.number is not None
        with self.database.session() as session, session.begin():
            row = session.get(FiscalRecordRow, document.id)
            if row is None:
                now = self.clock()
                session.add(
                    FiscalRecordRow(
                        document_id=document.id,
                        document_number=document.number,
                        till=self.till,
                        kind=kind,
                        status="pending",
                        request=receipt.to_json(),
                        amount=receipt.total,
                        attempts=0,
                        last_error="not sent yet",
                        refund_of=refund_of,
                        created_at=now,
                        updated_at=now,
                    )
                )
            elif row.status != "pending":
                return _record(row)  # printed, or unknown: never sent twice
        return self._send(document.id)

    def _send(self, document_id: str) -> FiscalRecord:
        with self.database.session() as session, session.begin():
            claimed = session.execute(
                update(FiscalRecordRow)
                .where(
                    FiscalRecordRow.document_id == document_id,
                    FiscalRecordRow.status == "pending",
                )
                .values(
                    status="sending",
                    attempts=FiscalRecordRow.attempts + 1,
                    updated_at=self.clock(),
                )
            ).rowcount  # type: ignore[attr-defined]
            row = session.get(FiscalRecordRow, document_id)
            assert row is not None
            if claimed != 1:
                return _record(row)
            receipt = FiscalReceipt.from_json(row.request)
        values: dict[str, object]
        try:
            result = self.printer.print_receipt(receipt)
        except FiscalError as error:
            values = {
                "status": "pending" if error.outcome_known else "unknown",
                "last_error": error.message,
            }
        except DeviceError as error:
            values = {"status": "pending", "last_error": error.message}
        except Exception as error:  # anything else: the request may have left
            values = {"status": "unknown", "last_error": f"{type(error).__name__}: {error}"}
        else:
            reference = result.reference
            values = {
                "status": "printed",
                "last_error": "",
                "z_number": reference.z_number,
                "fiscal_number": reference.fiscal_number,
                "printer_serial": reference.printer_serial,
                "printed_at": datetime.combine(reference.day, self.clock().timetz()),
            }
            if result.amount != receipt.total:
                values["last_error"] = (
                    f"the printer registered {result.amount}, the document says {receipt.total}"
                )
        values["updated_at"] = self.clock()
        with self.database.session() as session, session.begin():
            session.execute(
                update(FiscalRecordRow)
                .where(FiscalRecordRow.document_id == document_id)
                .values(**values)
            )
            row = session.get(FiscalRecordRow, document_id)
            assert row is not None
            return _record(row)

    def retry_pending(self) -> list[FiscalRecord]:
        """Send again the documents the printer certainly did not register, oldest first."""
        results = []
        for record in fiscal_pending(self.database, self.till):
            if record.status != "pending":
                continue
            result = self._send(record.document_id)
            results.append(result)
            if not result.printed:
                break
        return results

    def confirm(self, document_number: str, *, printed: FiscalReference | None) -> FiscalRecord:
        """Settle an unknown outcome after checking the printer: registered (with its
        numbers) or not (it becomes pending and will be sent again)."""
        record = fiscal_record(self.database, document_number)
        if record is None:
            raise DeviceError(
                _(
                    "{document_number} was never sent to the fiscal printer",
                    document_number=document_number,
                )
            )
        if not record.outcome_unknown:
            raise DeviceError(
                _(
                    "{document_number} is {status}, there is nothing to settle",
                    document_number=document_number,
                    status=record.status,
                )
            )
        values: dict[str, object] = {"updated_at": self.clock()}
        if printed is None:
            values |= {"status": "pending", "last_error": "checked: not registered by the printer"}
        else:
            values |= {
                "status": "printed",
                "last_error": "",
                "z_number": printed.z_number,
                "fiscal_number": printed.fiscal_number,
                "printer_serial": printed.printer_serial,
                "printed_at": datetime.combine(printed.day, self.clock().timetz()),
            }
        with self.database.session() as session, session.begin():
            session.execute(
                update(FiscalRecordRow)
                .where(FiscalRecordRow.document_id == record.document_id)
                .values(**values)
            )
        settled = fiscal_record(self.database, document_number)
        assert settled is not None
        return settled

    def z_report(self, *, force: bool = False) -> ZReport:
        """The daily closure; refused while documents of this till are fiscal pending."""
        waiting = fiscal_pending(self.database, self.till)
        if waiting and not force:
            numbers = ", ".join(r.document_number for r in waiting)
            raise DeviceError(
                _(
                    "{count} document(s) are fiscal pending ({numbers}): settle "
                    "them before the daily closure",
                    count=len(waiting),
                    numbers=numbers,
                )
            )
        return self.printer.z_report()


def reference_from_text(text: str, day: date, serial: str) -> FiscalReference:
    """Read "0012-0034" (Z number - receipt number) as written on a fiscal receipt."""
    try:
        z_text, number_text = text.split("-")
        return FiscalReference(int(z_text), int(number_text), day, serial)
    except ValueError:
        raise DeviceError(_("'{text}' is not a fiscal number like 0012-0034", text=text)) from None
