"""`Till.reports`: the reports of one till and its store, as objects, JSON or paper."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from cassa.engine.cash._safe import SafeView, safe_view
from cassa.engine.errors import DocumentStateError, NotFound
from cassa.engine.payments._settings import money_settings
from cassa.engine.reports._fiscal import FiscalReport, fiscal_daily_report, fiscal_periodic_report
from cassa.engine.reports._stats import ensure_sale_stats
from cassa.engine.reports._summaries import StoreSummary, TillSummary, store_summary, till_summary
from cassa.engine.storage.models import TillDayRow

if TYPE_CHECKING:
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
                raise NotFound(f"till {till.code} has no day{f' on {on}' if on else ''}")
        self._prepare()
        return till_summary(
            till.database,
            money_settings(till.pack, till.catalog),
            store=till.store.code,
            till=till.code,
            day_id=day_id,
            group_names={code: group.name for code, group in till.catalog.groups.items()},
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
            raise DocumentStateError(f"till {till.code} has no fiscal printer")
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

    def printable(self, report: Any, locale: str = "it") -> Any:
        """A report as the receipt printer's data (layout `report`, cassa.devices.printing)."""
        from cassa.devices.printing.data import Report, report_data
        from cassa.engine.receipt_text import ReceiptHeader

        till = self.till
        store = till.store
        title, period = _titles(report, locale)
        data = Report(
            title=title,
            number="",
            till=till.code,
            operator=till.operator,
            at=till.now(),
            rows=report_rows(report, locale),
            period=period,
            currency=till.currency.code,
        )
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        return report_data(data, header, locale)


_LABELS = {
    "it": {
        "till_summary": "RIEPILOGO DELLA POSTAZIONE",
        "store_summary": "RIEPILOGO DEL NEGOZIO",
        "safe": "CASSAFORTE",
        "fiscal_daily": "RAPPORTO GIORNALIERO",
        "fiscal_periodic": "RAPPORTO PERIODICO",
        "opening_balance": "Saldo iniziale cassa",
        "opening_difference": "Differenza all'apertura",
        "opening_deposits": "Versamento all'apertura",
        "deposits": "Versamenti",
        "withdrawals": "Prelievi",
        "balance": "Saldo",
        "total_sales": "Vendita totale",
        "regular_price_sales": "Vendita a prezzo regolare",
        "discounts": "Sconti concessi",
        "vouchers_sold_value": "Valore buoni venduti",
        "corrections_value": "Correzioni",
        "average_sale": "Valore medio di vendita",
        "average_item_value": "Valore medio articoli",
        "documents": "Documenti emessi",
        "items_sold": "Articoli venduti",
        "discount_percent": "Percentuale sconti",
        "vouchers_sold": "Buoni venduti",
        "corrections": "Correzioni emesse",
        "items_returned": "Articoli restituiti",
        "average_items_per_document": "Articoli medi per documento",
        "payments": "pagamenti",
        "z": "Z",
        "device": "stampante fiscale",
        "stored": "documenti",
        "agrees": "Concorda",
    },
    "en": {
        "till_summary": "TILL SUMMARY",
        "store_summary": "STORE SUMMARY",
        "safe": "SAFE",
        "fiscal_daily": "DAILY REPORT",
        "fiscal_periodic": "PERIODIC REPORT",
        "opening_balance": "Opening balance",
        "opening_difference": "Opening difference",
        "opening_deposits": "Deposit at opening",
        "deposits": "Deposits",
        "withdrawals": "Withdrawals",
        "balance": "Balance",
        "total_sales": "Total sales",
        "regular_price_sales": "Sales at regular price",
        "discounts": "Discounts given",
        "vouchers_sold_value": "Vouchers sold",
        "corrections_value": "Corrections",
        "average_sale": "Average sale",
        "average_item_value": "Average item value",
        "documents": "Documents issued",
        "items_sold": "Items sold",
        "discount_percent": "Discount %",
        "vouchers_sold": "Vouchers sold (count)",
        "corrections": "Corrections issued",
        "items_returned": "Items returned",
        "average_items_per_document": "Items per document",
        "payments": "payments",
        "z": "Z",
        "device": "fiscal printer",
        "stored": "documents",
        "agrees": "Agrees",
    },
}


def _titles(report: Any, locale: str) -> tuple[str, str]:
    words = _LABELS.get(locale, _LABELS["en"])
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


def report_rows(report: Any, locale: str = "it") -> list[tuple[str, str]]:
    """A report as labelled values, for the receipt printer's `report` layout."""
    words = _LABELS.get(locale, _LABELS["en"])
    rows: list[tuple[str, str]] = []
    if isinstance(report, TillSummary | StoreSummary):
        money = report.currency
        if isinstance(report, TillSummary):
            for flow in report.cash_flows:
                data = flow.as_json(money)
                rows.append(
                    (f"{words['opening_balance']} {flow.currency}", data["opening_balance"])
                )
                rows.append((words["opening_difference"], data["opening_difference"]))
                rows.append((words["opening_deposits"], data["opening_deposits"]))
                for name, value in data["deposits"].items():
                    rows.append((f"{words['deposits']}: {name}", value))
                for name, value in data["withdrawals"].items():
                    rows.append((f"{words['withdrawals']}: {name}", value))
                rows.append((words["balance"], data["balance"]))
            for line in report.tenders:
                rows.append(
                    (
                        f"{line.tender} {line.currency} ({line.payments} {words['payments']})",
                        f"{money.format(line.total)}",
                    )
                )
        sales = report.sales.as_json(money)
        for key in (
            "total_sales",
            "regular_price_sales",
            "discounts",
            "vouchers_sold_value",
            "corrections_value",
            "average_sale",
            "average_item_value",
            "documents",
            "items_sold",
            "discount_percent",
            "vouchers_sold",
            "corrections",
            "items_returned",
            "average_items_per_document",
        ):
            rows.append((words[key], str(sales[key])))
        if isinstance(report, TillSummary):
            for _, name, value in report.categories:
                rows.append((name, money.format(value)))
        return rows
    if isinstance(report, SafeView):
        for safe_line in report.lines:
            rows.append((f"{safe_line.tender} {safe_line.currency}", f"{safe_line.closing}"))
        return rows
    if isinstance(report, FiscalReport):
        for device, stored in zip(report.device, report.documents, strict=True):
            rows.append((f"{words['z']} {device.z_number} {words['device']}", str(device.amount)))
            rows.append((f"{words['z']} {stored.z_number} {words['stored']}", str(stored.amount)))
        rows.append((words["agrees"], "OK" if report.agrees else "NO"))
        return rows
    raise TypeError(f"not a report: {report!r}")
