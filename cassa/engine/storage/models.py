"""Tables, as SQLAlchemy 2 typed ORM classes. Schema changes go through Alembic."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from cassa.engine.storage.types import ExactDecimal, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for bulk statements that skip the ORM's unit of work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class StoreRow(Base):
    __tablename__ = "stores"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    vat_number: Mapped[str] = mapped_column(String(32), default="")
    pack: Mapped[str] = mapped_column(String(500))
    price_direction: Mapped[str] = mapped_column(String(8), default="gross")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class TillRow(Base):
    __tablename__ = "tills"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    store: Mapped[str] = mapped_column(ForeignKey("stores.code"))
    name: Mapped[str] = mapped_column(String(200), default="")


class ItemGroupRow(Base):
    __tablename__ = "item_groups"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent: Mapped[str | None] = mapped_column(String(64))
    reorder_level: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class CatalogStateRow(Base):
    """One row: which import of the catalog the database holds, so that every till
    server's catalog cache and the rule pack's conflict check know when it changed."""

    __tablename__ = "catalog_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)  # +1 at every import of items and prices
    customers_version: Mapped[int] = mapped_column(Integer)  # +1 at every customer change
    # a random token per import: names this catalog's content in caches outside the database
    token: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ItemRow(Base):
    __tablename__ = "items"
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    # the catalog's order (the file's): the item list and the search index follow it
    position: Mapped[int] = mapped_column(Integer, index=True, server_default="0")
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    vat_code: Mapped[str] = mapped_column(String(16))
    list_price: Mapped[Decimal] = mapped_column(ExactDecimal)
    base_unit: Mapped[str] = mapped_column(String(16))
    base_unit_precision: Mapped[int] = mapped_column(Integer)
    discountable: Mapped[bool] = mapped_column(Boolean, default=True)
    name_editable: Mapped[bool] = mapped_column(Boolean, default=False)
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    split_payment: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cost: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # per base unit
    reorder_level: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    insert_components: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    component_change: Mapped[str | None] = mapped_column(String(8))  # blocked, split
    barcodes: Mapped[list[BarcodeRow]] = relationship(cascade="all, delete-orphan")
    units: Mapped[list[ItemUnitRow]] = relationship(cascade="all, delete-orphan")
    lots: Mapped[list[ItemLotRow]] = relationship(
        cascade="all, delete-orphan", order_by="ItemLotRow.position"
    )


class BarcodeRow(Base):
    __tablename__ = "item_barcodes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("items.sku", ondelete="CASCADE"), index=True)


class ItemLotRow(Base):
    """A lot of an item: one combination of its property values, maybe with its own EAN."""

    __tablename__ = "item_lots"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("items.sku", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the catalog's order of the item's lots
    properties: Mapped[str] = mapped_column(Text)  # JSON object: property -> value
    ean: Mapped[str | None] = mapped_column(String(32), unique=True)


class ItemSetComponentRow(Base):
    """A component of a set item: another item and how many of it one set holds."""

    __tablename__ = "item_set_components"
    set_sku: Mapped[str] = mapped_column(
        ForeignKey("items.sku", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    component: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)


class ItemUnitRow(Base):
    __tablename__ = "item_units"
    sku: Mapped[str] = mapped_column(ForeignKey("items.sku", ondelete="CASCADE"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(16), primary_key=True)
    precision: Mapped[int] = mapped_column(Integer)
    per_base: Mapped[Decimal] = mapped_column(ExactDecimal)


class PriceListRow(Base):
    __tablename__ = "price_lists"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(8))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    prices: Mapped[list[PriceRow]] = relationship(cascade="all, delete-orphan")


class PriceRow(Base):
    __tablename__ = "price_list_prices"
    price_list: Mapped[str] = mapped_column(
        ForeignKey("price_lists.code", ondelete="CASCADE"), primary_key=True
    )
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    price: Mapped[Decimal] = mapped_column(ExactDecimal)


class CustomerGroupRow(Base):
    __tablename__ = "customer_groups"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price_list: Mapped[str | None] = mapped_column(String(64))


class CustomerRow(Base):
    __tablename__ = "customers"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    vat_number: Mapped[str | None] = mapped_column(String(32))
    groups: Mapped[str] = mapped_column(Text, default="")  # codes separated by spaces
    loyalty_card: Mapped[str | None] = mapped_column(String(64), unique=True)
    price_list: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(Text, default="")
    domestic: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class TillDayRow(Base):
    """A till's business day, from opening (with its float) to closing."""

    __tablename__ = "till_days"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    till: Mapped[str] = mapped_column(String(32), index=True)
    business_date: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_by: Mapped[str] = mapped_column(String(64))
    opening_float: Mapped[Decimal] = mapped_column(ExactDecimal)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NumberingRow(Base):
    """The last number given in one series: document type, till and year."""

    __tablename__ = "numbering"
    doc_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    till: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("doc_type", "till", "year", "sequence"),
        UniqueConstraint("number"),
        Index("ix_documents_till_status", "till", "status"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    direction: Mapped[str] = mapped_column(String(8))
    operator: Mapped[str] = mapped_column(String(64))
    customer: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    number: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    inputs: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")  # pricing inputs
    # Totals frozen at approval, so reports never recompute a stored document.
    total: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    net_total: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    vat_total: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    split_payment: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    split_payment_manual: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The document this one was generated from (a return's original); no foreign key, so
    # adding the column never rebuilds the table and its triggers on SQLite.
    origin_id: Mapped[str | None] = mapped_column(String(36), index=True)
    origin_number: Mapped[str | None] = mapped_column(String(64))
    # Offers and sales orders: where and when the goods are collected, and by whom.
    pickup_point: Mapped[str | None] = mapped_column(String(64))
    expected_date: Mapped[date | None] = mapped_column(Date)
    recipient: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[list[DocumentLineRow]] = relationship(
        cascade="all, delete-orphan", order_by="DocumentLineRow.position", lazy="select"
    )
    vat: Mapped[list[DocumentVatRow]] = relationship(cascade="all, delete-orphan")


class DocumentLineRow(Base):
    __tablename__ = "document_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    item_type: Mapped[str] = mapped_column(String(16))
    item_group: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(16))
    unit_precision: Mapped[int] = mapped_column(Integer)
    base_unit: Mapped[str] = mapped_column(String(16), default="")
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    base_quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    list_price: Mapped[Decimal] = mapped_column(ExactDecimal)
    vat_code: Mapped[str] = mapped_column(String(16))
    vat_percent: Mapped[Decimal] = mapped_column(ExactDecimal)
    discountable: Mapped[bool] = mapped_column(Boolean)
    adjustments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    note: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[str | None] = mapped_column(String(64))
    returned: Mapped[bool] = mapped_column(Boolean, default=False)
    price_source: Mapped[str] = mapped_column(String(80), default="item")
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # frozen at approval
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    split_payment: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    origin_line: Mapped[str | None] = mapped_column(String(36), index=True)  # a return's
    lot: Mapped[str | None] = mapped_column(String(64))  # the item's lot sold on the line
    lot_properties: Mapped[str | None] = mapped_column(Text)  # JSON object, as sold
    set_group: Mapped[str | None] = mapped_column(String(100))  # SKU#id of its set


class OrderRow(Base):
    """The state of an approved offer or sales order (cassa.engine.orders). The document
    itself is frozen at approval; what happens to it afterwards is kept here."""

    __tablename__ = "sales_orders"
    __table_args__ = (Index("ix_sales_orders_state_expected", "state", "expected_date"),)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # offer, sales_order
    number: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(24))  # open, partially_fulfilled, fulfilled ...
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    customer: Mapped[str | None] = mapped_column(String(64), index=True)
    pickup_point: Mapped[str | None] = mapped_column(String(64))
    expected_date: Mapped[date | None] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # An order made from an offer names it; an offer names the order it became.
    source_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)  # each change adds one


class OrderMovementRow(Base):
    """Units of an order line fulfilled by a document generated from the order, or
    cancelled: ordered = fulfilled + cancelled + remaining, line by line."""

    __tablename__ = "order_movements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("sales_orders.document_id"), index=True)
    line_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # fulfilled, cancelled
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)  # in the order line's unit
    document_id: Mapped[str | None] = mapped_column(String(36))  # the fulfilling document
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator: Mapped[str] = mapped_column(String(64))


class OrderDepositRow(Base):
    """A deposit taken on an order: an advance invoice or a receipt. Money held for the
    customer (a liability) until a final document deducts it, once, or the order is
    cancelled and it is refunded or kept as a voucher."""

    __tablename__ = "order_deposits"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("sales_orders.document_id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)  # gross
    vat: Mapped[str] = mapped_column(Text, default="[]")  # JSON: code, percent, net, gross
    state: Mapped[str] = mapped_column(String(16))  # held, deducted, refunded, voucher
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    settled_by: Mapped[str | None] = mapped_column(String(64))  # a document or voucher number


class DocumentVatRow(Base):
    __tablename__ = "document_vat"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    vat_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    percent: Mapped[Decimal] = mapped_column(ExactDecimal)
    net: Mapped[Decimal] = mapped_column(ExactDecimal)
    vat: Mapped[Decimal] = mapped_column(ExactDecimal)
    gross: Mapped[Decimal] = mapped_column(ExactDecimal)


class CouponRedemptionRow(Base):
    """A coupon used up by an approved document."""

    __tablename__ = "coupon_redemptions"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    redeemed_at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- people: employees, their stores and roles, the audit log (cassa.engine.people) --


class EmployeeRow(Base):
    """An employee: who they are, how they log in, and the state of their account."""

    __tablename__ = "employees"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(32), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    card_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # Argon2id, PHC format
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    password_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    pin_hash: Mapped[str | None] = mapped_column(String(255))  # Argon2id, PHC format
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    stores: Mapped[list[EmployeeStoreRow]] = relationship(
        cascade="all, delete-orphan", order_by="EmployeeStoreRow.store"
    )


class EmployeeStoreRow(Base):
    """An employee works in a store (centre) with one role there."""

    __tablename__ = "employee_stores"
    username: Mapped[str] = mapped_column(
        ForeignKey("employees.username", ondelete="CASCADE"), primary_key=True
    )
    store: Mapped[str] = mapped_column(ForeignKey("stores.code"), primary_key=True)
    role: Mapped[str] = mapped_column(String(64))


class AuditEventRow(Base):
    """One security event. Rows are only ever added (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    event: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(64))  # who acted (the operator)
    approver: Mapped[str | None] = mapped_column(String(64))  # the manager who approved
    subject: Mapped[str | None] = mapped_column(String(64))  # the employee concerned
    permission: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    store: Mapped[str | None] = mapped_column(String(32))
    till: Mapped[str | None] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON object


# -- devices (cassa.devices) ----------------------------------------------------------


class PrintJobRow(Base):
    """A print job: the ESC/POS bytes for the printer, kept until they are printed.

    A job whose printer is unplugged or out of paper stays `pending` and is
    retried; the sale it belongs to is stored already and never waits for it.
    """

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_till_status", "till", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    till: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(36))
    document_number: Mapped[str | None] = mapped_column(String(64))
    copy: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))  # pending, printed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PrintHistoryRow(Base):
    """One printed copy of an approved document: who asked, when, at which till, which copy."""

    __tablename__ = "print_history"
    __table_args__ = (UniqueConstraint("document_id", "copy"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(36))
    document_number: Mapped[str] = mapped_column(String(64))
    copy: Mapped[int] = mapped_column(Integer)
    duplicate: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(32))  # sale, customer_request, reprint
    till: Mapped[str] = mapped_column(String(32))
    operator: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))


class FiscalRecordRow(Base):
    """Where a document stands with the fiscal printer: printed only when it said so.

    `pending`: not printed (a known failure, retried); `sending`: a request is
    on its way (left so by a crash it means `unknown`); `unknown`: the printer
    did not answer, it may or may not have printed: never resent until checked;
    `printed`: the printer returned its fiscal numbers.
    """

    __tablename__ = "fiscal_records"
    document_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_number: Mapped[str] = mapped_column(String(64))
    till: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # sale, refund
    status: Mapped[str] = mapped_column(String(16), index=True)
    request: Mapped[str] = mapped_column(Text)  # the XML sent; a retry sends the same
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    refund_of: Mapped[str | None] = mapped_column(String(36))
    z_number: Mapped[int | None] = mapped_column(Integer)
    fiscal_number: Mapped[int | None] = mapped_column(Integer)
    printer_serial: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


# -- payments, cash, safe and report figures (cassa.engine.payments, .cash, .reports) --------


class PaymentRow(Base):
    """One line of a document's settlement, frozen when the payment is approved.

    `kind` is `payment` (a tender's amount; negative for a refund), `change`
    (given back, negative, in the system currency), `forfeit` (what a tender
    that gives no change paid above the total, negative) or `rounding` (the
    cash rounding), or `receipt` (an invoice of a receipt, paid by it: the receipt's number
    as reference, no money moved). The `amount_system` of a document's rows add up to its
    total.
    """

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_till_day", "till", "day_id"),
        Index("ix_payments_tender_reference", "tender", "reference"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    tender: Mapped[str] = mapped_column(String(32))
    tender_type: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)  # in `currency`
    rate: Mapped[Decimal] = mapped_column(ExactDecimal)  # system currency per unit of `currency`
    amount_system: Mapped[Decimal] = mapped_column(ExactDecimal)
    reference: Mapped[str | None] = mapped_column(String(64))  # voucher, cheque, card transaction
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    day_id: Mapped[int | None] = mapped_column(Integer)
    shift_id: Mapped[int | None] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator: Mapped[str] = mapped_column(String(64))


class ShiftRow(Base):
    """A cashier's shift: their own drawer balance, across the tills of one store."""

    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_cashier_closed_at", "cashier", "closed_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    store: Mapped[str] = mapped_column(String(32))
    cashier: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_till: Mapped[str] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_till: Mapped[str | None] = mapped_column(String(32))


class CashMovementRow(Base):
    """Money into or out of a drawer, per tender and currency.

    Every balance (a till's day, a cashier's shift) is the sum of these rows:
    a sale's payments and change, manual cash in / cash out documents, deposits
    at opening, withdrawals and differences at closing, safe transfers.
    """

    __tablename__ = "cash_movements"
    __table_args__ = (
        Index("ix_cash_movements_till_day_id", "till", "day_id"),
        Index("ix_cash_movements_shift_id", "shift_id"),
        Index("ix_cash_movements_store_business_date", "store", "business_date"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    day_id: Mapped[int | None] = mapped_column(ForeignKey("till_days.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    business_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(3))  # in, out
    reason: Mapped[str] = mapped_column(String(32))
    tender: Mapped[str] = mapped_column(String(32))
    tender_type: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)  # positive, in `currency`
    amount_system: Mapped[Decimal] = mapped_column(ExactDecimal)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    payment_id: Mapped[str | None] = mapped_column(String(36))
    reference: Mapped[str | None] = mapped_column(String(64))
    payer_kind: Mapped[str | None] = mapped_column(String(16))  # customer, employee
    payer: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")


class CashCountRow(Base):
    """What a drawer held at an opening or closing: expected, counted, by denomination."""

    __tablename__ = "cash_counts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day_id: Mapped[int | None] = mapped_column(ForeignKey("till_days.id"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))  # open, close
    tender: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    expected: Mapped[Decimal] = mapped_column(ExactDecimal)
    counted: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # None: not counted
    difference: Mapped[Decimal] = mapped_column(ExactDecimal)
    withdrawal: Mapped[Decimal] = mapped_column(ExactDecimal)
    denominations: Mapped[str] = mapped_column(Text, default="{}")  # JSON: face value -> pieces
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator: Mapped[str] = mapped_column(String(64))


class CardTransactionRow(Base):
    """A card transaction, written as `pending` before the terminal is asked anything."""

    __tablename__ = "card_transactions"
    __table_args__ = (Index("ix_card_transactions_till_state", "till", "state"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # sent to the terminal
    kind: Mapped[str] = mapped_column(String(16))  # payment, refund, void
    state: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    currency: Mapped[str] = mapped_column(String(3))
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    operator: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    original_id: Mapped[str | None] = mapped_column(String(36))  # the transaction a void cancels
    payment_id: Mapped[str | None] = mapped_column(String(36))  # set when a payment uses it
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(String(16))  # terminal, status_query, operator
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    auth_code: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(Text, default="")


class StoredValueRow(Base):
    """An own voucher or a gift card: a number with a value the store owes its holder."""

    __tablename__ = "stored_values"
    number: Mapped[str] = mapped_column(String(64), primary_key=True)
    instrument: Mapped[str] = mapped_column(String(16))  # voucher, gift_card
    kind: Mapped[str] = mapped_column(String(64))
    tender: Mapped[str] = mapped_column(String(32))
    multi_use: Mapped[bool] = mapped_column(Boolean)
    value: Mapped[Decimal] = mapped_column(ExactDecimal)  # nominal value
    balance: Mapped[Decimal] = mapped_column(ExactDecimal)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))  # generated, active, blocked, used, deactivated
    change_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_to: Mapped[date | None] = mapped_column(Date)
    store: Mapped[str | None] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(36))  # the sale that activated it
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StoredValueEventRow(Base):
    """Every change of a voucher or gift card; their amounts add up to its balance."""

    __tablename__ = "stored_value_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(ForeignKey("stored_values.number"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    event: Mapped[str] = mapped_column(String(24))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)  # signed change of the balance
    document_id: Mapped[str | None] = mapped_column(String(36))
    payment_id: Mapped[str | None] = mapped_column(String(36))
    till: Mapped[str | None] = mapped_column(String(32))
    operator: Mapped[str | None] = mapped_column(String(64))


class StoredValueSaleRow(Base):
    """A voucher sold or a gift card topped up on a document not yet paid."""

    __tablename__ = "stored_value_sales"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # sell, top_up
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)


class SafeMovementRow(Base):
    """A deposit into or a withdrawal from a store's safe."""

    __tablename__ = "safe_movements"
    __table_args__ = (Index("ix_safe_movements_store_at", "store", "at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    store: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(3))  # in, out
    source: Mapped[str] = mapped_column(String(24))  # manual, day_closing, shift_closing
    tender: Mapped[str] = mapped_column(String(32))
    tender_type: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    amount_system: Mapped[Decimal] = mapped_column(ExactDecimal)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    business_date: Mapped[date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    payer_kind: Mapped[str | None] = mapped_column(String(16))
    payer: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    till: Mapped[str | None] = mapped_column(String(32))
    cash_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))


class SaleStatsRow(Base):
    """An approved sales document's figures for the summaries, in the system currency."""

    __tablename__ = "sale_stats"
    __table_args__ = (
        Index("ix_sale_stats_store_business_date", "store", "business_date"),
        Index("ix_sale_stats_till_day_id", "till", "day_id"),
    )
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    doc_type: Mapped[str] = mapped_column(String(32))
    day_id: Mapped[int | None] = mapped_column(Integer)
    shift_id: Mapped[int | None] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(ExactDecimal)  # gross
    regular_total: Mapped[Decimal] = mapped_column(ExactDecimal)  # gross before discounts
    discount_total: Mapped[Decimal] = mapped_column(ExactDecimal)  # gross
    lines: Mapped[int] = mapped_column(Integer)  # lines sold, whatever their unit
    returned_lines: Mapped[int] = mapped_column(Integer)
    # items sold in pieces: a line's quantity in a whole unit, one for a weighed or measured
    # line; None for documents approved before it was counted (their lines stand for it)
    pieces: Mapped[int | None] = mapped_column(Integer)
    returned_pieces: Mapped[int | None] = mapped_column(Integer)
    vouchers: Mapped[int] = mapped_column(Integer)
    vouchers_value: Mapped[Decimal] = mapped_column(ExactDecimal)
    loyalty_card: Mapped[bool] = mapped_column(Boolean)
    paid: Mapped[bool] = mapped_column(Boolean)


class SaleGroupStatsRow(Base):
    """An approved sales document's gross value per item group (sales by category)."""

    __tablename__ = "sale_group_stats"
    __table_args__ = (
        Index("ix_sale_group_stats_store_business_date", "store", "business_date"),
        Index("ix_sale_group_stats_till_day_id", "till", "day_id"),
    )
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    item_group: Mapped[str] = mapped_column(String(64), primary_key=True)
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    day_id: Mapped[int | None] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Date)
    gross: Mapped[Decimal] = mapped_column(ExactDecimal)


class FiscalReportRow(Base):
    """A daily (Z) or periodic fiscal report, with the stored documents' totals beside it."""

    __tablename__ = "fiscal_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # daily, periodic
    z_number: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    date_from: Mapped[date | None] = mapped_column(Date)
    date_to: Mapped[date | None] = mapped_column(Date)
    device_totals: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    document_totals: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    agrees: Mapped[bool] = mapped_column(Boolean)
    operator: Mapped[str] = mapped_column(String(64))


# -- country packs: the fiscal hash chain and its closings (cassa.engine.integrity) --------


class FiscalChainRow(Base):
    """One link of a till's fiscal hash chain: an approved document, a duplicate, a closing,
    or the money rows a transaction wrote.

    `hash` is SHA-256 over `previous_hash` and the canonical serialization of the link
    and of what it points at (cassa.engine.integrity); `sequence` has no gaps. Rows are
    only ever added (triggers refuse UPDATE and DELETE).
    """

    __tablename__ = "fiscal_chain"
    chain: Mapped[str] = mapped_column(String(32), primary_key=True)  # the till
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # document, duplicate, closing, money
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    document_number: Mapped[str | None] = mapped_column(String(64))
    copy: Mapped[int | None] = mapped_column(Integer)  # a duplicate's print number
    duplicate_number: Mapped[int | None] = mapped_column(Integer)
    closing_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The till's Ed25519 signature of the link (closings), and the public key it checks with.
    signature: Mapped[str | None] = mapped_column(String(128))
    public_key: Mapped[str | None] = mapped_column(String(64))
    # The first link: the chained number series as they stood (JSON), so a document
    # approved before the chain began is told from one forged afterwards.
    start: Mapped[str | None] = mapped_column(Text)
    # A money link: the keys of the payments, cash, safe and voucher movements and report
    # figures its transaction wrote (JSON), table by table.
    rows: Mapped[str | None] = mapped_column(Text)


class TseTransactionRow(Base):
    """A document's TSE transaction (Germany, KassenSichV): what the security module
    answered when it signed the document; the receipt prints it and its QR code."""

    __tablename__ = "tse_transactions"
    document_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    till: Mapped[str] = mapped_column(String(32), index=True)  # the TSE's client id
    serial: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    signature_counter: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime)
    process_type: Mapped[str] = mapped_column(String(32))
    process_data: Mapped[str] = mapped_column(Text)
    algorithm: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))
    public_key: Mapped[str] = mapped_column(String(128))


class FiscalClosingRow(Base):
    """A daily, monthly or yearly closing: the period's totals and the perpetual grand total."""

    __tablename__ = "fiscal_closings"
    __table_args__ = (UniqueConstraint("till", "period", "date_from"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(8))  # day, month, year
    label: Mapped[str] = mapped_column(String(16))  # 2026-07-06, 2026-07, 2026
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    documents: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(ExactDecimal)  # gross
    net_total: Mapped[Decimal] = mapped_column(ExactDecimal)
    vat_total: Mapped[Decimal] = mapped_column(ExactDecimal)
    vat: Mapped[str] = mapped_column(Text)  # JSON: VAT code -> net, vat, gross
    grand_total: Mapped[Decimal] = mapped_column(ExactDecimal)  # perpetual, since the first sale
    # Every document of the chain so far, whatever the period: their sum, and the sum of
    # their absolute values (returns add to it rather than cancel sales out).
    perpetual_total: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    perpetual_absolute: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    first_sequence: Mapped[int | None] = mapped_column(Integer)  # chain links covered
    last_sequence: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator: Mapped[str] = mapped_column(String(64))


class WarehouseRow(Base):
    """A place a store keeps goods: the shop floor, a back room, goods in transit to it."""

    __tablename__ = "warehouses"
    store: Mapped[str] = mapped_column(ForeignKey("stores.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # floor, storage, transit
    position: Mapped[int] = mapped_column(Integer)


class StockDocumentRow(Base):
    """A warehouse document, written once and whole: goods receipt (MMI+), goods issue
    (MMI−), a transfer's dispatch and its arrival, a stock count."""

    __tablename__ = "stock_documents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # receipt, issue, dispatch, arrival, count
    number: Mapped[str] = mapped_column(String(64), unique=True)
    store: Mapped[str] = mapped_column(String(32))
    warehouse: Mapped[str] = mapped_column(String(32))
    # a dispatch: where the goods go; an arrival: the dispatch it receives
    to_store: Mapped[str | None] = mapped_column(String(32))
    to_warehouse: Mapped[str | None] = mapped_column(String(32))
    origin_id: Mapped[str | None] = mapped_column(String(36), index=True)
    till: Mapped[str] = mapped_column(String(32))
    operator: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class StockMovementRow(Base):
    """One change of stock, in the item's base unit, written in the transaction of the
    document that causes it (a sale, a return, a warehouse document)."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_sku_id", "sku", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store: Mapped[str] = mapped_column(String(32))
    warehouse: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str] = mapped_column(String(64))
    lot: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "" for none
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)  # signed, in the base unit
    cause: Mapped[str] = mapped_column(String(16))  # sale, return, receipt, issue, count …
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    line_id: Mapped[str | None] = mapped_column(String(36))
    number: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class StockLevelRow(Base):
    """The sum of an item's movements per lot and warehouse, kept in the movements'
    transaction so on-hand is read without summing them; `movements` counts them."""

    __tablename__ = "stock_levels"
    __table_args__ = (Index("ix_stock_levels_sku", "sku"),)
    store: Mapped[str] = mapped_column(String(32), primary_key=True)
    warehouse: Mapped[str] = mapped_column(String(32), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    lot: Mapped[str] = mapped_column(String(64), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    movements: Mapped[int] = mapped_column(Integer)


class TaxFreeFormRow(Base):
    """A TAX FREE form (TF) issued for an approved receipt to a traveller resident outside
    the area whose VAT it refunds (cassa.engine.taxfree); written once, never changed."""

    __tablename__ = "tax_free_forms"
    __table_args__ = (UniqueConstraint("till", "year", "sequence"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    store: Mapped[str] = mapped_column(String(32))
    till: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    receipt_id: Mapped[str] = mapped_column(String(36), unique=True)  # one form per receipt
    receipt_number: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator: Mapped[str] = mapped_column(String(64))
    traveller: Mapped[str] = mapped_column(String(200))
    travel_document: Mapped[str] = mapped_column(String(64))
    residence: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(ExactDecimal)
    vat_total: Mapped[Decimal] = mapped_column(ExactDecimal)
    vat: Mapped[str] = mapped_column(Text)  # JSON: [{rate, net, vat, gross}] of the receipt
