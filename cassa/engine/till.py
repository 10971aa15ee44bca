"""The till's commands: what a cashier (or a scenario file) does to a document.

Each command validates everything first, builds the new document state on a
copy, stores it, and only then makes it current: a command that fails leaves
both the database and the document on screen as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cassa.engine.catalog import Catalog, Customer, Item, ItemType
from cassa.engine.country import CountrySettings, load_country
from cassa.engine.documents import (
    Document,
    DocumentStatus,
    DocumentTotals,
    DocumentType,
    Line,
)
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.money import Currency, to_decimal
from cassa.engine.storage.catalog import StoredStore, load_catalog, load_stored_store
from cassa.engine.storage.days import TillDay, TillDays
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.tax import PriceDirection
from cassa.engine.units import Unit

__all__ = ["Clock", "Till", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def _decimal(value: object, what: str) -> Decimal:
    try:
        return to_decimal(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} must be a number, not {value!r}") from None


@dataclass
class Till:
    """One till of a store, worked by one operator at a time."""

    database: Database
    store: StoredStore
    code: str
    operator: str
    country: CountrySettings
    catalog: Catalog
    documents: DocumentStore
    days: TillDays
    clock: Clock = system_clock
    current: Document | None = None

    @classmethod
    def open(
        cls,
        database: Database,
        *,
        till: str | None = None,
        operator: str,
        clock: Clock = system_clock,
        store: str | None = None,
    ) -> Till:
        stored = load_stored_store(database, store)
        code = till or stored.tills[0]
        if code not in stored.tills:
            raise NotFound(
                f"till {code} does not belong to store {stored.code} ({', '.join(stored.tills)})"
            )
        return cls(
            database=database,
            store=stored,
            code=code,
            operator=operator,
            country=load_country(stored.pack),
            catalog=load_catalog(database, stored.price_direction),
            documents=DocumentStore(database),
            days=TillDays(database),
            clock=clock,
        )

    @property
    def currency(self) -> Currency:
        return self.country.currency

    def now(self) -> datetime:
        """The clock's time in the store's time zone, which sets business dates and years."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the till's clock must give timezone-aware datetimes")
        return moment.astimezone(self.timezone)

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.store.timezone)

    # -- the day --------------------------------------------------------------
    def open_day(self, opening_float: object = 0) -> TillDay:
        amount = _decimal(opening_float, "the opening float")
        if amount < 0:
            raise InvalidInput("the opening float cannot be negative")
        return self.days.open(self.code, self.operator, self.currency.round(amount), self.now())

    def close_day(self) -> None:
        if (
            self.current is not None
            and self.current.status is DocumentStatus.DRAFT
            and self.current.lines
        ):
            raise DocumentStateError(
                "finish, park or discard the open document before closing the day"
            )
        self.days.close(self.code, self.now())

    def _require_open_day(self) -> None:
        if self.days.current(self.code) is None:
            raise DocumentStateError(f"the day is not open on till {self.code}: open it first")

    # -- documents --------------------------------------------------------------
    def new_document(self, doc_type: DocumentType | str = DocumentType.RECEIPT) -> Document:
        self._require_open_day()
        if self.current is not None and self.current.editable and self.current.lines:
            raise DocumentStateError("park, approve or discard the current document first")
        kind = DocumentType(doc_type)
        self.current = Document(
            id=str(uuid.uuid4()),
            type=kind,
            store=self.store.code,
            till=self.code,
            currency=self.currency.code,
            direction=self.country.direction_for(kind.value),
            created_at=self.now(),
            operator=self.operator,
        )
        return self.current

    def document(self) -> Document:
        if self.current is None:
            raise DocumentStateError("no document is open: start a receipt or an invoice")
        return self.current

    def totals(self) -> DocumentTotals:
        return self.document().totals(self.currency)

    def _commit(self, document: Document) -> Document:
        self.documents.save(document)
        self.current = document
        return document

    def _editable_copy(self) -> Document:
        document = self.document()
        document.ensure_editable()
        return replace(document, lines=list(document.lines))

    # -- lines ------------------------------------------------------------------
    def scan(self, code: str, quantity: object = 1, unit: str | None = None) -> Line:
        """Add the item with this barcode or SKU as a new line."""
        item = self.catalog.find(code)
        return self.add_item(item, quantity, unit)

    def add_item(self, item: Item, quantity: object = 1, unit: str | None = None) -> Line:
        if self.current is None or not self.current.editable:
            self.new_document()
        document = self._editable_copy()
        amount = _decimal(quantity, "the quantity")
        self._check_quantity_sign(item.type, amount)
        converted = item.units.quantity(amount, unit)
        customer = self._customer(document)
        price = self._list_price(item, customer, document)
        line = Line(
            id=uuid.uuid4().hex,
            sku=item.sku,
            name=item.name,
            item_type=item.type,
            group=item.group,
            unit=converted.unit,
            unit_precision=item.units.unit(converted.unit).precision,
            quantity=converted.quantity,
            base_quantity=converted.base_quantity,
            list_price=price[0],
            vat_code=item.vat_code,
            vat_percent=self.country.vat_rate(item.vat_code).percent,
            discountable=item.ever_discountable,
            handled_by=self.operator,
            price_source=price[1],
            base_unit=item.units.base.code,
        )
        document.lines.append(line)
        self._commit(document)
        return line

    def add_non_coded(
        self, description: str, price: object, vat: str, quantity: object = 1, unit: str = "pz"
    ) -> Line:
        """Sell something that is not in the catalog, by description and price only."""
        if not description.strip():
            raise InvalidInput("a non-coded item needs a description")
        amount = _decimal(price, "the price")
        if amount < 0:
            raise InvalidInput("the price cannot be negative")
        count = _decimal(quantity, "the quantity")
        if count <= 0:
            raise InvalidInput("the quantity must be above zero")
        rate = self.country.vat_rate(vat)
        if self.current is None or not self.current.editable:
            self.new_document()
        document = self._editable_copy()
        precision = max(0, -int(count.normalize().as_tuple().exponent))
        line = Line(
            id=uuid.uuid4().hex,
            sku=None,
            name=description.strip(),
            item_type=ItemType.GOODS,
            group=None,
            unit=unit,
            unit_precision=precision,
            quantity=count,
            base_quantity=count,
            list_price=self._convert(amount, self.catalog.price_direction, rate.percent, document),
            vat_code=rate.code,
            vat_percent=rate.percent,
            handled_by=self.operator,
            price_source="manual",
            base_unit=unit,
        )
        document.lines.append(line)
        self._commit(document)
        return line

    def set_quantity(self, position: int, quantity: object, unit: str | None = None) -> Line:
        document = self._editable_copy()
        line = document.line_at(position)
        amount = _decimal(quantity, "the quantity")
        if line.sku is None:
            if amount <= 0:
                raise InvalidInput("the quantity must be above zero")
            Unit(line.unit, precision=max(line.unit_precision, 0)).check(amount)
            changed = line.with_changes(quantity=amount, base_quantity=amount)
        else:
            item = self.catalog.find(line.sku)
            self._check_quantity_sign(item.type, amount)
            converted = item.units.quantity(amount, unit or line.unit)
            changed = line.with_changes(
                unit=converted.unit,
                unit_precision=item.units.unit(converted.unit).precision,
                quantity=converted.quantity,
                base_quantity=converted.base_quantity,
                base_unit=item.units.base.code,
            )
        document.replace_line(position, changed)
        self._commit(document)
        return changed

    def _check_quantity_sign(self, item_type: ItemType, amount: Decimal) -> None:
        if amount == 0:
            raise InvalidInput("the quantity cannot be zero: delete the line instead")
        if amount < 0 and item_type is not ItemType.BUY_BACK:
            raise InvalidInput(
                "only buy-back items take a negative quantity; use a return for sold items"
            )

    def set_line_name(self, position: int, name: str) -> Line:
        """Rename an item on this document only (the catalog keeps its name)."""
        document = self._editable_copy()
        line = document.line_at(position)
        if line.sku is not None and not self.catalog.find(line.sku).name_editable:
            raise InvalidInput(f"the name of item {line.sku} cannot be changed on a document")
        if not name.strip():
            raise InvalidInput("the name cannot be empty")
        changed = line.with_changes(name=name.strip())
        document.replace_line(position, changed)
        self._commit(document)
        return changed

    def set_list_price(self, position: int, price: object) -> Line:
        """Correct a line's list price (the shelf label differs from the system)."""
        document = self._editable_copy()
        line = document.line_at(position)
        amount = _decimal(price, "the price")
        if amount < 0:
            raise InvalidInput("the list price cannot be negative")
        if line.item_type is ItemType.VOUCHER and line.list_price != 0:
            raise InvalidInput(
                "the price of a voucher can be changed only when its list price is 0.00"
            )
        changed = line.with_changes(list_price=amount, price_source="manual")
        document.replace_line(position, changed)
        self._commit(document)
        return changed

    def set_line_note(self, position: int, note: str) -> Line:
        document = self._editable_copy()
        changed = document.line_at(position).with_changes(note=note)
        document.replace_line(position, changed)
        self._commit(document)
        return changed

    def set_handled_by(self, position: int, employee: str) -> Line:
        document = self._editable_copy()
        changed = document.line_at(position).with_changes(handled_by=employee)
        document.replace_line(position, changed)
        self._commit(document)
        return changed

    def delete_line(self, position: int) -> None:
        document = self._editable_copy()
        document.line_at(position)
        del document.lines[position - 1]
        self._commit(document)

    # -- customer and prices ---------------------------------------------------
    def set_customer(self, code: str | None, *, recalculate: bool = True) -> Customer | None:
        """Choose the customer; with `recalculate`, list prices follow their price lists."""
        document = self._editable_copy()
        customer = self.catalog.customer(code) if code else None
        document.customer = customer.code if customer else None
        if recalculate:
            document.lines = [self._repriced(line, customer, document) for line in document.lines]
        self._commit(document)
        return customer

    def _repriced(self, line: Line, customer: Customer | None, document: Document) -> Line:
        if line.sku is None or line.price_source == "manual":
            return line
        price, source = self._list_price(self.catalog.find(line.sku), customer, document)
        if price == line.list_price and source == line.price_source:
            return line
        return line.with_changes(list_price=price, price_source=source)

    def _customer(self, document: Document) -> Customer | None:
        return self.catalog.customer(document.customer) if document.customer else None

    def _list_price(
        self, item: Item, customer: Customer | None, document: Document
    ) -> tuple[Decimal, str]:
        resolved = self.catalog.price_of(item, customer, self.now().date())
        rate = self.country.vat_rate(item.vat_code)
        return self._convert(
            resolved.amount, resolved.direction, rate.percent, document
        ), resolved.source

    def _convert(
        self, amount: Decimal, given: PriceDirection, percent: Decimal, document: Document
    ) -> Decimal:
        """A price in the document's direction: gross and net differ by the VAT rate."""
        if given is document.direction:
            return amount
        factor = 1 + percent / 100
        converted = amount / factor if given is PriceDirection.GROSS else amount * factor
        return self.currency.round(converted)

    # -- lifecycle --------------------------------------------------------------
    def park(self) -> Document:
        document = self._editable_copy()
        if not document.lines:
            raise DocumentStateError("an empty document cannot be parked")
        document.status = DocumentStatus.PARKED
        self._commit(document)
        self.current = None
        return document

    def parked(self) -> list[Document]:
        return self.documents.list(till=self.code, status=DocumentStatus.PARKED)

    def resume(self, document_id: str) -> Document:
        if self.current is not None and self.current.editable and self.current.lines:
            raise DocumentStateError("park, approve or discard the current document first")
        document = self.documents.load(document_id)
        if document.status is not DocumentStatus.PARKED:
            raise DocumentStateError(
                f"document {document_id} is {document.status.value}, not parked"
            )
        document.status = DocumentStatus.DRAFT
        return self._commit(document)

    def approve(self) -> Document:
        document = self._editable_copy()
        if not document.lines:
            raise DocumentStateError("an empty document cannot be approved: add at least one line")
        if document.type is DocumentType.INVOICE:
            customer = self._customer(document)
            if customer is None:
                raise DocumentStateError("an invoice needs a customer: choose one first")
        document.status = DocumentStatus.DRAFT
        totals = document.totals(self.currency)
        if totals.total < 0:
            raise DocumentStateError(
                "the document total is negative: use a buy-back or a return document"
            )
        approved = self.documents.approve(document, totals, self.now())
        self.current = approved
        return approved

    def discard(self) -> None:
        document = self.document()
        document.ensure_editable()
        self.documents.discard(document)
        self.current = None
