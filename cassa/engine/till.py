"""The till's commands: what a cashier (or a scenario file) does to a document.

Each command validates everything first, builds the new document state on a
copy, re-prices it through the rule pack, stores it, and only then makes it
current: a command that fails leaves both the database and the document on
screen as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cassa.engine import inputs
from cassa.engine.buyback import split_buy_back
from cassa.engine.catalog import Catalog, Customer, Item, ItemType, Lot
from cassa.engine.country import CountrySettings
from cassa.engine.documents import (
    Document,
    DocumentStatus,
    DocumentTotals,
    DocumentType,
    Line,
    OperatorDiscount,
    SaleInputs,
)
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.lines import check_quantity_sign, convert_price, item_line, list_price_for
from cassa.engine.messages import Message
from cassa.engine.money import Currency
from cassa.engine.people import (
    AuditEvent,
    Credentials,
    Employee,
    EmployeeDesk,
    Gate,
    Grant,
    Permission,
    SecurityPolicy,
)
from cassa.engine.pricing.session import SalePricing
from cassa.engine.rules.rulepack import RulePack
from cassa.engine.storage.catalog import StoredStore, load_stored_store
from cassa.engine.storage.catalog_service import catalog_service
from cassa.engine.storage.days import TillDay, TillDays
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.storage.store_packs import store_pack
from cassa.engine.taxes import (
    after_pricing,
    before_approval,
    before_pricing,
    check_document_type,
)
from cassa.engine.units import Unit
from cassa.i18n import _

if TYPE_CHECKING:  # the money side (cassa.engine.payments, .cash, .reports) imports Till
    from cassa.devices.tse import SecurityModule
    from cassa.engine.cash import CashDesk, Count, DayClosing
    from cassa.engine.fiscal import FiscalDesk, Signer
    from cassa.engine.invoicing import InvoicingDesk
    from cassa.engine.orders import OrderDesk
    from cassa.engine.payments import Checkout, PaymentDevices
    from cassa.engine.reports import TillReports
    from cassa.engine.returns import ReturnDesk
    from cassa.engine.stock import StockDesk
    from cassa.engine.storage.documents import ApprovalWriter
    from cassa.engine.taxes import TaxDesk
    from cassa.engine.taxfree import TaxFreeDesk

__all__ = ["Clock", "Till", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Till:
    """One till of a store, worked by one operator at a time."""

    database: Database
    store: StoredStore
    code: str
    operator: str
    pack: RulePack
    catalog: Catalog
    documents: DocumentStore
    days: TillDays
    pricing: SalePricing
    clock: Clock = system_clock
    current: Document | None = None
    online: bool = True
    messages: list[Message] = field(default_factory=list)
    gate: Gate | None = field(default=None, repr=False)  # people: login, permissions, approvals
    # payments: the till's terminal, drawer and fiscal printer, and the open payment window
    payment_devices: PaymentDevices | None = field(default=None, repr=False)
    payment_window: Checkout | None = field(default=None, repr=False)
    # the manual correction of what the last approved sale bought back (cassa.engine.buyback)
    bought_back: Document | None = field(default=None, repr=False)
    signer: Signer | None = field(default=None, repr=False)  # signs the fiscal chain (closings)
    # Germany: the security module that signs documents (cassa.devices.tse)
    tse: SecurityModule | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        database: Database,
        *,
        till: str | None = None,
        credentials: Credentials | None = None,
        clock: Clock = system_clock,
        store: str | None = None,
    ) -> Till:
        """The till `till` of a stored store. Nobody is logged in until someone gives
        their credentials, here or to `login()`: a role comes only with a login."""
        stored = load_stored_store(database, store)
        code = till or stored.tills[0]
        if code not in stored.tills:
            raise NotFound(
                _(
                    "till {code} does not belong to store {code2} ({tills})",
                    code=code,
                    code2=stored.code,
                    tills=", ".join(stored.tills),
                )
            )
        catalog = catalog_service(database, stored.price_direction)  # the server's one
        pack = store_pack(stored.pack, catalog)  # loaded once per pack version
        pricing = SalePricing.create(
            pack, catalog, till=code, store=stored.code, operator="", role=None
        )
        opened = cls(
            database=database,
            store=stored,
            code=code,
            operator="",
            pack=pack,
            catalog=catalog,
            documents=DocumentStore(database),
            days=TillDays(database),
            pricing=pricing,
            clock=clock,
        )
        from cassa.engine.fiscal import install
        from cassa.engine.invoicing import install as check_invoices
        from cassa.engine.orders import install as book_orders
        from cassa.engine.returns import install as check_returns

        install(opened)  # the pack's fiscal hash chain, inside every approval
        from cassa.engine.stock import install as book_stock

        book_stock(opened)  # stock moves in the approval's transaction
        check_returns(opened)  # a return never takes back more than was sold, even racing
        check_invoices(opened)  # a receipt is invoiced once, for what is left of it
        book_orders(opened)  # orders: fulfilled units and deposits, never more than remain
        if credentials is not None:
            opened.log_in(credentials)
        return opened

    @property
    def country(self) -> CountrySettings:
        return self.pack.country

    @property
    def currency(self) -> Currency:
        return self.country.currency

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.store.timezone)

    def now(self) -> datetime:
        """The clock's time in the store's time zone, which sets business dates and years."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the till's clock must give timezone-aware datetimes")
        return moment.astimezone(self.timezone)

    # -- people: login, permissions, managers' approvals (cassa.engine.people) ------
    def _people(self) -> Gate:
        if self.gate is None:
            self.gate = Gate(
                self.database, self.pack, store=self.store.code, till=self.code, clock=self.now
            )
        elif self.gate.pack is not self.pack:
            self.gate.use_pack(self.pack)  # the rules were reloaded
        return self.gate

    def gate_policy(self) -> SecurityPolicy:
        """The pack's Security settings (passwords, approvals, discarding documents)."""
        return self._people().policy

    def login(
        self,
        username: str | None = None,
        password: str | None = None,
        *,
        card: str | None = None,
        pin: str | None = None,
        new_password: str | None = None,
    ) -> Employee:
        """An employee of this store starts working here: operator and role follow.
        An expired password is refused unless `new_password` replaces it."""
        return self.log_in(Credentials(username, password, card, pin), new_password=new_password)

    def log_in(self, credentials: Credentials, *, new_password: str | None = None) -> Employee:
        if self.current is not None and self.current.editable and self.current.lines:
            raise DocumentStateError(_("park, approve or discard the open document first"))
        employee, role = self._people().login(credentials, new_password=new_password)
        self.operator = self.pricing.operator = employee.username
        self.pricing.role = role
        return employee

    def logout(self) -> None:
        if self.current is not None and self.current.editable and self.current.lines:
            raise DocumentStateError(_("park, approve or discard the open document first"))
        self._people().logout(self.operator)
        self.operator = self.pricing.operator = ""
        self.pricing.role = None

    def require(
        self,
        *permissions: str,
        amount: object = None,
        approval: Credentials | None = None,
        what: str | None = None,
    ) -> Grant:
        """Allow an action needing these permissions, or raise ApprovalRequired (a
        PermissionDenied). The operator's role must hold them, or a manager's approval
        given with `approval` or `authorize()` just before. Call it in every command
        a permission guards, after validating the input and before changing anything;
        `what` names the action as a verb phrase for the message ("open the drawer")."""
        return self._people().require(
            permissions,
            operator=self.operator,
            amount=None if amount is None else inputs.amount(amount, negative=True),
            approval=approval,
            document_id=self.current.id if self.current is not None else None,
            what=what,
        )

    def authorize(
        self,
        *permissions: str,
        username: str | None = None,
        password: str | None = None,
        card: str | None = None,
        pin: str | None = None,
        amount: object = None,
    ) -> None:
        """A manager approves, with their own credentials, the next action that needs
        these permissions (for this amount and document, once)."""
        self._people().authorize(
            permissions,
            Credentials(username, password, card, pin),
            operator=self.operator,
            amount=None if amount is None else inputs.amount(amount, negative=True),
            document_id=self.current.id if self.current is not None else None,
        )

    def employees(self) -> EmployeeDesk:
        """The employee list (seed "Dipendenti"), with the operator's rights or an approval."""
        return EmployeeDesk(self._people(), self.require)

    # -- the day --------------------------------------------------------------
    def open_day(
        self,
        opening_float: object = 0,
        *,
        deposits: Sequence[Count] = (),
        counts: Sequence[Count] = (),
    ) -> TillDay:
        """Open the day with its float; `deposits` add cash in documents ("deposit at day
        opening"), `counts` count the drawer by denomination (cassa.engine.cash)."""
        amount = inputs.amount(opening_float, _("the opening float"))
        from cassa.engine.cash import open_till_day

        return open_till_day(self, self.currency.round(amount), deposits=deposits, counts=counts)

    def close_day(
        self, *, counts: Sequence[Count] = (), withdrawals: Sequence[Count] = ()
    ) -> DayClosing:
        """Close the day: the counted balance per tender, its difference (which needs a
        permission), the withdrawal at closing (cassa.engine.cash)."""
        if (
            self.current is not None
            and self.current.status is DocumentStatus.DRAFT
            and self.current.lines
        ):
            raise DocumentStateError(
                _("finish, park or discard the open document before closing the day")
            )
        from cassa.engine.cash import close_till_day
        from cassa.engine.fiscal import after_day_closing, require_signer

        require_signer(self)  # the day's fiscal closing must be signable before anything closes
        closing = close_till_day(self, counts=counts, withdrawals=withdrawals)
        after_day_closing(self, closing.id)  # the pack's fiscal closings, the Z report
        return closing

    # -- the money side: payment window, cash desk, reports (cassa.engine.payments …) ----
    def checkout(self) -> Checkout:
        """Open the payment window on the current document (seed: Finestra di pagamento)."""
        from cassa.engine.payments import Checkout

        if self.current is not None and self.current.paid_by_origin:
            raise DocumentStateError(
                _(
                    "this invoice is paid by receipt {origin_number}: approve it "
                    "without the payment window",
                    origin_number=self.current.origin_number,
                )
            )
        if self.current is not None:  # a conversion the pack requires comes before any money
            check_document_type(self, self.current)
            from cassa.engine.stock import check_sale

            self.messages.extend(check_sale(self, self.current))  # refused before any money
        self.payment_window = Checkout.open(self)
        return self.payment_window

    @property
    def cash(self) -> CashDesk:
        """Cash in / out, shifts, the safe and reminders of this till."""
        from cassa.engine.cash import CashDesk

        return CashDesk(self)

    @property
    def taxes(self) -> TaxDesk:
        """Reverse charge and split payment, as the pack declares them (cassa.engine.taxes)."""
        from cassa.engine.taxes import TaxDesk

        return TaxDesk(self)

    @property
    def returns(self) -> ReturnDesk:
        """Returns of approved receipts and invoices (cassa.engine.returns)."""
        from cassa.engine.returns import ReturnDesk

        return ReturnDesk(self)

    @property
    def tax_free(self) -> TaxFreeDesk:
        """TAX FREE forms for travellers, from approved receipts (cassa.engine.taxfree)."""
        from cassa.engine.taxfree import desk_of

        return desk_of(self)

    @property
    def invoicing(self) -> InvoicingDesk:
        """Invoices of approved receipts, asked for after paying (cassa.engine.invoicing)."""
        from cassa.engine.invoicing import InvoicingDesk

        return InvoicingDesk(self)

    @property
    def orders(self) -> OrderDesk:
        """Offers, sales orders, their fulfilment and deposits (cassa.engine.orders)."""
        from cassa.engine.orders import OrderDesk

        return OrderDesk(self)

    @property
    def fiscal(self) -> FiscalDesk:
        """Signed printing, print history and closings of the pack (cassa.engine.fiscal)."""
        from cassa.engine.fiscal import FiscalDesk

        return FiscalDesk(self)

    @property
    def stock(self) -> StockDesk:
        """Warehouses, on hand, movements and warehouse documents (cassa.engine.stock)."""
        from cassa.engine.stock import StockDesk

        return StockDesk(self)

    @property
    def reports(self) -> TillReports:
        from cassa.engine.reports import TillReports

        return TillReports(self)

    def _require_open_day(self) -> None:
        if self.days.current(self.code) is None:
            raise DocumentStateError(
                _("the day is not open on till {code}: open it first", code=self.code)
            )

    # -- documents --------------------------------------------------------------
    def new_document(self, doc_type: DocumentType | str = DocumentType.RECEIPT) -> Document:
        self._require_open_day()
        if self.current is not None and self.current.editable and self.current.lines:
            raise DocumentStateError(_("park, approve or discard the current document first"))
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
            raise DocumentStateError(_("no document is open: start a receipt or an invoice"))
        return self.current

    def totals(self) -> DocumentTotals:
        return self.document().totals(self.currency)

    def _commit(self, document: Document) -> Document:
        """Re-price, store, then show: the order that keeps screen and database equal."""
        if document.origin_id is not None and document.type.is_return:  # the original's prices
            from cassa.engine.returns import commit_return

            return commit_return(self, document)
        if document.origin_type is DocumentType.SALES_ORDER:  # fulfilment or deposit
            from cassa.engine.orders import commit_generated

            return commit_generated(self, document)
        if document.origin_id is not None and not document.type.is_order:
            # an invoice of a receipt: the receipt's lines (an order from an offer is priced)
            from cassa.engine.invoicing import commit_invoice

            return commit_invoice(self, document)
        document = before_pricing(self, document)  # the pack's tax mechanisms: flags, VAT
        priced = after_pricing(self, self.pricing.reprice(document, self.now()))
        _check_figures(priced, self.currency)
        self.documents.save(priced)
        self.current = priced
        self.messages = list(self.pricing.messages)
        return priced

    def _editable_copy(self) -> Document:
        document = self.document()
        document.ensure_editable()
        return replace(document, lines=list(document.lines))

    def _ensure_document(self) -> None:
        if self.current is None or not self.current.editable:
            self.new_document()

    # -- lines ------------------------------------------------------------------
    def scan(self, code: str, quantity: object = 1, unit: str | None = None) -> Line:
        """Add the item with this barcode or SKU as a new line; a lot's EAN or code adds
        the item from that lot."""
        item, lot = self.catalog.lookup(inputs.code(code, _("the barcode or SKU")))
        return self.add_item(item, quantity, unit, lot=lot.code if lot is not None else None)

    def add_item(
        self, item: Item, quantity: object = 1, unit: str | None = None, *, lot: str | None = None
    ) -> Line:
        chosen = item.lot(lot) if lot is not None else None
        count = inputs.quantity(quantity)
        if item.type is ItemType.VOUCHER and count != 1:
            _one_voucher_per_line()
        self._ensure_document()
        document = self._editable_copy()
        if item.type is ItemType.SET and item.insert_components and item.components:
            return self._add_set(document, item, count)
        line = item_line(
            item,
            count,
            unit,
            customer=self.pricing.customer(document),
            day=self.now().date(),
            catalog=self.catalog,
            country=self.country,
            direction=document.direction,
            operator=self.operator,
            lot=chosen,
        )
        document.lines.append(line)
        return self._commit(document).lines[-1]

    def _add_set(self, document: Document, item: Item, count: Decimal) -> Line:
        """A set with "insert components in the document" on: its components as a group of
        lines (seed "Gestione dei set"), each its quantity per set times the sets sold."""
        if count <= 0:
            raise InvalidInput(_("The quantity of {name} must be above zero", name=item.name))
        group = f"{item.sku}#{uuid.uuid4().hex[:16]}"  # the set and this sale of it
        for component in item.components:
            part = self.catalog.find(component.sku)
            line = item_line(
                part,
                component.quantity * count,
                None,
                customer=self.pricing.customer(document),
                day=self.now().date(),
                catalog=self.catalog,
                country=self.country,
                direction=document.direction,
                operator=self.operator,
            )
            document.lines.append(line.with_changes(set_group=group))
        return self._commit(document).lines[-1]

    def add_non_coded(
        self, description: str, price: object, vat: str, quantity: object = 1, unit: str = "pz"
    ) -> Line:
        """Sell something that is not in the catalog, by description and price only."""
        description = inputs.text(description, _("the description"))
        amount = inputs.amount(price, _("the price"))
        count = inputs.quantity(quantity, negative=False)
        if count == 0:
            raise InvalidInput(_("the quantity must be above zero"))
        unit = inputs.code(unit, _("the unit"), limit=16)
        rate = self.country.vat_rate(vat)
        self._ensure_document()
        document = self._editable_copy()
        line = Line(
            id=uuid.uuid4().hex,
            sku=None,
            name=description.strip(),
            item_type=ItemType.GOODS,
            group=None,
            unit=unit,
            unit_precision=max(0, -int(count.normalize().as_tuple().exponent)),
            quantity=count,
            base_quantity=count,
            list_price=convert_price(
                amount, self.catalog.price_direction, document.direction, rate.percent, self.country
            ),
            vat_code=rate.code,
            vat_percent=rate.percent,
            handled_by=self.operator,
            price_source="manual",
            base_unit=unit,
        )
        document.lines.append(line)
        return self._commit(document).lines[-1]

    def _change_line(self, document: Document, position: int, changed: Line) -> Line:
        document.replace_line(position, changed)
        return self._commit(document).lines[position - 1]

    def set_quantity(self, position: int, quantity: object, unit: str | None = None) -> Line:
        document = self._editable_copy()
        line = document.line_at(position)
        amount = inputs.quantity(quantity)
        if line.set_group is not None:
            from cassa.engine.stock import component_changed

            line = component_changed(self, document, line)
        if line.sku is None:
            if amount <= 0:
                raise InvalidInput(_("the quantity must be above zero"))
            Unit(line.unit, precision=max(line.unit_precision, 0)).check(amount)
            return self._change_line(
                document, position, line.with_changes(quantity=amount, base_quantity=amount)
            )
        item = self.catalog.find(line.sku)
        if item.type is ItemType.VOUCHER:
            _one_voucher_per_line()
        check_quantity_sign(item.type, amount)
        converted = item.units.quantity(amount, unit or line.unit)
        changed = line.with_changes(
            unit=converted.unit,
            unit_precision=item.units.unit(converted.unit).precision,
            quantity=converted.quantity,
            base_quantity=converted.base_quantity,
            base_unit=item.units.base.code,
        )
        if converted.unit != line.unit:  # seed: a new unit overwrites a price typed by hand
            changed = self._list_priced(changed, self.pricing.customer(document), document)
        return self._change_line(document, position, changed)

    def set_line_name(self, position: int, name: str) -> Line:
        """Rename an item on this document only (the catalog keeps its name)."""
        document = self._editable_copy()
        line = document.line_at(position)
        if line.sku is not None and not self.catalog.find(line.sku).name_editable:
            raise InvalidInput(
                _("the name of item {sku} cannot be changed on a document", sku=line.sku)
            )
        name = inputs.text(name, _("the name"))
        return self._change_line(document, position, line.with_changes(name=name))

    def set_lot(self, position: int, lot: str) -> Line:
        """Sell the line's item from another of its lots (seed: [Seleziona proprietà])."""
        lot = inputs.code(lot, _("the lot"))
        document = self._editable_copy()
        line = document.line_at(position)
        return self._put_lot(document, position, self._item_of(line).lot(lot))

    def choose_properties(self, position: int, values: Mapping[str, str]) -> Line:
        """[Seleziona]: the lot having these property values goes on the line, e.g.
        {"Colore": "Beige"}; its price stays the item's."""
        values = {
            inputs.text(k, _("the property")): inputs.text(v, _("the property's value"))
            for k, v in values.items()
        }
        document = self._editable_copy()
        line = document.line_at(position)
        return self._put_lot(document, position, self._item_of(line).lot_matching(values))

    def _item_of(self, line: Line) -> Item:
        if line.sku is None:
            raise InvalidInput(
                _("{name} is not in the catalog: it has no properties", name=line.name)
            )
        return self.catalog.find(line.sku)

    def _put_lot(self, document: Document, position: int, lot: Lot) -> Line:
        line = document.line_at(position)
        changed = line.with_changes(lot=lot.code, lot_properties=lot.properties)
        return self._change_line(document, position, changed)

    def set_list_price(self, position: int, price: object) -> Line:
        """Correct a line's list price (the shelf label differs from the system)."""
        document = self._editable_copy()
        line = document.line_at(position)
        amount = inputs.amount(price, _("the list price"))
        if line.item_type is ItemType.VOUCHER and line.list_price != 0:
            raise InvalidInput(
                _("the price of a voucher can be changed only when its list price is 0.00")
            )
        below = self._min_price(line, document)
        if below is not None and amount < below:
            self.require(Permission.SET_LIST_PRICE, Permission.SELL_BELOW_MIN_PRICE, amount=amount)
        else:
            self.require(Permission.SET_LIST_PRICE, amount=amount)
        return self._change_line(
            document, position, line.with_changes(list_price=amount, price_source="manual")
        )

    def _min_price(self, line: Line, document: Document) -> Decimal | None:
        """The highest minimum price the pack's guards set for this line, if any."""
        path = self.catalog.group_path(line.group) if line.group else []
        floors = [g.min_price for g in self.pack.guards.for_line(line.sku, path) if g.min_price]
        if not floors:
            return None
        return convert_price(
            max(floors),
            self.catalog.price_direction,
            document.direction,
            line.vat_percent,
            self.country,
        )

    def set_line_note(self, position: int, note: str) -> Line:
        note = inputs.text(note, _("the note"), limit=inputs.MAX_NOTE, required=False, lines=True)
        document = self._editable_copy()
        return self._change_line(
            document, position, document.line_at(position).with_changes(note=note)
        )

    def set_handled_by(self, position: int, employee: str) -> Line:
        employee = inputs.code(employee, _("the employee"))
        document = self._editable_copy()
        return self._change_line(
            document, position, document.line_at(position).with_changes(handled_by=employee)
        )

    def delete_line(self, position: int, *, whole_set: bool = False) -> None:
        """Delete a line. A component of a set deletes every component of its set, once the
        operator said yes to the seed's question (`whole_set`)."""
        document = self._editable_copy()
        removed = document.line_at(position)
        if removed.set_group is not None:
            from cassa.engine.stock import SetDeletionAsked

            if not whole_set:
                raise SetDeletionAsked()
            gone = {line.id for line in document.lines if line.set_group == removed.set_group}
        else:
            gone = {removed.id}
        document.lines = [line for line in document.lines if line.id not in gone]
        inputs = document.inputs
        kept = tuple((i, d) for i, d in inputs.line_discounts if i not in gone)
        # The seed: removing every line also removes the manual promotions picked.
        document.inputs = replace(
            inputs, line_discounts=kept, manual=inputs.manual if document.lines else ()
        )
        self._commit(document)

    # -- customer and prices ---------------------------------------------------
    def set_customer(self, code: str | None, *, recalculate: bool = True) -> Customer | None:
        """Choose the customer; with `recalculate`, list prices follow their price lists
        and manual promotions picked for the previous customer are dropped."""
        code = inputs.code(code, _("the customer code")) if code else None
        document = self._editable_copy()
        customer = self.catalog.customer(code) if code else None
        document.customer = customer.code if customer else None
        if recalculate:
            document.lines = [
                self._list_priced(line, customer, document) for line in document.lines
            ]
            document.inputs = replace(document.inputs, manual=())
        self._commit(document)
        return customer

    def _list_priced(self, line: Line, customer: Customer | None, document: Document) -> Line:
        """The line's list price for this customer. A price typed by hand is replaced too
        (seed: "viene sovrascritta … di ricalcolo del documento secondo le impostazioni del
        cliente"); only an item not in the catalog keeps the price it was sold at."""
        if line.sku is None:
            return line
        item = self.catalog.find(line.sku)
        price, source = list_price_for(
            item, customer, self.now().date(), self.catalog, self.country, document.direction
        )
        if price == line.list_price and source == line.price_source:
            return line
        return line.with_changes(list_price=price, price_source=source)

    # -- discounts and promotions -------------------------------------------------
    def enter_coupon(self, code: str) -> None:
        """Enter a coupon code; its promotion applies whenever its conditions hold."""
        code = inputs.code(code, _("the coupon code"))
        document = self._editable_copy()
        coupon = self.pricing.pricer.coupon(
            code, self.pricing.customer(document), self.now(), online=self.online
        )
        if coupon.code in document.inputs.coupons:
            raise InvalidInput(_("coupon {code} is already on this document", code=coupon.code))
        if any(
            self.pack.coupons[c].rule == coupon.rule
            for c in document.inputs.coupons
            if c in self.pack.coupons
        ):
            raise InvalidInput(
                _("a coupon for the promotion {rule} is already on this document", rule=coupon.rule)
            )
        allowed = coupon.uses_allowed
        if allowed is not None and self.documents.coupon_uses(coupon.code) >= allowed:
            raise InvalidInput(_("coupon {code} has already been used", code=coupon.code))
        document.inputs = replace(document.inputs, coupons=(*document.inputs.coupons, coupon.code))
        self._commit(document)

    def remove_coupon(self, code: str) -> None:
        document = self._editable_copy()
        if code not in document.inputs.coupons:
            raise NotFound(_("coupon {code} is not on this document", code=code))
        document.inputs = replace(
            document.inputs, coupons=tuple(c for c in document.inputs.coupons if c != code)
        )
        self._commit(document)

    def present_loyalty_card(self, card: str) -> None:
        """A loyalty card unlocks loyalty promotions; a known card also picks its customer."""
        card = inputs.code(card, _("the loyalty card number"))
        document = self._editable_copy()
        owner = self.catalog.card_owner(card)
        if owner is not None and document.customer is None:
            document.customer = owner.code
            document.lines = [self._list_priced(line, owner, document) for line in document.lines]
        document.inputs = replace(document.inputs, loyalty_card=card)
        self._commit(document)

    def manual_promotions(self) -> list[tuple[str, str, bool]]:
        """The manual promotions the operator may pick: id, name, needs authorization."""
        role = self.pricing.role
        return [
            (
                p.id,
                p.name,
                bool(p.authorization) and (role is None or p.authorization not in role.permissions),
            )
            for p in self.pack.promotions
            if p.manual
        ]

    def pick_manual_promotion(self, rule_id: str) -> None:
        document = self._editable_copy()
        rule = next((p for p in self.pack.promotions if p.id == rule_id and p.manual), None)
        if rule is None:
            raise NotFound(
                _(
                    "no manual promotion '{rule_id}' in pack {name}",
                    rule_id=rule_id,
                    name=self.pack.name,
                )
            )
        if rule.authorization:
            self.require(rule.authorization, what=f"pick the promotion {rule.name}")
        if rule_id not in document.inputs.manual:
            # seed: of grouped promotions only one value can be chosen: it replaces the other
            rivals = {
                p.id
                for p in self.pack.promotions
                if rule.manual_group and p.manual_group == rule.manual_group
            }
            kept = tuple(m for m in document.inputs.manual if m not in rivals)
            document.inputs = replace(document.inputs, manual=(*kept, rule_id))
        self._commit(document)

    def unpick_manual_promotion(self, rule_id: str) -> None:
        document = self._editable_copy()
        document.inputs = replace(
            document.inputs, manual=tuple(m for m in document.inputs.manual if m != rule_id)
        )
        self._commit(document)

    def discount_line(
        self,
        position: int,
        *,
        percent: object = None,
        amount: object = None,
        price: object = None,
        ask_above_limit: bool = False,
    ) -> Line:
        """The operator's discount on a line (none of the three removes it). Above the
        operator's limit it is reduced to the limit with a message (seed), or, with
        `ask_above_limit` (the till), a manager's approval is asked and it stays whole."""
        document = self._editable_copy()
        line = document.line_at(position)
        if line.item_type in (ItemType.VOUCHER, ItemType.BUY_BACK) or not line.discountable:
            raise InvalidInput(_("{name} is not subject to discounts", name=line.name))
        request = _operator_discount(percent, amount, price)
        if request is not None and ask_above_limit:
            role = self.pricing.role
            value = document.totals(self.currency).lines[position - 1].gross_amount
            request = self._above_limit(
                request,
                value,
                line.base_quantity,
                role.max_line_discount_percent if role else None,
            )
        kept = tuple((i, d) for i, d in document.inputs.line_discounts if i != line.id)
        if request is not None:
            kept = (*kept, (line.id, request))
        document.inputs = replace(document.inputs, line_discounts=kept)
        return self._commit(document).lines[position - 1]

    def discount_document(
        self, *, percent: object = None, amount: object = None, ask_above_limit: bool = False
    ) -> None:
        """The operator's header discount, spread over the lines (none removes it); above
        the limit as `discount_line` says."""
        document = self._editable_copy()
        request = _operator_discount(percent, amount, None)
        if request is not None and ask_above_limit:
            role = self.pricing.role
            value = document.totals(self.currency).total
            request = self._above_limit(
                request, value, Decimal(1), role.max_header_discount_percent if role else None
            )
        document.inputs = replace(document.inputs, header_discount=request)
        self._commit(document)

    def _above_limit(
        self, request: OperatorDiscount, value: Decimal, quantity: Decimal, limit: Decimal | None
    ) -> OperatorDiscount:
        """A discount above the operator's limit needs a manager's approval, asked before
        anything changes; once given the discount is applied whole, never cut silently."""
        if limit is None or value <= 0:
            return request
        if request.percent is not None:
            percent = request.percent
        elif request.amount is not None:
            percent = request.amount * 100 / value
        else:
            assert request.price is not None
            percent = (value - request.price * quantity) * 100 / value
        if percent <= limit:
            return request
        grant = self.require(
            Permission.DISCOUNT_ABOVE_LIMIT, what="give a discount above one's limit"
        )
        return replace(request, approved_by=grant.approved_by or self.operator)

    # -- lifecycle --------------------------------------------------------------
    def park(self) -> Document:
        document = self._editable_copy()
        if not document.lines:
            raise DocumentStateError(_("an empty document cannot be parked"))
        document.status = DocumentStatus.PARKED
        self._commit(document)
        self.pricing.forget(document)
        self.current = None
        return document

    def parked(self) -> list[Document]:
        return self.documents.list(till=self.code, status=DocumentStatus.PARKED)

    def resume(self, document_id: str) -> Document:
        """Continue a parked document; its discounts are kept until it changes (seed)."""
        if self.current is not None and self.current.editable and self.current.lines:
            raise DocumentStateError(_("park, approve or discard the current document first"))
        document = self.documents.load(document_id)
        if document.status is not DocumentStatus.PARKED:
            raise DocumentStateError(
                _(
                    "document {document_id} is {value}, not parked",
                    document_id=document_id,
                    value=document.status.value,
                )
            )
        document.status = DocumentStatus.DRAFT
        self.documents.save(document)
        self.current = document
        return document

    def approve(
        self,
        *,
        extra: ApprovalWriter | None = None,
        refund: bool = False,
        bought_back: Document | None = None,
        buy_back_approved: bool = False,
    ) -> Document:
        """Number the document; `extra` writes more in the same transaction (the payment),
        `refund` lets a return or buy-back with a negative total through (paid by Checkout).
        Buy-back lines leave a sale for a manual correction approved with it
        (cassa.engine.buyback); `bought_back` is that correction when the caller split it,
        `buy_back_approved` says the payment window already had approve_buy_back granted."""
        document = self._editable_copy()
        if bought_back is not None:  # checked and approved as the one sale it was
            document.lines = [*document.lines, *bought_back.lines]
        if not document.lines:
            raise DocumentStateError(
                _("an empty document cannot be approved: add at least one line")
            )
        if document.type is DocumentType.INVOICE and document.customer is None:
            raise DocumentStateError(_("an invoice needs a customer: choose one first"))
        document.status = DocumentStatus.DRAFT
        totals = document.totals(self.currency)
        if totals.total < 0 and not refund:
            raise DocumentStateError(
                "a return is approved with its refund: pay it back in the payment window"
                if document.type.is_return
                else "the document total is negative: use a buy-back or a return document"
            )
        if not buy_back_approved and any(
            t.line.item_type is ItemType.BUY_BACK for t in totals.lines
        ):
            value = -sum(
                (t.value for t in totals.lines if t.line.item_type is ItemType.BUY_BACK), Decimal(0)
            )
            self.require(Permission.APPROVE_BUY_BACK, amount=value)
        if document.origin_id is not None:
            from cassa.engine.returns import check_fiscal_original

            original = self.documents.load(document.origin_id)
            check_fiscal_original(self, document.type, original)
        document = before_approval(self, document)  # the pack's tax mechanisms
        redeemed = self._coupons_used(document)
        if bought_back is not None:
            moved = {line.id for line in bought_back.lines}
            document.lines = [line for line in document.lines if line.id not in moved]
            correction: Document | None = bought_back
        else:
            document, correction = split_buy_back(document, self.now())
        linked = [(c, c.totals(self.currency)) for c in (correction,) if c is not None]
        approved = self.documents.approve(
            document,
            document.totals(self.currency),
            self.now(),
            coupons=redeemed,
            extra=extra,
            linked=linked,
        )
        self.pricing.forget(document)
        self.current = approved
        self.bought_back = correction
        return approved

    def _coupons_used(self, document: Document) -> list[tuple[str, int | None]]:
        """Coupons whose promotion gave something: they are used up at approval (seed)."""
        applied = {a.source for line in document.lines for a in line.adjustments}
        used = []
        for code in document.inputs.coupons:
            coupon = self.pack.coupons.get(code)
            if coupon is not None and coupon.rule in applied:
                used.append((code, coupon.uses_allowed))
        return used

    def reload_rules(self) -> RulePack:
        """Load the store's rule pack again. A pack with any error raises and the
        pack in force stays, so a till never runs half of a broken pack."""
        pack = store_pack(
            self.store.pack, catalog_service(self.database, self.store.price_direction)
        )
        role = self.pricing.role.code if self.pricing.role else None
        if role is not None and role not in pack.roles:
            raise NotFound(
                _("role {role} is not declared in the new pack {name}", role=role, name=pack.name)
            )
        self.pack = pack
        from cassa.engine.fiscal import install

        install(self)
        self.pricing = SalePricing.create(
            pack,
            self.catalog,
            till=self.code,
            store=self.store.code,
            operator=self.operator,
            role=pack.roles.get(role) if role else None,
        )
        if self.current is not None and self.current.editable:
            self._commit(replace(self.current, lines=list(self.current.lines)))
        return pack

    def discard(self, reason: str = "") -> None:
        """Give up the open document. With lines, the pack's Security may ask why
        (`discard.reason`) and, above a total (`discard.approval_above`), the permission
        discard_document or a manager's approval; the reason is kept with the document
        and, with who discarded it, in the audit log. A document generated from another
        (a return, an invoice of a receipt) is discarded as it is."""
        document = self.document()
        document.ensure_editable()
        reason = " ".join(reason.split())
        total: Decimal | None = None
        # a document generated from another (a return, an invoice of a receipt) is given
        # up whole: it holds nothing the operator sold by hand
        if document.lines and document.origin_id is None:
            policy = self.gate_policy()
            if policy.discard_reason and not reason:
                raise InvalidInput(_("Say why the document is discarded"))
            total = document.totals(self.currency).total
            above = policy.discard_approval_above
            if above is not None and abs(total) > above:
                self.require(Permission.DISCARD_DOCUMENT, amount=total, what="discard the document")
        self.documents.discard(document, note=reason)
        if document.lines:
            self._people().audit.record(
                AuditEvent.DOCUMENT_DISCARDED,
                self.now(),
                actor=self.operator,
                amount=total,
                store=self.store.code,
                till=self.code,
                document_id=document.id,
                detail={"reason": reason, "lines": len(document.lines)},
            )
        self.pricing.forget(document)
        self.current = None


def _check_figures(document: Document, currency: Currency) -> None:
    """Refuse a document whose lines or totals the storage cannot keep (a huge quantity
    times a huge price), before it is stored."""
    totals = document.totals(currency)
    for line in totals.lines:
        inputs.check_amount(line.gross_amount, _("a line's amount"))
    inputs.check_amount(totals.total, _("the document's total"))
    inputs.check_amount(totals.discount_total, _("the document's discounts"))


def _one_voucher_per_line() -> None:
    """Seed: a voucher is added one at a time "e non è possibile modificare la sua quantità"."""
    from cassa.engine.payments._errors import LocalizedError

    raise LocalizedError(_("A voucher is added one at a time: its quantity cannot be changed"))


def _operator_discount(percent: object, amount: object, price: object) -> OperatorDiscount | None:
    given = {
        k: v
        for k, v in (("percent", percent), ("amount", amount), ("price", price))
        if v is not None
    }
    if not given:
        return None
    if len(given) > 1:
        raise InvalidInput(_("give a discount as a percent, an amount or a price, not several"))
    ((key, raw),) = given.items()
    if key == "percent":
        value = inputs.percent(raw, _("the discount percent"))
    else:
        what = _("the discount amount") if key == "amount" else _("the discount price")
        value = inputs.amount(raw, what)
    return OperatorDiscount.of({key: value})


__all__ += ["SaleInputs"]
