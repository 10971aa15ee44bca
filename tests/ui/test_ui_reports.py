"""The reports screen: the store summary of today, this month or typed dates, the fiscal
printer's daily and periodic reports (refused while a receipt waits for the printer),
each printed on the receipt printer; and the till summary in words, never codes."""

from __future__ import annotations

from datetime import timedelta

import flet as ft
import pytest
from ui_support import Clock, texts

from cassa.devices.fiscal.simulator import RtSimulator
from cassa.ui.app import Screen, TillApp
from cassa.ui.views.reports import reports_screen


def sell(app: TillApp, code: str, tender: str = "cash", number: str = "") -> None:
    assert app.sale.submit_entry(code), app.notice
    assert app.sale.approve(), app.notice
    if tender == "card":
        app.payment.begin_card()
        assert app.payment.pay_card("card"), app.notice
    else:
        assert app.payment.choose(tender), app.notice
        if number:
            app.payment.number = number
            assert app.payment.submit_number(), app.notice
    assert app.payment.approve(), app.notice
    app.payment.new_sale()


def rt(app: TillApp) -> RtSimulator:
    assert app.devices is not None
    return next(s for s in app.devices.simulators if isinstance(s, RtSimulator))


@pytest.fixture
def reports(selling: TillApp) -> TillApp:
    """A running shoe sold in cash, then the reports screen."""
    sell(selling, "SHOE-RUN-42")
    selling.go_to("functions")
    assert selling.run_function("reports")
    assert selling.screen is Screen.REPORTS
    return selling


# -- the till summary --------------------------------------------------------------------------
def test_the_till_summary_names_every_row_in_words_in_both_languages(selling: TillApp) -> None:
    vouchers = selling.till.cash.vouchers
    vouchers.issue("GIFT50", ["V50-900001"])
    vouchers.sell("V50-900001")
    sell(selling, "SHOE-RUN-42")  # the voucher sold with the shoes, in cash
    sell(selling, "SHOE-RUN-42", "card")
    sell(selling, "BAG-TOTE", "voucher", number="V50-900001")
    selling.go_to("cash")
    for key in "20":
        selling.cash.press(key)
    assert selling.cash.submit()
    selling.go_to("summary")
    rows = dict(selling.summary.rows)
    assert rows["Versamenti: manuali"] == "20,00"
    assert rows["Versamenti: vendite"] == "139,90"
    assert rows["Prelievi: resto"] == "25,10"  # the voucher gives change
    # the sales' cash less its change: the 20,00 put in by hand is no sale
    assert rows["Contanti EUR (pagamenti: 1)"] == "114,80"
    assert rows["Carta EUR (pagamenti: 1)"] == "89,90"
    assert "Buono proprio EUR (pagamenti: 1)" in rows
    assert rows["Valore buoni venduti"] == "50,00"
    assert rows["Categoria: Buoni acquisto"] == "50,00"  # the voucher's item group
    assert rows["Vendita totale"] == "254,70"

    selling.set_locale("en")
    selling.go_to("summary")
    english = dict(selling.summary.rows)
    # English words with Italian numbers: CLDR's English of Italy (en_IT)
    assert english["Deposits: manual"] == "20,00"
    assert english["Withdrawals: to the safe"] == "0,00"
    assert english["Carta EUR (payments: 1)"] == "89,90"  # the pack names its tenders
    assert english["Total sales"] == "254,70"
    tender_codes = set(selling.settings.tenders)
    for label in (*rows, *english):
        assert "_" not in label  # no reason code like from_safe
        assert not tender_codes & {word.strip("():") for word in label.split()}, label


# -- the store summary ------------------------------------------------------------------------
def test_the_store_summary_shows_today_by_default(reports: TillApp) -> None:
    store = reports.reports
    assert store.period == "today"
    assert store.store_title == "05/07/2026"
    rows = dict(store.store_rows)
    assert rows["Vendita totale"] == "89,90"
    assert rows["Documenti emessi"] == "1"


def test_the_store_summary_of_this_month_and_of_typed_dates(reports: TillApp, clock: Clock) -> None:
    store = reports.reports
    clock.now += timedelta(days=1)
    store.choose("today")
    assert dict(store.store_rows)["Documenti emessi"] == "0"
    store.choose("month")
    assert store.store_title == "01/07/2026 – 06/07/2026"
    assert dict(store.store_rows)["Vendita totale"] == "89,90"
    store.choose("range")
    assert (store.date_from, store.date_to) == ("01/07/2026", "06/07/2026")
    store.date_from, store.date_to = "1/6/2026", "2026-06-30"
    assert store.show()
    assert store.store_title == "01/06/2026 – 30/06/2026"
    assert dict(store.store_rows)["Vendita totale"] == "0,00"


def test_a_wrong_date_or_a_reversed_period_is_refused_with_a_notice(reports: TillApp) -> None:
    store = reports.reports
    store.choose("range")
    store.date_from, store.date_to = "31/02/2026", "05/07/2026"
    assert not store.show()
    assert reports.notice is not None
    assert reports.notice.text == "Data non valida: «31/02/2026» (scrivi gg/mm/aaaa)"
    store.date_from = "06/07/2026"
    assert not store.show()
    assert reports.notice.text == "Il periodo finisce prima di iniziare"


def test_the_store_summary_prints_on_the_receipt_printer(reports: TillApp) -> None:
    assert reports.devices is not None
    before = reports.devices.jobs()
    assert reports.reports.print("store")
    paper = reports.devices.paper_since(before)
    assert "RIEPILOGO DEL NEGOZIO" in paper
    assert "Vendita totale" in paper


# -- fiscal reports ------------------------------------------------------------------------------
def test_the_daily_report_is_confirmed_then_closes_the_fiscal_printers_day(
    reports: TillApp,
) -> None:
    fiscal = reports.reports
    assert fiscal.has_fiscal_printer
    fiscal.ask_daily()
    assert fiscal.confirming
    assert fiscal.fiscal_daily()
    assert not fiscal.confirming
    assert reports.notice is not None
    assert reports.notice.text == "Rapporto giornaliero eseguito: Z 1"
    assert fiscal.fiscal_title == "Rapporto giornaliero · Z 1"
    assert fiscal.fiscal_rows == [
        ("Z 1 stampante fiscale (1 scontrini)", "89,90"),
        ("Z 1 documenti (1 scontrini)", "89,90"),
        ("Concorda", "Sì"),
    ]
    assert reports.devices is not None
    before = reports.devices.jobs()
    assert fiscal.print("fiscal")
    assert "RAPPORTO GIORNALIERO" in reports.devices.paper_since(before)


def test_a_receipt_waiting_for_the_fiscal_printer_holds_the_daily_report_back(
    selling: TillApp,
) -> None:
    rt(selling).paper_out = True
    sell(selling, "SHOE-RUN-42")  # stored; the receipt waits for the fiscal printer
    selling.go(Screen.REPORTS)
    fiscal = selling.reports
    assert not fiscal.fiscal_daily()
    assert fiscal.pending == ["S/T01/2026/000001"]
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    assert selling.notice.text.startswith(
        "Documenti non ancora registrati dalla stampante fiscale: S/T01/2026/000001."
    )
    assert fiscal.fiscal_rows == []
    rt(selling).paper_out = False
    assert fiscal.fiscal_daily(force=True)  # the operator closes anyway
    assert fiscal.pending == []


def test_the_periodic_report_lists_the_daily_reports_of_the_period(reports: TillApp) -> None:
    fiscal = reports.reports
    assert fiscal.fiscal_daily()
    fiscal.choose("month")
    assert fiscal.fiscal_periodic()
    assert fiscal.fiscal_title == "01/07/2026 – 05/07/2026"
    assert ("Z 1 stampante fiscale (1 scontrini)", "89,90") in fiscal.fiscal_rows
    fiscal.choose("range")
    fiscal.date_from = fiscal.date_to = "01/06/2026"
    assert fiscal.fiscal_periodic()
    assert fiscal.fiscal_rows[0] == ("Nessun rapporto giornaliero nel periodo", "")


def test_without_a_fiscal_printer_the_daily_report_is_not_offered(reports: TillApp) -> None:
    reports.till.payment_devices = None
    assert not reports.reports.has_fiscal_printer
    assert not reports.reports.fiscal_daily()
    assert reports.notice is not None
    assert reports.notice.text == "Nessuna stampante fiscale collegata a questa cassa"


def test_the_screen_shows_both_reports_and_the_dates_to_type(reports: TillApp) -> None:
    assert reports.reports.fiscal_daily()
    shown = texts(reports_screen(reports))
    assert "Riepilogo del negozio · 05/07/2026" in shown
    assert "Vendita totale" in shown
    assert "Rapporti fiscali · Rapporto giornaliero · Z 1" in shown
    assert "Concorda" in shown
    reports.reports.choose("range")
    fields = [c for c in _controls(reports_screen(reports)) if isinstance(c, ft.TextField)]
    assert [(f.label, f.value) for f in fields] == [
        ("Data dal", "01/07/2026"),
        ("Data al", "05/07/2026"),
    ]


def _controls(control: object) -> list[object]:
    found = [control]
    for child in (getattr(control, "content", None), *getattr(control, "controls", ())):
        if isinstance(child, ft.Control):
            found += _controls(child)
    return found
