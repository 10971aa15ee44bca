"""Fiscal integrity and the fiscal printer at the till, as the pack's FiscalRules declare them.

- `install(till)` (called by `Till.open` and `Till.reload_rules`) adds the hash
  chain's approval hook when the pack's `integrity` is on: every approved
  document of a chained type enters its till's chain inside the approval's
  transaction.
- `FiscalDesk.attach_printing(printing)` makes every printed copy carry the
  pack's mentions (reverse-charge note, split-payment mention) and, under
  integrity, the signature's short form; every copy after the first is a
  duplicate with its own number and its own link (seed "Cronologia della
  stampa": duplicate id, print number, till, operator, date, counts).
- `after_day_closing(till, closing)` (called by `Till.close_day`) makes the
  daily closing with its totals and perpetual grand total, the monthly and
  yearly ones of periods that are over, and (Italy) closes the fiscal
  printer's day with its Z report.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session

from cassa.engine.documents import Document
from cassa.engine.errors import (
    CassaError,
    ConfigurationError,
    DocumentStateError,
    InvalidInput,
    NotFound,
)
from cassa.engine.fiscal._chain import Link, append_link, document_link
from cassa.engine.fiscal._ledger import MoneyLedger
from cassa.engine.fiscal._settings import FiscalRules, IntegrityRules, TseRules
from cassa.engine.fiscal._signing import Signer
from cassa.engine.messages import Message
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import (
    DocumentRow,
    DocumentVatRow,
    FiscalChainRow,
    FiscalClosingRow,
    PaymentRow,
    PrintHistoryRow,
    TillDayRow,
    TseTransactionRow,
)
from cassa.engine.storage.types import ExactDecimal
from cassa.engine.taxes import document_mentions, mechanisms, say
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.devices.printing.data import PrintData
    from cassa.devices.printing.service import CopyRequest, DocumentPrinting, PrintOutcome
    from cassa.engine.till import Till

__all__ = [
    "ChainHook",
    "Closing",
    "DuplicateRecord",
    "FiscalDesk",
    "FiscalPrinting",
    "after_day_closing",
    "install",
    "require_signer",
]

NO_RULES = FiscalRules()
PERIODS = ("day", "month", "year")


def rules_of(till: Till) -> FiscalRules:
    return till.pack.fiscal or NO_RULES


class ChainHook:
    """The approval hook: an approved document of a chained type enters its till's chain."""

    def __init__(self, rules: IntegrityRules, till: Till | None = None) -> None:
        self.rules = rules
        self.till = till  # whose key signs documents, where the pack signs them

    def __call__(self, session: Session, document_id: str) -> None:
        row = session.execute(
            select(
                DocumentRow.doc_type, DocumentRow.till, DocumentRow.number, DocumentRow.approved_at
            ).where(DocumentRow.id == document_id)
        ).one()
        doc_type, till, number, approved_at = row
        if doc_type not in self.rules.document_types:
            return
        moment = aware(approved_at)
        assert moment is not None
        append_link(
            session,
            till,
            "document",
            moment,
            document_id=document_id,
            document_number=number,
            signer=self.till.signer
            if self.till is not None and "document" in self.rules.signed
            else None,
            chained_types=self.rules.document_types,
        )


def require_signer(till: Till) -> None:
    """Refuse (before anything is closed) when the pack requires a signature the till
    cannot make."""
    integrity = rules_of(till).integrity
    if integrity is not None and integrity.signing_required and till.signer is None:
        raise ConfigurationError(
            _(
                "pack {name} requires signed closings and till {code} has no "
                "signing key: name its key file in the till's devices file "
                "(signing: {{key: PATH}})",
                name=till.pack.name,
                code=till.code,
            )
        )


class _ChainingTill:
    """A till as the money ledger sees it; the ledger outlives no till it names."""

    def __init__(self, till: Till) -> None:
        self.code = till.code
        self._till = weakref.ref(till)

    @property
    def signer(self) -> Signer | None:
        till = self._till()
        return till.signer if till is not None else None

    def money_chained(self) -> tuple[Collection[str], bool] | None:
        till = self._till()
        integrity = rules_of(till).integrity if till is not None else None
        if integrity is None:
            return None
        return integrity.document_types, "money" in integrity.signed


def install(till: Till) -> None:
    """Attach (or detach) the pack's hash chain to the till's approvals and to the
    transactions that write money, its TSE and its document numbering."""
    hooks = till.documents.approval_hooks
    hooks[:] = [hook for hook in hooks if not isinstance(hook, ChainHook)]
    integrity = rules_of(till).integrity
    ledger = MoneyLedger.of(till.database)
    if integrity is not None:
        hooks.append(ChainHook(integrity, till))
        ledger.watch(_ChainingTill(till))
    else:
        ledger.forget(till.code)
    till.documents.numbering = {
        kind: wording.numbering
        for kind, wording in till.country.documents.items()
        if wording.numbering is not None
    }
    settled = till.documents.settled_hooks
    settled[:] = [hook for hook in settled if not isinstance(hook, TseHook)]
    tse = rules_of(till).tse
    if tse is not None:
        if till.tse is None:
            till.tse = simulated_tse(till)
        settled.append(TseHook(tse, till))


def simulated_tse(till: Till) -> Any:
    """The till's security module when its devices name no other: a simulator whose
    counters go on from the till's stored transactions."""
    from cassa.devices.tse import SimulatedTse

    with till.database.session() as session:
        last = session.execute(
            select(
                func.max(TseTransactionRow.number), func.max(TseTransactionRow.signature_counter)
            ).where(TseTransactionRow.till == till.code)
        ).one()
    return SimulatedTse(transactions=int(last[0] or 0), signatures=int(last[1] or 0))


class TseHook:
    """Once a document's payments are written: the TSE signs it (start, finish with the
    receipt's process data) and its answer is stored with the document."""

    def __init__(self, rules: TseRules, till: Till) -> None:
        self.rules, self.till = rules, till

    def __call__(self, session: Session, document_id: str) -> None:
        from cassa.devices.tse import PROCESS_TYPE, process_data

        doc_type, till, approved_at = session.execute(
            select(DocumentRow.doc_type, DocumentRow.till, DocumentRow.approved_at).where(
                DocumentRow.id == document_id
            )
        ).one()
        if doc_type not in self.rules.document_types:
            return
        moment = aware(approved_at)
        assert moment is not None
        vat = session.execute(
            select(DocumentVatRow.percent, DocumentVatRow.gross).where(
                DocumentVatRow.document_id == document_id
            )
        ).all()
        paid: dict[tuple[bool, str], Decimal] = {}
        for tender_type, currency, amount in session.execute(
            select(PaymentRow.tender_type, PaymentRow.currency, PaymentRow.amount)
            .where(PaymentRow.document_id == document_id)
            .order_by(PaymentRow.position)
        ):
            key = (tender_type == "cash", str(currency))
            paid[key] = paid.get(key, Decimal(0)) + amount
        system = self.till.currency.code
        data = process_data(
            [(Decimal(p), Decimal(g)) for p, g in vat],
            [(a, cash, None if c == system else c) for (cash, c), a in paid.items() if a],
        )
        module = self.till.tse
        assert module is not None  # install() gives the till one
        number = module.start(till, moment)
        signed = module.finish(till, number, PROCESS_TYPE, data, moment)
        session.add(
            TseTransactionRow(
                document_id=document_id,
                till=till,
                serial=signed.serial,
                number=signed.number,
                signature_counter=signed.signature_counter,
                started_at=signed.started_at,
                finished_at=signed.finished_at,
                process_type=signed.process_type,
                process_data=signed.process_data,
                algorithm=signed.algorithm,
                signature=signed.signature,
                public_key=signed.public_key,
            )
        )


def tse_transaction(session: Session, document_id: str) -> Any:
    """The TSE's answer stored for a document (a `cassa.devices.tse.TseTransaction`)."""
    from cassa.devices.tse import TseTransaction

    row = session.get(TseTransactionRow, document_id)
    if row is None:
        return None
    return TseTransaction(
        serial=row.serial,
        number=row.number,
        signature_counter=row.signature_counter,
        started_at=aware(row.started_at) or row.started_at,
        finished_at=aware(row.finished_at) or row.finished_at,
        process_type=row.process_type,
        process_data=row.process_data,
        signature=row.signature,
        public_key=row.public_key,
        algorithm=row.algorithm,
    )


# -- printing -----------------------------------------------------------------------------------
class FiscalPrinting:
    """A print decorator: mentions, the signature, and a duplicate's own number and link."""

    def __init__(self, till: Till) -> None:
        self.till = till

    def __call__(
        self, session: Session, document: Document, data: PrintData, request: CopyRequest
    ) -> PrintData:
        from cassa.devices.printing.data import PrintData

        till = self.till
        fields = dict(data.fields)
        lists = dict(data.lists)
        currencies = {
            str(c)
            for (c,) in session.execute(
                select(PaymentRow.currency).where(
                    PaymentRow.document_id == document.id, PaymentRow.kind == "payment"
                )
            ).all()
        }
        mentions = document_mentions(
            mechanisms(till), document, payment_currencies=currencies, locale=data.language
        )
        known = [row.get("text", "") for row in lists.get("mentions", ())]
        lists["mentions"] = [{"text": text} for text in [*known, *mentions] if text]
        integrity = rules_of(till).integrity
        if integrity is not None and document.type.value in integrity.document_types:
            link = document_link(session, document.id)  # None: approved before integrity
            if request.copy > 1:
                link = self._duplicate(session, document, request)
                label = say(integrity.duplicate_label, data.language)
                fields["document.duplicate"] = f"{label} {link.duplicate_number}"
            if link is not None:
                fields["document.signature"] = link.short(integrity.short_hash_length)
        tse = rules_of(till).tse
        signed = tse_transaction(session, document.id) if tse is not None else None
        if tse is not None and signed is not None:
            from cassa.devices.tse import qr_code

            values = tse_values(signed)
            lists["tse"] = [
                {"label": say(label, data.language), "value": values[name]}
                for name, label in tse.fields
            ]
            if tse.qr_code:
                fields["tse.qr"] = qr_code(document.till, signed)
        return PrintData(data.kind, data.language, fields, lists, data.lines, data.copy)

    def _duplicate(self, session: Session, document: Document, request: CopyRequest) -> Link:
        assert document.number is not None
        made = session.scalar(
            select(func.count())
            .select_from(FiscalChainRow)
            .where(FiscalChainRow.chain == request.till, FiscalChainRow.kind == "duplicate")
        )
        number = int(made or 0) + 1
        stands_for = {
            "print": {
                "document_id": document.id,
                "document_number": document.number,
                "copy": request.copy,
                "duplicate": 1,
                "reason": request.reason,
                "till": request.till,
                "operator": request.operator,
                "requested_at": request.requested_at.astimezone(UTC).strftime(
                    "%Y-%m-%d %H:%M:%S.%f"
                ),
            }
        }
        integrity = rules_of(self.till).integrity
        return append_link(
            session,
            request.till,
            "duplicate",
            request.requested_at,
            document_id=document.id,
            document_number=document.number,
            copy=request.copy,
            duplicate_number=number,
            stands_for=stands_for,
            chained_types=integrity.document_types if integrity is not None else (),
        )


@dataclass(frozen=True)
class DuplicateRecord:
    """One line of a document's print history (seed: "Cronologia della stampa")."""

    document_number: str
    print_number: int  # the copy: 1 is the original
    duplicate_id: int | None  # the duplicate's own number in the till's chain
    till: str
    operator: str
    created_at: datetime
    signature: str | None
    not_approved_prints: int  # copies printed before approval (drafts): never, here
    approved_prints: int  # copies of the approved document printed up to this one

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document_number,
            "print_number": self.print_number,
            "duplicate_id": self.duplicate_id,
            "till": self.till,
            "operator": self.operator,
            "created_at": self.created_at.isoformat(),
            "signature": self.signature,
            "not_approved_prints": self.not_approved_prints,
            "approved_prints": self.approved_prints,
        }


# -- closings --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Closing:
    id: int
    till: str
    period: str
    label: str
    date_from: date
    date_to: date
    documents: int
    total: Decimal
    net_total: Decimal
    vat_total: Decimal
    vat: dict[str, dict[str, str]]
    grand_total: Decimal
    signature: str
    places: int = 2  # the currency's minor units, for printing amounts

    def as_json(self) -> dict[str, Any]:
        def money(value: Decimal | str) -> str:
            return f"{Decimal(value):.{self.places}f}"

        return {
            "till": self.till,
            "period": self.period,
            "label": self.label,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "documents": self.documents,
            "total": money(self.total),
            "net_total": money(self.net_total),
            "vat_total": money(self.vat_total),
            "vat": {
                code: {key: money(value) for key, value in entry.items()}
                for code, entry in self.vat.items()
            },
            "grand_total": money(self.grand_total),
            "signature": self.signature,
        }


def _bounds(period: str, day: date) -> tuple[date, date, str]:
    if period == "day":
        return day, day, day.isoformat()
    if period == "month":
        end = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return date(day.year, day.month, 1), date.fromordinal(end.toordinal() - 1), f"{day:%Y-%m}"
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31), str(day.year)
    raise InvalidInput(
        _("a closing is for a day, a month or a year, not '{period}'", period=period)
    )


def _closing(row: FiscalClosingRow, signature: str, places: int) -> Closing:
    return Closing(
        id=row.id,
        till=row.till,
        period=row.period,
        label=row.label,
        date_from=row.date_from,
        date_to=row.date_to,
        documents=row.documents,
        total=row.total,
        net_total=row.net_total,
        vat_total=row.vat_total,
        vat=json.loads(row.vat),
        grand_total=row.grand_total,
        signature=signature,
        places=places,
    )


def _add_vat(
    into: dict[str, dict[str, Decimal]], code: str, net: Decimal, vat: Decimal, gross: Decimal
) -> None:
    entry = into.setdefault(code, {"net": Decimal(0), "vat": Decimal(0), "gross": Decimal(0)})
    entry["net"] += net
    entry["vat"] += vat
    entry["gross"] += gross


class FiscalDesk:
    """Fiscal integrity, printing and closings of one till (`Till.fiscal`)."""

    def __init__(self, till: Till) -> None:
        self.till = till

    @property
    def rules(self) -> FiscalRules:
        return rules_of(self.till)

    def _integrity(self) -> IntegrityRules:
        integrity = self.rules.integrity
        if integrity is None:
            raise InvalidInput(
                _("pack {name} does not keep a fiscal hash chain", name=self.till.pack.name)
            )
        return integrity

    # -- printing --------------------------------------------------------------------
    def attach_printing(self, printing: DocumentPrinting) -> None:
        """Every copy this printing service prints carries the pack's mentions, signature
        and duplicate numbers (replaces what an earlier call attached)."""
        printing.decorators[:] = [
            d for d in printing.decorators if not isinstance(d, FiscalPrinting)
        ]
        printing.decorators.append(FiscalPrinting(self.till))

    def _print_inputs(self, document: Document) -> tuple[Any, Any, list[Any]]:
        from cassa.devices.printing.data import Payment
        from cassa.engine.receipt_text import ReceiptHeader

        store = self.till.store
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        with self.till.database.session() as session:
            rows = session.scalars(
                select(PaymentRow)
                .where(PaymentRow.document_id == document.id, PaymentRow.kind == "payment")
                .order_by(PaymentRow.position)
            ).all()
            payments = [Payment(row.tender, row.amount) for row in rows]
        return document.totals(self.till.currency), header, payments

    def print_document(
        self, printing: DocumentPrinting, number: str | None = None, *, customer_asked: bool = False
    ) -> PrintOutcome:
        """Print an approved document (the current one by default) after the sale."""
        document = self._approved(number)
        totals, header, payments = self._print_inputs(document)
        self.attach_printing(printing)
        customer = self.till.catalog.find_customer(document.customer)
        return printing.print_sale(
            document,
            totals,
            self.till.country,
            header,
            operator=self.till.operator,
            payments=payments,
            customer_asked=customer_asked,
            customer_line=" ".join(filter(None, (customer.name, customer.vat_number)))
            if customer
            else "",
        )

    def reprint(self, printing: DocumentPrinting, number: str | None = None) -> PrintOutcome:
        """Another copy of an approved document: a numbered, signed duplicate (needs the
        permission `reprint`, or a manager's approval)."""
        from cassa.engine.people import Permission

        document = self._approved(number)
        self.till.require(Permission.REPRINT, what="reprint a document")
        totals, header, payments = self._print_inputs(document)
        self.attach_printing(printing)
        return printing.reprint(
            document,
            totals,
            self.till.country,
            header,
            operator=self.till.operator,
            payments=payments,
        )

    def _approved(self, number: str | None) -> Document:
        till = self.till
        if number is not None:
            return till.documents.find_by_number(number)
        if till.current is None or till.current.number is None:
            raise DocumentStateError(_("there is no approved document to print: give its number"))
        return till.documents.load(till.current.id)

    def print_history(self, number: str) -> list[DuplicateRecord]:
        """Every copy of a document, with its duplicate id and counts (seed: Cronologia)."""
        with self.till.database.session() as session:
            history = session.scalars(
                select(PrintHistoryRow)
                .where(PrintHistoryRow.document_number == number)
                .order_by(PrintHistoryRow.copy)
            ).all()
            links = {
                row.copy: row
                for row in session.scalars(
                    select(FiscalChainRow).where(FiscalChainRow.document_number == number)
                )
            }
            original = next((r for r in links.values() if r.kind == "document"), None)
            integrity = self.rules.integrity
            length = integrity.short_hash_length if integrity else 8
            records = []
            for printed, row in enumerate(history, 1):
                link = links.get(row.copy) if row.copy > 1 else original
                created = aware(row.requested_at)
                assert created is not None
                records.append(
                    DuplicateRecord(
                        document_number=row.document_number,
                        print_number=row.copy,
                        duplicate_id=link.duplicate_number if link and row.copy > 1 else None,
                        till=row.till,
                        operator=row.operator,
                        created_at=created,
                        signature=link.hash[:length].upper() if link else None,
                        not_approved_prints=0,
                        approved_prints=printed,
                    )
                )
            return records

    # -- closings --------------------------------------------------------------------
    def close(self, period: str, day: date | None = None) -> Closing:
        """Close a day, a month or a year of this till: its totals and the perpetual grand
        total, signed into the chain. A period is closed once."""
        integrity = self._integrity()
        if period not in integrity.closings:
            raise InvalidInput(
                _("pack {name} makes no {period} closing", name=self.till.pack.name, period=period)
            )
        require_signer(self.till)
        day = day or self.till.now().date()
        with self.till.database.session() as session, session.begin():
            return self._close(session, period, day)

    def _close(self, session: Session, period: str, day: date) -> Closing:
        till = self.till
        date_from, date_to, label = _bounds(period, day)
        exists = session.scalar(
            select(FiscalClosingRow.id).where(
                FiscalClosingRow.till == till.code,
                FiscalClosingRow.period == period,
                FiscalClosingRow.date_from == date_from,
            )
        )
        if exists is not None:
            raise DocumentStateError(
                _(
                    "the {period} {label} of till {code} is already closed",
                    period=period,
                    label=label,
                    code=till.code,
                )
            )
        previous = session.scalars(
            select(FiscalClosingRow)
            .where(FiscalClosingRow.till == till.code, FiscalClosingRow.period == period)
            .order_by(FiscalClosingRow.date_from.desc())
        ).first()
        if previous is not None and previous.date_from > date_from:
            raise DocumentStateError(
                _(
                    "the {period} {label} is closed already: {label2} comes before it",
                    period=period,
                    label=previous.label,
                    label2=label,
                )
            )
        vat: dict[str, dict[str, Decimal]] = {}
        if period == "day":
            after = previous.last_sequence if previous and previous.last_sequence else 0
            links = session.execute(
                select(FiscalChainRow.sequence, FiscalChainRow.document_id)
                .where(
                    FiscalChainRow.chain == till.code,
                    FiscalChainRow.kind == "document",
                    FiscalChainRow.sequence > after,
                )
                .order_by(FiscalChainRow.sequence)
            ).all()
            ids = [str(document_id) for _ignored, document_id in links]
            from cassa.engine.invoicing import INVOICES_OF_RECEIPTS

            # An invoice of a receipt is a chained document of the day, but its value is
            # its receipt's, already in the totals: counted, not added again.
            valued = DocumentRow.id.in_(ids) & ~INVOICES_OF_RECEIPTS
            sums = session.execute(
                select(
                    func.count(),
                    func.sum(DocumentRow.total).filter(valued),
                    func.sum(DocumentRow.net_total).filter(valued),
                    func.sum(DocumentRow.vat_total).filter(valued),
                ).where(DocumentRow.id.in_(ids))
            ).one()
            count, total, net, tax = int(sums[0]), *(Decimal(v or 0) for v in sums[1:])
            for vat_row in session.scalars(
                select(DocumentVatRow)
                .join(DocumentRow, DocumentRow.id == DocumentVatRow.document_id)
                .where(valued)
            ):
                _add_vat(vat, vat_row.vat_code, vat_row.net, vat_row.vat, vat_row.gross)
            first = links[0][0] if links else None
            last = links[-1][0] if links else after or None
        else:
            lower = PERIODS[PERIODS.index(period) - 1]
            parts = session.scalars(
                select(FiscalClosingRow).where(
                    FiscalClosingRow.till == till.code,
                    FiscalClosingRow.period == lower,
                    FiscalClosingRow.date_from >= date_from,
                    FiscalClosingRow.date_from <= date_to,
                )
            ).all()
            count = sum(p.documents for p in parts)
            total = sum((p.total for p in parts), Decimal(0))
            net = sum((p.net_total for p in parts), Decimal(0))
            tax = sum((p.vat_total for p in parts), Decimal(0))
            for part in parts:
                for code, entry in json.loads(part.vat).items():
                    _add_vat(
                        vat,
                        code,
                        Decimal(entry["net"]),
                        Decimal(entry["vat"]),
                        Decimal(entry["gross"]),
                    )
            firsts = [p.first_sequence for p in parts if p.first_sequence is not None]
            lasts = [p.last_sequence for p in parts if p.last_sequence is not None]
            first = min(firsts) if firsts else None
            last = max(lasts) if lasts else None
        grand = (previous.grand_total if previous else Decimal(0)) + total
        perpetual, absolute = self._perpetual(session)
        now = till.now()
        row = FiscalClosingRow(
            store=till.store.code,
            till=till.code,
            period=period,
            label=label,
            date_from=date_from,
            date_to=date_to,
            documents=count,
            total=total,
            net_total=net,
            vat_total=tax,
            vat=json.dumps(
                {
                    code: {k: str(v) for k, v in entry.items()}
                    for code, entry in sorted(vat.items())
                },
                sort_keys=True,
            ),
            grand_total=grand,
            perpetual_total=perpetual,
            perpetual_absolute=absolute,
            first_sequence=first,
            last_sequence=last,
            at=now,
            operator=till.operator,
        )
        session.add(row)
        session.flush()
        integrity = self._integrity()
        link = append_link(
            session,
            till.code,
            "closing",
            now,
            closing_id=row.id,
            signer=till.signer if "closing" in integrity.signed else None,
            chained_types=integrity.document_types,
        )
        return _closing(row, link.short(integrity.short_hash_length), till.currency.minor_units)

    def _perpetual(self, session: Session) -> tuple[Decimal, Decimal]:
        """Every document of the till's chain so far: the sum of their totals, and of their
        absolute values (NF525's perpetual grand totals)."""
        from cassa.engine.invoicing import INVOICES_OF_RECEIPTS

        linked = select(FiscalChainRow.document_id).where(
            FiscalChainRow.chain == self.till.code, FiscalChainRow.kind == "document"
        )
        total, absolute = session.execute(
            select(
                func.sum(DocumentRow.total),
                func.sum(type_coerce(func.abs(DocumentRow.total), ExactDecimal)),
            ).where(DocumentRow.id.in_(linked), ~INVOICES_OF_RECEIPTS)
        ).one()
        return Decimal(total or 0), Decimal(absolute or 0)

    def close_periods_over(self, day: date) -> list[Closing]:
        """The monthly and yearly closings of periods before `day` that have closed days."""
        integrity = self._integrity()
        made: list[Closing] = []
        for period in ("month", "year"):
            if period not in integrity.closings:
                continue
            lower = PERIODS[PERIODS.index(period) - 1]
            current_from, _, _ = _bounds(period, day)
            with self.till.database.session() as session, session.begin():
                starts = sorted(
                    {
                        _bounds(period, d)[0]
                        for (d,) in session.execute(
                            select(FiscalClosingRow.date_from).where(
                                FiscalClosingRow.till == self.till.code,
                                FiscalClosingRow.period == lower,
                                FiscalClosingRow.date_from < current_from,
                            )
                        ).all()
                    }
                )
                closed = {
                    d
                    for (d,) in session.execute(
                        select(FiscalClosingRow.date_from).where(
                            FiscalClosingRow.till == self.till.code,
                            FiscalClosingRow.period == period,
                        )
                    ).all()
                }
                for start in starts:
                    if start not in closed:
                        made.append(self._close(session, period, start))
        return made

    def closings(self, period: str | None = None) -> list[Closing]:
        with self.till.database.session() as session:
            query = select(FiscalClosingRow).where(FiscalClosingRow.till == self.till.code)
            if period is not None:
                query = query.where(FiscalClosingRow.period == period)
            rows = session.scalars(query.order_by(FiscalClosingRow.id)).all()
            signatures = {
                link.closing_id: link.hash
                for link in session.scalars(
                    select(FiscalChainRow).where(
                        FiscalChainRow.chain == self.till.code, FiscalChainRow.kind == "closing"
                    )
                )
            }
        integrity = self.rules.integrity
        length = integrity.short_hash_length if integrity else 8
        places = self.till.currency.minor_units
        return [_closing(row, signatures.get(row.id, "")[:length].upper(), places) for row in rows]

    def signature(self, number: str) -> str:
        """The short signature a document's receipt prints."""
        integrity = self._integrity()
        document = self.till.documents.find_by_number(number)
        with self.till.database.session() as session:
            link = document_link(session, document.id)
        if link is None:
            raise NotFound(_("{number} is not in the fiscal chain", number=number))
        return link.short(integrity.short_hash_length)


# -- the day closing hook ------------------------------------------------------------------
def after_day_closing(till: Till, day_id: int) -> list[Message]:
    """What the pack does when a till's day is closed: the fiscal closings, the Z report."""
    rules = rules_of(till)
    messages: list[Message] = []
    integrity = rules.integrity
    if integrity is not None and "day" in integrity.closings:
        with till.database.session() as session:
            business = session.scalar(
                select(TillDayRow.business_date).where(TillDayRow.id == day_id)
            )
        day = business or till.now().date()
        desk = FiscalDesk(till)
        desk.close("day", day)
        desk.close_periods_over(day)
    printer = rules.fiscal_printer
    if printer is not None and printer.z_report_on_day_closing:
        devices = till.payment_devices
        if devices is None or devices.fiscal is None:
            messages.append(Message("no_fiscal_printer"))
        else:
            try:
                till.reports.fiscal_daily()
            except CassaError as error:
                messages.append(Message("z_report_failed", {"error": error.text}))
    till.messages = [*till.messages, *messages]
    return messages


def tse_values(signed: Any) -> dict[str, str]:
    """A TSE transaction's fields as the receipt prints them (TSE_FIELDS)."""

    def moment(at: datetime) -> str:
        return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    return {
        "serial": signed.serial,
        "number": str(signed.number),
        "signature_counter": str(signed.signature_counter),
        "start": moment(signed.started_at),
        "finish": moment(signed.finished_at),
        "process_type": signed.process_type,
        "process_data": signed.process_data,
        "algorithm": signed.algorithm,
        "signature": signed.signature,
        "public_key": signed.public_key,
    }
