"""Documents: line totals, document totals, total quantity and the lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from cassa.engine.catalog import ItemType
from cassa.engine.documents import (
    Adjustment,
    Document,
    DocumentStatus,
    DocumentType,
    Line,
    compute_totals,
    line_totals,
    total_quantity,
)
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.money import Currency, RoundingMode, RoundingPolicy
from cassa.engine.tax import PriceDirection

EUR = Currency("EUR", 2, "€")
CHF = Currency("CHF", 2, "CHF", RoundingPolicy(RoundingMode.HALF_UP, Decimal("0.05")))
CREATED = datetime(2026, 7, 5, 10, 30, tzinfo=UTC)


def d(text: str) -> Decimal:
    return Decimal(text)


def make_line(
    sku: str = "X",
    *,
    price: str = "1.00",
    quantity: str = "1",
    base_quantity: str | None = None,
    unit: str = "pz",
    precision: int = 0,
    vat: str = "22",
    item_type: ItemType = ItemType.GOODS,
    **extra: Any,
) -> Line:
    return Line(
        id=f"line-{sku}",
        sku=sku,
        name=sku.title(),
        item_type=item_type,
        group=None,
        unit=unit,
        unit_precision=precision,
        quantity=d(quantity),
        base_quantity=d(base_quantity if base_quantity is not None else quantity),
        list_price=d(price),
        vat_code=vat,
        vat_percent=d(vat) if vat.isdigit() else Decimal(0),
        **extra,
    )


def make_document(
    *lines: Line,
    direction: PriceDirection = PriceDirection.GROSS,
    status: DocumentStatus = DocumentStatus.DRAFT,
    number: str | None = None,
) -> Document:
    return Document(
        id="doc-1",
        type=DocumentType.RECEIPT,
        store="MI01",
        till="T01",
        currency="EUR",
        direction=direction,
        created_at=CREATED,
        operator="anna",
        status=status,
        lines=list(lines),
        number=number,
    )


CHOCOLATE = make_line("CHOC-MILK", price="1.90", quantity="1", vat="10")
JUICE = make_line("JUICE-APPLE", price="2.20", quantity="1.5", unit="l", precision=2, vat="10")
STRAWBERRIES = make_line(
    "STRAWBERRY", price="6.50", quantity="2.2", unit="kg", precision=3, vat="4"
)


# --- total quantity (seed example) ------------------------------------------------------------


def test_total_quantity_of_the_seed_receipt_is_four_point_seven_hundred() -> None:
    total = total_quantity([CHOCOLATE, JUICE, STRAWBERRIES])
    assert total == d("4.7")
    assert str(total) == "4.700"


def test_total_quantity_is_shown_with_the_largest_precision_among_the_lines() -> None:
    assert str(total_quantity([CHOCOLATE, JUICE])) == "2.50"
    assert str(total_quantity([CHOCOLATE, CHOCOLATE])) == "2"


def test_total_quantity_leaves_out_services() -> None:
    fitting = make_line(
        "SRV-FITTING", price="35.00", quantity="2", unit="h", item_type=ItemType.SERVICE
    )
    assert str(total_quantity([CHOCOLATE, JUICE, STRAWBERRIES, fitting])) == "4.700"


def test_total_quantity_leaves_out_negative_buy_back_quantities() -> None:
    buy_back = make_line("BUYBACK-GOLD", price="30.00", quantity="-2", item_type=ItemType.BUY_BACK)
    assert str(total_quantity([CHOCOLATE, JUICE, STRAWBERRIES, buy_back])) == "4.700"


def test_total_quantity_leaves_out_returned_lines() -> None:
    returned = make_line("SHOE-RUN-42", price="89.90", quantity="1", returned=True)
    assert str(total_quantity([CHOCOLATE, JUICE, STRAWBERRIES, returned])) == "4.700"


def test_total_quantity_of_no_lines_is_zero() -> None:
    assert total_quantity([]) == 0
    assert str(total_quantity([])) == "0"


# --- line totals ------------------------------------------------------------------------------


def test_line_value_is_list_price_times_quantity_rounded_to_the_cent() -> None:
    totals = line_totals(JUICE, EUR)
    assert totals.gross_amount == d("3.30")
    assert totals.discount == 0
    assert totals.value == d("3.30")
    assert totals.price == d("2.20")


def test_line_amount_is_rounded_half_up() -> None:
    line = make_line(price="0.99", quantity="0.125", unit="kg", precision=3)
    assert line_totals(line, EUR).gross_amount == d("0.12")  # 0.12375
    line = make_line(price="6.50", quantity="0.123", unit="kg", precision=3)
    assert line_totals(line, EUR).gross_amount == d("0.80")  # 0.7995


def test_line_discounts_are_subtracted_from_the_line_amount() -> None:
    line = make_line(
        price="10.00",
        quantity="3",
        adjustments=(
            Adjustment("PROMO-1", "promotion", d("2.50"), "Summer"),
            Adjustment("operator:anna", "line_discount", d("0.50")),
        ),
    )
    totals = line_totals(line, EUR)
    assert totals.gross_amount == d("30.00")
    assert totals.discount == d("3.00")
    assert totals.value == d("27.00")
    assert totals.price == d("9.00")


def test_a_negative_adjustment_raises_the_line_value() -> None:
    line = make_line(price="10.00", adjustments=(Adjustment("R1", "surcharge", d("-1.00")),))
    assert line_totals(line, EUR).value == d("11.00")


def test_line_price_is_per_unit_the_quantity_is_shown_in() -> None:
    # 11 m² of tiles: 30 pieces at 2.40 shown as 11.1 m², so 72.00 / 11.1 = 6.486… per m².
    tiles = make_line(
        "TILE-CER-01", price="2.40", quantity="11.1", base_quantity="30", unit="mq", precision=2
    )
    totals = line_totals(tiles, EUR)
    assert totals.gross_amount == d("72.00")
    assert totals.price == d("6.49")


def test_a_line_with_zero_quantity_shows_its_list_price() -> None:
    totals = line_totals(make_line(price="3.456", quantity="0"), EUR)
    assert totals.value == d("0.00")
    assert totals.price == d("3.46")


def test_a_buy_back_line_has_a_negative_value() -> None:
    buy_back = make_line("BUYBACK-GOLD", price="30.00", quantity="-2", item_type=ItemType.BUY_BACK)
    totals = line_totals(buy_back, EUR)
    assert totals.value == d("-60.00")
    assert totals.price == d("30.00")


# --- document totals --------------------------------------------------------------------------


def test_document_totals_of_the_seed_receipt() -> None:
    document = make_document(CHOCOLATE, JUICE, STRAWBERRIES)
    totals = compute_totals(document, EUR)
    # 1.90 + 3.30 at 10 %, 14.30 at 4 %
    assert [t.value for t in totals.lines] == [d("1.90"), d("3.30"), d("14.30")]
    assert totals.total == d("19.50")
    assert [(s.rate.code, s.net, s.vat, s.gross) for s in totals.vat] == [
        ("10", d("4.73"), d("0.47"), d("5.20")),
        ("4", d("13.75"), d("0.55"), d("14.30")),
    ]
    assert totals.vat_total == d("1.02")
    assert totals.net_total == d("18.48")
    assert totals.net_total + totals.vat_total == totals.total
    assert str(totals.total_quantity) == "4.700"
    assert totals.discount_total == 0
    assert totals.cash_total == totals.total


def test_document_total_is_the_sum_of_the_line_values_in_the_gross_direction() -> None:
    lines = [
        make_line("A", price="12.90"),
        make_line("B", price="24.90", adjustments=(Adjustment("P", "promotion", d("4.90")),)),
        make_line("C", price="1.90", vat="10"),
    ]
    totals = make_document(*lines).totals(EUR)
    assert totals.total == d("34.80")
    assert totals.total == sum(t.value for t in totals.lines)
    assert totals.discount_total == d("4.90")


def test_net_invoice_total_adds_vat_per_rate_on_top_of_the_lines() -> None:
    lines = [
        make_line("A", price="100.00"),
        make_line("B", price="10.05"),
        make_line("C", price="33.33", vat="10"),
    ]
    totals = make_document(*lines, direction=PriceDirection.NET).totals(EUR)
    assert totals.net_total == d("143.38")
    assert totals.vat_total == d("27.54")  # 24.21 + 3.33
    assert totals.total == d("170.92")


def test_cash_total_is_rounded_to_the_smallest_coin_of_the_currency() -> None:
    totals = make_document(make_line(price="12.37", vat="8")).totals(CHF)
    assert totals.total == d("12.37")
    assert totals.cash_total == d("12.35")


def test_an_empty_document_totals_zero() -> None:
    totals = make_document().totals(EUR)
    assert totals.total == 0
    assert totals.vat == []
    assert totals.lines == []
    assert totals.total_quantity == 0


# --- lifecycle --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [DocumentStatus.DRAFT, DocumentStatus.PARKED])
def test_a_draft_or_parked_document_can_be_changed(status: DocumentStatus) -> None:
    document = make_document(CHOCOLATE, status=status)
    assert document.editable
    document.ensure_editable()


def test_an_approved_document_cannot_be_changed_and_names_its_number() -> None:
    document = make_document(CHOCOLATE, status=DocumentStatus.APPROVED, number="S/2026/000123")
    assert not document.editable
    with pytest.raises(DocumentStateError) as raised:
        document.ensure_editable()
    assert raised.value.message == "document S/2026/000123 is approved and cannot be changed"


def test_a_discarded_document_without_number_is_named_by_its_id() -> None:
    document = make_document(CHOCOLATE, status=DocumentStatus.DISCARDED)
    with pytest.raises(DocumentStateError, match="document doc-1 is discarded"):
        document.ensure_editable()


def test_replacing_a_line_of_an_approved_document_is_refused() -> None:
    document = make_document(CHOCOLATE, status=DocumentStatus.APPROVED)
    with pytest.raises(DocumentStateError):
        document.replace_line(1, JUICE)
    assert document.lines == [CHOCOLATE]


def test_lines_are_numbered_from_one() -> None:
    document = make_document(CHOCOLATE, JUICE)
    assert document.line_at(1) is CHOCOLATE
    assert document.line_at(2) is JUICE


@pytest.mark.parametrize("position", [0, 3, -1])
def test_a_line_position_outside_the_document_is_explained(position: int) -> None:
    document = make_document(CHOCOLATE, JUICE)
    with pytest.raises(InvalidInput, match=f"there is no line {position} .*has 2 lines"):
        document.line_at(position)


def test_replacing_a_line_keeps_the_others() -> None:
    document = make_document(CHOCOLATE, JUICE)
    changed = JUICE.with_changes(quantity=d("2"), base_quantity=d("2"))
    document.replace_line(2, changed)
    assert document.lines == [CHOCOLATE, changed]
    assert JUICE.quantity == d("1.5")


def test_replacing_a_line_that_does_not_exist_changes_nothing() -> None:
    document = make_document(CHOCOLATE)
    with pytest.raises(InvalidInput):
        document.replace_line(2, JUICE)
    assert document.lines == [CHOCOLATE]


def test_document_types_have_their_numbering_prefix() -> None:
    assert DocumentType.RECEIPT.prefix == "S"
    assert DocumentType.INVOICE.prefix == "FV"
