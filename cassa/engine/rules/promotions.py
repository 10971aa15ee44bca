"""Promotion rules: what a rule declares, read from schema-valid YAML.

Every promotion is a scope (which lines), a condition (when it applies) and a
reward (discount, tiers, thresholds with an optional gift, or a bundle). The
features that gate a rule — customers, loyalty card, coupon, manual pick,
schedule — become leaves of its `when` tree, so the engine matches them like
any other condition.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cassa.engine.money import Currency
from cassa.engine.rules.conditions import TRUE, All, Any_, Condition, Leaf, Op, parse_condition
from cassa.engine.rules.schedule import Schedule, parse_schedule

if TYPE_CHECKING:
    from cassa.engine.rules.compiler import RuleConditions

__all__ = [
    "COMBINABLE_KINDS",
    "DISCOUNTABLE",
    "HEADER_KIND",
    "OPERATOR_LINE_KIND",
    "Bundle",
    "BundleComponent",
    "Discount",
    "Gift",
    "Promotion",
    "PromotionType",
    "Stacking",
    "Stage",
    "Threshold",
    "Tier",
    "parse_promotion",
]

HUNDRED = Decimal(100)


class PromotionType(StrEnum):
    LINE_DISCOUNT = "line_discount"
    CUSTOMER_DISCOUNT = "customer_discount"
    QUANTITY_TIER = "quantity_tier"
    BASKET_THRESHOLD = "basket_threshold"
    BUNDLE = "bundle"


class Stacking(StrEnum):
    ADD = "add"  # a percent of the list value, added to earlier discounts
    MULTIPLY = "multiply"  # a percent of what is left after earlier discounts
    EXCLUSIVE = "exclusive"  # only on lines without other discounts; then no others


class Stage(IntEnum):
    """The fixed order in which kinds of discount are worked out (docs/combining-rules.md)."""

    BUNDLE = 1
    LINE = 2
    OPERATOR_LINE = 3
    THRESHOLD = 4
    OPERATOR_HEADER = 5


# What an exclusive rule may name in `combines_with`: every kind of discount a line can get.
COMBINABLE_KINDS = (
    "line_discount",
    "customer_discount",
    "quantity_tier",
    "basket_threshold",
    "gift",
    "bundle",
    "operator_line_discount",
    "header_discount",
)
OPERATOR_LINE_KIND = "operator_line_discount"
HEADER_KIND = "header_discount"


_ROUNDING = {
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "half_up": decimal.ROUND_HALF_UP,
}


@dataclass(frozen=True)
class Discount:
    """How much a rule takes off one line.

    percent / amount (per base unit) / fixed_price (per base unit). The
    advanced percent options follow the seed: the discount is percent x
    multiplier of the base (the unit price, or the line value), rounded
    by the declared method to `rounding_step`, then held within min/max,
    where a discount out of bounds is either skipped or clamped.
    """

    percent: Decimal | None = None
    amount: Decimal | None = None
    fixed_price: Decimal | None = None
    multiplier: Decimal = Decimal(1)
    rounding: str = "none"
    rounding_step: Decimal | None = None
    base: str = "value"
    min_amount: Decimal | None = None
    below_min: str = "skip"
    max_amount: Decimal | None = None
    above_max: str = "clamp"

    def describe(self) -> str:
        if self.percent is not None:
            return f"{self.percent.normalize():f} %"
        if self.amount is not None:
            return f"{self.amount} off"
        return f"price {self.fixed_price}"

    def amount_for(
        self, list_price: Decimal, quantity: Decimal, remaining: Decimal, currency: Currency
    ) -> Decimal | None:
        """The discount for a line of `quantity` base units at `list_price`.

        `remaining` is the line value left after earlier discounts (the base
        of a multiplied percent). None means the rule does not apply here
        (an advanced percent below its minimum with "skip").
        """
        value = list_price * quantity
        if self.fixed_price is not None:
            wanted = (list_price - self.fixed_price) * quantity
            return currency.round(max(wanted, Decimal(0)))
        if self.amount is not None:
            return currency.round(min(self.amount * quantity, remaining))
        assert self.percent is not None
        if self.base == "price":
            per_unit = self._rounded(
                list_price * self.percent * self.multiplier / HUNDRED, currency
            )
            raw = per_unit * quantity
        else:
            raw = self._rounded(value * self.percent * self.multiplier / HUNDRED, currency)
        if self.min_amount is not None and raw < self.min_amount:
            if self.below_min == "skip":
                return None
            raw = self.min_amount
        if self.max_amount is not None and raw > self.max_amount:
            if self.above_max == "skip":
                return None
            raw = self.max_amount
        return currency.round(raw)

    def _rounded(self, value: Decimal, currency: Currency) -> Decimal:
        if self.rounding == "none":
            return currency.round(value)
        step = self.rounding_step or Decimal(1).scaleb(-currency.minor_units)
        return (value / step).quantize(Decimal(1), rounding=_ROUNDING[self.rounding]) * step


@dataclass(frozen=True)
class Tier:
    min_quantity: Decimal
    discount: Discount


@dataclass(frozen=True)
class Threshold:
    min_value: Decimal
    discount: Discount | None


@dataclass(frozen=True)
class Gift:
    item: str  # a SKU, "cheapest" or "most_expensive"
    fixed_price: Decimal
    group: str | None = None
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True)
class BundleComponent:
    items: tuple[str, ...]
    groups: tuple[str, ...]
    quantity: Decimal
    role: str = "base"

    def scope(self) -> Condition:
        return _scope_tree(self.items, self.groups, (), ())


@dataclass(frozen=True)
class Bundle:
    kind: str  # fixed: every component in its quantity; flexible: any mix up to a threshold
    components: tuple[BundleComponent, ...]
    min_quantity: Decimal | None = None
    min_value: Decimal | None = None
    price: Decimal | None = None  # a fixed price for the whole set
    discount: Discount | None = None
    target: str = "all"
    split: str = "proportional"
    include_header_discounts: bool = False
    # How units are grouped into sets: "scan_order" (stable: a unit that cannot
    # complete a set moves nothing), "most_expensive_first" or "cheapest_overall".
    grouping: str = "scan_order"


@dataclass(frozen=True)
class Promotion:
    id: str
    name: str
    type: PromotionType
    scope: Condition | None
    when: Condition
    priority: int = 0
    stacking: Stacking | None = None
    combines_with: frozenset[str] = frozenset()  # kinds an exclusive rule lets through
    discount_group: str = ""
    customer_codes: tuple[str, ...] = ()
    customer_groups: tuple[str, ...] = ()
    loyalty_card: bool = False
    coupon: bool = False
    manual: bool = False
    authorization: str | None = None
    manual_group: str | None = None  # manual promotions grouped as values of one (seed)
    schedule: Schedule | None = None
    applies_if: tuple[str, str, Decimal] | None = None  # (op, "percent"|"amount", value)
    discount: Discount | None = None
    tiers: tuple[Tier, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    gift: Gift | None = None
    bundle: Bundle | None = None
    references: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # What the scope names: the SKUs and groups a line must be among (both empty:
    # any line its other conditions let in). The conflict check indexes rules by them.
    reach_items: frozenset[str] = frozenset()
    reach_groups: frozenset[str] = frozenset()

    @property
    def is_header(self) -> bool:
        return self.type is PromotionType.BASKET_THRESHOLD

    @property
    def stacking_or_default(self) -> Stacking:
        return self.stacking or Stacking.ADD

    @cached_property  # sorted on at every scan
    def stage(self) -> Stage:
        if self.type is PromotionType.BUNDLE:
            return Stage.BUNDLE
        if self.type is PromotionType.BASKET_THRESHOLD:
            return Stage.THRESHOLD
        return Stage.LINE

    @cached_property
    def order(self) -> tuple[int, int, str]:
        """Where the rule comes within its stage: higher priority first; at equal
        priority add before multiply before exclusive, then by id, never by file order."""
        rank = {Stacking.ADD: 0, Stacking.MULTIPLY: 1, Stacking.EXCLUSIVE: 2}
        return (-self.priority, rank[self.stacking_or_default], self.id)

    @property
    def exclusive(self) -> bool:
        return self.stacking is Stacking.EXCLUSIVE

    def lets_through(self, kind: str) -> bool:
        """Whether a line this rule discounted may still get a discount of `kind`."""
        return not self.exclusive or kind in self.combines_with

    def conditions(self) -> RuleConditions:
        from cassa.engine.rules.compiler import RuleConditions

        return RuleConditions(self.id, self.scope, self.when)


def _scope_tree(
    items: tuple[str, ...],
    groups: tuple[str, ...],
    exclude_items: tuple[str, ...],
    exclude_groups: tuple[str, ...],
) -> Condition:
    parts: list[Condition] = []
    chosen: list[Condition] = []
    if items:
        chosen.append(Leaf("line.sku", Op.IN, items))
    chosen.extend(Leaf("line.groups", Op.CONTAINS, g) for g in groups)
    if len(chosen) == 1:
        parts.append(chosen[0])
    elif chosen:
        parts.append(Any_(tuple(chosen)))
    if exclude_items:
        parts.append(Leaf("line.sku", Op.NOT_IN, exclude_items))
    parts.extend(Leaf("line.groups", Op.NOT_CONTAINS, g) for g in exclude_groups)
    return All(tuple(parts)) if len(parts) != 1 else parts[0]


# Lines no promotion may touch: items not subject to discounts, vouchers, buy-back.
DISCOUNTABLE: Condition = All(
    (
        Leaf("line.discountable", Op.EQ, True),
        Leaf("line.item_type", Op.NOT_IN, ("voucher", "buy_back")),
    )
)


def _discount(data: dict[str, Any] | None) -> Discount | None:
    if data is None:
        return None

    def number(key: str) -> Decimal | None:
        return Decimal(str(data[key])) if key in data else None

    minimum, maximum = data.get("min", {}), data.get("max", {})
    return Discount(
        percent=number("percent"),
        amount=number("amount"),
        fixed_price=number("fixed_price"),
        multiplier=Decimal(str(data.get("multiplier", 1))),
        rounding=data.get("rounding", "none"),
        rounding_step=number("rounding_step"),
        base=data.get("base", "value"),
        min_amount=Decimal(str(minimum["amount"])) if minimum else None,
        below_min=minimum.get("below", "skip"),
        max_amount=Decimal(str(maximum["amount"])) if maximum else None,
        above_max=maximum.get("above", "clamp"),
    )


def parse_promotion(data: dict[str, Any], at: str) -> Promotion:
    """A Promotion from one schema-valid rule; ConditionError for a bad tree."""
    kind = PromotionType(data["type"])
    scope_data = data.get("scope", {})
    references: dict[str, list[tuple[str, str]]] = {
        "items": [],
        "groups": [],
        "customer_groups": [],
        "customers": [],
    }
    items = tuple(scope_data.get("items", ()))
    groups = tuple(scope_data.get("groups", ()))
    excluded_items = tuple(scope_data.get("exclude_items", ()))
    excluded_groups = tuple(scope_data.get("exclude_groups", ()))
    for kind_, field_, values in (
        ("items", "items", items),
        ("groups", "groups", groups),
        ("items", "exclude_items", excluded_items),
        ("groups", "exclude_groups", excluded_groups),
    ):
        references[kind_].extend((f"{at}/scope/{field_}/{i}", v) for i, v in enumerate(values))
    scope_parts: list[Condition] = [DISCOUNTABLE]
    if items or groups or excluded_items or excluded_groups:
        scope_parts.append(_scope_tree(items, groups, excluded_items, excluded_groups))
    if "lines" in scope_data:
        scope_parts.append(parse_condition(scope_data["lines"], "line", f"{at}/scope/lines"))

    bundle = _bundle(data.get("bundle"), at, references)
    if bundle is not None:
        component_scopes = tuple(c.scope() for c in bundle.components)
        scope_parts.append(
            component_scopes[0] if len(component_scopes) == 1 else Any_(component_scopes)
        )
    tiers = tuple(
        Tier(Decimal(str(t["min_quantity"])), _discount(t["discount"]) or Discount())
        for t in data.get("tiers", ())
    )
    if tiers:
        lowest = min(t.min_quantity for t in tiers)
        scope_parts.append(Leaf("line.sku_quantity", Op.GTE, lowest))

    when_parts: list[Condition] = []
    if "when" in data:
        when_parts.append(parse_condition(data["when"], "context", f"{at}/when"))
    customers = data.get("customers", {})
    codes, customer_groups = tuple(customers.get("codes", ())), tuple(customers.get("groups", ()))
    references["customers"].extend((f"{at}/customers/codes/{i}", c) for i, c in enumerate(codes))
    references["customer_groups"].extend(
        (f"{at}/customers/groups/{i}", g) for i, g in enumerate(customer_groups)
    )
    who: list[Condition] = []
    if codes:
        who.append(Leaf("customer.code", Op.IN, codes))
    who.extend(Leaf("customer.groups", Op.CONTAINS, g) for g in customer_groups)
    if who:
        when_parts.append(who[0] if len(who) == 1 else Any_(tuple(who)))
    if data.get("loyalty_card"):
        when_parts.append(
            Any_(
                (
                    Leaf("customer.has_loyalty_card", Op.EQ, True),
                    Leaf("loyalty_card.presented", Op.EQ, True),
                )
            )
        )
    if data.get("coupon"):
        when_parts.append(Leaf("coupons", Op.CONTAINS, data["id"]))
    manual = data.get("manual")
    if manual is not None:
        when_parts.append(Leaf("manual", Op.CONTAINS, data["id"]))
    schedule = parse_schedule(data["schedule"]) if "schedule" in data else None
    if schedule is not None:
        when_parts.append(Leaf("schedules", Op.CONTAINS, data["id"]))

    applies_if = data.get("applies_if_line_discount")
    gift = data.get("gift")
    if gift and gift["item"] not in ("cheapest", "most_expensive"):
        references["items"].append((f"{at}/gift/item", gift["item"]))
    if gift and "group" in gift:
        references["groups"].append((f"{at}/gift/group", gift["group"]))
    has_scope = kind is not PromotionType.BASKET_THRESHOLD or bool(scope_data) or gift is not None
    reach = _reach(items, groups, bundle)
    return Promotion(
        id=data["id"],
        name=data["name"],
        type=kind,
        scope=All(tuple(scope_parts)) if has_scope else None,
        when=All(tuple(when_parts)) if when_parts else TRUE,
        priority=int(data.get("priority", 0)),
        stacking=Stacking(data["stacking"]) if "stacking" in data else None,
        combines_with=frozenset(data.get("combines_with", ())),
        discount_group=data.get("discount_group", ""),
        customer_codes=codes,
        customer_groups=customer_groups,
        loyalty_card=bool(data.get("loyalty_card", False)),
        coupon=bool(data.get("coupon", False)),
        manual=manual is not None,
        authorization=(manual or {}).get("authorization"),
        manual_group=(manual or {}).get("group"),
        schedule=schedule,
        applies_if=(
            (
                applies_if["op"],
                "percent" if "percent" in applies_if else "amount",
                Decimal(str(applies_if.get("percent", applies_if.get("amount")))),
            )
            if applies_if
            else None
        ),
        discount=_discount(data.get("discount")),
        tiers=tuple(sorted(tiers, key=lambda t: t.min_quantity)),
        thresholds=tuple(
            sorted(
                (
                    Threshold(Decimal(str(t["min_value"])), _discount(t.get("discount")))
                    for t in data.get("thresholds", ())
                ),
                key=lambda t: t.min_value,
            )
        ),
        gift=(
            Gift(
                gift["item"],
                Decimal(str(gift["fixed_price"])),
                gift.get("group"),
                Decimal(str(gift.get("quantity", 1))),
            )
            if gift
            else None
        ),
        bundle=bundle,
        references={k: tuple(v) for k, v in references.items()},
        reach_items=reach[0],
        reach_groups=reach[1],
    )


def _reach(
    items: tuple[str, ...], groups: tuple[str, ...], bundle: Bundle | None
) -> tuple[frozenset[str], frozenset[str]]:
    """The SKUs and groups that bound a rule's lines (both empty: unbounded)."""
    if items or groups:
        return frozenset(items), frozenset(groups)
    if bundle is None or any(not (c.items or c.groups) for c in bundle.components):
        return frozenset(), frozenset()
    return (
        frozenset(i for c in bundle.components for i in c.items),
        frozenset(g for c in bundle.components for g in c.groups),
    )


def _bundle(
    data: dict[str, Any] | None, at: str, references: dict[str, list[tuple[str, str]]]
) -> Bundle | None:
    if data is None:
        return None
    components = []
    for index, spec in enumerate(data.get("components", ())):
        items, groups = tuple(spec.get("items", ())), tuple(spec.get("groups", ()))
        references["items"].extend(
            (f"{at}/bundle/components/{index}/items/{i}", s) for i, s in enumerate(items)
        )
        references["groups"].extend(
            (f"{at}/bundle/components/{index}/groups/{i}", g) for i, g in enumerate(groups)
        )
        components.append(
            BundleComponent(items, groups, Decimal(str(spec["quantity"])), spec.get("role", "base"))
        )
    return Bundle(
        kind=data["kind"],
        components=tuple(components),
        min_quantity=Decimal(str(data["min_quantity"])) if "min_quantity" in data else None,
        min_value=Decimal(str(data["min_value"])) if "min_value" in data else None,
        price=Decimal(str(data["price"])) if "price" in data else None,
        discount=_discount(data.get("discount")),
        target=data.get("target", "all"),
        split=data.get("split", "proportional"),
        include_header_discounts=bool(data.get("include_header_discounts", False)),
        grouping=data.get("grouping", "scan_order"),
    )
