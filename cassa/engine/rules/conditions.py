"""Conditions as data: all / any / not trees over named attributes.

A rule says *which lines* it concerns with a tree over line attributes
(`line.*`) and *when* it holds with a tree over the context: basket, customer,
clock, till, operator, coupons and schedules. Each tree refers to one subject,
which lets the engine keep one fact per line and one fact for the context and
re-evaluate only what changed.

In YAML a leaf is `{attr: basket.total, gte: 100}`; inner nodes are
`{all: [...]}`, `{any: [...]}` and `{not: {...}}`. Attributes are declared in
the tables below with their type; an unknown attribute or an operator that
does not fit its type is an error when the pack loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

__all__ = [
    "ATTRIBUTE_VALUES",
    "CONTEXT_ATTRIBUTES",
    "LINE_ATTRIBUTES",
    "TRUE",
    "All",
    "Any_",
    "AttrType",
    "Condition",
    "ConditionError",
    "Leaf",
    "Not",
    "Op",
    "attribute_type",
    "evaluate",
    "leaves",
    "may_hold",
    "parse_condition",
]


class AttrType(StrEnum):
    STRING = "string"
    NUMBER = "number"  # quantities, counts, percentages: exact decimals
    MONEY = "money"  # amounts: exact decimals
    BOOL = "bool"
    SET = "set"  # a set of codes, tested with `contains`
    DATE = "date"  # "YYYY-MM-DD"
    TIME = "time"  # "HH:MM"


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"


ORDERED = {AttrType.NUMBER, AttrType.MONEY, AttrType.DATE, AttrType.TIME}
_OPS_BY_TYPE: dict[AttrType, set[Op]] = {
    AttrType.STRING: {Op.EQ, Op.NE, Op.IN, Op.NOT_IN},
    AttrType.BOOL: {Op.EQ, Op.NE},
    AttrType.SET: {Op.CONTAINS, Op.NOT_CONTAINS},
    **{t: {Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE} for t in ORDERED},
}

# Fixed attributes. A name ending in ".*" takes one more segment, a code:
# basket.group_value.shoes is the value of the basket's lines in group shoes.
LINE_ATTRIBUTES: dict[str, AttrType] = {
    "line.sku": AttrType.STRING,
    "line.group": AttrType.STRING,  # the item's own group
    "line.groups": AttrType.SET,  # the item's group and every ancestor
    "line.item_type": AttrType.STRING,
    "line.unit": AttrType.STRING,
    "line.vat_code": AttrType.STRING,
    "line.quantity": AttrType.NUMBER,  # in the line's unit
    "line.base_quantity": AttrType.NUMBER,
    "line.list_price": AttrType.MONEY,  # per base unit
    "line.value": AttrType.MONEY,  # list price x base quantity
    "line.discountable": AttrType.BOOL,
    "line.sku_quantity": AttrType.NUMBER,  # base quantity of this SKU over all lines
    "line.price_source": AttrType.STRING,
    "line.reverse_charge": AttrType.BOOL,  # under reverse charge (country packs)
    "line.split_payment": AttrType.BOOL,  # the item is subject to split payment
    "line.lot": AttrType.STRING,  # the lot's code, "" for a line without a lot
}
CONTEXT_ATTRIBUTES: dict[str, AttrType] = {
    "document.type": AttrType.STRING,
    "document.currency": AttrType.STRING,
    "document.total": AttrType.MONEY,  # gross total to pay, after discounts (tender rules)
    "document.reverse_charge": AttrType.BOOL,  # country packs: inversione contabile
    "document.split_payment": AttrType.BOOL,  # country packs: scissione dei pagamenti
    "basket.reverse_charge_lines": AttrType.NUMBER,  # lines under reverse charge
    "basket.split_payment_lines": AttrType.NUMBER,  # lines whose item is subject to split payment
    "basket.total": AttrType.MONEY,  # list value of all lines, before discounts
    "basket.quantity": AttrType.NUMBER,
    "basket.lines": AttrType.NUMBER,
    "basket.group_value.*": AttrType.MONEY,
    "basket.group_quantity.*": AttrType.NUMBER,
    "basket.sku_quantity.*": AttrType.NUMBER,
    "customer.code": AttrType.STRING,  # "" when no customer is chosen
    "customer.kind": AttrType.STRING,
    "customer.groups": AttrType.SET,
    "customer.tax_id_checks": AttrType.SET,  # cassa.engine.tax_ids: es_nif, es_nie, pl_nip ...
    "customer.has_loyalty_card": AttrType.BOOL,
    "customer.domestic": AttrType.BOOL,  # a domestic transaction (false without a customer)
    "customer.reverse_charge": AttrType.BOOL,
    "loyalty_card.presented": AttrType.BOOL,
    "coupons": AttrType.SET,  # coupon definitions whose code was entered
    "manual": AttrType.SET,  # manual promotions the operator picked
    "schedules": AttrType.SET,  # rules whose schedule is active now
    "clock.date": AttrType.DATE,
    "clock.time": AttrType.TIME,
    "clock.weekday": AttrType.STRING,  # mon tue wed thu fri sat sun
    "till.code": AttrType.STRING,
    "till.store": AttrType.STRING,
    "operator.code": AttrType.STRING,
    "operator.roles": AttrType.SET,
    # Operational reminders (SafeRules): what the safe and the drawer hold now.
    "safe.balance": AttrType.MONEY,
    "safe.balance.*": AttrType.MONEY,
    "safe.hours_since_bank_deposit": AttrType.NUMBER,
    "drawer.balance": AttrType.MONEY,
    "drawer.balance.*": AttrType.MONEY,
}

# Attributes with a closed set of values: a value outside it is an error when the pack
# loads ("" is what the till sees without a customer).
ATTRIBUTE_VALUES: dict[str, tuple[str, ...]] = {
    "customer.kind": ("retail", "business", ""),
    "clock.weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    "line.item_type": ("goods", "service", "set", "voucher", "buy_back"),
    "document.type": (
        "receipt",
        "invoice",
        "cash_in",
        "cash_out",
        "debit_note",
        "receipt_return",
        "invoice_return",
    ),
}

_CODE = re.compile(r"^[A-Za-z0-9_.:-]+$")


class ConditionError(ValueError):
    """A condition that cannot be used; `at` is the JSON pointer inside the condition."""

    def __init__(self, at: str, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def attribute_type(name: str, subject: Literal["line", "context"]) -> AttrType | None:
    table = LINE_ATTRIBUTES if subject == "line" else CONTEXT_ATTRIBUTES
    if name in table:
        return table[name]
    head, _, code = name.rpartition(".")
    if head and f"{head}.*" in table and _CODE.match(code):
        return table[f"{head}.*"]
    return None


@dataclass(frozen=True)
class Leaf:
    attr: str
    op: Op
    value: Any  # str | Decimal | bool | tuple of those for in / not_in


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Leaf | All | Any_ | Not
TRUE: Condition = All(())


def parse_condition(data: Any, subject: Literal["line", "context"], at: str = "") -> Condition:
    """Build a condition tree from YAML data, checking attributes and operators."""
    if not isinstance(data, Mapping) or not data:
        raise ConditionError(
            at, "a condition is a mapping: {all: [...]}, {any: [...]}, {not: ...} or a leaf"
        )
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        if len(data) != 1:
            raise ConditionError(at, f"'{key}' stands alone in its mapping")
        items = data[key]
        if not isinstance(items, list):
            raise ConditionError(f"{at}/{key}", f"'{key}' takes a list of conditions")
        parsed = tuple(
            parse_condition(item, subject, f"{at}/{key}/{i}") for i, item in enumerate(items)
        )
        return All(parsed) if key == "all" else Any_(parsed)
    if "not" in data:
        if len(data) != 1:
            raise ConditionError(at, "'not' stands alone in its mapping")
        return Not(parse_condition(data["not"], subject, f"{at}/not"))
    return _leaf(data, subject, at)


def _leaf(data: Mapping[str, Any], subject: Literal["line", "context"], at: str) -> Leaf:
    attr = data.get("attr")
    if not isinstance(attr, str):
        raise ConditionError(at, "a leaf names its attribute: {attr: line.sku, eq: ABC}")
    kind = attribute_type(attr, subject)
    if kind is None:
        other = attribute_type(attr, "context" if subject == "line" else "line")
        where = "the lines it selects (scope)" if subject == "line" else "when it applies (when)"
        hint = " (it belongs in the other block)" if other else ""
        known = ", ".join(LINE_ATTRIBUTES if subject == "line" else CONTEXT_ATTRIBUTES)
        raise ConditionError(
            f"{at}/attr", f"unknown attribute '{attr}' for {where}{hint}; known: {known}"
        )
    ops = [key for key in data if key != "attr"]
    if len(ops) != 1:
        raise ConditionError(
            at, f"a leaf has exactly one operator besides attr, found: {', '.join(ops) or 'none'}"
        )
    try:
        op = Op(ops[0])
    except ValueError:
        raise ConditionError(
            f"{at}/{ops[0]}", f"unknown operator '{ops[0]}' (use {', '.join(Op)})"
        ) from None
    if op not in _OPS_BY_TYPE[kind]:
        allowed = ", ".join(sorted(_OPS_BY_TYPE[kind]))
        raise ConditionError(
            f"{at}/{op}", f"'{op}' does not apply to {kind} attribute {attr} (use {allowed})"
        )
    value = _value(data[op], kind, op, f"{at}/{op}")
    return Leaf(attr, op, value)


def _value(raw: Any, kind: AttrType, op: Op, at: str) -> Any:
    if op in (Op.IN, Op.NOT_IN):
        if not isinstance(raw, list) or not raw:
            raise ConditionError(at, f"'{op}' takes a non-empty list")
        return tuple(_scalar(item, kind, f"{at}/{i}") for i, item in enumerate(raw))
    if kind is AttrType.SET:
        return _scalar(raw, AttrType.STRING, at)
    return _scalar(raw, kind, at)


def _scalar(raw: Any, kind: AttrType, at: str) -> Any:
    if kind is AttrType.BOOL:
        if not isinstance(raw, bool):
            raise ConditionError(at, f"expected true or false, not {raw!r}")
        return raw
    if kind in (AttrType.NUMBER, AttrType.MONEY):
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
            raise ConditionError(at, f"expected a number, not {raw!r}")
        try:
            return Decimal(str(raw))
        except ArithmeticError:
            raise ConditionError(at, f"expected a number, not {raw!r}") from None
    if kind is AttrType.DATE:
        if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ConditionError(at, f"expected a date YYYY-MM-DD, not {raw!r}")
        try:
            date.fromisoformat(raw)
        except ValueError as error:
            raise ConditionError(at, f"{raw} is not a date in the calendar ({error})") from None
        return raw
    if kind is AttrType.TIME:
        if not isinstance(raw, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", raw):
            raise ConditionError(at, f"expected a time HH:MM, not {raw!r}")
        return raw
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ConditionError(at, f"expected text, not {raw!r}")
    return str(raw)


def leaves(condition: Condition) -> Iterator[Leaf]:
    if isinstance(condition, Leaf):
        yield condition
    elif isinstance(condition, Not):
        yield from leaves(condition.item)
    else:
        for item in condition.items:
            yield from leaves(item)


def evaluate(condition: Condition, fact: Mapping[str, Any]) -> bool:
    """Evaluate a tree on a fact (attribute name -> value, sets as frozensets).

    The engine matches with durable-rules; this is what `explain` uses to say
    which leaf failed, and what the engine's results are checked against.
    """
    if isinstance(condition, All):
        return all(evaluate(item, fact) for item in condition.items)
    if isinstance(condition, Any_):
        return any(evaluate(item, fact) for item in condition.items)
    if isinstance(condition, Not):
        return not evaluate(condition.item, fact)
    return leaf_holds(condition, fact.get(condition.attr))


def may_hold(condition: Condition, fact: Mapping[str, Any], known: frozenset[str]) -> bool:
    """Whether `condition` can hold for some value of the attributes not in `known`.

    Three-valued: a leaf on an unknown attribute may go either way, so `not` of
    it may too. The conflict check uses it to ask whether a rule can reach an
    item whatever the quantity or price a line of it will have.
    """
    return _maybe(condition, fact, known) is not False


def _maybe(condition: Condition, fact: Mapping[str, Any], known: frozenset[str]) -> bool | None:
    if isinstance(condition, Leaf):
        return leaf_holds(condition, fact.get(condition.attr)) if condition.attr in known else None
    if isinstance(condition, Not):
        inner = _maybe(condition.item, fact, known)
        return None if inner is None else not inner
    values = [_maybe(item, fact, known) for item in condition.items]
    if isinstance(condition, All):
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def leaf_holds(leaf: Leaf, actual: Any) -> bool:
    op, expected = leaf.op, leaf.value
    if op is Op.CONTAINS:
        return expected in (actual or ())
    if op is Op.NOT_CONTAINS:
        return expected not in (actual or ())
    if op is Op.IN:
        return actual in expected
    if op is Op.NOT_IN:
        return actual not in expected
    if op is Op.EQ:
        return bool(actual == expected)
    if op is Op.NE:
        return bool(actual != expected)
    if actual is None:
        return False
    if op is Op.GT:
        return bool(actual > expected)
    if op is Op.GTE:
        return bool(actual >= expected)
    if op is Op.LT:
        return bool(actual < expected)
    return bool(actual <= expected)
