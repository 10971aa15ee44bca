"""The payment window: tenders, currencies, change, the seed's examples and refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from cassa.devices.terminal.simulator import TerminalSimulator
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.payments import PaymentRefused
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import CashMovementRow, PaymentRow
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till

D = Decimal
ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 7, 5, 10, 30, tzinfo=UTC)


def movements(till: Till, document_id: str) -> list[tuple[str, str, str, Decimal]]:
    with till.database.session() as session:
        rows = session.scalars(
            select(CashMovementRow).where(CashMovementRow.document_id == document_id)
        ).all()
        return sorted((r.direction, r.reason, r.tender, r.amount) for r in rows)


def payments(till: Till, document_id: str) -> list[tuple[str, str, Decimal]]:
    with till.database.session() as session:
        rows = session.scalars(
            select(PaymentRow)
            .where(PaymentRow.document_id == document_id)
            .order_by(PaymentRow.position)
        ).all()
        return [(r.kind, r.tender, r.amount_system) for r in rows]


def test_the_seed_example_359_95_is_paid_309_95_by_card_and_50_in_cash(
    card_till: Till, simulator: TerminalSimulator
) -> None:
    card_till.add_non_coded("Cappotto", "359.95", "22")
    window = card_till.checkout()
    assert window.to_pay == D("359.95")
    entry = window.add("card", "309.95")
    assert entry.executed
    assert window.remaining == D("50.00")
    assert window.due("cash") == D("50.00")
    window.add("cash")
    paid = window.approve()
    assert paid.document.number == "S/T01/2026/000001"
    assert payments(card_till, paid.document.id) == [
        ("payment", "card", D("309.95")),
        ("payment", "cash", D("50.00")),
    ]
    assert movements(card_till, paid.document.id) == [
        ("in", "sale", "card", D("309.95")),
        ("in", "sale", "cash", D("50")),
    ]
    assert simulator.charged(entry.reference or "") == 1


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("it", "Impossibile salvare il pagamento. Il valore del pagamento è inferiore al valore "
         "del documento"),
        ("en", "The payment cannot be saved. The payment is lower than the document value"),
    ],
)  # fmt: skip
def test_a_payment_below_the_document_is_refused_in_the_tills_language(
    till: Till, locale: str, text: str
) -> None:
    till.scan("SHOE-RUN-42")
    window = till.checkout()
    window.add("cash", "50")
    with pytest.raises(PaymentRefused) as refused:
        window.approve()
    assert refused.value.render(locale) == text
    assert till.document().status.value == "draft"


def test_with_record_change_on_75_paid_with_100_gives_a_cash_in_of_100_and_a_cash_out_of_25(
    till: Till,
) -> None:
    till.add_non_coded("Maglione", "75.00", "22")
    window = till.checkout()
    window.add("cash", "100")
    assert window.change == D("25.00")
    paid = window.approve()
    assert movements(till, paid.document.id) == [
        ("in", "sale", "cash", D("100")),
        ("out", "change", "cash", D("25")),
    ]


def test_with_record_change_off_the_same_payment_is_one_cash_in_of_75(
    database: Database,
) -> None:
    import_store(database, load_store(ROOT / "examples" / "stores" / "no-change-record"))
    till = Till.open(database, clock=lambda: NOW)
    till.open_day("100")
    till.add_non_coded("Maglione", "75.00", "22")
    window = till.checkout()
    window.add("cash", "100")
    paid = window.approve()
    assert paid.settlement.change == D("25.00")
    assert movements(till, paid.document.id) == [("in", "sale", "cash", D("75"))]


def test_cash_is_rounded_to_five_rappen_and_other_tenders_are_not(
    database: Database, tmp_path: Path
) -> None:
    store = swiss_store(tmp_path)
    import_store(database, load_store(store))
    till = Till.open(database, clock=lambda: NOW)
    till.open_day("0")
    till.scan("CHOCO")
    window = till.checkout()
    assert window.to_pay == D("10.02")
    assert window.due("cash") == D("10.00")
    assert window.due("card") == D("10.02")
    window.add("cash", "20")
    assert window.change == D("10.00")
    paid = window.approve()
    assert (paid.settlement.change, paid.settlement.rounding) == (D("10.00"), D("0.02"))
    assert sum((a for _, _, a in payments(till, paid.document.id)), D(0)) == D("10.02")
    till.scan("CHOCO")
    exact = till.checkout()
    exact.add("cash", "10.00")
    assert exact.settled
    assert exact.approve().settlement.rounding == D("0.02")


def swiss_store(folder: Path) -> Path:
    (folder / "store.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Store\ncode: ZH01\nname: Laden\naddress: Bahnhofstrasse 1\n"
        "vat_number: CHE-123.456.788\ntimezone: Europe/Zurich\npack: ch\n"
        "tills: [{code: T01, name: Kasse 1}]\ncatalog: [catalog.yaml]\n",
        encoding="utf-8",
    )
    (folder / "catalog.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Catalog\nprice_direction: gross\n"
        "units: [{code: pz, name: Stück, precision: 0}]\n"
        "groups: [{code: food, name: Lebensmittel}]\n"
        "items: [{sku: CHOCO, name: Schokolade, group: food, vat: N, price: 10.02, unit: pz}]\n",
        encoding="utf-8",
    )
    return folder


def test_several_payments_with_one_tender_and_in_dollars_give_change_in_euros(till: Till) -> None:
    till.add_non_coded("Sciarpa", "40.00", "22")
    window = till.checkout()
    assert window.due("cash", "USD") == D("43.48")  # 40 / 0.92, rounded up to the cent
    window.add("cash", "10")
    window.add("cash", "20", currency="USD")
    window.add("cash", "20", currency="USD")
    assert window.totals_by_tender() == {("cash", "EUR"): D("10"), ("cash", "USD"): D("40")}
    assert window.paid == D("46.80")
    assert window.change == D("6.80")
    paid = window.approve()
    assert paid.settlement.change_to == "cash"
    assert ("out", "change", "cash", D("6.8")) in movements(till, paid.document.id)


def test_a_currency_without_a_declared_rate_or_not_taken_is_refused(till: Till) -> None:
    till.scan("SHOE-RUN-42")
    window = till.checkout()
    with pytest.raises(InvalidInput, match="does not take USD"):
        window.add("card", "10", currency="USD")
    with pytest.raises(Exception, match="no exchange rate for JPY"):
        window.add("cash", "10", currency="JPY")


def test_a_card_or_transfer_cannot_pay_more_than_what_is_left(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    window = till.checkout()
    with pytest.raises(InvalidInput, match="cannot pay more than what is left"):
        window.add("bank_transfer", "10")


def test_undo_takes_back_the_last_change_and_clear_takes_back_every_payment(till: Till) -> None:
    till.scan("SHOE-RUN-42")
    window = till.checkout()
    window.add("cash", "10")
    window.add("cash", "20")
    window.undo()
    assert window.paid == D("10")
    window.clear()
    assert window.entries == []
    window.undo()  # undoing the clear brings the 10 back
    assert window.paid == D("10")
    window.undo()
    assert window.entries == []
    with pytest.raises(InvalidInput, match="nothing to undo"):
        window.undo()


def test_a_document_changed_after_the_window_opened_is_not_paid(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    window = till.checkout()
    window.add("cash", "10")
    till.scan("NOTEBOOK-A5")
    with pytest.raises(DocumentStateError, match="the document changed"):
        window.approve()


def test_a_paid_document_holds_its_payments_summing_to_its_total(till: Till) -> None:
    till.scan("SHOE-RUN-42")
    till.scan("STRAWBERRY", "0.735")
    window = till.checkout()
    window.add("cash", "20", currency="USD")
    window.add("cash", "100")
    paid = window.approve()
    rows = payments(till, paid.document.id)
    assert sum((amount for _, _, amount in rows), D(0)) == paid.document.totals(till.currency).total
