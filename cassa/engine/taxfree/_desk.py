"""TAX FREE forms (TF) for travellers, issued from approved receipts (seed: [TAX FREE] "causa
l'approvazione dello scontrino e l'apertura di un nuovo documento TAX FREE associato allo
scontrino emesso. I dati indicati nello scontrino verranno trasferiti al documento TF").

`till.tax_free.issue("S/T01/2026/000001", Traveller("John Smith", "P1234567", "US"))`
writes the form: its own series per till and year (TF/T01/2026/000001), the receipt's
total and its VAT by rate (what the traveller may have refunded at the border), who
the traveller is. The receipt is already paid and counted; the form moves no money and
is no sale, so reports and the fiscal printer never see it twice.

Refused, before anything is written: a country whose pack has no `TaxFree`, a receipt
that is not approved, is invoiced or partly returned, a total under the pack's minimum,
a traveller resident in the excluded area (the pack's list and the store's own
country), an unknown country code, a receipt that already has its form (also when two
tills issue one at once: the form's key is the receipt). A receipt with a form is not
returned at the till (the form travels with the goods: `refuse_tax_free_receipt`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Protocol

from babel import Locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cassa.engine import inputs
from cassa.engine.cash._ledger import next_number
from cassa.engine.documents import Document, DocumentStatus, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.payments._format import amount_text
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import DocumentRow, TaxFreeFormRow
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.money import Currency
    from cassa.engine.taxfree._settings import TaxFreeSettings
    from cassa.engine.till import Till

__all__ = [
    "PREFIX",
    "TaxFreeContext",
    "TaxFreeDesk",
    "TaxFreeForm",
    "Traveller",
    "VatShare",
    "desk_of",
    "refuse_tax_free_receipt",
]

PREFIX = "TF"
SERIES = "tax_free"  # the numbering series


@dataclass(frozen=True)
class Traveller:
    name: str
    document: str  # passport or other travel document number
    residence: str  # ISO 3166 alpha-2


@dataclass(frozen=True)
class VatShare:
    rate: str  # the VAT code
    percent: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class TaxFreeForm:
    number: str
    receipt_number: str
    issued_at: datetime
    operator: str
    traveller: Traveller
    currency: str
    total: Decimal
    vat_total: Decimal
    vat: tuple[VatShare, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "receipt": self.receipt_number,
            "issued_at": self.issued_at.isoformat(),
            "operator": self.operator,
            "traveller": {
                "name": self.traveller.name,
                "document": self.traveller.document,
                "residence": self.traveller.residence,
            },
            "currency": self.currency,
            "total": amount_text(self.total),
            "vat_total": amount_text(self.vat_total),
            "vat": [
                {
                    "rate": share.rate,
                    "percent": str(share.percent),
                    "net": amount_text(share.net),
                    "vat": amount_text(share.vat),
                    "gross": amount_text(share.gross),
                }
                for share in self.vat
            ],
        }


class ReceiptBook(Protocol):
    def find_by_number(self, number: str) -> Document: ...


@dataclass(frozen=True)
class TaxFreeContext:
    """What issuing a form needs of a till."""

    database: Database
    documents: ReceiptBook
    settings: TaxFreeSettings | None
    country: str
    currency: Currency
    store: str
    till: str
    operator: str
    clock: Callable[[], datetime]


class TaxFreeDesk:
    """The TAX FREE forms of one till (`Till.tax_free`)."""

    def __init__(self, context: TaxFreeContext) -> None:
        self.context = context

    def issue(self, receipt_number: str, traveller: Traveller) -> TaxFreeForm:
        context = self.context
        settings = context.settings
        if settings is None:
            raise InvalidInput(_("This country's pack issues no TAX FREE forms"))
        traveller = _checked(traveller, settings.excluded_residence | {context.country})
        receipt = context.documents.find_by_number(inputs.code(receipt_number, _("the receipt")))
        if (
            receipt.type is not DocumentType.RECEIPT
            or receipt.status is not DocumentStatus.APPROVED
        ):
            raise InvalidInput(
                _("A TAX FREE form is issued for an approved receipt, not for {number}").format(
                    number=receipt_number
                )
            )
        with context.database.session() as session:
            later = session.scalars(
                select(DocumentRow.number).where(
                    DocumentRow.origin_id == receipt.id,
                    DocumentRow.status == DocumentStatus.APPROVED.value,
                )
            ).first()
            issued = session.scalar(
                select(TaxFreeFormRow.number).where(TaxFreeFormRow.receipt_id == receipt.id)
            )
        if issued is not None:
            raise DocumentStateError(
                _("{receipt} already has its TAX FREE form {form}").format(
                    receipt=receipt_number, form=issued
                )
            )
        if later is not None:
            raise DocumentStateError(
                _(
                    "{receipt} was returned or invoiced ({document}): a TAX FREE form is "
                    "issued only for a receipt as it was sold"
                ).format(receipt=receipt_number, document=later)
            )
        totals = receipt.totals(context.currency)
        if totals.total < settings.minimum_total:
            raise InvalidInput(
                _(
                    "A TAX FREE form needs a receipt of at least {minimum} {currency}: "
                    "{receipt} is {total}"
                ).format(
                    minimum=amount_text(settings.minimum_total),
                    currency=context.currency.code,
                    receipt=receipt_number,
                    total=amount_text(totals.total),
                )
            )
        shares = tuple(
            VatShare(v.rate.code, v.rate.percent, v.net, v.vat, v.gross)
            for v in totals.vat
            if v.vat != 0
        )
        now = context.clock()
        try:
            with context.database.session() as session, session.begin():
                sequence = next_number(session, SERIES, context.till, now.year)
                number = f"{PREFIX}/{context.till}/{now.year}/{sequence:06d}"
                session.add(
                    TaxFreeFormRow(
                        id=str(uuid.uuid4()),
                        number=number,
                        store=context.store,
                        till=context.till,
                        year=now.year,
                        sequence=sequence,
                        receipt_id=receipt.id,
                        receipt_number=receipt_number,
                        issued_at=now,
                        operator=context.operator,
                        traveller=traveller.name,
                        travel_document=traveller.document,
                        residence=traveller.residence,
                        currency=receipt.currency,
                        total=totals.total,
                        vat_total=sum((s.vat for s in shares), Decimal(0)),
                        vat=json.dumps([_share_json(s) for s in shares]),
                    )
                )
        except IntegrityError:  # another till issued it in the meantime
            raise DocumentStateError(
                _("{receipt} already has its TAX FREE form").format(receipt=receipt_number)
            ) from None
        return self.find(number)

    def find(self, number: str) -> TaxFreeForm:
        with self.context.database.session() as session:
            row = session.scalar(select(TaxFreeFormRow).where(TaxFreeFormRow.number == number))
            if row is None:
                raise NotFound(_("No TAX FREE form numbered {number}").format(number=number))
            return _form(row, self.context.clock().tzinfo)

    def of_receipt(self, receipt_number: str) -> TaxFreeForm | None:
        with self.context.database.session() as session:
            row = session.scalar(
                select(TaxFreeFormRow).where(TaxFreeFormRow.receipt_number == receipt_number)
            )
            return None if row is None else _form(row, self.context.clock().tzinfo)


def desk_of(till: Till) -> TaxFreeDesk:
    return TaxFreeDesk(
        TaxFreeContext(
            database=till.database,
            documents=till.documents,
            settings=till.pack.tax_free,
            country=till.country.code,
            currency=till.currency,
            store=till.store.code,
            till=till.code,
            operator=till.operator,
            clock=till.now,
        )
    )


def refuse_tax_free_receipt(database: Database, receipt: Document) -> None:
    """A receipt with a TAX FREE form is not returned at the till."""
    with database.session() as session:
        form = session.scalar(
            select(TaxFreeFormRow.number).where(TaxFreeFormRow.receipt_id == receipt.id)
        )
    if form is not None:
        raise DocumentStateError(
            _(
                "{receipt} has the TAX FREE form {form}: its goods are not returned at the till"
            ).format(receipt=receipt.number, form=form)
        )


@cache
def _countries() -> frozenset[str]:
    """ISO 3166 alpha-2 codes (CLDR's territories, through Babel)."""
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def _checked(traveller: Traveller, excluded: frozenset[str]) -> Traveller:
    name = inputs.text(traveller.name, _("the traveller's name"))
    document = inputs.code(traveller.document, _("the travel document number"))
    residence = inputs.code(traveller.residence, _("the country of residence")).upper()
    if residence not in _countries():
        raise InvalidInput(
            _("{code} is not a country code (ISO 3166, two letters)").format(code=residence)
        )
    if residence in excluded:
        raise InvalidInput(
            _("A traveller resident in {country} gets no TAX FREE form here").format(
                country=residence
            )
        )
    return Traveller(name, document, residence)


def _share_json(share: VatShare) -> dict[str, str]:
    return {
        "rate": share.rate,
        "percent": str(share.percent),
        "net": str(share.net),
        "vat": str(share.vat),
        "gross": str(share.gross),
    }


def _form(row: TaxFreeFormRow, zone: object) -> TaxFreeForm:
    issued = aware(row.issued_at)
    assert issued is not None
    if zone is not None:
        issued = issued.astimezone(zone)  # type: ignore[arg-type]
    return TaxFreeForm(
        number=row.number,
        receipt_number=row.receipt_number,
        issued_at=issued,
        operator=row.operator,
        traveller=Traveller(row.traveller, row.travel_document, row.residence),
        currency=row.currency,
        total=row.total,
        vat_total=row.vat_total,
        vat=tuple(
            VatShare(
                s["rate"],
                Decimal(s["percent"]),
                Decimal(s["net"]),
                Decimal(s["vat"]),
                Decimal(s["gross"]),
            )
            for s in json.loads(row.vat)
        ),
    )
