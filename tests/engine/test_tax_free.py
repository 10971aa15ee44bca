"""TAX FREE forms on the demo store (Italian pack: receipts above 70.00 euro, travellers
resident outside the EU): the receipt's total and VAT by rate, a series of their own, one
form per receipt even with two tills at once, no money moved, nothing changed after."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from staffing import DEMO_STAFF

from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import CashMovementRow, TaxFreeFormRow
from cassa.engine.taxfree import Traveller
from cassa.engine.till import Till

D = Decimal
JOHN = Traveller("John Smith", "P1234567", "US")


def sold(till: Till, *lines: tuple[str, object]) -> str:
    """A receipt paid in cash: its number."""
    for sku, quantity in lines:
        till.scan(sku, quantity)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    number = window.approve().document.number
    assert number is not None
    return number


def test_a_form_carries_the_receipts_total_and_its_vat_by_rate(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1), ("CHOC-MILK", 10), ("STRAWBERRY", "2.5"))
    form = till.tax_free.issue(receipt, JOHN)
    assert (form.number, form.receipt_number) == ("TF/T01/2026/000001", receipt)
    assert form.total == D("89.90") + D("19.00") + D("16.25")
    by_rate = {share.rate: (share.net, share.vat, share.gross) for share in form.vat}
    assert by_rate == {
        "22": (D("73.69"), D("16.21"), D("89.90")),
        "10": (D("17.27"), D("1.73"), D("19.00")),
        "4": (D("15.62"), D("0.63"), D("16.25")),  # 0.625 of VAT: the receipt's, half up
    }
    assert form.vat_total == D("16.21") + D("1.73") + D("0.63")
    vat_on_the_receipt = till.documents.find_by_number(receipt).totals(till.currency).vat
    assert [(v.rate.code, v.vat) for v in vat_on_the_receipt] == [
        (share.rate, share.vat) for share in form.vat
    ]
    assert till.tax_free.of_receipt(receipt) == form
    assert till.tax_free.find("TF/T01/2026/000001") == form


def test_forms_are_numbered_in_their_own_series(till: Till) -> None:
    first = sold(till, ("SHOE-RUN-42", 1))
    second = sold(till, ("SHOE-RUN-42", 1))
    assert till.tax_free.issue(first, JOHN).number == "TF/T01/2026/000001"
    assert till.tax_free.issue(second, JOHN).number == "TF/T01/2026/000002"
    assert sold(till, ("BAG-TOTE", 1)) == "S/T01/2026/000003"  # receipts keep theirs


def test_the_form_moves_no_money(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))

    def movements() -> int:
        with till.database.session() as session:
            return len(session.scalars(select(CashMovementRow.id)).all())

    before = movements()
    till.tax_free.issue(receipt, JOHN)
    assert movements() == before


@pytest.mark.parametrize(
    ("traveller", "refusal"),
    [
        (Traveller("Jeanne Martin", "19AB12345", "FR"), "resident in FR gets no TAX FREE"),
        (Traveller("Mario Rossi", "YA1234567", "IT"), "resident in IT gets no TAX FREE"),
        (Traveller("John Smith", "P1234567", "XX"), "XX is not a country code"),
        (Traveller("", "P1234567", "US"), "the traveller's name"),
        (Traveller("John Smith", "P 123", "US"), "cannot contain spaces"),
        (Traveller("John\x00Smith", "P1234567", "US"), "the traveller's name"),
    ],
)
def test_a_traveller_who_cannot_have_a_form_is_refused_before_anything_is_written(
    till: Till, traveller: Traveller, refusal: str
) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    with pytest.raises(InvalidInput, match=refusal):
        till.tax_free.issue(receipt, traveller)
    assert till.tax_free.of_receipt(receipt) is None


def test_a_receipt_under_the_minimum_an_unknown_number_and_a_cash_document_are_refused(
    till: Till,
) -> None:
    small = sold(till, ("BAG-TOTE", 2))  # 49.80
    with pytest.raises(InvalidInput, match=r"at least 70\.01 EUR: .* is 49\.80"):
        till.tax_free.issue(small, JOHN)
    with pytest.raises(NotFound, match="no document numbered S/T01/2026/000099"):
        till.tax_free.issue("S/T01/2026/000099", JOHN)
    cash_in = till.cash.cash_in("200.00", description="float")
    with pytest.raises(InvalidInput, match=f"approved receipt, not for {cash_in.number}"):
        till.tax_free.issue(cash_in.number, JOHN)


def test_a_country_without_tax_free_issues_no_form(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    till.pack = replace(till.pack, tax_free=None)
    with pytest.raises(InvalidInput, match="issues no TAX FREE forms"):
        till.tax_free.issue(receipt, JOHN)


def test_a_returned_receipt_gets_no_form_and_a_receipt_with_a_form_is_not_returned(
    till: Till,
) -> None:
    returned = sold(till, ("SHOE-RUN-42", 2))
    till.log_in(DEMO_STAFF["marco"])  # a manager returns goods
    till.returns.start(returned)
    till.returns.take(1, 1)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    window.approve()
    with pytest.raises(DocumentStateError, match="returned or invoiced"):
        till.tax_free.issue(returned, JOHN)
    kept = sold(till, ("SHOE-RUN-42", 1))
    form = till.tax_free.issue(kept, JOHN)
    with pytest.raises(DocumentStateError, match=f"has the TAX FREE form {form.number}"):
        till.returns.start(kept)


def test_two_tills_issuing_a_form_for_one_receipt_at_once_write_one(
    till: Till, database: Database
) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    other = Till.open(database, till="T02", credentials=DEMO_STAFF["marco"], clock=till.now)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def issue(at: Till) -> None:
        start.wait()
        try:
            outcomes.append(at.tax_free.issue(receipt, JOHN).number)
        except DocumentStateError as refusal:
            outcomes.append(f"refused: {refusal.message}")

    threads = [threading.Thread(target=issue, args=(t,)) for t in (till, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.startswith("refused") for o in outcomes) == [False, True]
    with database.session() as session:
        assert len(session.scalars(select(TaxFreeFormRow.id)).all()) == 1


def test_a_form_once_written_is_never_changed(till: Till, owner_database: Database) -> None:
    till.tax_free.issue(sold(till, ("SHOE-RUN-42", 1)), JOHN)
    with (
        pytest.raises(DBAPIError, match="append-only"),
        owner_database.engine.begin() as connection,
    ):
        connection.execute(text("UPDATE tax_free_forms SET residence = 'IT'"))
