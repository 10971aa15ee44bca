"""The root view-model of one till session, and the small screens: login, day opening,
managers' approval.

Every command goes through `TillApp.attempt`: the engine decides, the model
keeps what the screen shows. A refusal becomes the screen's notice, in the
operator's language; an action that needs a permission the operator lacks
opens the approval dialog, and the manager's credentials let the very same
action run again (`Till.authorize`, logged by the people engine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cassa.engine.cash import Count
from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.messages import Message
from cassa.engine.payments import LocalizedError, MoneySettings, WorkMode, money_settings
from cassa.engine.people import (
    ApprovalRequired,
    CardLogin,
    Employee,
    PasswordExpired,
    policy_of,
)
from cassa.engine.storage.db import Database
from cassa.engine.till import Clock, Till, system_clock
from cassa.engine.yamlsource import DataFileError
from cassa.i18n import _, language_of, locale_for
from cassa.ui import i18n
from cassa.ui.keyboard import Keyboard
from cassa.ui.keypad import parse_number, press
from cassa.ui.layout import DEFAULT_LAYOUT, ViewLayout, load_view_layout
from cassa.ui.observable import Observable

if TYPE_CHECKING:
    from cassa.ui.cards import CardsModel
    from cassa.ui.cash import CashModel, ClosingModel, SafeModel, SummaryModel
    from cassa.ui.devices import UiDevices
    from cassa.ui.invoices import InvoicesModel
    from cassa.ui.orders import OrdersModel
    from cassa.ui.payment import PaymentModel
    from cassa.ui.reports import ReportsModel
    from cassa.ui.returns import ReturnsModel
    from cassa.ui.sale import SaleModel
    from cassa.ui.shifts import ShiftsModel
    from cassa.ui.vouchers import VouchersModel

__all__ = ["ApprovalModel", "LoginModel", "Notice", "OpeningModel", "Screen", "TillApp"]


COMPACT_WIDTH = 1200  # px: the 1024x768 tills


class Screen(StrEnum):
    LOGIN = "login"
    OPENING = "opening"
    SALE = "sale"
    PAYMENT = "payment"
    CASH = "cash"
    SUMMARY = "summary"
    SAFE = "safe"
    CLOSING = "closing"
    FUNCTIONS = "functions"
    CARDS = "cards"
    VOUCHERS = "vouchers"
    REPORTS = "reports"
    SHIFTS = "shifts"
    RETURNS = "returns"
    INVOICES = "invoices"
    ORDERS = "orders"


@dataclass(frozen=True)
class Notice:
    kind: str  # error, info, warning
    text: str


class TillApp(Observable):
    """One till, worked by the operator who logged in, as the browser shows it."""

    def __init__(
        self,
        till: Till,
        *,
        devices: UiDevices | None = None,
        layout: ViewLayout | None = None,
        locale: str | None = None,
    ) -> None:
        super().__init__()
        from cassa.ui.cards import CardsModel
        from cassa.ui.cash import CashModel, ClosingModel, SafeModel, SummaryModel
        from cassa.ui.invoices import InvoicesModel
        from cassa.ui.orders import OrdersModel
        from cassa.ui.payment import PaymentModel
        from cassa.ui.reports import ReportsModel
        from cassa.ui.returns import ReturnsModel
        from cassa.ui.sale import SaleModel
        from cassa.ui.shifts import ShiftsModel
        from cassa.ui.vouchers import VouchersModel

        self.till = till
        self.devices = devices
        if devices is not None:
            till.payment_devices = devices.payment_devices()
            if devices.devices.printing is not None:
                # every copy carries the pack's mentions, signature and duplicate numbers
                till.fiscal.attach_printing(devices.devices.printing)
        self.layout = layout or DEFAULT_LAYOUT
        # the CLDR locale of the screens: the pack's unless one is given
        self.locale = locale or till.country.locale
        self.screen = Screen.LOGIN
        self.notice: Notice | None = None
        self.employee: Employee | None = None
        self.settings: MoneySettings = money_settings(till.pack, till.catalog)
        self.keyboard = Keyboard(self)
        self.alerts = 0  # each failed scan or refusal the till sounds (the view plays it)
        self.width = 1366.0  # the browser's width: below COMPACT_WIDTH the screens tighten
        self.approval = ApprovalModel(self)
        self.login = LoginModel(self)
        self.opening = OpeningModel(self)
        self.sale: SaleModel = SaleModel(self)
        self.payment: PaymentModel = PaymentModel(self)
        self.cash: CashModel = CashModel(self)
        self.summary: SummaryModel = SummaryModel(self)
        self.safe: SafeModel = SafeModel(self)
        self.closing: ClosingModel = ClosingModel(self)
        self.cards: CardsModel = CardsModel(self)
        self.vouchers: VouchersModel = VouchersModel(self)
        self.reports: ReportsModel = ReportsModel(self)
        self.shifts: ShiftsModel = ShiftsModel(self)
        self.returns: ReturnsModel = ReturnsModel(self)
        self.invoices: InvoicesModel = InvoicesModel(self)
        self.orders: OrdersModel = OrdersModel(self)
        # what a screen reloads from the engine each time it is shown
        self.refreshers: dict[Screen, Callable[[], None]] = {
            Screen.SALE: self.sale.refresh,
            Screen.CASH: self.cash.refresh,
            Screen.SUMMARY: self.summary.refresh,
            Screen.SAFE: self.safe.refresh,
            Screen.CLOSING: self.closing.refresh,
            Screen.CARDS: self.cards.refresh,
            Screen.VOUCHERS: self.vouchers.refresh,
            Screen.REPORTS: self.reports.refresh,
            Screen.SHIFTS: self.shifts.refresh,
            Screen.RETURNS: self.returns.refresh,
            Screen.INVOICES: self.invoices.refresh,
            Screen.ORDERS: self.orders.refresh,
        }
        # what shows the current screen's rows again in a new language, keeping what the
        # operator typed (the closing's and the payment's figures have no words to change)
        self.relabelers: dict[Screen, Callable[[], None]] = {
            Screen.CASH: self.cash.refresh,
            Screen.SUMMARY: self.summary.refresh,
            Screen.SAFE: self.safe.refresh,
            Screen.CARDS: self.cards.relabel,
            Screen.VOUCHERS: self.vouchers.refresh,
            Screen.REPORTS: self.reports.relabel,
            Screen.SHIFTS: self.shifts.load,
            Screen.RETURNS: self.returns.refresh,
        }

    @classmethod
    def open(
        cls,
        database: Database,
        *,
        till: str | None = None,
        store: str | None = None,
        devices: UiDevices | None = None,
        locale: str | None = None,
        clock: Clock = system_clock,
    ) -> TillApp:
        """The till of a stored store, nobody logged in yet, with the pack's view layout."""
        opened = Till.open(database, till=till, clock=clock, store=store)
        settings = money_settings(opened.pack, opened.catalog)
        layout = load_view_layout(opened.pack.path, set(settings.tenders))
        return cls(opened, devices=devices, layout=layout, locale=locale)

    # -- words ---------------------------------------------------------------------
    def t(self, key: str, **params: Any) -> str:
        return i18n.text(self.locale, key, **params)

    def money(self, amount: Decimal | None) -> str:
        return i18n.money(amount, self.locale, self.till.currency.minor_units)

    def quantity(self, amount: Decimal, places: int) -> str:
        return i18n.number(amount, self.locale, places)

    def when(self, moment: datetime) -> str:
        return i18n.moment(moment.astimezone(self.till.timezone), self.locale)

    def tender_name(self, code: str) -> str:
        tender = self.settings.tenders.get(code)
        return tender.name if tender is not None else code

    def render(self, message: Message) -> str:
        return message.render(self.locale)

    def describe(self, error: BaseException) -> str:
        """What the operator reads for a refusal, in their language where the engine has it."""
        if isinstance(error, LocalizedError):
            return error.render(self.locale)
        if isinstance(error, DataFileError):
            return "; ".join(str(p) for p in error.problems)
        if isinstance(error, ApprovalRequired):
            names = ", ".join(self.permission_name(p) for p in error.permissions)
            return self.t("approval_needed", permissions=names)
        if isinstance(error, CassaError):
            return error.render(self.locale)
        return str(error)

    def permission_name(self, permission: str) -> str:
        """What a permission lets one do, in words: a built-in one by its name in the
        language, a manual promotion's authorization by the promotion it unlocks."""
        if permission in i18n.PERMISSIONS:
            return i18n.permission(self.locale, permission)
        promotions = [
            p.name or p.id for p in self.till.pack.promotions if p.authorization == permission
        ]
        if promotions:
            return self.t("permission_promotion", promotions=", ".join(promotions))
        return permission.replace("_", " ")

    @property
    def language(self) -> str:
        """The language the operator reads (the locale's)."""
        return language_of(self.locale)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the operator may switch to: the pack's."""
        return self.till.country.languages

    @property
    def receipt_locale(self) -> str:
        printing = self.devices.devices.printing if self.devices is not None else None
        language = printing.language if printing is not None else None
        return language or self.till.country.receipt_locale

    def set_receipt_locale(self, language: str) -> None:
        """Print the next documents in `language` (with the country's formats)."""
        printing = self.devices.devices.printing if self.devices is not None else None
        if printing is not None and language in i18n.LOCALES:
            printing.language = locale_for(language, self.till.country.code)
            self.changed()

    def set_locale(self, language: str) -> None:
        """Switch the screens to `language`, written with the country's formats (CLDR's
        English of Italy: English words, 1.234,50 and 05/07/2026)."""
        if language in i18n.LOCALES:
            self.locale = locale_for(language, self.till.country.code)
            self.sale.refresh()
            relabel = self.relabelers.get(self.screen)
            if relabel is not None:
                relabel()
            self.changed()

    # -- the keyboard ---------------------------------------------------------------------
    def keypads(self) -> dict[Screen, Callable[[str], None]]:
        """The screens whose keypad the physical keyboard types on."""
        return {
            Screen.OPENING: self.opening.press,
            Screen.SALE: self.sale.type_key,
            Screen.PAYMENT: self.payment.press,
            Screen.CASH: self.cash.press,
            Screen.SAFE: self.safe.press,
            Screen.CLOSING: self.closing.press,
        }

    @property
    def dialog_open(self) -> bool:
        return self.approval.open or (self.screen is Screen.SALE and self.sale.dialog is not None)

    def escape(self) -> None:
        """Esc closes the dialog on top (the manager's approval first), else nothing."""
        if self.approval.open:
            self.approval.cancel()
        elif self.screen is Screen.SALE and self.sale.dialog is not None:
            self.sale.close_dialog()
        elif self.screen is Screen.PAYMENT and self.payment.number_for is not None:
            self.payment.cancel_number()

    def run_key_action(self, action: str) -> None:
        """A function key's action, as the layout declares it: a sale screen tile's (or
        approve) on the sale screen, approve in the payment window; nothing while a dialog
        is open or where the action does not belong."""
        if self.dialog_open:
            return
        if self.screen is Screen.SALE:
            self.sale.run_tile(action)
        elif self.screen is Screen.PAYMENT and action == "approve":
            self.payment.approve()

    @property
    def compact(self) -> bool:
        """A narrow screen (1024 px): narrower columns and keypad, so names stay whole."""
        return self.width < COMPACT_WIDTH

    def resize(self, width: float) -> None:
        was = self.compact
        self.width = width
        if self.compact != was:
            self.changed()

    def alert(self) -> None:
        """Sound the till's alert (a failed scan): the view plays it once per increment."""
        self.alerts += 1

    # -- running commands -------------------------------------------------------------
    def attempt(self, action: Callable[[], object]) -> bool:
        """Run an engine command: False with the refusal shown (or the approval asked)."""
        try:
            action()
        except ApprovalRequired as error:
            self.approval.ask(error, action)
            self.changed()
            return False
        except CassaError as error:
            self.notice = Notice("error", self.describe(error))
            self.changed()
            return False
        self.changed()
        return True

    def inform(self, text: str, kind: str = "info") -> None:
        self.notice = Notice(kind, text)
        self.changed()

    def dismiss(self) -> None:
        self.notice = None
        self.changed()

    def go(self, screen: Screen) -> None:
        self.screen = screen
        self.notice = None
        refresh = self.refreshers.get(screen)
        if refresh is not None:
            refresh()
        self.changed()

    def go_to(self, name: str) -> None:
        self.go(Screen(name))

    def print_report(self, report: Callable[[], object]) -> bool:
        """Print a report (made when printed, with the figures of now) on the receipt printer."""
        devices = self.devices
        if devices is None or devices.devices.printer is None:
            self.inform(self.t("no_printer"), "error")
            return False
        printer = devices.devices.printer

        def run() -> None:
            printer.deliver(printer.render(self.till.reports.printable(report(), self.locale)))
            self.notice = Notice("info", self.t("printed"))

        return self.attempt(run)

    # -- the functions screen: the till's back office, one tile each ------------------------------
    def functions(self) -> list[str]:
        """The functions screen's tiles, in order: the screens and commands this till has."""
        return [
            name
            for name in FUNCTIONS
            if (name != "open_drawer" or self._has_drawer())
            and (name != "shifts" or self.by_shifts)  # by till days there are no shifts
        ]

    def run_function(self, name: str) -> bool:
        target = FUNCTIONS[name]
        if target is not None:
            self.go(target)
            return True
        return self.open_drawer()

    def _has_drawer(self) -> bool:
        devices = self.till.payment_devices
        return devices is not None and devices.drawer is not None

    def open_drawer(self) -> bool:
        """Open the drawer without a sale (needs its permission: a manager approves)."""

        def run() -> None:
            opened = self.till.cash.open_drawer()
            self.notice = Notice(
                "info" if opened else "error", self.t("drawer_opened" if opened else "no_drawer")
            )

        return self.attempt(run)

    # -- the operator and the day ----------------------------------------------------------
    @property
    def operator_name(self) -> str:
        return self.employee.full_name if self.employee else self.till.operator

    @property
    def role_name(self) -> str:
        role = self.till.pricing.role
        return role.name if role is not None else ""

    @property
    def by_shifts(self) -> bool:
        return self.settings.cash.work_mode is WorkMode.SHIFTS

    def day_open(self) -> bool:
        return self.till.days.current(self.till.code) is not None

    def shift_open(self) -> bool:
        return any(s.cashier == self.till.operator for s in self.till.cash.shifts(open_only=True))

    def after_login(self, employee: Employee) -> None:
        self.employee = employee
        if not self.day_open():
            self.opening.start("day")
        elif self.by_shifts and not self.shift_open():
            self.opening.start("shift")
        else:
            self.go(Screen.SALE)
            self.cards.resolve_pending()  # card payments a crash left unknown: ask now
            return
        self.go(Screen.OPENING)
        self.cards.resolve_pending()

    def logout(self) -> None:
        if self.attempt(self.till.logout):
            self.employee = None
            self.login.reset()
            self.go(Screen.LOGIN)


# The functions screen's entries: a screen to show, or None for a command.
FUNCTIONS: dict[str, Screen | None] = {
    "till_summary": Screen.SUMMARY,
    "cash_in_out": Screen.CASH,
    "safe": Screen.SAFE,
    "card_payments": Screen.CARDS,
    "vouchers": Screen.VOUCHERS,
    "returns": Screen.RETURNS,
    "invoices": Screen.INVOICES,
    "orders": Screen.ORDERS,
    "reports": Screen.REPORTS,
    "shifts": Screen.SHIFTS,
    "open_drawer": None,
}


class ApprovalModel:
    """A manager approves, with their own username and password or card, the one action
    the operator's role does not allow (seed: autorizzazione; logged in the audit log)."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.open = False
        self.permissions: tuple[str, ...] = ()
        self.amount: Decimal | None = None
        self.username = ""
        self.password = ""
        self.card = ""
        self.pin = ""
        self.error = ""
        self._retry: Callable[[], object] | None = None

    def ask(self, error: ApprovalRequired, retry: Callable[[], object]) -> None:
        self.open = True
        self.permissions = error.permissions
        self.amount = error.amount
        self.username = self.password = self.card = self.pin = self.error = ""
        self._retry = retry

    @property
    def reason(self) -> str:
        names = ", ".join(self.app.permission_name(p) for p in self.permissions)
        text = self.app.t("approval_reason", operator=self.app.operator_name, permissions=names)
        if self.amount is not None:
            text += f" ({self.app.money(self.amount)})"
        return text

    def approve(self) -> bool:
        till = self.app.till
        try:
            if self.card.strip():
                till.authorize(
                    *self.permissions,
                    card=self.card.strip(),
                    pin=self.pin or None,
                    amount=self.amount,
                )
            else:
                till.authorize(
                    *self.permissions,
                    username=self.username.strip() or None,
                    password=self.password or None,
                    amount=self.amount,
                )
        except CassaError as error:
            self.error = self.app.describe(error)
            self.password = self.pin = ""
            self.app.changed()
            return False
        retry, self._retry = self._retry, None
        self.open = False
        self.password = self.pin = ""
        if retry is not None:
            return self.app.attempt(retry)
        self.app.changed()
        return True

    def cancel(self) -> None:
        self.open = False
        self._retry = None
        self.password = self.pin = ""
        self.app.changed()


class LoginModel:
    """Username and password, or the employee's card (seed: login dei dipendenti)."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.reset()

    @property
    def pin_needed(self) -> bool:
        """The pack asks for the PIN with the card (its default)."""
        return policy_of(self.app.till.pack).card_login is CardLogin.CARD_AND_PIN

    def reset(self) -> None:
        self.mode = "password"  # password, card
        self.username = ""
        self.password = ""
        self.card = ""
        self.pin = ""
        self.new_password = ""
        self.expired = False
        self.error = ""

    def use(self, mode: str) -> None:
        self.mode = mode if mode in ("password", "card") else "password"
        self.error = ""
        self.app.changed()

    def submit(self) -> bool:
        till = self.app.till
        try:
            if self.mode == "card":
                employee = till.login(card=self.card.strip(), pin=self.pin or None)
            else:
                employee = till.login(
                    self.username.strip(),
                    self.password,
                    new_password=self.new_password or None if self.expired else None,
                )
        except PasswordExpired:
            self.expired = True
            self.error = self.app.t("password_expired")
            self.app.changed()
            return False
        except CassaError as error:
            self.error = self.app.describe(error)
            self.pin = ""
            self.app.changed()
            return False
        self.reset()
        self.app.after_login(employee)
        return True


class OpeningModel:
    """Day opening with the float, or the opening of the operator's shift; the cash may
    be counted by banknotes and coins (mandatory when the pack says so)."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.kind = "day"  # day, shift
        self.amount = ""
        self.counting = False
        self.pieces: dict[Decimal, int] = {}

    def start(self, kind: str) -> None:
        self.kind = kind
        self.amount = ""
        self.counting = self.mandatory
        self.pieces = {}

    @property
    def mandatory(self) -> bool:
        return self.app.settings.cash.mandatory_count

    @property
    def denominations(self) -> tuple[Decimal, ...]:
        settings = self.app.settings
        return settings.denominations.get(settings.currency.code, ())

    @property
    def counted(self) -> Decimal:
        return sum((face * n for face, n in self.pieces.items()), Decimal(0))

    def press(self, key: str) -> None:
        if key == "enter":
            self.submit()
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    def count_by_pieces(self, on: bool) -> None:
        self.counting = on or self.mandatory
        self.app.changed()

    def add_piece(self, face: Decimal, delta: int = 1) -> None:
        self.pieces[face] = max(0, self.pieces.get(face, 0) + delta)
        self.app.changed()

    def _counts(self) -> list[Count]:
        if not self.counting:
            return []
        pieces = {face: n for face, n in self.pieces.items() if n}
        if not pieces:
            if self.mandatory:
                raise LocalizedError(_("Counting the cash balance is mandatory"))
            return []
        return [Count.of("cash", denominations=pieces)]

    def submit(self) -> bool:
        till = self.app.till

        def run() -> None:
            counts = self._counts()
            if self.kind == "day":
                amount = Decimal(0) if counts else parse_number(self.amount or "0", "the float")
                till.open_day(amount, counts=counts)
            else:
                till.cash.open_shift(counts=counts)

        if not self.app.attempt(run):
            return False
        if self.kind == "day" and self.app.by_shifts and not self.app.shift_open():
            self.start("shift")
            self.app.changed()
            return True
        self.app.go(Screen.SALE)
        for message in till.messages:
            self.app.inform(self.app.render(message), "warning")
        return True


def require_positive(value: Decimal, what: str) -> Decimal:
    if value <= 0:
        raise InvalidInput(_("{what} must be above zero", what=what))
    return value
