"""`Till.reports`: the reports of one till and its store, as objects, JSON or paper."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from cassa.engine.cash._safe import SafeTransaction, SafeView, safe_view
from cassa.engine.errors import DocumentStateError, NotFound
from cassa.engine.payments._settings import money_settings
from cassa.engine.reports._fiscal import FiscalReport, fiscal_daily_report, fiscal_periodic_report
from cassa.engine.reports._stats import SALES_TYPES, ensure_sale_stats
from cassa.engine.reports._summaries import StoreSummary, TillSummary, store_summary, till_summary
from cassa.engine.storage.documents import aware
from cassa.engine.storage.models import SaleStatsRow, ShiftRow, TillDayRow
from cassa.i18n import Text, _, translate

if TYPE_CHECKING:
    from cassa.engine.cash import DayClosing
    from cassa.engine.till import Till

__all__ = ["TillReports", "report_rows"]


class TillReports:
    def __init__(self, till: Till) -> None:
        self.till = till

    def _prepare(self, *, store_wide: bool = False) -> None:
        till = self.till
        ensure_sale_stats(
            till.database,
            till.currency,
            till.store.timezone,
            store=till.store.code,
            till=None if store_wide else till.code,
        )

    def sessions(self, day: date) -> list[int]:
        """The days (sessions) the till opened on a date: more than one if it was reopened."""
        with self.till.database.session() as session:
            return list(
                session.scalars(
                    select(TillDayRow.id)
                    .where(TillDayRow.till == self.till.code, TillDayRow.business_date == day)
                    .order_by(TillDayRow.id)
                )
            )

    def till_summary(self, day_id: int | None = None, *, on: date | None = None) -> TillSummary:
        """The open day's summary, or a given day's (by id, or the last session of a date)."""
        till = self.till
        if day_id is None:
            with till.database.session() as session:
                query = select(TillDayRow.id).where(TillDayRow.till == till.code)
                if on is not None:
                    query = query.where(TillDayRow.business_date == on)
                day_id = session.scalar(query.order_by(TillDayRow.id.desc()).limit(1))
            if day_id is None:
                if on is not None:
                    raise NotFound(_("till {code} has no day on {day}", code=till.code, day=on))
                raise NotFound(_("till {code} has no day", code=till.code))
        self._prepare()
        summary = till_summary(
            till.database,
            money_settings(till.pack, till.catalog),
            store=till.store.code,
            till=till.code,
            day_id=day_id,
            group_names={code: group.name for code, group in till.catalog.groups().items()},
        )
        closed = summary.closed_at
        return replace(  # the store's times, as its staff read them
            summary,
            opened_at=summary.opened_at.astimezone(till.timezone),
            closed_at=closed.astimezone(till.timezone) if closed is not None else None,
        )

    def store_summary(
        self, date_from: date | None = None, date_to: date | None = None
    ) -> StoreSummary:
        """Daily (today, or one date) or periodic (a range) summary of the store's tills."""
        till = self.till
        start = date_from or till.now().date()
        self._prepare(store_wide=True)
        return store_summary(
            till.database,
            till.currency,
            store=till.store.code,
            date_from=start,
            date_to=date_to or start,
            tills=till.store.tills,
        )

    def safe(self, day: date | None = None) -> SafeView:
        till = self.till
        return safe_view(
            till.database, till.store.code, day or till.now().date(), till.store.timezone
        )

    def fiscal_daily(self, *, force: bool = False) -> FiscalReport:
        till = self.till
        devices = till.payment_devices
        if devices is None or devices.fiscal is None:
            raise DocumentStateError(_("till {code} has no fiscal printer", code=till.code))
        return fiscal_daily_report(
            till.database,
            devices.fiscal,
            store=till.store.code,
            till=till.code,
            operator=till.operator,
            now=till.now(),
            force=force,
        )

    def fiscal_periodic(self, date_from: date, date_to: date) -> FiscalReport:
        till = self.till
        devices = till.payment_devices
        printer = getattr(devices.fiscal, "printer", None) if devices else None
        return fiscal_periodic_report(
            till.database,
            till=till.code,
            date_from=date_from,
            date_to=date_to,
            now=till.now(),
            printer=printer,
        )

    def closing_slip(self, closing: DayClosing, locale: str = "it") -> Any:
        """A day's or a shift's closing as the receipt printer prints it (layout
        `shift_closing`): opening float, documents and sales, per tender what was expected
        and counted, and the withdrawal; to be signed."""
        from cassa.devices.printing.data import ShiftClosing, TenderCount, shift_closing_data
        from cassa.engine.receipt_text import ReceiptHeader

        till = self.till
        self._prepare()
        by_shift = closing.kind == "shift"
        with till.database.session() as session:
            opened = session.scalar(
                select(ShiftRow.opened_at if by_shift else TillDayRow.opened_at).where(
                    (ShiftRow.id if by_shift else TillDayRow.id) == closing.id
                )
            )
            period = SaleStatsRow.shift_id if by_shift else SaleStatsRow.day_id
            documents, sales = session.execute(
                select(func.count(), func.coalesce(func.sum(SaleStatsRow.total), 0)).where(
                    period == closing.id, SaleStatsRow.doc_type.in_(SALES_TYPES)
                )
            ).one()
        cash = next((line for line in closing.lines if line.tender == "cash"), None)
        words = _words(locale)
        slip = ShiftClosing(
            number=closing.number or "",
            till=till.code,
            operator=till.operator,
            opened_at=aware(opened) or closing.closed_at,
            closed_at=closing.closed_at,
            currency=till.currency,
            opening_float=cash.opening if cash is not None else Decimal(0),
            documents=int(documents),
            sales_total=Decimal(sales),
            tenders=[
                TenderCount(line.tender, line.expected, line.counted) for line in closing.lines
            ],
            withdrawal=cash.withdrawal if cash is not None and cash.withdrawal else None,
            title=words["shift_closing" if by_shift else "day_closing"],
        )
        store = till.store
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        return shift_closing_data(slip, header, locale)

    def printable(self, report: Any, locale: str = "it") -> Any:
        """A report as the receipt printer's data (layout `report`, cassa.devices.printing)."""
        from cassa.devices.printing.data import Report, paper_text, report_data
        from cassa.engine.receipt_text import ReceiptHeader
        from cassa.i18n import format_decimal, locale_for

        till = self.till
        store = till.store
        title, period = _titles(report, locale)
        tenders = money_settings(till.pack, till.catalog).tenders
        words = _words(locale)
        numbers = locale_for(locale, till.country.code)  # the paper's numbers, as on receipts
        moved = till.cash.safe_transactions(day=report.day) if isinstance(report, SafeView) else []
        data = Report(
            title=title,
            number="",
            till=till.code,
            # a till's own report names the till; the store's and the safe's, the store
            scope=f"{words['till']} {till.code}"
            if isinstance(report, TillSummary)
            else f"{words['store']} {store.code}",
            operator=till.operator,
            at=till.now(),
            rows=report_rows(
                report,
                locale,
                tenders={c: t.name for c, t in tenders.items()},
                transactions=moved,
                number=lambda value, places: paper_text(format_decimal(value, numbers, places)),
            ),
            period=period,
            currency=till.currency.code,
        )
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        return report_data(data, header, locale)


_LABELS: dict[str, Text] = {
    "till_summary": _("TILL SUMMARY"),
    "store_summary": _("STORE SUMMARY"),
    "safe": _("SAFE"),
    "fiscal_daily": _("DAILY REPORT"),
    "fiscal_periodic": _("PERIODIC REPORT"),
    "opening_balance": _("Opening balance"),
    "opening_difference": _("Opening difference"),
    "opening_deposits": _("Deposit at opening"),
    "deposits": _("Deposits"),
    "withdrawals": _("Withdrawals"),
    "balance": _("Balance"),
    "total_sales": _("Total sales"),
    "regular_price_sales": _("Sales at regular price"),
    "discounts": _("Discounts given"),
    "vouchers_sold_value": _("Vouchers sold"),
    "corrections_value": _("Corrections"),
    "average_sale": _("Average sale"),
    "average_item_value": _("Average item value"),
    "documents": _("Documents issued"),
    "items_sold": _("Items sold"),
    "discount_percent": _("Discount %"),
    "vouchers_sold": _("Vouchers sold (count)"),
    "corrections": _("Corrections issued"),
    "items_returned": _("Items returned"),
    "average_items_per_document": _("Items per document"),
    "payments": _("payments"),
    "manual": _("manual"),
    "sales": _("sales"),
    "from_safe": _("from the safe"),
    "closing_difference": _("closing difference"),
    "returns": _("returns"),
    "change": _("change"),
    "to_safe": _("to the safe"),
    "closing": _("at closing"),
    "z": _("Z"),
    "device": _("fiscal printer"),
    "stored": _("documents"),
    "receipts": _("receipts"),
    "agrees": _("Agrees"),
    "yes": _("Yes"),
    "no": _("No"),
    "section_cash": _("CASH FLOWS"),
    "section_tenders": _("TENDERS"),
    "section_sales": _("SALES"),
    "section_categories": _("CATEGORIES"),
    "section_loyalty": _("LOYALTY CARDS"),
    "section_transactions": _("TRANSACTIONS"),
    "category": _("Category"),
    "with_card": _("Documents with loyalty"),
    "without_card": _("Documents without loyalty"),
    "opening": _("Initial balance"),
    "closing_balance": _("Closing balance"),
    "deposit": _("Deposit"),
    "withdrawal": _("Withdrawal"),
    "till": _("Till"),
    "store": _("Store"),
    "shift_closing": _("SHIFT CLOSING"),
    "day_closing": _("DAY CLOSING"),
}


def _words(locale: str) -> dict[str, str]:
    return {key: translate(text, locale) for key, text in _LABELS.items()}


def _titles(report: Any, locale: str) -> tuple[str, str]:
    words = _words(locale)
    if isinstance(report, TillSummary):
        return words["till_summary"], report.business_date.isoformat()
    if isinstance(report, StoreSummary):
        return words["store_summary"], f"{report.date_from} - {report.date_to}"
    if isinstance(report, SafeView):
        return words["safe"], report.day.isoformat()
    if isinstance(report, FiscalReport):
        return words[f"fiscal_{report.kind}"], (
            f"{report.date_from} - {report.date_to}" if report.date_from else ""
        )
    raise TypeError(f"not a report: {report!r}")


# The sales figures in the order they print: (field, decimal places: -1 for money in the
# report's currency, None for a count).
_SALES: tuple[tuple[str, int | None], ...] = (
    ("total_sales", -1),
    ("regular_price_sales", -1),
    ("discounts", -1),
    ("vouchers_sold_value", -1),
    ("corrections_value", -1),
    ("average_sale", -1),
    ("average_item_value", -1),
    ("documents", None),
    ("items_sold", None),
    ("discount_percent", 2),
    ("vouchers_sold", None),
    ("corrections", None),
    ("items_returned", None),
    ("average_items_per_document", 2),
)


def _plain(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


def report_rows(
    report: Any,
    locale: str = "it",
    *,
    tenders: Mapping[str, str] | None = None,
    number: Callable[[Decimal, int], str] = _plain,
    transactions: Sequence[SafeTransaction] = (),
) -> list[tuple[str, str]]:
    """A report as labelled values, for the receipt printer's `report` layout and the
    till's screens: every label a word of `locale`, tenders by their names (`tenders`:
    code -> name), numbers written by `number(value, places)` (plain "1234.50" unless
    the caller formats them for its language)."""
    words = _words(locale)
    names = tenders or {}
    rows: list[tuple[str, str]] = []
    if isinstance(report, TillSummary | StoreSummary):
        currency = report.currency

        def money(value: Decimal) -> str:
            return number(currency.round(value), currency.minor_units)

        if isinstance(report, TillSummary):
            rows.append((words["section_cash"], ""))
            for flow in report.cash_flows:
                rows.append(
                    (f"{words['opening_balance']} {flow.currency}", money(flow.opening_balance))
                )
                rows.append((words["opening_difference"], money(flow.opening_difference)))
                rows.append((words["opening_deposits"], money(flow.opening_deposits)))
                for reason, value in flow.deposits.items():
                    rows.append((f"{words['deposits']}: {words[reason]}", money(value)))
                for reason, value in flow.withdrawals.items():
                    rows.append((f"{words['withdrawals']}: {words[reason]}", money(value)))
                rows.append((words["balance"], money(flow.balance)))
            rows.append((words["section_tenders"], ""))
            for line in report.tenders:
                name = names.get(line.tender, line.tender)
                label = f"{name} {line.currency} ({words['payments']}: {line.payments})"
                rows.append((label, money(line.taken)))
        sales = report.sales
        rows.append((words["section_sales"], ""))
        for key, places in _SALES:
            value = getattr(sales, key)
            if places is None:
                rows.append((words[key], str(value)))
            else:
                rows.append((words[key], money(value) if places < 0 else number(value, places)))
        if isinstance(report, TillSummary):
            rows.append((words["section_categories"], ""))
            for _, name, value in report.categories:
                rows.append((f"{words['category']}: {name}", money(value)))
        rows.append((words["section_loyalty"], ""))
        with_card, documents = sales.documents_with_loyalty_card, sales.documents
        for key, count in (("with_card", with_card), ("without_card", documents - with_card)):
            share = Decimal(count * 100) / documents if documents else Decimal(0)
            rows.append((words[key], f"{count} ({number(share.quantize(Decimal('0.01')), 2)}%)"))
        return rows
    if isinstance(report, SafeView):
        for safe_line in report.lines:
            name = names.get(safe_line.tender, safe_line.tender)

            def amount(value: Decimal) -> str:
                return number(value, 2)

            rows.append((f"{name} {safe_line.currency}", ""))
            rows.append((words["opening"], amount(safe_line.opening)))
            rows.append((words["deposits"], amount(safe_line.deposits)))
            rows.append((words["withdrawals"], amount(safe_line.withdrawals)))
            rows.append((words["closing_balance"], amount(safe_line.closing)))
        if transactions:
            rows.append((words["section_transactions"], ""))
            for moved in transactions:
                rows.append((f"{moved.number} {words[moved.kind]}", number(moved.amount, 2)))
        return rows
    if isinstance(report, FiscalReport):
        for device, stored in zip(report.device, report.documents, strict=True):
            for source, totals in ((words["device"], device), (words["stored"], stored)):
                receipts = f"{totals.receipts} {words['receipts']}"
                label = f"{words['z']} {totals.z_number} {source} ({receipts})"
                rows.append((label, number(totals.amount, 2)))  # fiscal printers keep cents
        rows.append((words["agrees"], words["yes"] if report.agrees else words["no"]))
        return rows
    raise TypeError(f"not a report: {report!r}")
