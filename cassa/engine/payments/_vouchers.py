"""Selling own vouchers and topping up gift cards on a sale; balances, blocking.

A voucher is sold by scanning or typing its number on a receipt or invoice:
its kind's item becomes a line (one voucher per line), and the number is
reserved for the document. The payment's transaction activates it; a line
deleted before the payment releases it. A gift card top-up is a line too
(the amount, at the tender's `topup_vat` rate); the first top-up of a new
number creates the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cassa.engine import inputs
from cassa.engine.catalog import ItemType
from cassa.engine.documents import Line
from cassa.engine.errors import InvalidInput
from cassa.engine.payments._errors import LocalizedError
from cassa.engine.payments._format import amount_text
from cassa.engine.payments._settings import MoneySettings, TenderType, money_settings
from cassa.engine.payments._stored_values import StoredValue, StoredValues
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import DocumentRow, StoredValueRow, StoredValueSaleRow
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = ["Vouchers"]


@dataclass
class Vouchers:
    till: Till

    @property
    def settings(self) -> MoneySettings:
        return money_settings(self.till.pack, self.till.catalog)

    @property
    def store(self) -> StoredValues:
        return StoredValues(self.till.database)

    def issue(self, kind: str, numbers: list[str], *, value: object = None) -> list[StoredValue]:
        """Generate own vouchers of a kind (in the seed, the ERP does this)."""
        found = self.settings.voucher_kinds.get(kind)
        if found is None:
            known = ", ".join(self.settings.voucher_kinds) or "none"
            raise InvalidInput(
                _("no voucher kind '{kind}' (kinds: {known})", kind=kind, known=known)
            )
        return self.store.issue(
            found,
            numbers,
            currency=self.settings.currency.code,
            now=self.till.now(),
            value=inputs.amount(value, _("the value"), zero=False) if value is not None else None,
            store=self.till.store.code,
        )

    def get(self, number: str) -> StoredValue:
        found = self.store.get(inputs.code(number, _("the voucher number")))
        if found is None:
            raise LocalizedError(_("There is no voucher with this number"))
        return found

    def sell(self, number: str) -> Line:
        """Add the voucher with this number to the current document (one per line)."""
        till = self.till
        number = inputs.code(number, _("the voucher number"))
        voucher = self.store.get(number)
        if voucher is None or voucher.instrument != "voucher":
            raise LocalizedError(_("There is no voucher with this number"))
        if voucher.status != "generated" or self._reserved(number):
            raise LocalizedError(
                _("The action is not available for voucher number {number}", number=number)
            )
        kind = self.settings.voucher_kinds.get(voucher.kind)
        if kind is None or kind.item is None:
            raise InvalidInput(
                _("voucher kind {kind} names no item to sell it with", kind=voucher.kind)
            )
        item = till.catalog.find(kind.item)
        if item.type is not ItemType.VOUCHER:
            raise InvalidInput(_("item {sku} is not a voucher", sku=item.sku))
        line = till.add_item(item, 1)
        if line.list_price == 0:
            line = till.set_list_price(len(till.document().lines), voucher.value)
        self._reserve(line.id, number, "sell", voucher.value)
        return line

    def top_up(self, number: str, amount: object) -> Line:
        """Top a gift card up within the sale; a new number becomes a new card."""
        till = self.till
        gift = next(iter(self.settings.tenders_of(TenderType.GIFT_CARD)), None)
        if gift is None:
            raise InvalidInput(_("no gift card tender is declared at this till"))
        number = inputs.code(number, _("the gift card number"))
        if not gift.matches_number(number):
            raise InvalidInput(
                _("{number} is not a valid {name} number", number=number, name=gift.name)
            )
        existing = self.store.get(number)
        if existing is not None and (
            existing.instrument != "gift_card" or existing.status != "active"
        ):
            raise LocalizedError(
                _("The action is not available for voucher number {number}", number=number)
            )
        value = inputs.amount(amount, _("the top-up"), zero=False)
        vat = gift.topup_vat or next(
            (r.code for r in till.country.vat_rates.values() if r.percent == 0),
            next(iter(till.country.vat_rates)),
        )
        line = till.add_non_coded(f"{gift.name} {number}", value, vat)
        self._reserve(line.id, number, "top_up", value)
        return line

    def balance(self, number: str) -> Decimal:
        return self.get(number).balance

    def block(self, number: str) -> StoredValue:
        return self.store.set_status(
            number, "blocked", now=self.till.now(), operator=self.till.operator
        )

    def deactivate(self, number: str) -> StoredValue:
        """Deactivate a gift card (seed: disattivazione della carta)."""
        card = self.get(number)
        if card.instrument != "gift_card":
            raise InvalidInput(_("{number} is not a gift card", number=number))
        return self.store.set_status(
            number, "deactivated", now=self.till.now(), operator=self.till.operator
        )

    def _reserved(self, number: str) -> bool:
        with self.till.database.session() as session:
            found = session.execute(
                select(StoredValueSaleRow.document_id)
                .join(DocumentRow, DocumentRow.id == StoredValueSaleRow.document_id)
                .where(
                    StoredValueSaleRow.number == number,
                    DocumentRow.status.in_(["draft", "parked"]),
                )
            ).first()
        return found is not None

    def _reserve(self, line_id: str, number: str, action: str, amount: Decimal) -> None:
        document = self.till.document()
        with self.till.database.session() as session, session.begin():
            session.add(
                StoredValueSaleRow(
                    document_id=document.id,
                    line_id=line_id,
                    number=number,
                    action=action,
                    amount=amount,
                )
            )

    def history(self, number: str) -> list[dict[str, object]]:
        from cassa.engine.storage.models import StoredValueEventRow

        with self.till.database.session() as session:
            if session.get(StoredValueRow, number) is None:
                raise LocalizedError(_("There is no voucher with this number"))
            rows = session.execute(
                select(StoredValueEventRow, DocumentRow.number)
                .outerjoin(DocumentRow, DocumentRow.id == StoredValueEventRow.document_id)
                .where(StoredValueEventRow.number == number)
                .order_by(StoredValueEventRow.id)
            ).all()
            zone = self.till.timezone
            return [
                {
                    "event": row.event,
                    "amount": amount_text(row.amount),
                    "at": _in_zone(row.at, zone).isoformat(),
                    "document": document_number,  # the receipt, not an internal id
                    "document_id": row.document_id,
                }
                for row, document_number in rows
            ]


def _in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored time (UTC) in the store's time zone."""
    return (aware(moment) or moment).astimezone(zone)
