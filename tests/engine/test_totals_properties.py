"""Properties of document totals and allocation that hold for every basket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cassa.engine.catalog import ItemType
from cassa.engine.documents import Adjustment, Document, DocumentType, Line, compute_totals
from cassa.engine.money import Currency, RoundingMode, RoundingPolicy, allocate
from cassa.engine.tax import PriceDirection

EUR = Currency("EUR", 2, "€")
CHF = Currency("CHF", 2, "CHF", RoundingPolicy(RoundingMode.HALF_UP, Decimal("0.05")))
RATES = [Decimal(22), Decimal(10), Decimal(5), Decimal(4), Decimal(0)]
CENT = Decimal("0.01")
CREATED = datetime(2026, 7, 5, 10, 30, tzinfo=UTC)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def has_at_most_two_decimals(amount: Decimal) -> bool:
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2


@dataclass(frozen=True)
class LineSpec:
    price: Decimal
    quantity: Decimal
    percent: Decimal
    discounts: tuple[Decimal, ...]


@st.composite
def line_specs(draw: st.DrawFn) -> LineSpec:
    price = Decimal(draw(st.integers(0, 100_000))).scaleb(-2)  # 0.00 .. 1000.00
    places = draw(st.integers(0, 3))
    quantity = Decimal(draw(st.integers(1, 50 * 10**places))).scaleb(-places)
    percent = draw(st.sampled_from(RATES))
    amount_cents = int(EUR.round(price * quantity) / CENT)
    discounts: list[Decimal] = []
    left = amount_cents
    for _ in range(draw(st.integers(0, 3))):
        if left <= 0:
            break
        cents = draw(st.integers(1, left - 1)) if left > 1 else 0
        if cents:
            discounts.append(Decimal(cents).scaleb(-2))
            left -= cents
    return LineSpec(price, quantity, percent, tuple(discounts))


def make_document(specs: list[LineSpec], direction: PriceDirection) -> Document:
    lines = [
        Line(
            id=f"l{index}",
            sku=f"SKU{index}",
            name=f"Item {index}",
            item_type=ItemType.GOODS,
            group=None,
            unit="kg",
            unit_precision=3,
            quantity=spec.quantity,
            base_quantity=spec.quantity,
            list_price=spec.price,
            vat_code=str(spec.percent),
            vat_percent=spec.percent,
            adjustments=tuple(
                Adjustment(f"rule-{n}", "promotion", amount)
                for n, amount in enumerate(spec.discounts)
            ),
        )
        for index, spec in enumerate(specs)
    ]
    return Document(
        id="doc",
        type=DocumentType.RECEIPT if direction is PriceDirection.GROSS else DocumentType.INVOICE,
        store="S1",
        till="T1",
        currency="EUR",
        direction=direction,
        created_at=CREATED,
        operator="anna",
        lines=lines,
    )


baskets = st.lists(line_specs(), min_size=0, max_size=8)
directions = st.sampled_from([PriceDirection.GROSS, PriceDirection.NET])


@PROPERTY_SETTINGS
@given(specs=baskets, direction=directions)
def test_line_values_add_up_to_the_per_rate_base_of_the_direction(
    specs: list[LineSpec], direction: PriceDirection
) -> None:
    totals = compute_totals(make_document(specs, direction), EUR)
    line_sum = sum((t.value for t in totals.lines), Decimal(0))
    if direction is PriceDirection.GROSS:
        assert line_sum == sum((s.gross for s in totals.vat), Decimal(0))
    else:
        assert line_sum == sum((s.net for s in totals.vat), Decimal(0))


@PROPERTY_SETTINGS
@given(specs=baskets, direction=directions)
def test_for_every_rate_net_plus_vat_is_gross(
    specs: list[LineSpec], direction: PriceDirection
) -> None:
    totals = compute_totals(make_document(specs, direction), EUR)
    for line in totals.vat:
        assert line.net + line.vat == line.gross
    assert len({line.rate.code for line in totals.vat}) == len(totals.vat)


@PROPERTY_SETTINGS
@given(specs=baskets, direction=directions)
def test_the_document_total_is_the_sum_of_the_per_rate_gross(
    specs: list[LineSpec], direction: PriceDirection
) -> None:
    totals = compute_totals(make_document(specs, direction), EUR)
    assert totals.total == sum((s.gross for s in totals.vat), Decimal(0))
    assert totals.net_total + totals.vat_total == totals.total
    assert totals.discount_total == sum((d for spec in specs for d in spec.discounts), Decimal(0))


@PROPERTY_SETTINGS
@given(specs=baskets, direction=directions)
def test_every_amount_has_at_most_two_decimals(
    specs: list[LineSpec], direction: PriceDirection
) -> None:
    totals = compute_totals(make_document(specs, direction), EUR)
    amounts = [totals.total, totals.net_total, totals.vat_total, totals.discount_total]
    amounts += [totals.cash_total]
    for line in totals.lines:
        amounts += [line.gross_amount, line.discount, line.value, line.price]
    for summary in totals.vat:
        amounts += [summary.net, summary.vat, summary.gross]
    for amount in amounts:
        assert has_at_most_two_decimals(amount), amount


@PROPERTY_SETTINGS
@given(specs=baskets, direction=directions)
def test_discounts_smaller_than_the_line_keep_every_line_positive_or_zero(
    specs: list[LineSpec], direction: PriceDirection
) -> None:
    totals = compute_totals(make_document(specs, direction), EUR)
    for line in totals.lines:
        assert Decimal(0) <= line.value <= line.gross_amount
    for summary in totals.vat:
        assert summary.vat >= 0
        assert summary.vat <= summary.gross


@PROPERTY_SETTINGS
@given(specs=baskets)
def test_cash_total_in_francs_is_within_half_a_coin_of_the_total(specs: list[LineSpec]) -> None:
    totals = compute_totals(make_document(specs, PriceDirection.GROSS), CHF)
    assert totals.cash_total % Decimal("0.05") == 0
    assert abs(totals.cash_total - totals.total) <= Decimal("0.025")


cents = st.integers(-1_000_000, 1_000_000).map(lambda n: Decimal(n).scaleb(-2))
weights = st.lists(
    st.integers(0, 1_000_000).map(lambda n: Decimal(n).scaleb(-2)), min_size=1, max_size=20
)


@PROPERTY_SETTINGS
@given(total=cents, weights=weights)
def test_allocated_shares_add_up_exactly_to_the_total(
    total: Decimal, weights: list[Decimal]
) -> None:
    shares = allocate(total, weights, EUR)
    assert len(shares) == len(weights)
    assert sum(shares, Decimal(0)) == total
    for share in shares:
        assert has_at_most_two_decimals(share)


@PROPERTY_SETTINGS
@given(total=cents, weights=weights)
def test_every_share_but_the_last_is_its_rounded_proportion_or_what_is_left(
    total: Decimal, weights: list[Decimal]
) -> None:
    shares = allocate(total, weights, EUR)
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        assert shares[-1] == total
        return
    left = total
    for share, weight in zip(shares[:-1], weights[:-1], strict=True):
        proportion = EUR.round(total * weight / weight_sum)
        assert share == (min(proportion, left) if total >= 0 else max(proportion, left))
        left -= share
    assert all(share * total >= 0 for share in shares)


@PROPERTY_SETTINGS
@given(specs=st.lists(line_specs(), min_size=1, max_size=8), discount_cents=st.integers(0, 10**6))
def test_a_header_discount_spread_over_the_lines_adds_up_to_the_discount(
    specs: list[LineSpec], discount_cents: int
) -> None:
    totals = compute_totals(make_document(specs, PriceDirection.GROSS), EUR)
    values = [t.value for t in totals.lines]
    discount = min(Decimal(discount_cents).scaleb(-2), sum(values, Decimal(0)))
    shares = allocate(discount, values, EUR)
    assert sum(shares, Decimal(0)) == discount
