"""The till summary and the store summary: the seed's KPIs, per day and over a period,
by SQL sums over the figures each approved document keeps."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from staffing import DEMO_STAFF

from cassa.engine.cash import Count
from cassa.engine.errors import InvalidInput
from cassa.engine.schemas import validator_for
from cassa.engine.storage.db import Database
from cassa.engine.till import Till

D = Decimal


def pay_cash(till: Till) -> None:
    window = till.checkout()
    window.add("cash", window.due("cash"))
    window.approve()


def test_the_till_summary_gives_every_kpi_of_the_seed(till: Till) -> None:
    till.scan("CHOC-MILK", 2)  # 3.80 less 10 % with the card: 3.42
    till.present_loyalty_card("4000123400017")
    pay_cash(till)
    till.scan("SHOE-RUN-42")
    till.scan("BAG-TOTE")
    pay_cash(till)
    till.cash.cash_in("10.00")
    sales = till.reports.till_summary().as_json()["sales"]
    assert sales == {
        "total_sales": "118.22",
        "regular_price_sales": "118.60",
        "discounts": "0.38",
        "vouchers_sold_value": "0.00",
        "corrections_value": "0.00",
        "average_sale": "59.11",
        "average_item_value": "29.56",
        "documents": 2,
        "items_sold": 4,  # pieces: two chocolates on one line
        "discount_percent": "0.32",
        "vouchers_sold": 0,
        "corrections": 0,
        "items_returned": 0,
        "items_returned_percent": "0.00",
        "average_items_per_document": "2.00",
        "loyalty": {
            "documents_with_card": 1,
            "documents_with_card_percent": "50.00",
            "documents_without_card": 1,
            "documents_without_card_percent": "50.00",
        },
    }
    flows = till.reports.till_summary().as_json()["cash_flows"][0]
    assert flows["deposits"]["manual"] == "10.00"
    assert flows["deposits"]["sales"] == "118.22"
    assert flows["balance"] == "228.22"


def test_documents_approved_without_the_payment_window_are_counted_too(till: Till) -> None:
    till.scan("SHOE-RUN-42")
    till.approve()  # the plain approval: no payment recorded
    summary = till.reports.till_summary()
    assert (summary.sales.documents, summary.sales.total_sales) == (1, D("89.90"))
    assert summary.tender("cash").payments == 0


def test_an_invoice_counts_its_gross_value(till: Till) -> None:
    till.new_document("invoice")
    till.set_customer("B0001")
    till.scan("NOTEBOOK-A5", 10)
    pay_cash(till)
    summary = till.reports.till_summary()
    assert (
        summary.sales.total_sales == till.documents.list(till="T01")[0].totals(till.currency).total
    )


def test_the_store_summary_adds_the_tills_of_the_store_over_a_period(
    till: Till, database: Database
) -> None:
    other = Till.open(database, till="T02", credentials=DEMO_STAFF["lucia"], clock=till.clock)
    other.open_day("50")
    till.scan("SHOE-RUN-42")
    pay_cash(till)
    other.scan("BAG-TOTE")
    pay_cash(other)
    tomorrow = till.now() + timedelta(days=1)
    till.clock = lambda: tomorrow
    till.close_day(counts=[Count.of("cash", "189.90")])
    till.open_day("0")
    till.scan("NOTEBOOK-A5")
    pay_cash(till)
    first = date(2026, 7, 5)
    daily = till.reports.store_summary(first).sales
    assert (daily.documents, daily.total_sales) == (2, D("114.80"))
    period = till.reports.store_summary(first, first + timedelta(days=1))
    assert (period.sales.documents, period.sales.total_sales) == (3, D("118.30"))
    assert period.as_json()["period"] == "periodic"
    with pytest.raises(InvalidInput, match="ends"):
        till.reports.store_summary(first, first - timedelta(days=1))


def test_sales_by_category_list_the_groups_sold(till: Till) -> None:
    till.scan("SHOE-RUN-42")
    till.scan("STRAWBERRY", "0.5")
    pay_cash(till)
    categories = till.reports.till_summary().as_json()["categories"]
    assert categories == [
        {"group": "fruit", "name": "Frutta e verdura", "value": "3.25"},
        {"group": "shoes", "name": "Scarpe", "value": "89.90"},
    ]


def test_a_report_prints_on_the_receipt_printers_report_layout(till: Till) -> None:
    from cassa.devices.printing.decoder import decode
    from cassa.devices.printing.printer import ReceiptPrinter
    from cassa.devices.printing.simulator import SimulatedPrinter

    till.scan("SHOE-RUN-42")
    pay_cash(till)
    printer = ReceiptPrinter(SimulatedPrinter())
    text = decode(printer.render(till.reports.printable(till.reports.till_summary()))).text
    assert "RIEPILOGO DELLA POSTAZIONE" in text
    assert "Vendita totale" in text
    assert "89,90" in text  # the paper speaks Italian: amounts in its CLDR format


def cassa(*args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "cassa.cli", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def published(schema: str, data: Any) -> None:
    errors = [e.message for e in validator_for(schema).iter_errors(data)]
    assert errors == []


@pytest.mark.slow
def test_cassa_report_prints_each_report_as_json_in_its_published_schema(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    db = str(tmp_path / "day.db")
    cassa("scenario", "run", str(root / "examples" / "scenarios" / "full-day.yaml"), "--db", db)
    till = json.loads(cassa("report", "till", "--db", db))
    published("till-summary", till)
    assert till["sales"]["total_sales"] == "168.22"
    assert till["balances"][0]["tender"] == "cash"
    store = json.loads(cassa("report", "store", "--date", "2026-07-05", "--db", db))
    published("store-summary", store)
    assert store["sales"]["documents"] == 3
    safe = json.loads(cassa("report", "safe", "--date", "2026-07-05", "--transactions", "--db", db))
    published("safe-report", safe)
    assert safe["lines"][0]["closing"] == "250.00"
    assert len(safe["transactions"]) == 2
    documents = json.loads(cassa("report", "cash-documents", "--type", "cash_in", "--db", db))
    published("cash-documents", documents)
    assert [d["reason"] for d in documents] == ["opening_deposit", "manual"]
    cards = json.loads(cassa("report", "cards", "--db", db))
    assert [c["amount"] for c in cards] == ["64.80"]
    fiscal = json.loads(cassa("report", "fiscal", "--db", db))
    assert fiscal[0]["agrees"] is True
    periodic = json.loads(cassa("report", "fiscal", "--from", "2026-07-01", "--db", db))
    published("fiscal-report", periodic)
    assert periodic["fiscal_printer"] == [{"z_number": 1, "receipts": 3, "amount": "168.22"}]
    voucher = json.loads(cassa("report", "voucher", "V50-000101", "--db", db))
    assert [e["event"] for e in voucher["history"]] == ["issued", "sold", "redeemed"]
    printed = cassa("report", "till", "--print", "--db", db)
    assert "RIEPILOGO DELLA POSTAZIONE" in printed
