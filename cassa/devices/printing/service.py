"""Printing documents with the seed's rules: omitted below a value, reprints marked DUPLICATE.

- **Omit below a value** (seed: "Possibilità di omettere la stampa dello
  scontrino"): a receipt whose value *does not exceed* `omit_receipt_up_to`
  (10.00 € in the seed's example) is not printed, unless the customer asks
  (`customer_asked=True`). Returns and corrections count by their absolute
  value. Invoices are always printed.
- **Print history** (seed: "Cronologia della stampa"): every copy of an
  approved document is recorded (who, when, which till, copy number) in the
  same transaction that queues it; every copy after the first is marked
  DUPLICATE on paper by the renderer, whatever the layout says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cassa.devices.config import PrintRules
from cassa.devices.errors import DeviceError
from cassa.devices.printing.data import Payment, PrintData, sale_data
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.queue import Clock, PrintJob, PrintQueue, _now
from cassa.engine.country import CountrySettings
from cassa.engine.documents import Document, DocumentTotals, DocumentType
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import DocumentRow, PrintHistoryRow, PrintJobRow
from cassa.i18n import _

__all__ = [
    "CopyRequest",
    "DocumentPrinting",
    "PrintDecorator",
    "PrintOutcome",
    "PrintRecord",
    "print_history",
    "receipt_omitted",
]


@dataclass(frozen=True)
class PrintOutcome:
    omitted: bool
    job: PrintJob | None = None
    copy: int | None = None

    @property
    def printed(self) -> bool:
        return self.job is not None and not self.job.pending

    @property
    def queued(self) -> bool:
        return self.job is not None and self.job.pending

    def message(self) -> str:
        if self.omitted:
            return "receipt not printed (below the printing limit): print it if the customer asks"
        assert self.job is not None
        if self.job.pending:
            return f"printer problem, the document waits in the print queue: {self.job.last_error}"
        return "printed" if (self.copy or 1) == 1 else f"printed as duplicate, copy {self.copy}"


@dataclass(frozen=True)
class PrintRecord:
    document_number: str
    copy: int
    duplicate: bool
    reason: str
    till: str
    operator: str
    requested_at: datetime
    job_id: int | None
    job_status: str | None


@dataclass(frozen=True)
class CopyRequest:
    """One copy about to be rendered and queued, as a print decorator sees it."""

    copy: int  # 1 for the original; every later copy is a duplicate
    till: str
    operator: str
    reason: str
    requested_at: datetime


# Adds to a copy's print data inside the transaction that records it (the fiscal
# signature and mentions of cassa.engine.fiscal); raising refuses the copy.
PrintDecorator = Callable[[Session, Document, PrintData, CopyRequest], PrintData]


# Receipts and their corrections (a return, the correction of a buy-back): the seed's
# 9.00 return under the 10.00 limit is not printed. Invoices always are.
_OMISSIBLE = frozenset(
    {DocumentType.RECEIPT, DocumentType.RECEIPT_RETURN, DocumentType.MANUAL_CORRECTION}
)


def receipt_omitted(
    document: Document, totals: DocumentTotals, rules: PrintRules, *, customer_asked: bool
) -> bool:
    """The seed's rule: omitted when the value does not exceed the limit and nobody asked."""
    limit = rules.omit_receipt_up_to
    if customer_asked or limit is None or document.type not in _OMISSIBLE:
        return False
    return abs(totals.total) <= limit


def print_history(database: Database, document_number: str) -> list[PrintRecord]:
    with database.session() as session:
        rows = session.execute(
            select(PrintHistoryRow, PrintJobRow.status)
            .outerjoin(PrintJobRow, PrintJobRow.id == PrintHistoryRow.job_id)
            .where(PrintHistoryRow.document_number == document_number)
            .order_by(PrintHistoryRow.copy)
        ).all()
        records = []
        for row, status in rows:
            requested = aware(row.requested_at)
            assert requested is not None
            records.append(
                PrintRecord(
                    document_number=row.document_number,
                    copy=row.copy,
                    duplicate=row.duplicate,
                    reason=row.reason,
                    till=row.till,
                    operator=row.operator,
                    requested_at=requested,
                    job_id=row.job_id,
                    job_status=status,
                )
            )
        return records


class DocumentPrinting:
    """Prints approved documents for one till through its queue, keeping the history."""

    def __init__(
        self,
        database: Database,
        printer: ReceiptPrinter,
        till: str,
        rules: PrintRules | None = None,
        *,
        language: str | None = None,
        clock: Clock = _now,
    ) -> None:
        self.database, self.printer, self.till = database, printer, till
        self.rules = rules or PrintRules()
        self.language = language
        self.clock = clock
        self.queue = PrintQueue(database, printer, till, clock)
        self.decorators: list[PrintDecorator] = []

    def print_sale(
        self,
        document: Document,
        totals: DocumentTotals,
        country: CountrySettings,
        header: ReceiptHeader,
        *,
        operator: str,
        payments: Sequence[Payment] = (),
        change: Decimal | None = None,
        customer_asked: bool = False,
        customer_line: str = "",
    ) -> PrintOutcome:
        """Print an approved receipt or invoice after the sale, following the print rules."""
        omitted = receipt_omitted(document, totals, self.rules, customer_asked=customer_asked)
        if omitted and not country.receipt_required:  # Germany: every receipt is handed over
            return PrintOutcome(omitted=True)
        data = sale_data(
            document,
            totals,
            country,
            header,
            payments=payments,
            change=change,
            language=self.language,
            customer_line=customer_line,
            origin_at=self._origin_at(document),
        )
        reason = "customer_request" if customer_asked else "sale"
        return self.print_copy(document, data, operator=operator, reason=reason)

    def reprint(
        self,
        document: Document,
        totals: DocumentTotals,
        country: CountrySettings,
        header: ReceiptHeader,
        *,
        operator: str,
        payments: Sequence[Payment] = (),
        change: Decimal | None = None,
    ) -> PrintOutcome:
        """Another copy of an approved document: a DUPLICATE if a copy was printed before."""
        data = sale_data(
            document,
            totals,
            country,
            header,
            payments=payments,
            change=change,
            language=self.language,
            origin_at=self._origin_at(document),
        )
        return self.print_copy(document, data, operator=operator, reason="reprint")

    def _origin_at(self, document: Document) -> datetime | None:
        """When the document's original was approved: a return's title and an invoice's
        mention of the receipt that paid it name the day."""
        if document.origin_id is None:
            return None
        with self.database.session() as session:
            approved = session.scalar(
                select(DocumentRow.approved_at).where(DocumentRow.id == document.origin_id)
            )
        return aware(approved)

    def print_copy(
        self, document: Document, data: PrintData, *, operator: str, reason: str
    ) -> PrintOutcome:
        if document.number is None:
            raise DeviceError(_("only approved documents are printed; approve it first"))
        for attempt in range(3):  # two tills reprinting the same document at once
            try:
                with self.database.session() as session, session.begin():
                    job_id, copy = self._queue_copy(session, document, data, operator, reason)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        return PrintOutcome(omitted=False, job=self.queue.attempt(job_id), copy=copy)

    def _queue_copy(
        self,
        session: Session,
        document: Document,
        data: PrintData,
        operator: str,
        reason: str,
    ) -> tuple[int, int]:
        assert document.number is not None
        waiting = session.scalar(
            select(PrintJobRow.id).where(
                PrintJobRow.document_id == document.id, PrintJobRow.status == "pending"
            )
        )
        if waiting is not None:
            raise DeviceError(
                _(
                    "{number} is still waiting in the print queue (job "
                    "{waiting}): fix the printer and retry the queue instead of "
                    "printing it again",
                    number=document.number,
                    waiting=waiting,
                )
            )
        printed = session.scalar(
            select(func.count())
            .select_from(PrintHistoryRow)
            .where(PrintHistoryRow.document_id == document.id)
        )
        copy = int(printed or 0) + 1
        requested_at = self.clock()
        request = CopyRequest(copy, self.till, operator, reason, requested_at)
        for decorate in self.decorators:
            data = decorate(session, document, data, request)
        payload = self.printer.render(data.with_copy(copy))
        job = self.queue.add(
            session,
            data.kind,
            payload,
            document_id=document.id,
            document_number=document.number,
            copy=copy,
        )
        session.add(
            PrintHistoryRow(
                document_id=document.id,
                document_number=document.number,
                copy=copy,
                duplicate=copy > 1,
                reason=reason,
                till=self.till,
                operator=operator,
                requested_at=requested_at,
                job_id=job.id,
            )
        )
        return job.id, copy

    def history(self, document_number: str) -> list[PrintRecord]:
        return print_history(self.database, document_number)
