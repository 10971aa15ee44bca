"""Promotion rules compute their discounts as declared."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cassa.engine.money import Currency
from cassa.engine.rules.conditions import ConditionError, Op, evaluate, parse_condition
from cassa.engine.rules.promotions import Discount, parse_promotion

EUR = Currency("EUR", 2)
D = Decimal


def test_a_fixed_price_discount_takes_the_difference_per_unit() -> None:
    assert Discount(fixed_price=D("3.00")).amount_for(D("8.00"), D(2), D("16.00"), EUR) == D(
        "10.00"
    )


def test_an_amount_discount_never_exceeds_what_is_left() -> None:
    assert Discount(amount=D("5.00")).amount_for(D("4.00"), D(1), D("4.00"), EUR) == D("4.00")


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [("none", "3.33"), ("up", "3.40"), ("down", "3.30"), ("half_up", "3.30")],
)
def test_advanced_percent_rounds_by_its_method(rounding: str, expected: str) -> None:
    discount = Discount(percent=D("33.3"), rounding=rounding, rounding_step=D("0.10"))
    assert discount.amount_for(D("10.00"), D(1), D("10.00"), EUR) == D(expected)


def test_advanced_percent_multiplier_and_clamped_minimum() -> None:
    discount = Discount(percent=D(10), multiplier=D(2), min_amount=D("1.00"), below_min="clamp")
    assert discount.amount_for(D("2.00"), D(1), D("2.00"), EUR) == D("1.00")
    assert discount.amount_for(D("20.00"), D(1), D("20.00"), EUR) == D("4.00")


def test_advanced_percent_above_the_maximum_can_be_skipped() -> None:
    discount = Discount(percent=D(50), max_amount=D("5.00"), above_max="skip")
    assert discount.amount_for(D("20.00"), D(1), D("20.00"), EUR) is None


def test_a_percent_of_the_unit_price_is_rounded_per_unit() -> None:
    discount = Discount(percent=D(15), base="price")
    assert discount.amount_for(D("0.99"), D(3), D("2.97"), EUR) == D("0.45")


def test_gating_features_become_conditions_on_the_context() -> None:
    promotion = parse_promotion(
        {
            "id": "p",
            "type": "customer_discount",
            "name": "P",
            "customers": {"codes": ["C1"], "groups": ["VIP"]},
            "scope": {"groups": ["shoes"]},
            "loyalty_card": True,
            "coupon": True,
            "manual": {},
            "schedule": {"valid_from": "2026-01-01"},
            "discount": {"percent": 5},
        },
        "/rules/0",
    )
    context = {
        "customer.code": "C2",
        "customer.groups": frozenset({"VIP"}),
        "customer.has_loyalty_card": False,
        "loyalty_card.presented": True,
        "coupons": frozenset({"p"}),
        "manual": frozenset({"p"}),
        "schedules": frozenset({"p"}),
    }
    assert evaluate(promotion.when, context)
    assert not evaluate(promotion.when, {**context, "coupons": frozenset()})
    assert not evaluate(promotion.when, {**context, "customer.groups": frozenset()})


def test_vouchers_buy_back_and_undiscountable_items_are_out_of_every_scope() -> None:
    promotion = parse_promotion(
        {"id": "p", "type": "line_discount", "name": "P", "scope": {}, "discount": {"percent": 5}},
        "/rules/0",
    )
    line = {"line.discountable": True, "line.item_type": "goods"}
    assert promotion.scope is not None
    assert evaluate(promotion.scope, line)
    assert not evaluate(promotion.scope, {**line, "line.item_type": "voucher"})
    assert not evaluate(promotion.scope, {**line, "line.item_type": "buy_back"})
    assert not evaluate(promotion.scope, {**line, "line.discountable": False})


def test_a_condition_names_where_it_is_wrong() -> None:
    with pytest.raises(ConditionError) as wrong:
        parse_condition(
            {"all": [{"attr": "line.sku", "eq": "A"}, {"attr": "line.sku"}]}, "line", "/x"
        )
    assert wrong.value.at == "/x/all/1"
    with pytest.raises(ConditionError, match="unknown operator 'like'"):
        parse_condition({"attr": "line.sku", "like": "A%"}, "line")
    with pytest.raises(ConditionError, match="expected a time HH:MM"):
        parse_condition({"attr": "clock.time", "gte": "25:00"}, "context")


def test_wildcard_attributes_take_a_code() -> None:
    leaf = parse_condition({"attr": "basket.group_value.shoes", "gte": 100}, "context")
    assert leaf == parse_condition({"attr": "basket.group_value.shoes", "gte": "100"}, "context")
    assert getattr(leaf, "op", None) is Op.GTE
