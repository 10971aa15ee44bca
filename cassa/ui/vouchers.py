"""The vouchers and gift cards screen's view-model (seed 003: Buoni acquisto; seed 002:
carte regalo): a number typed or scanned is checked (kind, status, value and balance,
validity, history), an own voucher is sold and a gift card sold or topped up as a
line of the current sale, which the sale screen then shows.

Also the demo store's own vouchers: in a real store the back office generates them
(seed: "la generazione dei buoni tipo Proprio viene eseguita nel sistema ERP"); the
demo issues a few on a fresh database so that they can be sold and checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from cassa.engine.documents import Line
from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.payments import StoredValue, Tender, TenderType
from cassa.engine.storage.db import Database
from cassa.i18n import _, format_date
from cassa.ui.app import Notice
from cassa.ui.keypad import parse_number, press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["DEMO_VOUCHERS", "VouchersModel", "issue_demo_vouchers"]

# The demo's own vouchers, by kind (examples/demo/pack/tenders.yaml): five 50 € vouchers
# to sell, two blank multi-use vouchers (loaded by change or refunds).
DEMO_VOUCHERS: dict[str, tuple[str, ...]] = {
    "GIFT50": tuple(f"V50-{n:06d}" for n in range(1, 6)),
    "CREDIT": ("VM-000001", "VM-000002"),
}


def issue_demo_vouchers(database: Database, folder: Path, *, store: str) -> list[StoredValue]:
    """Issue the demo's vouchers when `folder` is the demo store and they are not there yet."""
    from cassa.cli import demo_store_path
    from cassa.engine.payments import StoredValues
    from cassa.engine.till import Till

    if folder.resolve() != demo_store_path().resolve():
        return []
    till = Till.open(database, store=store)
    known = StoredValues(database)
    issued: list[StoredValue] = []
    for kind, numbers in DEMO_VOUCHERS.items():
        missing = [n for n in numbers if known.get(n) is None]
        if missing:
            issued.extend(till.cash.vouchers.issue(kind, missing))
    return issued


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class HistoryRow:
    cells: tuple[str, ...]  # what, when, amount, document


class VouchersModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.number = ""  # typed or scanned
        self.amount = ""  # the top-up's keypad
        self.found: StoredValue | None = None
        self.checked = ""  # the number the result is about
        self.new_gift_card = False  # an unknown number a gift card's first top-up creates
        self.facts: list[Fact] = []
        self.history: list[HistoryRow] = []
        self.verdict: Notice | None = None

    def refresh(self) -> None:
        """Shown again: the last number checked is read again (its status may have moved)."""
        if self.checked:
            self._check(self.checked)

    def clear(self) -> None:
        self.number = self.amount = self.checked = ""
        self._forget()
        self.app.changed()

    def _forget(self) -> None:
        self.found = None
        self.new_gift_card = False
        self.facts, self.history = [], []
        self.verdict = None

    # -- checking a number -------------------------------------------------------------------
    def check(self, number: str | None = None) -> bool:
        if number is not None:
            self.number = number
        text = self.number.strip()
        if not text:
            self.app.inform(self.app.t("voucher_number_needed"), "error")
            return False
        found = self._check(text)
        self.app.changed()
        return found

    def _check(self, number: str) -> bool:
        app = self.app
        vouchers = app.till.cash.vouchers
        self._forget()
        self.checked = number
        found = vouchers.store.get(number)
        if found is None:
            gift = self._gift_tender()
            if gift is not None and gift.matches_number(number):
                self.new_gift_card = True
                self.verdict = Notice("info", app.t("gift_card_new", number=number))
                return True
            self.verdict = Notice("error", app.t("voucher_unknown", number=number))
            return False
        self.found = found
        try:
            events = vouchers.history(number)
        except CassaError as error:
            app.inform(app.describe(error), "error")
            events = []
        self.facts = self._facts(found)
        self.history = [self._event(e) for e in reversed(events)]
        self.verdict = self._verdict(found)
        return True

    def _gift_tender(self) -> Tender | None:
        return next(iter(self.app.settings.tenders_of(TenderType.GIFT_CARD)), None)

    def _kind_name(self, found: StoredValue) -> str:
        if found.instrument == "gift_card":
            return self.app.tender_name(found.tender)
        kind = self.app.settings.voucher_kinds.get(found.kind)
        return kind.name if kind is not None else found.kind

    def _expired(self, found: StoredValue) -> bool:
        return found.valid_to is not None and self.app.till.now().date() > found.valid_to

    def _status(self, found: StoredValue) -> str:
        if found.status == "active" and self._expired(found):
            return self.app.t("voucher_status_expired")
        return self.app.t(f"voucher_status_{found.status}")

    def _validity(self, found: StoredValue) -> str:
        app = self.app
        if found.valid_to is not None:
            return _date(found.valid_to, app.locale)
        kind = app.settings.voucher_kinds.get(found.kind)
        if found.status == "generated" and kind is not None and kind.valid_days:
            return app.t("voucher_valid_days", days=kind.valid_days)
        return app.t("voucher_no_expiry")

    def _facts(self, found: StoredValue) -> list[Fact]:
        app = self.app
        t = app.t
        use = t("voucher_multi_use") if found.multi_use else t("voucher_single_use")
        facts = [
            Fact(t("voucher_number"), found.number),
            Fact(t("kind"), self._kind_name(found)),
            Fact(t("voucher_status"), self._status(found)),
        ]
        if found.instrument == "voucher":
            facts.append(Fact(t("voucher_use"), use))
            facts.append(
                Fact(t("voucher_face_value"), f"{app.money(found.value)} {found.currency}")
            )
        facts.append(Fact(t("balance"), f"{app.money(found.balance)} {found.currency}"))
        facts.append(Fact(t("voucher_valid_to"), self._validity(found)))
        return facts

    def _event(self, event: dict[str, object]) -> HistoryRow:
        app = self.app
        at = datetime.fromisoformat(str(event["at"]))
        amount = Decimal(str(event["amount"]))
        document = ""
        document_id = event.get("document_id")
        if isinstance(document_id, str):
            try:
                document = app.till.documents.load(document_id).number or ""
            except CassaError:
                document = ""
        name = str(event["event"])
        what = app.t(f"voucher_event_{name}")
        return HistoryRow(
            (
                what if what != f"voucher_event_{name}" else name,
                app.when(at),
                app.money(amount) if amount else "",
                document,
            )
        )

    def _verdict(self, found: StoredValue) -> Notice:
        t = self.app.t
        number = found.number
        if found.status == "generated":
            if found.instrument == "voucher" and self.can_sell:
                return Notice("info", t("voucher_can_be_sold", number=number))
            return Notice("info", t("voucher_not_sold", number=number))
        if found.status == "used":
            return Notice("error", t("voucher_used", number=number))
        if found.status in ("blocked", "deactivated"):
            return Notice("error", t(f"voucher_{found.status}", number=number))
        if self._expired(found):
            return Notice("error", t("voucher_expired", number=number))
        balance = f"{self.app.money(found.balance)} {found.currency}"
        return Notice("info", t("voucher_usable", number=number, balance=balance))

    # -- what can be done with it ---------------------------------------------------------
    @property
    def can_sell(self) -> bool:
        """An own voucher not sold yet, of a kind sold with an item."""
        found = self.found
        if found is None or found.instrument != "voucher" or found.status != "generated":
            return False
        kind = self.app.settings.voucher_kinds.get(found.kind)
        return kind is not None and kind.item is not None

    @property
    def can_top_up(self) -> bool:
        """A gift card still in use, or a new number its first top-up creates."""
        if self.new_gift_card:
            return True
        found = self.found
        return found is not None and found.instrument == "gift_card" and found.status == "active"

    def press(self, key: str) -> None:
        if key == "enter":
            self.top_up()
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    def sell(self) -> bool:
        """The voucher becomes a line of the current sale; it is active once paid."""
        app = self.app
        number = self.checked or self.number.strip()

        def run() -> None:
            line = app.till.cash.vouchers.sell(number)
            self._to_sale(line, app.t("voucher_added", number=number))

        return app.attempt(run)

    def top_up(self) -> bool:
        """The top-up (or a new gift card) becomes a line of the current sale."""
        app = self.app
        number = self.checked or self.number.strip()

        def run() -> None:
            amount = parse_number(self.amount or "0")
            if amount <= 0:
                raise InvalidInput(_("the amount must be above zero"))
            line = app.till.cash.vouchers.top_up(number, amount)
            key = "gift_card_added" if self.new_gift_card else "gift_card_topped_up"
            self._to_sale(line, app.t(key, number=number, amount=app.money(amount)))

        return app.attempt(run)

    def _to_sale(self, line: Line, done: str) -> None:
        app = self.app
        self.number = self.amount = self.checked = ""
        self._forget()
        document = app.sale.document()
        if document is not None:
            app.sale.selected = next(
                (i for i, ln in enumerate(document.lines, 1) if ln.id == line.id), None
            )
        app.go_to("sale")
        app.inform(done)


def _date(day: date, locale: str) -> str:
    return format_date(day, locale)
