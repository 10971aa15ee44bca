"""The sale screen's view-model (seed: Sezioni ed elementi principali del documento).

Search/scan field, the document's lines (quantity, unit, list price, price,
value, and a second row with the discount), total quantity, line details,
customer with the "recalculate for this customer?" question, the numeric
keypad and its contexts, coupons, loyalty card, manual promotions, the
discount summary, park / resume / discard, and approve, which opens the
payment window. Every decision is the engine's (`cassa.engine.till.Till`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from cassa.engine import inputs
from cassa.engine.catalog import Customer, Item, ItemType, Lot, SearchResult
from cassa.engine.documents import Document, DocumentTotals, LineTotals
from cassa.engine.errors import InvalidInput, NotFound
from cassa.engine.people import Permission
from cassa.i18n import _
from cassa.ui.keypad import parse_number, press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["GroupHeader", "KeypadContext", "LineRow", "PropertyChoice", "SaleModel", "Totals"]

ITEMS_LISTED = 200  # entries of the item and customer lists; typing more narrows them


class KeypadContext(StrEnum):
    CODE = "code"
    QUANTITY = "quantity"
    LINE_DISCOUNT = "line_discount"
    HEADER_DISCOUNT = "header_discount"
    LIST_PRICE = "list_price"


@dataclass(frozen=True)
class LineRow:
    """One line as the list shows it: every value already formatted."""

    position: int
    line_id: str
    sku: str
    name: str
    quantity: str
    unit: str
    list_price: str
    price: str
    value: str
    discount: str  # the second row: the discount and what gave it, "" without one
    handled_by: str
    group: str
    selected: bool
    lot: str = ""  # the lot's values, "Beige": the line shows which lot it sells


@dataclass(frozen=True)
class GroupHeader:
    """A group of lines (seed: Raggruppa per Gruppo articoli) and its aggregates."""

    code: str
    name: str
    lines: int
    aggregates: tuple[tuple[str, str], ...]  # (label, formatted value)
    collapsed: bool


@dataclass(frozen=True)
class Totals:
    total: str
    total_quantity: str
    discount: str
    lines: int
    has_discount: bool


@dataclass(frozen=True)
class LineDetail:
    position: int
    name: str
    sku: str
    ean: str
    list_price: str
    quantity: str
    unit: str
    units: tuple[str, ...]
    handled_by: str
    name_editable: bool
    discountable: bool
    properties: tuple[tuple[str, str], ...] = ()  # the lot's values: (("Colore", "Beige"),)
    has_lots: bool = False  # [Seleziona proprietà] is offered


@dataclass(frozen=True)
class PropertyChoice:
    """The window of [Seleziona proprietà]: the item, and each property's values as chips,
    the chosen one marked and those that no lot has with the other chosen values dimmed."""

    name: str
    sku: str
    item_type: str
    vat_rate: str
    # (property, ((value, chosen, some lot has it with the other chosen values), ...))
    properties: tuple[tuple[str, tuple[tuple[str, bool, bool], ...]], ...]


@dataclass(frozen=True)
class Choice:
    """A row of a selection list (items, customers, coupons, promotions, parked documents)."""

    key: str
    title: str
    detail: str = ""
    chosen: bool = False
    locked: bool = False  # needs a manager's approval


@dataclass(frozen=True)
class TileAction:
    """What a sale screen tile (or the function key the layout gives it) does now."""

    run: Callable[[], object]
    disabled: bool = False
    locked: bool = False  # shown with a lock: the operator lacks the permission


class SaleModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.entry = ""  # the search/scan field
        self.discard_reason = ""  # why the open document is discarded, when the pack asks
        self.buffer = ""  # the keypad's display in every context but CODE
        self.context = KeypadContext.CODE
        self.discount_kind = "percent"  # percent, or price (line) / amount (header)
        self.unit: str | None = None  # the unit the next quantity is typed in
        self.selected: int | None = None
        self.collapsed: set[str] = set()
        self.dialog: str | None = None  # items, customers, recalculate, coupons, promotions,
        # summary, parked, discard, rename, loyalty, handled_by
        self.items_found = SearchResult(())  # the item list; lots are entries of their own
        self.chosen_properties: dict[str, str] = {}  # the properties window's selection
        self.query = ""  # the filter of the open selection list
        self.pending_customer: str | None = None
        # the pack requires the document as another type: its offer and the type (convert)
        self.conversion: tuple[str, str] | None = None
        self.text = ""  # the rename / coupon / loyalty dialog's text field
        self.rows: list[LineRow | GroupHeader] = []
        self.totals = Totals("", "", "", 0, False)
        self.messages: list[str] = []
        self.scan_failed = False  # the last scan sold nothing: the field shows it in red
        self._row_cache: dict[tuple[object, ...], LineRow] = {}
        self.refresh()

    # -- what the screen shows --------------------------------------------------------------
    def document(self) -> Document | None:
        current = self.app.till.current
        return current if current is not None and current.editable else None

    def refresh(self) -> None:
        """Recompute the rows and totals from the engine's current document."""
        app = self.app
        document = self.document()
        if document is None or not document.lines:
            self.rows = []
            self.totals = Totals(app.money(Decimal(0)), "0", app.money(Decimal(0)), 0, False)
            self.selected = None if document is None or not document.lines else self.selected
            self.messages = []
            return
        totals = document.totals(app.till.currency)
        if self.selected is not None and self.selected > len(document.lines):
            self.selected = len(document.lines)
        places = max(line.unit_precision for line in document.lines)
        self.totals = Totals(
            total=app.money(totals.total),
            total_quantity=app.quantity(totals.total_quantity, places),
            discount=app.money(totals.discount_total),
            lines=len(document.lines),
            has_discount=totals.discount_total != 0,
        )
        rows = [self._row(position, t) for position, t in enumerate(totals.lines, 1)]
        self.rows = self._grouped(rows, totals) if self._grouping else list(rows)
        # derived from this document alone: a discarded or parked one leaves nothing behind
        messages = app.till.pricing.messages_for(document, app.till.now())
        self.messages = [app.render(m) for m in messages]

    @property
    def _grouping(self) -> bool:
        return self.app.layout.sale.group_by == "item_group"

    def _row(self, position: int, totals: LineTotals) -> LineRow:
        line = totals.line
        key = (
            line,
            totals.value,
            totals.price,
            position,
            position == self.selected,
            self.app.locale,
        )
        cached = self._row_cache.get(key)
        if cached is not None:
            return cached
        app = self.app
        row = LineRow(
            position=position,
            line_id=line.id,
            sku=line.sku or "",
            name=line.name,
            quantity=app.quantity(line.quantity, line.unit_precision),
            unit=line.unit,
            list_price=app.money(line.list_price),
            price=app.money(totals.price),
            value=app.money(totals.value),
            discount=self._discount_text(totals),
            handled_by=line.handled_by or "",
            group=line.group or "",
            selected=position == self.selected,
            lot=", ".join(value for _, value in line.lot_properties),
        )
        if len(self._row_cache) > 2000:
            self._row_cache.clear()
        self._row_cache[key] = row
        return row

    def _discount_text(self, totals: LineTotals) -> str:
        if not totals.line.adjustments:
            return ""
        app = self.app
        names = []
        for adjustment in totals.line.adjustments:
            if adjustment.source.startswith("operator:"):
                label = app.t(adjustment.kind)
            else:
                label = adjustment.label or adjustment.source
            if label not in names:
                names.append(label)
        percent = totals.discount / totals.gross_amount * 100 if totals.gross_amount else Decimal(0)
        sign = "-" if totals.discount >= 0 else "+"
        # the cent a 5 % share rounds to is no 5,01 %: whole percents show whole
        places = 0 if abs(percent - percent.to_integral_value()) < Decimal("0.05") else 1
        return (
            f"{sign}{app.quantity(abs(percent), places)}%  {sign}{app.money(abs(totals.discount))}"
            f"  {', '.join(names)}"
        )

    def _grouped(self, rows: list[LineRow], totals: DocumentTotals) -> list[LineRow | GroupHeader]:
        app = self.app
        groups = app.till.catalog.groups()
        order: list[str] = []
        members: dict[str, list[tuple[LineRow, LineTotals]]] = {}
        for row, line_totals in zip(rows, totals.lines, strict=True):
            if row.group not in members:
                order.append(row.group)
                members[row.group] = []
            members[row.group].append((row, line_totals))
        result: list[LineRow | GroupHeader] = []
        for code in order:
            group = members[code]
            name = groups[code].name if code in groups else app.t("no_group")
            aggregates = tuple(
                (
                    app.t(f"aggregate_{a.function}", column=app.t(f"column_{a.column}")),
                    self._aggregate(a.column, a.function, [t for _, t in group]),
                )
                for a in app.layout.sale.aggregates
            )
            collapsed = code in self.collapsed
            result.append(GroupHeader(code, name, len(group), aggregates, collapsed))
            if not collapsed:
                result.extend(row for row, _ in group)
        return result

    def _aggregate(self, column: str, function: str, lines: list[LineTotals]) -> str:
        app = self.app
        if column == "quantity":
            values = [t.line.quantity for t in lines]
            places = max(t.line.unit_precision for t in lines)
        else:
            values = [
                {
                    "list_price": t.line.list_price,
                    "price": t.price,
                    "discount": t.discount,
                    "value": t.value,
                }[column]
                for t in lines
            ]
            places = -1
        if function == "sum":
            result = sum(values, Decimal(0))
        elif function == "average":
            result = sum(values, Decimal(0)) / len(values)
        elif function == "max":
            result = max(values)
        else:
            result = min(values)
        if places < 0:
            return app.money(result)
        return app.quantity(result, places)

    def toggle_group(self, code: str) -> None:
        self.collapsed.symmetric_difference_update({code})
        self.refresh()
        self.app.changed()

    def detail(self) -> LineDetail | None:
        """The selected line's details (seed: Dettagli articolo)."""
        document = self.document()
        if document is None or self.selected is None or self.selected > len(document.lines):
            return None
        line = document.lines[self.selected - 1]
        item = self.app.till.catalog.item(line.sku) if line.sku else None
        eans = [lot.ean for lot in item.lots if lot.code == line.lot and lot.ean] if item else []
        eans += list(item.barcodes) if item else []  # the lot's own EAN first
        return LineDetail(
            position=self.selected,
            name=line.name,
            sku=line.sku or "",
            ean=eans[0] if eans else "",
            list_price=self.app.money(line.list_price),
            quantity=self.app.quantity(line.quantity, line.unit_precision),
            unit=line.unit,
            units=tuple(item.units.codes()) if item else (line.unit,),
            handled_by=line.handled_by or "",
            name_editable=item.name_editable if item else True,
            discountable=line.discountable and (item.ever_discountable if item else True),
            properties=line.lot_properties,
            has_lots=bool(item and item.lots),
        )

    def customer(self) -> Customer | None:
        document = self.document()
        if document is None or document.customer is None:
            return None
        return self.app.till.catalog.find_customer(document.customer)

    def may(self, permission: str) -> bool:
        """Whether the operator's own role holds the permission (else a manager approves)."""
        role = self.app.till.pricing.role
        return role is not None and permission in role.permissions

    @property
    def list_price_locked(self) -> bool:
        return not self.may(Permission.SET_LIST_PRICE)

    # -- the search / scan field ---------------------------------------------------------
    def submit_entry(self, text: str | None = None) -> bool:
        """Scan or type a barcode, SKU, coupon code, loyalty card or part of a name; an
        ambiguous text opens the item list filtered by it, an empty one the whole list.
        `3*CODE` sells 3 of CODE. A scan that sells nothing clears the field, so the next
        scan is never appended to it, and the till shows and sounds the failure."""
        if text is not None:
            self.entry = text
        raw = self.entry.strip()
        if not raw:
            return self.open_items("")
        if self._scan(raw):
            self.scan_failed = False
            return True
        if not self.app.approval.open:  # a manager's approval asked is no failure
            self.entry = ""
            self.scan_failed = True
            self.app.alert()
            self.app.changed()
        return False

    def type_key(self, key: str) -> None:
        """A key of the physical keyboard (or a wedge scanner) when no field has the focus:
        on the code it types any character and Enter scans what was typed; in the other
        contexts it is the keypad's key."""
        if self.context is not KeypadContext.CODE:
            if key in ("enter", "back", "clear", ",", ".") or key.isdigit():
                self.press("," if key == "." else key)
            return
        if key == "enter":
            if self.entry.strip():
                self.submit_entry()
            return
        if key in ("back", "clear"):
            self.entry = press(self.entry, key)
        else:
            self.entry += key
        # the field shows the keys once they pause: a scan's digits redraw nothing
        self.app.changed_soon()

    def _scan(self, raw: str) -> bool:
        quantity: Decimal | None = None
        code = raw
        try:
            if "*" in raw:
                count, _star, rest = raw.partition("*")
                if count.strip() and rest.strip():
                    quantity = inputs.quantity(parse_number(count, "the quantity"))
                    code = rest.strip()
            code = inputs.text(code, _("the search"))
        except InvalidInput as error:
            self.app.inform(self.app.describe(error), "error")
            return False
        till = self.app.till
        try:
            item, lot = till.catalog.lookup(code)
        except NotFound as missing:
            return self._not_an_item(code, quantity, missing)
        return self._sell(item, lot, quantity=quantity)

    def _not_an_item(self, code: str, quantity: Decimal | None, missing: NotFound) -> bool:
        till = self.app.till
        coupon = next((c for c in till.pack.coupons if c.casefold() == code.casefold()), None)
        if coupon is not None:
            return self.enter_coupon(coupon)
        if till.catalog.card_owner(code) is not None:
            return self.present_loyalty_card(code)
        found = till.catalog.search(code, limit=ITEMS_LISTED)
        if len(found.entries) == 1:
            return self._sell(*found.entries[0], quantity=quantity)
        if found.entries:
            return self.open_items(code, found)
        self.app.inform(self.app.describe(missing), "error")
        return False

    def _repeated(self, item: Item, lot: Lot | None) -> int | None:
        """The position of the line a repeated scan of `item` adds to, when the layout
        says so (`sale.repeat_scan: add_quantity`): the same item and lot, sold by hand at
        the item's price in its own unit; else None (a new line)."""
        if self.app.layout.sale.repeat_scan != "add_quantity" or item.type is ItemType.VOUCHER:
            return None
        document = self.document()
        if document is None:
            return None
        for position, line in reversed(list(enumerate(document.lines, 1))):
            if (
                line.sku == item.sku
                and line.lot == (lot.code if lot is not None else None)
                and not line.returned
                and line.origin_line is None
                and line.quantity > 0
                and line.price_source == "item"
                and line.unit == (line.base_unit or line.unit)  # in the item's own unit
                and not line.note
            ):
                return position
        return None

    def _sell(self, item: Item, lot: Lot | None = None, *, quantity: Decimal | None) -> bool:
        def run() -> None:
            count = quantity if quantity is not None else Decimal(1)
            repeated = self._repeated(item, lot)
            till = self.app.till
            if repeated is not None:
                line = till.document().line_at(repeated)
                till.set_quantity(repeated, line.quantity + count)
                self.selected = repeated  # the changed line is scrolled to and highlighted
            else:
                till.add_item(item, count, lot=lot.code if lot is not None else None)
                document = self.document()
                self.selected = len(document.lines) if document else None
            self.entry = ""
            self.app.notice = None
            self.refresh()

        return self.app.attempt(run)

    def open_items(self, query: str, found: SearchResult | None = None) -> bool:
        """The item list filtered by `query` (what a search already found, if given)."""
        self.query = query
        self.items_found = found or self.app.till.catalog.search(query, limit=ITEMS_LISTED)
        self.dialog = "items"
        self.app.changed()
        return True

    def filter_items(self, query: str) -> None:
        self.query = query
        self.items_found = self.app.till.catalog.search(query, limit=ITEMS_LISTED)
        self.app.changed()

    def item_choices(self) -> list[Choice]:
        """The item list; a lot is an entry of its own, keyed by its code (seed)."""
        choices = []
        for item, lot in self.items_found.entries:
            price = f"{self.app.money(item.list_price)} / {item.units.base.code}"
            if lot is None:
                choices.append(Choice(item.sku, item.name, f"{item.sku}  {price}"))
            else:
                choices.append(
                    Choice(lot.code, f"{item.name} · {lot.values}", f"{lot.code}  {price}")
                )
        return choices

    def choose_item(self, key: str) -> bool:
        """[Seleziona] in the item list: the item (an SKU) or the item from a lot (its code)."""
        self.dialog = None
        try:
            item, lot = self.app.till.catalog.lookup(key)
        except NotFound:
            self.app.changed()
            return False
        return self._sell(item, lot, quantity=None)

    def close_dialog(self) -> None:
        self.dialog = None
        self.pending_customer = None
        self.app.changed()

    # -- lines ---------------------------------------------------------------------------
    def select(self, position: int) -> None:
        self.selected = position
        self.unit = None
        if self.context is not KeypadContext.CODE and self.context is not (
            KeypadContext.HEADER_DISCOUNT
        ):
            self.buffer = ""
        self.refresh()
        self.app.changed()

    def _selected_or_fail(self) -> int:
        document = self.document()
        if document is None or self.selected is None or self.selected > len(document.lines):
            raise InvalidInput(_("select a line first"))
        return self.selected

    def change_quantity(self, delta: int) -> bool:
        """[+] and [-]: one more or one less of the line's unit (never below one)."""

        def run() -> None:
            position = self._selected_or_fail()
            document = self.document()
            assert document is not None
            line = document.lines[position - 1]
            new = line.quantity + delta
            if new <= 0:
                raise InvalidInput(_("the quantity must be above zero: delete the line instead"))
            self.app.till.set_quantity(position, new)
            self.refresh()

        return self.app.attempt(run)

    def choose_unit(self, unit: str) -> None:
        """The next quantity typed is in this unit (seed: [Quantità] changes unit and quantity)."""
        self.unit = unit
        self.set_context(KeypadContext.QUANTITY)

    def delete_line(self) -> bool:
        def run() -> None:
            position = self._selected_or_fail()
            self.app.till.delete_line(position)
            document = self.document()
            remaining = len(document.lines) if document else 0
            self.selected = min(position, remaining) or None
            self.refresh()

        return self.app.attempt(run)

    def start_rename(self) -> None:
        detail = self.detail()
        if detail is None:
            self.app.inform(self.app.describe(InvalidInput(_("select a line first"))), "error")
            return
        self.text = detail.name
        self.dialog = "rename"
        self.app.changed()

    def rename(self) -> bool:
        def run() -> None:
            self.app.till.set_line_name(self._selected_or_fail(), self.text)
            self.dialog = None
            self.refresh()

        return self.app.attempt(run)

    # -- properties and lots (seed: Selezione della proprietà/lotto) ------------------------
    def open_properties(self) -> bool:
        """[Seleziona proprietà]: the window starts from the line's own lot."""

        def run() -> None:
            position = self._selected_or_fail()
            document = self.document()
            assert document is not None
            line = document.lines[position - 1]
            item = self.app.till.catalog.item(line.sku) if line.sku else None
            if item is None or not item.lots:
                raise InvalidInput(_("{name} has no properties to choose", name=line.name))
            self.chosen_properties = dict(line.lot_properties)
            self.dialog = "properties"
            self.app.changed()

        return self.app.attempt(run)

    def property_choice(self) -> PropertyChoice | None:
        detail = self.detail()
        item = self.app.till.catalog.item(detail.sku) if detail and detail.sku else None
        if item is None or not item.lots:
            return None
        app = self.app
        chosen = self.chosen_properties
        properties = []
        for name, values in item.properties:
            others = {n: v for n, v in chosen.items() if n != name}
            chips = tuple(
                (
                    value,
                    chosen.get(name) == value,
                    any(
                        lot.value(name) == value
                        and all(lot.value(n) == v for n, v in others.items())
                        for lot in item.lots
                    ),
                )
                for value in values
            )
            properties.append((name, chips))
        return PropertyChoice(
            name=item.name,
            sku=item.sku,
            item_type=app.t(f"item_type_{item.type.value}"),
            vat_rate=self._rate_label(item.vat_code),
            properties=tuple(properties),
        )

    def _rate_label(self, code: str) -> str:
        """ "22%", or a nature with its rate: "N6.1 (0%)"."""
        rate = self.app.till.country.vat_rates.get(code)
        if rate is None:
            return code
        exponent = rate.percent.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        label = f"{self.app.quantity(rate.percent, places)}%"
        return label if code.replace(".", "").isdigit() else f"{code} ({label})"

    def pick_property(self, name: str, value: str) -> None:
        self.chosen_properties[name] = value
        self.app.changed()

    def clear_properties(self, name: str | None = None) -> None:
        """[Pulisci]: the chosen value of one property, or of all."""
        if name is None:
            self.chosen_properties.clear()
        else:
            self.chosen_properties.pop(name, None)
        self.app.changed()

    def select_properties(self) -> bool:
        """[Seleziona]: the lot having the chosen values goes on the line."""

        def run() -> None:
            self.app.till.choose_properties(self._selected_or_fail(), self.chosen_properties)
            self.dialog = None
            self.chosen_properties = {}
            self.refresh()

        return self.app.attempt(run)

    def handled_by_choices(self) -> list[Choice]:
        gate = self.app.till.gate
        if gate is None:
            return []
        store = self.app.till.store.code
        return [
            Choice(e.username, e.full_name, e.username)
            for e in gate.people.list(store=store, active=True)
        ]

    def open_handled_by(self) -> None:
        self.dialog = "handled_by"
        self.app.changed()

    def set_handled_by(self, username: str) -> bool:
        def run() -> None:
            self.app.till.set_handled_by(self._selected_or_fail(), username)
            self.dialog = None
            self.refresh()

        return self.app.attempt(run)

    # -- the keypad ------------------------------------------------------------------------
    def set_context(self, context: KeypadContext | str) -> None:
        self.context = KeypadContext(context)
        self.buffer = ""
        if self.context is KeypadContext.LINE_DISCOUNT and self.discount_kind == "amount":
            self.discount_kind = "price"
        if self.context is KeypadContext.HEADER_DISCOUNT and self.discount_kind == "price":
            self.discount_kind = "amount"
        self.app.changed()

    def set_discount_kind(self, kind: str) -> None:
        self.discount_kind = kind
        self.app.changed()

    def press(self, key: str) -> None:
        if key == "enter":
            self.enter()
            return
        if self.context is KeypadContext.CODE:
            self.entry = press(self.entry, key) if key != "," else self.entry + "*"
        else:
            self.buffer = press(self.buffer, key)
        self.app.changed()

    def enter(self) -> bool:
        """The keypad's Enter in its context: scan the code, set the quantity, the line's
        or the document's discount (an empty value removes it), the line's list price."""
        context = self.context
        if context is KeypadContext.CODE:
            return self.submit_entry()
        till = self.app.till
        text = self.buffer.strip()

        def run() -> None:
            if context is KeypadContext.HEADER_DISCOUNT:
                value = parse_number(text, "the discount") if text else None
                if self.discount_kind == "amount":
                    till.discount_document(amount=value, ask_above_limit=True)
                else:
                    till.discount_document(percent=value, ask_above_limit=True)
            else:
                position = self._selected_or_fail()
                if context is KeypadContext.QUANTITY:
                    till.set_quantity(position, parse_number(text, "the quantity"), self.unit)
                    self.unit = None
                elif context is KeypadContext.LIST_PRICE:
                    till.set_list_price(position, parse_number(text, "the price"))
                else:
                    value = parse_number(text, "the discount") if text else None
                    if self.discount_kind == "price":
                        till.discount_line(position, price=value, ask_above_limit=True)
                    else:
                        till.discount_line(position, percent=value, ask_above_limit=True)
            self.buffer = ""
            self.context = KeypadContext.CODE
            self.refresh()

        return self.app.attempt(run)

    # -- customer ---------------------------------------------------------------------------
    def open_customers(self) -> None:
        self.query = ""
        self.dialog = "customers"
        self.app.changed()

    def filter_customers(self, query: str) -> None:
        self.query = query
        self.app.changed()

    def customer_choices(self) -> list[Choice]:
        current = self.customer()
        result = []
        for customer in self.app.till.catalog.search_customers(self.query, limit=ITEMS_LISTED):
            detail = " · ".join(
                p for p in (customer.code, customer.vat_number, customer.loyalty_card) if p
            )
            result.append(
                Choice(
                    customer.code,
                    customer.name,
                    detail,
                    current is not None and (current.code == customer.code),
                )
            )
        return result

    def choose_customer(self, code: str | None) -> bool:
        """Pick the customer; with lines on the document, ask whether to recalculate it."""
        document = self.document()
        if document is not None and document.lines and code != document.customer:
            self.pending_customer = code or ""
            self.dialog = "recalculate"
            self.app.changed()
            return True
        return self._set_customer(code, recalculate=True)

    def offer_conversion(self, offer: str, target: str) -> None:
        """Ask whether to issue the document as the type the pack requires."""
        self.conversion = (offer, target)
        self.dialog = "convert"
        self.app.changed()

    def answer_conversion(self, convert: bool) -> bool:
        """Yes: the document becomes the required type and the payment window opens."""
        offer = self.conversion
        self.conversion = None
        self.dialog = None
        if not convert or offer is None:
            self.app.changed()
            return False

        def run() -> None:
            self.app.till.taxes.convert(offer[1])
            self.refresh()

        return self.app.attempt(run) and self.app.payment.open()

    def answer_recalculate(self, recalculate: bool) -> bool:
        code = self.pending_customer
        self.pending_customer = None
        return self._set_customer(code or None, recalculate=recalculate)

    def _set_customer(self, code: str | None, *, recalculate: bool) -> bool:
        def run() -> None:
            self._ensure_document()
            self.app.till.set_customer(code, recalculate=recalculate)
            self.dialog = None
            self.refresh()

        return self.app.attempt(run)

    def _ensure_document(self) -> None:
        if self.document() is None:
            self.app.till.new_document()

    # -- loyalty card, coupons, manual promotions --------------------------------------------
    def open_text_dialog(self, kind: str) -> None:
        self.text = ""
        self.dialog = kind  # loyalty, coupons
        self.app.changed()

    def present_loyalty_card(self, card: str | None = None) -> bool:
        number = (card if card is not None else self.text).strip()

        def run() -> None:
            self._ensure_document()
            self.app.till.present_loyalty_card(number)
            self.dialog = None
            self.entry = ""
            self.refresh()

        return self.app.attempt(run)

    def coupon_choices(self) -> list[Choice]:
        """The pack's coupons, those on the document first, then by validity (seed)."""
        document = self.document()
        entered = set(document.inputs.coupons) if document else set()
        customer = self.customer()
        today = self.app.till.now().date()
        found = []
        for coupon in self.app.till.pack.coupons.values():
            if coupon.customer is not None and (
                customer is None or customer.code != coupon.customer
            ):
                continue
            if (coupon.valid_to and coupon.valid_to < today) or (
                coupon.valid_from and coupon.valid_from > today
            ):
                continue
            valid = coupon.valid_to.isoformat() if coupon.valid_to else ""
            found.append((coupon.code not in entered, valid or "9999", coupon, valid))
        found.sort(key=lambda f: (f[0], f[1], f[2].code))
        return [
            Choice(c.code, c.name or c.rule, f"{c.code}  {v}".strip(), c.code in entered)
            for _, _, c, v in found
        ]

    def enter_coupon(self, code: str | None = None) -> bool:
        number = (code if code is not None else self.text).strip()

        def run() -> None:
            if not number:
                raise InvalidInput(_("enter or scan the coupon's code"))
            self._ensure_document()
            self.app.till.enter_coupon(number)
            self.text = ""
            self.entry = ""
            self.dialog = None
            self.refresh()

        return self.app.attempt(run)

    def remove_coupon(self, code: str) -> bool:
        def run() -> None:
            self.app.till.remove_coupon(code)
            self.refresh()

        return self.app.attempt(run)

    def open_promotions(self) -> None:
        self.dialog = "promotions"
        self.app.changed()

    def promotion_choices(self) -> list[Choice]:
        document = self.document()
        picked = set(document.inputs.manual) if document else set()
        return [
            Choice(rule_id, name, rule_id, rule_id in picked, locked)
            for rule_id, name, locked in self.app.till.manual_promotions()
        ]

    def toggle_promotion(self, rule_id: str) -> bool:
        document = self.document()
        picked = document is not None and rule_id in document.inputs.manual

        def run() -> None:
            self._ensure_document()
            if picked:
                self.app.till.unpick_manual_promotion(rule_id)
            else:
                self.app.till.pick_manual_promotion(rule_id)
            self.refresh()

        return self.app.attempt(run)

    def open_summary(self) -> None:
        self.dialog = "summary"
        self.app.changed()

    def summary_rows(self) -> list[tuple[str, str, int]]:
        """The discount summary (seed: Riepilogo sconti): (label, amount, indent)."""
        document = self.document()
        if document is None:
            return []
        app = self.app
        summary = app.till.pricing.summary(document)
        rows = [(app.t("summary_before"), app.money(summary.value_before), 0)]
        rows.append((app.t("summary_items"), app.money(summary.item_discounts), 0))
        for group in summary.item_groups:
            name = app.t("summary_other") if group.name == "other" else group.name
            rows.append((name, app.money(group.total), 1))
            rows.extend((label, app.money(amount), 2) for label, amount in group.entries.items())
        if summary.threshold_discounts.total:
            rows.append(
                (app.t("summary_threshold"), app.money(summary.threshold_discounts.total), 0)
            )
            rows.extend(
                (label, app.money(amount), 1)
                for label, amount in summary.threshold_discounts.entries.items()
            )
        rows.append((app.t("summary_operator"), app.money(summary.operator_discounts.total), 0))
        rows.extend(
            (app.t(kind), app.money(amount), 1)
            for kind, amount in summary.operator_discounts.entries.items()
        )
        rows.append((app.t("summary_after"), app.money(summary.value_after), 0))
        return rows

    # -- park, resume, discard, approve --------------------------------------------------------
    def park(self) -> bool:
        def run() -> None:
            parked = self.app.till.park()
            self.selected = None
            self.refresh()
            self.app.notice = None
            self.app.inform(self.app.t("parked", lines=len(parked.lines)))

        return self.app.attempt(run)

    def open_parked(self) -> None:
        self.dialog = "parked"
        self.app.changed()

    def parked_choices(self) -> list[Choice]:
        app = self.app
        result = []
        for document in app.till.parked():
            totals = document.totals(app.till.currency)
            customer = app.till.catalog.find_customer(document.customer)
            detail = " · ".join(
                p
                for p in (
                    app.when(document.created_at),
                    app.t("lines_count", lines=len(document.lines)),
                    customer.name if customer else "",
                    document.operator,
                )
                if p
            )
            result.append(Choice(document.id, app.money(totals.total), detail))
        return result

    def resume(self, document_id: str) -> bool:
        def run() -> None:
            self.app.till.resume(document_id)
            self.dialog = None
            self.selected = None
            self.refresh()

        return self.app.attempt(run)

    def ask_discard(self) -> None:
        if self.document() is None:
            return
        self.discard_reason = ""
        self.dialog = "discard"
        self.app.changed()

    @property
    def discard_asks_reason(self) -> bool:
        """The pack's Security asks why a document with lines is discarded."""
        document = self.document()
        return bool(
            document
            and document.lines
            and document.origin_id is None
            and self.app.till.gate_policy().discard_reason
        )

    def tile_actions(self) -> dict[str, TileAction]:
        """Every tile of the sale screen with what it does and whether it can now."""
        app = self.app
        has_document = self.document() is not None and self.totals.lines > 0
        no_line = self.detail() is None
        return {
            "customer": TileAction(self.open_customers),
            "coupons": TileAction(
                lambda: self.open_text_dialog("coupons"), not app.till.pack.coupons
            ),
            "manual_promotions": TileAction(self.open_promotions),
            "loyalty_card": TileAction(lambda: self.open_text_dialog("loyalty")),
            "discount_summary": TileAction(self.open_summary, not self.totals.has_discount),
            "line_discount": TileAction(
                lambda: self.set_context(KeypadContext.LINE_DISCOUNT), no_line
            ),
            "header_discount": TileAction(
                lambda: self.set_context(KeypadContext.HEADER_DISCOUNT), not has_document
            ),
            "list_price": TileAction(
                lambda: self.set_context(KeypadContext.LIST_PRICE),
                no_line,
                self.list_price_locked,
            ),
            "park": TileAction(self.park, not has_document),
            "resume": TileAction(self.open_parked, has_document),
            "discard": TileAction(self.ask_discard, self.document() is None),
            "cash_in_out": TileAction(lambda: app.go_to("cash"), has_document),
            "till_summary": TileAction(lambda: app.go_to("summary")),
            "safe": TileAction(lambda: app.go_to("safe"), has_document),
            "close_day": TileAction(lambda: app.go_to("closing"), has_document),
            "logout": TileAction(app.logout, has_document),
            "functions": TileAction(lambda: app.go_to("functions"), has_document),
            "open_drawer": TileAction(app.open_drawer, has_document),
            "approve": TileAction(self.approve, self.totals.lines == 0),
        }

    def run_tile(self, name: str) -> bool:
        """A tile, or the function key the layout gives it: nothing when it cannot now."""
        action = self.tile_actions().get(name)
        if action is None or action.disabled or action.locked:
            return False
        action.run()
        return True

    def discard(self) -> bool:
        def run() -> None:
            self.app.till.discard(self.discard_reason)
            self.dialog = None
            self.discard_reason = ""
            self.selected = None
            self.refresh()

        return self.app.attempt(run)

    def approve(self) -> bool:
        """[Approva]: the payment window opens on the document."""
        return self.app.payment.open()
