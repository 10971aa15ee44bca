"""The reports screen's view-model: the store summary over a period (seed: Riepilogo del
negozio, daily or periodic) and the fiscal printer's daily (Z) and periodic reports
(seed: Rapporti fiscali), shown as labelled values and printed on the receipt printer."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from cassa.devices.errors import DeviceError
from cassa.engine.errors import CassaError
from cassa.engine.reports import FiscalReport, StoreSummary
from cassa.i18n import format_date
from cassa.ui.cash import screen_rows

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["PERIODS", "ReportsModel", "day_text", "parse_day"]

PERIODS = ("today", "month", "range")

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(text: str) -> date | None:
    """A date as an operator types it: 5/7/2026, 05.07.2026 or 2026-07-05."""
    text = text.strip()
    try:
        if found := _ISO.match(text):
            year, month, day = (int(part) for part in found.groups())
            return date(year, month, day)
        if found := _DAY_FIRST.match(text):
            day, month, year = (int(part) for part in found.groups())
            return date(year, month, day)
    except ValueError:  # 31/02/2026
        return None
    return None


def day_text(day: date, locale: str) -> str:
    return format_date(day, locale)


class ReportsModel:
    """The period chosen (today, this month, or typed dates), the store summary of that
    period, and the last fiscal report asked for; the daily report is confirmed first:
    it closes the fiscal printer's day."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.period = "today"
        self.date_from = ""
        self.date_to = ""
        self.store: StoreSummary | None = None
        self.store_title = ""
        self.store_rows: list[tuple[str, str]] = []
        self.fiscal: FiscalReport | None = None
        self.fiscal_title = ""
        self._fiscal_title: Callable[[], str] = str  # the title, in the language of now
        self.fiscal_rows: list[tuple[str, str]] = []
        self.confirming = False  # the daily report waits for the operator's confirmation
        self.pending: list[str] = []  # documents the fiscal printer has not registered

    def refresh(self) -> None:
        self.period = "today"
        self.date_from = self.date_to = ""
        self.fiscal, self.fiscal_title, self.fiscal_rows = None, "", []
        self.confirming = False
        self.pending = []
        self._load_store()

    def relabel(self) -> None:
        """The language changed: the same reports, in its words."""
        self._load_store()
        if self.fiscal is not None:
            self._show_fiscal(self.fiscal, self._fiscal_title)

    @property
    def has_fiscal_printer(self) -> bool:
        devices = self.app.till.payment_devices
        return devices is not None and devices.fiscal is not None

    # -- the period --------------------------------------------------------------------
    def choose(self, period: str) -> None:
        app = self.app
        self.period = period if period in PERIODS else "today"
        if self.period == "range":
            today = app.till.now().date()
            self.date_from = self.date_from or day_text(today.replace(day=1), app.locale)
            self.date_to = self.date_to or day_text(today, app.locale)
            app.changed()
            return
        self._load_store()
        app.changed()

    def dates(self) -> tuple[date, date] | None:
        """The period's first and last day, or None with the notice saying what is wrong."""
        app = self.app
        today = app.till.now().date()
        if self.period == "today":
            return today, today
        if self.period == "month":
            return today.replace(day=1), today
        start, end = parse_day(self.date_from), parse_day(self.date_to)
        for typed, parsed in ((self.date_from, start), (self.date_to, end)):
            if parsed is None:
                app.inform(app.t("date_invalid", text=typed.strip()), "error")
                return None
        assert start is not None
        assert end is not None
        if end < start:
            app.inform(app.t("period_reversed"), "error")
            return None
        return start, end

    def period_text(self, start: date, end: date) -> str:
        locale = self.app.locale
        if start == end:
            return day_text(start, locale)
        return f"{day_text(start, locale)} – {day_text(end, locale)}"

    def show(self) -> bool:
        """The store summary of the period typed."""
        loaded = self._load_store()
        self.app.changed()
        return loaded

    def _load_store(self) -> bool:
        app = self.app
        period = self.dates()
        if period is None:
            return False
        try:
            summary = app.till.reports.store_summary(*period)
        except CassaError as error:
            self.store, self.store_rows = None, []
            app.inform(app.describe(error), "error")
            return False
        self.store = summary
        self.store_title = self.period_text(summary.date_from, summary.date_to)
        self.store_rows = screen_rows(app, summary)
        return True

    # -- fiscal reports ------------------------------------------------------------------
    def ask_daily(self) -> None:
        self.confirming = True
        self.app.changed()

    def cancel_daily(self) -> None:
        self.confirming = False
        self.pending = []
        self.app.changed()

    def fiscal_daily(self, *, force: bool = False) -> bool:
        """Close the fiscal printer's day (Z); `force` closes it although documents are
        still waiting for the printer (they stay unregistered in this Z)."""
        app = self.app
        self.confirming = False
        if not self.has_fiscal_printer:
            self.pending = []
            app.inform(app.t("no_fiscal_printer"), "error")
            return False
        try:
            report = app.till.reports.fiscal_daily(force=force)
        except DeviceError as error:
            self.pending = self._waiting()
            if self.pending:
                app.inform(app.t("fiscal_pending", documents=", ".join(self.pending)), "error")
            else:
                app.inform(app.describe(error), "error")
            return False
        except CassaError as error:
            app.inform(app.describe(error), "error")
            return False
        self.pending = []
        z_number = report.device[0].z_number
        self._show_fiscal(report, lambda: app.t("fiscal_daily_title", z=z_number))
        app.inform(app.t("fiscal_daily_done", z=z_number))
        return True

    def fiscal_periodic(self) -> bool:
        app = self.app
        period = self.dates()
        if period is None:
            return False

        def run() -> None:
            report = app.till.reports.fiscal_periodic(*period)
            self._show_fiscal(report, lambda: self.period_text(*period))

        return app.attempt(run)

    def _show_fiscal(self, report: FiscalReport, title: Callable[[], str]) -> None:
        self.fiscal = report
        self._fiscal_title = title
        self.fiscal_title = title()
        self.fiscal_rows = screen_rows(self.app, report)
        if not report.device:
            self.fiscal_rows = [(self.app.t("no_z_reports"), ""), *self.fiscal_rows]

    def _waiting(self) -> list[str]:
        from cassa.devices.fiscal.records import fiscal_pending

        till = self.app.till
        return [r.document_number for r in fiscal_pending(till.database, till.code)]

    # -- paper ---------------------------------------------------------------------------
    def print(self, which: str) -> bool:
        """Print the store summary ("store") or the fiscal report shown ("fiscal")."""
        app = self.app
        report = self.store if which == "store" else self.fiscal
        if report is None:
            app.inform(app.t("nothing_to_print"), "error")
            return False
        return app.print_report(lambda: report)
