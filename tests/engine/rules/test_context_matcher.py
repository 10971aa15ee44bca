"""Context-only rules (tender restrictions, reminders) match on durable-rules as in plain Python."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cassa.engine.rules.conditions import All, Leaf, Op, evaluate, parse_condition
from cassa.engine.rules.context_matcher import ContextMatcher

RULES = (
    ("safe-over-1000", Leaf("safe.balance", Op.GTE, Decimal(1000))),
    ("drawer-cash-over-200", Leaf("drawer.balance.cash", Op.GTE, Decimal(200))),
    ("bank-after-48h", Leaf("safe.hours_since_bank_deposit", Op.GTE, Decimal(48))),
    (
        "pl-split",
        All(
            (
                parse_condition({"attr": "customer.kind", "eq": "business"}, "context"),
                parse_condition({"attr": "document.total", "gte": 15000}, "context"),
            )
        ),
    ),
)
MATCHER = ContextMatcher("probe", RULES)
money = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    safe=money,
    drawer=money,
    hours=st.decimals(min_value=0, max_value=100, places=2),
    kind=st.sampled_from(["retail", "business", ""]),
    total=money,
)
def test_the_engine_holds_the_same_rules_as_plain_evaluation(
    safe: Decimal, drawer: Decimal, hours: Decimal, kind: str, total: Decimal
) -> None:
    facts = {
        "safe.balance": safe,
        "drawer.balance.cash": drawer,
        "safe.hours_since_bank_deposit": hours,
        "customer.kind": kind,
        "document.total": total,
    }
    expected = frozenset(rule_id for rule_id, when in RULES if evaluate(when, facts))
    assert MATCHER.match(facts) == expected


def test_the_seeds_safe_limit_holds_at_exactly_the_limit() -> None:
    assert "safe-over-1000" in MATCHER.match({"safe.balance": Decimal("1000.00")})
    assert "safe-over-1000" not in MATCHER.match({"safe.balance": Decimal("999.99")})


def test_no_rules_match_nothing() -> None:
    assert ContextMatcher("empty", ()).match({"safe.balance": Decimal(5)}) == frozenset()
