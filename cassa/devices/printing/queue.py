"""The print queue: every job is stored before it is sent, and stays until it is printed.

A printer that is unplugged or out of paper never holds up a sale: the sale
is stored already, the job is kept `pending` with the reason, and
`retry_pending()` (called by the till after each sale, by `RetryLoop` every
few seconds, or by `cassa devices retry`) prints the pending jobs in order.
`pending_jobs(database)` lists them for the till and `cassa devices jobs`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cassa.devices.errors import DeviceError
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import PrintJobRow
from cassa.i18n import _

__all__ = ["PrintJob", "PrintQueue", "RetryLoop", "pending_jobs"]

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PrintJob:
    id: int
    till: str
    kind: str
    document_id: str | None
    document_number: str | None
    copy: int
    status: str  # pending, printed
    attempts: int
    last_error: str
    created_at: datetime
    printed_at: datetime | None

    @property
    def pending(self) -> bool:
        return self.status == "pending"

    def describe(self) -> str:
        what = f"{self.kind} {self.document_number or ''}".strip()
        copy = f" copy {self.copy}" if self.copy > 1 else ""
        if self.pending:
            return f"job {self.id}: {what}{copy} waiting ({self.attempts} tries): {self.last_error}"
        return f"job {self.id}: {what}{copy} printed"


def _job(row: PrintJobRow) -> PrintJob:
    created = aware(row.created_at)
    assert created is not None
    return PrintJob(
        id=row.id,
        till=row.till,
        kind=row.kind,
        document_id=row.document_id,
        document_number=row.document_number,
        copy=row.copy,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=created,
        printed_at=aware(row.printed_at),
    )


def pending_jobs(database: Database, till: str | None = None) -> list[PrintJob]:
    """Jobs waiting for a printer, oldest first."""
    with database.session() as session:
        query = select(PrintJobRow).where(PrintJobRow.status == "pending")
        if till is not None:
            query = query.where(PrintJobRow.till == till)
        return [_job(row) for row in session.scalars(query.order_by(PrintJobRow.id))]


class PrintQueue:
    def __init__(
        self, database: Database, printer: ReceiptPrinter, till: str, clock: Clock = _now
    ) -> None:
        self.database, self.printer, self.till, self.clock = database, printer, till, clock
        self._lock = threading.Lock()  # one job on the wire at a time

    def add(
        self,
        session: Session,
        kind: str,
        payload: bytes,
        *,
        document_id: str | None = None,
        document_number: str | None = None,
        copy: int = 1,
    ) -> PrintJobRow:
        """Store a job inside the caller's transaction (it is sent after the commit)."""
        row = PrintJobRow(
            till=self.till,
            kind=kind,
            document_id=document_id,
            document_number=document_number,
            copy=copy,
            payload=payload,
            status="pending",
            attempts=0,
            last_error="not sent yet",
            created_at=self.clock(),
        )
        session.add(row)
        session.flush()
        return row

    def submit(
        self,
        kind: str,
        payload: bytes,
        *,
        document_id: str | None = None,
        document_number: str | None = None,
        copy: int = 1,
    ) -> PrintJob:
        """Store the job, then try to print it; a failure leaves it pending."""
        with self.database.session() as session, session.begin():
            job_id = self.add(
                session,
                kind,
                payload,
                document_id=document_id,
                document_number=document_number,
                copy=copy,
            ).id
        return self.attempt(job_id)

    def attempt(self, job_id: int) -> PrintJob:
        with self._lock:
            with self.database.session() as session:
                row = session.get(PrintJobRow, job_id)
                if row is None:
                    raise DeviceError(_("there is no print job {job_id}", job_id=job_id))
                if row.status != "pending":
                    return _job(row)
                payload = bytes(row.payload)
            error = ""
            try:
                self.printer.deliver(payload)
            except DeviceError as failure:
                error = failure.message
            with self.database.session() as session, session.begin():
                values: dict[str, object] = {"attempts": PrintJobRow.attempts + 1}
                if error:
                    values["last_error"] = error
                else:
                    values |= {"status": "printed", "last_error": "", "printed_at": self.clock()}
                session.execute(
                    update(PrintJobRow)
                    .where(PrintJobRow.id == job_id, PrintJobRow.status == "pending")
                    .values(**values)
                )
            with self.database.session() as session:
                row = session.get(PrintJobRow, job_id)
                assert row is not None
                return _job(row)

    def pending(self) -> list[PrintJob]:
        return pending_jobs(self.database, self.till)

    def retry_pending(self) -> list[PrintJob]:
        """Print the pending jobs in order; stop at the first that still fails."""
        done = []
        for job in self.pending():
            result = self.attempt(job.id)
            done.append(result)
            if result.pending:
                break
        return done


class RetryLoop:
    """Retries the queue every `interval` seconds in a background thread until stopped."""

    def __init__(self, queue: PrintQueue, interval: float = 10.0) -> None:
        self.queue, self.interval = queue, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="print-retry", daemon=True)
        self.errors: list[str] = []

    def start(self) -> RetryLoop:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=max(self.interval, 1) + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.queue.retry_pending()
            except Exception as error:  # a database hiccup must not end the loop
                self.errors.append(str(error))
