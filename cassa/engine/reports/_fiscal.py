"""Daily (Z) and periodic fiscal reports through the fiscal printer interface.

The daily report asks the fiscal printer to close its day
(`cassa.devices.fiscal.records.Fiscalization.z_report`, refused while a
document is fiscal pending) and sets its totals beside what the stored
documents say the printer registered in that Z: the receipts count and amount
must agree to the cent, or the report says they do not. Each report is kept
(`fiscal_reports`). The periodic report reads the Z reports of a date range
from the fiscal printer when it offers `periodic_report(date_from, date_to)`,
otherwise from the Z reports kept, each against its stored documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from cassa.engine.errors import InvalidInput
from cassa.engine.payments._format import amount_text
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import FiscalRecordRow, FiscalReportRow
from cassa.i18n import _

__all__ = [
    "FiscalReport",
    "ZTotals",
    "fiscal_daily_report",
    "fiscal_periodic_report",
    "kept_reports",
    "last_daily_report",
]


@dataclass(frozen=True)
class ZTotals:
    z_number: int
    receipts: int
    amount: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "z_number": self.z_number,
            "receipts": self.receipts,
            "amount": amount_text(self.amount),
        }


@dataclass(frozen=True)
class FiscalReport:
    kind: str  # daily, periodic
    till: str
    at: datetime
    device: tuple[ZTotals, ...]
    documents: tuple[ZTotals, ...]
    date_from: date | None = None
    date_to: date | None = None

    @property
    def agrees(self) -> bool:
        return self.device == self.documents

    @property
    def amount(self) -> Decimal:
        return sum((z.amount for z in self.device), Decimal(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "report": f"fiscal_{self.kind}",
            "till": self.till,
            "at": self.at.isoformat(),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "fiscal_printer": [z.as_json() for z in self.device],
            "stored_documents": [z.as_json() for z in self.documents],
            "agrees": self.agrees,
        }


def documents_of_z(database: Database, till: str, z_number: int) -> ZTotals:
    """What the stored documents say the printer registered in one Z: sales less refunds."""
    with database.session() as session:
        rows = session.execute(
            select(FiscalRecordRow.kind, func.count(), func.sum(FiscalRecordRow.amount))
            .where(
                FiscalRecordRow.till == till,
                FiscalRecordRow.z_number == z_number,
                FiscalRecordRow.status == "printed",
            )
            .group_by(FiscalRecordRow.kind)
        ).all()
    receipts = sum(int(count) for _, count, _ in rows)
    amount = sum(
        (Decimal(total or 0) * (-1 if kind == "refund" else 1) for kind, _, total in rows),
        Decimal(0),
    )
    return ZTotals(z_number, receipts, amount)


def fiscal_daily_report(
    database: Database,
    fiscalization: Any,
    *,
    store: str,
    till: str,
    operator: str,
    now: datetime,
    force: bool = False,
) -> FiscalReport:
    """Close the fiscal printer's day (Z) and compare it with the stored documents."""
    z = fiscalization.z_report(force=force)
    device = ZTotals(int(z.z_number), int(z.receipts), Decimal(z.amount))
    documents = documents_of_z(database, till, device.z_number)
    report = FiscalReport("daily", till, now, (device,), (documents,))
    _keep(database, report, store=store, operator=operator)
    return report


def fiscal_periodic_report(
    database: Database,
    *,
    till: str,
    date_from: date,
    date_to: date,
    now: datetime,
    printer: Any = None,
) -> FiscalReport:
    """The Z reports of a period (seed: Rapporto periodico), each against its documents."""
    if date_to < date_from:
        raise InvalidInput(
            _(
                "the period ends ({date_to}) before it starts ({date_from})",
                date_to=date_to,
                date_from=date_from,
            )
        )
    periodic = getattr(printer, "periodic_report", None)
    device: list[ZTotals] = []
    if callable(periodic):
        for z in periodic(date_from, date_to):
            device.append(ZTotals(int(z.z_number), int(z.receipts), Decimal(z.amount)))
    else:
        with database.session() as session:
            rows = session.scalars(
                select(FiscalReportRow)
                .where(
                    FiscalReportRow.till == till,
                    FiscalReportRow.kind == "daily",
                    FiscalReportRow.date_from >= date_from,
                    FiscalReportRow.date_from <= date_to,
                )
                .order_by(FiscalReportRow.z_number)
            ).all()
            for row in rows:
                totals = json.loads(row.device_totals)
                device.append(
                    ZTotals(
                        int(totals["z_number"]), int(totals["receipts"]), Decimal(totals["amount"])
                    )
                )
    documents = tuple(documents_of_z(database, till, z.z_number) for z in device)
    return FiscalReport("periodic", till, now, tuple(device), documents, date_from, date_to)


def _keep(database: Database, report: FiscalReport, *, store: str, operator: str) -> None:
    device = report.device[0]
    with database.session() as session, session.begin():
        session.add(
            FiscalReportRow(
                store=store,
                till=report.till,
                kind=report.kind,
                z_number=device.z_number,
                at=report.at,
                date_from=report.at.date(),
                date_to=report.at.date(),
                device_totals=json.dumps(device.as_json()),
                document_totals=json.dumps(report.documents[0].as_json()),
                agrees=report.agrees,
                operator=operator,
            )
        )


def last_daily_report(database: Database, till: str) -> FiscalReport | None:
    """The till's last daily report (a day closing makes one when the pack says so)."""
    with database.session() as session:
        row = session.scalars(
            select(FiscalReportRow)
            .where(FiscalReportRow.till == till, FiscalReportRow.kind == "daily")
            .order_by(FiscalReportRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        at = aware(row.at)
        assert at is not None
        totals = [json.loads(row.device_totals), json.loads(row.document_totals)]
        device, documents = (
            ZTotals(int(t["z_number"]), int(t["receipts"]), Decimal(t["amount"])) for t in totals
        )
        return FiscalReport("daily", till, at, (device,), (documents,))


def kept_reports(database: Database, till: str) -> list[dict[str, Any]]:
    with database.session() as session:
        rows = session.scalars(
            select(FiscalReportRow).where(FiscalReportRow.till == till).order_by(FiscalReportRow.id)
        ).all()
        return [
            {
                "kind": row.kind,
                "z_number": row.z_number,
                "at": (aware(row.at) or row.at).isoformat(),
                "fiscal_printer": json.loads(row.device_totals),
                "stored_documents": json.loads(row.document_totals),
                "agrees": row.agrees,
            }
            for row in rows
        ]
