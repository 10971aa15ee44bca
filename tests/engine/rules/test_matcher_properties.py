"""Whatever the rules and the basket, durable matches what a plain evaluator matches.

Hypothesis builds random packs (all / any / not trees over a small vocabulary of
line and context attributes: sets, money near 10.00, in / not_in, dates, times)
and random sequences of basket edits; after each edit the session's matches
must equal what the reference evaluator below computes. The evaluator is
written here on purpose, independently of `conditions.evaluate`: missing
attributes take the documented defaults ("" / 0 / false / empty set, a missing
date or time is earlier than any, a missing wildcard code is 0).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cassa.engine.rules.compiler import RuleConditions, compile_pack
from cassa.engine.rules.conditions import All, Any_, Condition, Leaf, Not, Op
from cassa.engine.rules.matcher import get_engine

_keys = itertools.count()

# Facts and thresholds overlap so that boundaries (value == threshold) come up often.
MONEY = [Decimal(v) for v in ("-5", "0", "9.99", "10", "10.00", "10.01")]
THRESHOLDS = [Decimal(v) for v in ("0", "9.99", "10.00", "10.01", "9.9999995", "10.0000001")]
QUANTITIES = [Decimal(v) for v in ("0", "1.5", "2", "10.000001")]
QUANTITY_THRESHOLDS = [Decimal(v) for v in ("1.5", "2", "10.00", "10.0000001")]
TIMES = ["00:00", "09:59", "10:00", "10:01", "23:59"]
DATES = ["2026-07-04", "2026-07-05", "2026-07-06"]

# attribute -> (kind, values facts take, values rules compare with)
LINE_VOCABULARY: dict[str, tuple[str, list[Any], list[Any]]] = {
    "line.sku": ("string", ["A", "B", "C"], ["A", "B", "Z"]),
    "line.groups": ("set", ["g1", "g2", "g3"], ["g1", "g2", "gX"]),
    "line.value": ("number", MONEY, THRESHOLDS),
    "line.quantity": ("number", QUANTITIES, QUANTITY_THRESHOLDS),
    "line.discountable": ("bool", [True, False], [True, False]),
}
CONTEXT_VOCABULARY: dict[str, tuple[str, list[Any], list[Any]]] = {
    "basket.total": ("number", MONEY, THRESHOLDS),
    "basket.group_value.g1": ("number", MONEY, THRESHOLDS),
    "basket.group_value.g2": ("number", MONEY, THRESHOLDS),
    "customer.kind": ("string", ["retail", "vip", ""], ["retail", "vip", ""]),
    "customer.groups": ("set", ["vip", "staff"], ["vip", "staff"]),
    "coupons": ("set", ["C1", "C2"], ["C1", "C3"]),
    "clock.time": ("ordered-text", TIMES, TIMES),
    "clock.date": ("ordered-text", DATES, DATES),
}
OPS = {
    "string": [Op.EQ, Op.NE, Op.IN, Op.NOT_IN],
    "set": [Op.CONTAINS, Op.NOT_CONTAINS],
    "number": [Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE],
    "ordered-text": [Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE],
    "bool": [Op.EQ, Op.NE],
}


# --- the reference evaluator -----------------------------------------------------------------


def reference_value(attrs: Mapping[str, Any], attr: str, kind: str) -> Any:
    if attr in attrs:
        return attrs[attr]
    family, _, code = attr.rpartition(".")
    if family == "basket.group_value":
        return attrs.get(family, {}).get(code, Decimal(0))
    return {"string": "", "number": Decimal(0), "bool": False, "set": frozenset()}.get(kind, "")


def reference_holds(cond: Condition, attrs: Mapping[str, Any], vocabulary: dict[str, Any]) -> bool:
    if isinstance(cond, All):
        return all(reference_holds(item, attrs, vocabulary) for item in cond.items)
    if isinstance(cond, Any_):
        return any(reference_holds(item, attrs, vocabulary) for item in cond.items)
    if isinstance(cond, Not):
        return not reference_holds(cond.item, attrs, vocabulary)
    actual = reference_value(attrs, cond.attr, vocabulary[cond.attr][0])
    expected = cond.value
    checks: dict[Op, Callable[[], Any]] = {
        Op.EQ: lambda: actual == expected,
        Op.NE: lambda: actual != expected,
        Op.IN: lambda: actual in expected,
        Op.NOT_IN: lambda: actual not in expected,
        Op.GT: lambda: actual > expected,
        Op.GTE: lambda: actual >= expected,
        Op.LT: lambda: actual < expected,
        Op.LTE: lambda: actual <= expected,
        Op.CONTAINS: lambda: expected in actual,
        Op.NOT_CONTAINS: lambda: expected not in actual,
    }
    return bool(checks[cond.op]())


def reference_matches(
    rules: list[RuleConditions], lines: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for rule in rules:
        when = reference_holds(rule.when, context, CONTEXT_VOCABULARY)
        if rule.scope is None:
            result[rule.rule_id] = when
        else:
            scope = rule.scope
            result[rule.rule_id] = frozenset(
                line_id
                for line_id, attrs in lines.items()
                if when and reference_holds(scope, attrs, LINE_VOCABULARY)
            )
    return result


# --- strategies ----------------------------------------------------------------------------------


@st.composite
def leaves(draw: st.DrawFn, vocabulary: dict[str, tuple[str, list[Any], list[Any]]]) -> Leaf:
    attr = draw(st.sampled_from(sorted(vocabulary)))
    kind, _, compared = vocabulary[attr]
    op = draw(st.sampled_from(OPS[kind]))
    if op in (Op.IN, Op.NOT_IN):
        values = draw(st.lists(st.sampled_from(compared), min_size=1, max_size=2, unique=True))
        return Leaf(attr, op, tuple(values))
    return Leaf(attr, op, draw(st.sampled_from(compared)))


def trees(vocabulary: dict[str, tuple[str, list[Any], list[Any]]]) -> st.SearchStrategy[Condition]:
    def branches(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
        items = st.lists(children, max_size=3).map(tuple)
        # Not twice as likely: negations are where an encoding goes wrong.
        negated = children.map(Not)
        return st.one_of(items.map(All), items.map(Any_), negated, negated)

    return st.recursive(leaves(vocabulary), branches, max_leaves=6)


# Built once: building a recursive strategy per draw is what makes Hypothesis slow.
SCOPES = st.none() | trees(LINE_VOCABULARY)
WHENS = trees(CONTEXT_VOCABULARY)


@st.composite
def rule_sets(draw: st.DrawFn) -> list[RuleConditions]:
    count = draw(st.integers(min_value=1, max_value=8))
    return [RuleConditions(f"r{n}", draw(SCOPES), draw(WHENS)) for n in range(count)]


@st.composite
def facts(
    draw: st.DrawFn, vocabulary: dict[str, tuple[str, list[Any], list[Any]]]
) -> dict[str, Any]:
    """Some attributes missing (defaults apply), sets as frozensets, families as one mapping."""
    attrs: dict[str, Any] = {}
    for attr, (kind, values, _) in vocabulary.items():
        if not draw(st.booleans()) and draw(st.booleans()):
            continue
        if kind == "set":
            value: Any = frozenset(draw(st.lists(st.sampled_from(values), max_size=3)))
        else:
            value = draw(st.sampled_from(values))
        family, _, code = attr.rpartition(".")
        if family == "basket.group_value":
            attrs.setdefault(family, {})[code] = value
        else:
            attrs[attr] = value
    return attrs


line_ids = st.sampled_from(["1", "2", "3", "4"])
no_attrs: dict[str, Any] = {}
edits: st.SearchStrategy[tuple[str, str, dict[str, Any]]] = st.one_of(
    st.tuples(st.just("set-line"), line_ids, facts(LINE_VOCABULARY)),
    st.tuples(st.just("drop-line"), line_ids, st.just(no_attrs)),
    st.tuples(st.just("context"), st.just(""), facts(CONTEXT_VOCABULARY)),
)


# --- the properties ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(  # defaults: a missing time is not midnight, a missing date is before any
    rules=[
        RuleConditions("midnight", None, Leaf("clock.time", Op.EQ, "00:00")),
        RuleConditions("past", None, Leaf("clock.date", Op.LT, "2026-07-04")),
        RuleConditions(
            "over",
            Leaf("line.value", Op.GT, Decimal("9.99")),
            Leaf("basket.group_value.g1", Op.EQ, Decimal(0)),
        ),
    ],
    lines={"1": {"line.value": Decimal("10.00")}, "2": {"line.value": Decimal("9.99")}},
    context={"basket.group_value": {"g2": Decimal(5)}},
)
@given(
    rules=rule_sets(),
    lines=st.dictionaries(line_ids, facts(LINE_VOCABULARY), max_size=4),
    context=facts(CONTEXT_VOCABULARY),
)
def test_the_engine_matches_what_the_reference_evaluator_matches(
    rules: list[RuleConditions], lines: dict[str, Any], context: dict[str, Any]
) -> None:
    pack = compile_pack("random", rules)
    with get_engine().session(pack, f"prop-{next(_keys)}") as session:
        session.set_lines(lines)
        session.set_context(context)
        matches = session.matches()
        found = {rule.rule_id: matches.applicable(rule.rule_id) for rule in rules}
    assert found == reference_matches(rules, lines, context)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_sets(), steps=st.lists(edits, min_size=1, max_size=8))
def test_incremental_edits_match_what_the_reference_evaluator_matches(
    rules: list[RuleConditions], steps: list[tuple[str, str, dict[str, Any]]]
) -> None:
    pack = compile_pack("random", rules)
    lines: dict[str, dict[str, Any]] = {}
    context: dict[str, Any] = {}
    with get_engine().session(pack, f"prop-{next(_keys)}") as session:
        for action, line_id, attrs in steps:
            if action == "context":
                context = attrs
                session.set_context(context)
            else:
                if action == "set-line":
                    lines[line_id] = attrs
                else:
                    lines.pop(line_id, None)
                session.set_lines(lines)
            matches = session.matches()
            found = {rule.rule_id: matches.applicable(rule.rule_id) for rule in rules}
            assert found == reference_matches(rules, lines, context), (action, line_id)
