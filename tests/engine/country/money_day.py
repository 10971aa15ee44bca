"""A day in which money moves every way it can, at a till that keeps a signed chain.

The demo store (vouchers, gift cards, a safe, coupons) with the French integrity
rules added: paid sales with change, a coupon, a voucher sold then spent, a gift
card topped up, cash in and out, safe deposit and withdrawal, the day closed with
its counts and signed; `anchors` are the closings exported afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from staffing import logged_in

from cassa.engine.cash import Count
from cassa.engine.fiscal import Anchor, MemorySigner
from cassa.engine.fiscal._export import export_closings, read_anchors
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

ROOT = Path(__file__).resolve().parents[3]
DEMO_STORE = ROOT / "examples" / "demo"
SIGNER = MemorySigner()
INTEGRITY = """\
apiVersion: cassa/v1
kind: FiscalRules
integrity:
  document_types: [receipt, invoice, receipt_return, invoice_return, manual_correction]
  closings: [day, month, year]
  signing: required
  signed: [closing]
"""


def money_store(folder: Path) -> Path:
    """The demo store, its pack keeping a signed chain."""
    store = folder / "money-store"
    if not store.exists():
        shutil.copytree(DEMO_STORE, store)
        (store / "pack" / "fiscal-rules.yaml").write_text(INTEGRITY)
    return store


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def open_money_till(database: Database, store: Path) -> Till:
    import_store(database, load_store(store))
    till = logged_in(
        Till.open(database, clock=Clock(datetime(2026, 7, 6, 7, 0, tzinfo=UTC))), "marco", "manager"
    )
    till.signer = SIGNER
    return till


def pay_cash(till: Till, amount: str) -> None:
    till.checkout().add("cash", amount)
    till.payment_window.approve()  # type: ignore[union-attr]


def money_day(till: Till) -> Till:
    till.open_day("100.00")
    till.scan("CHOC-MILK", 2)
    pay_cash(till, "10")  # change given
    till.scan("BAG-TOTE")
    till.enter_coupon("WELCOME-5A7Q")
    pay_cash(till, "30")
    vouchers = till.cash.vouchers
    vouchers.issue("GIFT50", ["V50-000001"])
    vouchers.sell("V50-000001")
    pay_cash(till, "50")
    till.scan("SHOE-RUN-42")
    window = till.checkout()
    window.add("voucher", number="V50-000001")
    window.add("cash", "39.90")
    window.approve()
    vouchers.top_up("GC00000005", "20.00")
    pay_cash(till, "20")
    till.cash.cash_in("15.00", description="Fondo")
    till.cash.cash_out("5.00", description="Francobolli")
    till.cash.safe_deposit("100.00")
    till.cash.safe_withdrawal("40.00", description="Banca")
    expected = till.cash.expected("cash")
    till.close_day(counts=[Count("cash", expected)])
    return till


def anchors_of(database: Database, folder: Path) -> list[Anchor]:
    """The closings exported after the day, read back as `verify --closing` reads them."""
    path = folder / f"closings-{os.getpid()}.json"
    path.write_text(json.dumps(export_closings(database, datetime.now(UTC))))
    return read_anchors(path)


OpenMoneyTill = Callable[[], Till]
