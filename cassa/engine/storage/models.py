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
    MetaData,
    String,
    Text,
    UniqueConstraint,
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


class ItemRow(Base):
    __tablename__ = "items"
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    vat_code: Mapped[str] = mapped_column(String(16))
    list_price: Mapped[Decimal] = mapped_column(ExactDecimal)
    base_unit: Mapped[str] = mapped_column(String(16))
    base_unit_precision: Mapped[int] = mapped_column(Integer)
    discountable: Mapped[bool] = mapped_column(Boolean, default=True)
    name_editable: Mapped[bool] = mapped_column(Boolean, default=False)
    barcodes: Mapped[list[BarcodeRow]] = relationship(cascade="all, delete-orphan")
    units: Mapped[list[ItemUnitRow]] = relationship(cascade="all, delete-orphan")


class BarcodeRow(Base):
    __tablename__ = "item_barcodes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("items.sku", ondelete="CASCADE"), index=True)


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
