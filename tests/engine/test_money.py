"""Money, currencies, rounding policies and allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cassa.engine.money import (
    Currency,
    Money,
    RoundingMode,
    RoundingPolicy,
    allocate,
    quantize,
    to_decimal,
    total_of,
)

EUR = Currency("EUR", 2, "€")
PLN = Currency("PLN", 2, "zł")
JPY = Currency("JPY", 0, "¥")
CHF = Currency("CHF", 2, "CHF", RoundingPolicy(RoundingMode.HALF_UP, Decimal("0.05")))


def eur(text: str) -> Money:
    return Money(Decimal(text), EUR)


# --- to_decimal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal(12)),
        ("0.1", Decimal("0.1")),
        ("-3.50", Decimal("-3.50")),
        (Decimal("7.25"), Decimal("7.25")),
    ],
)
def test_to_decimal_reads_ints_strings_and_decimals_exactly(
    value: object, expected: Decimal
) -> None:
    result = to_decimal(value)
    assert result == expected
    assert isinstance(result, Decimal)


def test_to_decimal_keeps_the_digits_of_a_string() -> None:
    assert str(to_decimal("2.50")) == "2.50"


@pytest.mark.parametrize("value", [0.1, 1.0, float("nan")])
def test_to_decimal_refuses_floats(value: float) -> None:
    with pytest.raises(TypeError, match="never floats"):
        to_decimal(value)


@pytest.mark.parametrize("value", [True, False])
def test_to_decimal_refuses_booleans(value: bool) -> None:
    with pytest.raises(TypeError):
        to_decimal(value)


@pytest.mark.parametrize("value", ["abc", "1,50", ""])
def test_to_decimal_refuses_text_that_is_not_a_number(value: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        to_decimal(value)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf"])
def test_to_decimal_refuses_non_finite_text(value: str) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        to_decimal(value)


@pytest.mark.parametrize("value", [None, [1], object()])
def test_to_decimal_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError, match="cannot read"):
        to_decimal(value)


# --- Money ------------------------------------------------------------------------------------


def test_money_refuses_a_float_amount() -> None:
    with pytest.raises(TypeError, match="never floats"):
        Money(0.1, EUR)  # type: ignore[arg-type]


def test_money_turns_an_int_or_string_amount_into_a_decimal() -> None:
    assert Money(5, EUR).amount == Decimal(5)  # type: ignore[arg-type]
    assert isinstance(Money("1.10", EUR).amount, Decimal)  # type: ignore[arg-type]


def test_money_adds_and_subtracts_without_losing_cents() -> None:
    assert eur("0.10") + eur("0.20") == eur("0.30")
    assert eur("1.00") - eur("0.01") == eur("0.99")


def test_money_negates() -> None:
    assert -eur("2.50") == eur("-2.50")


def test_money_multiplied_by_a_quantity_keeps_full_precision() -> None:
    assert (eur("2.20") * Decimal("1.5")).amount == Decimal("3.300")
    assert (eur("0.333") * 3).amount == Decimal("0.999")


def test_money_multiplied_by_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        eur("1.00") * 1.5  # type: ignore[operator]


def test_money_in_different_currencies_cannot_be_mixed() -> None:
    with pytest.raises(ValueError, match="cannot mix EUR and PLN"):
        eur("1.00") + Money(Decimal(1), PLN)
    with pytest.raises(ValueError, match="cannot mix"):
        eur("1.00") - Money(Decimal(1), PLN)
    with pytest.raises(ValueError, match="cannot mix"):
        _ = eur("1.00") < Money(Decimal(1), PLN)


def test_money_compares_by_amount() -> None:
    assert eur("1.99") < eur("2.00")
    assert eur("2.00") <= eur("2.00")
    assert eur("2.00") > eur("1.99")
    assert not eur("2.00") < eur("2.00")


def test_money_equal_amounts_with_different_exponents_are_equal() -> None:
    assert eur("1.5") == eur("1.50")


def test_money_zero_is_zero_in_its_currency() -> None:
    zero = Money.zero(PLN)
    assert zero.amount == 0
    assert zero.currency is PLN


def test_money_rounded_uses_the_currency_minor_units() -> None:
    assert eur("2.345").rounded() == eur("2.35")
    assert Money(Decimal("149.5"), JPY).rounded().amount == Decimal(150)


def test_money_is_shown_with_thousands_separator_and_currency_code() -> None:
    assert str(eur("1234.5")) == "1,234.50 EUR"
    assert str(Money(Decimal("1234.5"), JPY)) == "1,235 JPY"
    assert str(eur("-0.005")) == "-0.01 EUR"


def test_money_is_immutable() -> None:
    money = eur("1.00")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]


# --- Currency rounding ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "amount", "expected"),
    [
        (RoundingMode.HALF_UP, "0.125", "0.13"),
        (RoundingMode.HALF_UP, "-0.125", "-0.13"),
        (RoundingMode.HALF_EVEN, "0.125", "0.12"),
        (RoundingMode.HALF_EVEN, "0.135", "0.14"),
        (RoundingMode.UP, "0.121", "0.13"),
        (RoundingMode.DOWN, "0.129", "0.12"),
    ],
)
def test_currency_rounds_with_its_declared_mode(
    mode: RoundingMode, amount: str, expected: str
) -> None:
    currency = EUR.with_rounding(RoundingPolicy(mode))
    assert currency.round(Decimal(amount)) == Decimal(expected)


def test_currency_rounding_result_has_exactly_the_minor_units() -> None:
    assert str(EUR.round(Decimal(3))) == "3.00"
    assert str(JPY.round(Decimal("3.4"))) == "3"


def test_currency_with_rounding_keeps_code_units_and_symbol() -> None:
    policy = RoundingPolicy(RoundingMode.DOWN, Decimal("0.05"))
    changed = EUR.with_rounding(policy)
    assert (changed.code, changed.minor_units, changed.symbol) == ("EUR", 2, "€")
    assert changed.rounding is policy
    assert EUR.rounding == RoundingPolicy()


def test_quantize_defaults_to_half_up() -> None:
    assert quantize(Decimal("2.5"), 0) == Decimal(3)
    assert quantize(Decimal("1.2345"), 3) == Decimal("1.235")


# --- cash rounding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "cash"),
    [
        ("12.37", "12.35"),
        ("12.38", "12.40"),
        ("12.325", "12.35"),  # rounded to the cent first, then half up to 0.05
        ("12.32", "12.30"),
        ("12.33", "12.35"),
        ("12.35", "12.35"),
        ("12.975", "13.00"),
        ("0.02", "0.00"),
        ("-12.37", "-12.35"),
    ],
)
def test_cash_amounts_in_francs_are_rounded_to_five_rappen(amount: str, cash: str) -> None:
    assert Money(Decimal(amount), CHF).for_cash().amount == Decimal(cash)


def test_cash_rounding_keeps_two_decimals() -> None:
    assert str(Money(Decimal("12.38"), CHF).for_cash().amount) == "12.40"


def test_cash_rounding_follows_the_policy_mode() -> None:
    down = RoundingPolicy(RoundingMode.DOWN, Decimal("0.05"))
    assert down.to_cash(Decimal("12.39")) == Decimal("12.35")
    up = RoundingPolicy(RoundingMode.UP, Decimal("0.05"))
    assert up.to_cash(Decimal("12.31")) == Decimal("12.35")


def test_without_a_cash_increment_cash_is_the_cent_rounded_amount() -> None:
    assert RoundingPolicy().to_cash(Decimal("12.37")) == Decimal("12.37")
    assert eur("12.374").for_cash() == eur("12.37")


def test_a_ten_cent_cash_increment_rounds_to_dimes() -> None:
    policy = RoundingPolicy(cash_increment=Decimal("0.10"))
    assert policy.to_cash(Decimal("4.45")) == Decimal("4.50")
    assert policy.to_cash(Decimal("4.44")) == Decimal("4.40")


# --- allocate ---------------------------------------------------------------------------------


def test_allocate_splits_in_proportion_to_the_weights() -> None:
    shares = allocate(Decimal("10.00"), [Decimal(1), Decimal(3)], EUR)
    assert shares == [Decimal("2.50"), Decimal("7.50")]


def test_allocate_gives_the_remainder_to_the_last_share() -> None:
    shares = allocate(Decimal("10.00"), [Decimal(1)] * 3, EUR)
    assert shares == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert sum(shares) == Decimal("10.00")


def test_allocate_of_a_discount_over_three_lines_adds_up_to_the_discount() -> None:
    weights = [Decimal("19.90"), Decimal("5.50"), Decimal("0.99")]
    shares = allocate(Decimal("5.00"), weights, EUR)
    assert shares[:2] == [Decimal("3.77"), Decimal("1.04")]
    assert shares[-1] == Decimal("0.19")
    assert sum(shares) == Decimal("5.00")


def test_allocate_rounds_each_share_but_the_last_to_minor_units() -> None:
    shares = allocate(Decimal(100), [Decimal(1)] * 3, JPY)
    assert shares == [Decimal(33), Decimal(33), Decimal(34)]


def test_allocate_over_no_weights_gives_no_shares() -> None:
    assert allocate(Decimal("5.00"), [], EUR) == []


def test_allocate_over_zero_weights_gives_everything_to_the_last_share() -> None:
    shares = allocate(Decimal("5.00"), [Decimal(0), Decimal(0)], EUR)
    assert shares == [Decimal(0), Decimal("5.00")]


def test_allocate_a_single_weight_takes_the_whole_total() -> None:
    assert allocate(Decimal("7.77"), [Decimal(3)], EUR) == [Decimal("7.77")]


def test_allocate_a_negative_total_keeps_its_sign() -> None:
    shares = allocate(Decimal("-1.00"), [Decimal(1)] * 3, EUR)
    assert shares == [Decimal("-0.33"), Decimal("-0.33"), Decimal("-0.34")]


def test_total_of_sums_decimals_starting_from_zero() -> None:
    assert total_of([]) == Decimal(0)
    assert total_of([Decimal("0.10"), Decimal("0.20")]) == Decimal("0.30")


def test_allocate_never_gives_a_share_the_opposite_sign() -> None:
    shares = allocate(Decimal("0.04"), [Decimal(1)] * 6, EUR)
    assert sum(shares) == Decimal("0.04")
    assert all(share >= 0 for share in shares)


def test_a_decimal_nan_is_not_a_number_for_money() -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        to_decimal(Decimal("NaN"))
