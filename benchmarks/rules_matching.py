"""How fast durable-rules matches a basket against packs of random rules.

For packs of 100 / 1,000 / 5,000 rules of the usual shape (scope: a line group
or a SKU, sometimes with a money range; `when`: basket, customer, clock), print:

- compiling the pack and registering it with durable;
- matching a 200-line basket from scratch (a new session: lines, context, matches);
- re-matching after one scan: one line added, the context fact updated
  (median and p99 over the scans);
- the same work done by a plain Python loop of `conditions.evaluate` over every
  rule and line, and the ratio.

Run: .venv/bin/python benchmarks/rules_matching.py [--sizes 100 1000 5000] [--scans 200]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cassa.engine.rules.compiler import RuleConditions, compile_pack
from cassa.engine.rules.conditions import TRUE, All, Any_, Condition, Leaf, Not, Op, evaluate
from cassa.engine.rules.matcher import Matches, get_engine

TOP_GROUPS = [f"top{i}" for i in range(10)]
SUB_GROUPS = {top: [f"{top}-sub{j}" for j in range(6)] for top in TOP_GROUPS}
ALL_GROUPS = TOP_GROUPS + [sub for subs in SUB_GROUPS.values() for sub in subs]
SKUS = [f"SKU{i:05d}" for i in range(3000)]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CUSTOMER_GROUPS = ["vip", "staff", "student", "senior"]


class Catalog:
    """Each SKU sits in one sub-group; a line's groups are the sub-group and its parent."""

    def __init__(self, rnd: random.Random) -> None:
        self.group_of = {sku: rnd.choice(ALL_GROUPS[len(TOP_GROUPS) :]) for sku in SKUS}
        self.price_of = {sku: Decimal(rnd.randrange(99, 25000)) / 100 for sku in SKUS}

    def groups(self, sku: str) -> frozenset[str]:
        sub = self.group_of[sku]
        return frozenset({sub, sub.split("-")[0]})


def money(rnd: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rnd.randrange(low * 100, high * 100)) / 100


def random_scope(rnd: random.Random) -> Condition | None:
    roll = rnd.random()
    if roll < 0.1:
        return None  # a basket-level rule: no lines
    if roll < 0.6:
        base: Condition = Leaf("line.groups", Op.CONTAINS, rnd.choice(ALL_GROUPS))
    elif roll < 0.9:
        base = Leaf("line.sku", Op.EQ, rnd.choice(SKUS))
    else:
        base = Leaf("line.sku", Op.IN, tuple(rnd.sample(SKUS, 3)))
    extra: list[Condition] = [base]
    if rnd.random() < 0.3:
        op = rnd.choice([Op.GTE, Op.GT, Op.LT])
        extra.append(Leaf(rnd.choice(["line.value", "line.list_price"]), op, money(rnd, 1, 150)))
    if rnd.random() < 0.2:
        extra.append(Leaf("line.discountable", Op.EQ, True))
    return extra[0] if len(extra) == 1 else All(tuple(extra))


def random_when(rnd: random.Random, rule_id: str) -> Condition:
    options: list[Callable[[], Condition]] = [
        lambda: Leaf("basket.total", Op.GTE, money(rnd, 10, 400)),
        lambda: Leaf("customer.groups", Op.CONTAINS, rnd.choice(CUSTOMER_GROUPS)),
        lambda: Leaf("customer.kind", Op.NE, "staff"),
        lambda: Leaf("clock.weekday", Op.IN, tuple(rnd.sample(WEEKDAYS, 2))),
        lambda: All((Leaf("clock.time", Op.GTE, "16:00"), Leaf("clock.time", Op.LT, "19:00"))),
        lambda: Leaf(f"basket.group_value.{rnd.choice(TOP_GROUPS)}", Op.GTE, money(rnd, 5, 200)),
        lambda: Leaf("schedules", Op.CONTAINS, rule_id),
        lambda: Not(Leaf("coupons", Op.CONTAINS, f"C{rnd.randrange(20)}")),
        lambda: Any_(
            (
                Leaf("loyalty_card.presented", Op.EQ, True),
                Leaf("basket.quantity", Op.GTE, Decimal(rnd.randrange(2, 30))),
            )
        ),
    ]
    picked = [rnd.choice(options)() for _ in range(rnd.choice([0, 1, 1, 2]))]
    if not picked:
        return TRUE
    return picked[0] if len(picked) == 1 else All(tuple(picked))


def random_pack(size: int, seed: int) -> list[RuleConditions]:
    rnd = random.Random(seed)
    return [
        RuleConditions(f"rule{i}", random_scope(rnd), random_when(rnd, f"rule{i}"))
        for i in range(size)
    ]


def random_line(rnd: random.Random, catalog: Catalog) -> dict[str, Any]:
    sku = rnd.choice(SKUS)
    quantity = Decimal(rnd.randrange(1, 4))
    price = catalog.price_of[sku]
    return {
        "line.sku": sku,
        "line.group": catalog.group_of[sku],
        "line.groups": catalog.groups(sku),
        "line.item_type": "item",
        "line.unit": "pce",
        "line.vat_code": "A",
        "line.quantity": quantity,
        "line.base_quantity": quantity,
        "line.list_price": price,
        "line.value": price * quantity,
        "line.discountable": rnd.random() < 0.9,
        "line.price_source": "list",
    }


def with_sku_quantities(lines: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    totals: dict[str, Decimal] = {}
    for attrs in lines.values():
        totals[attrs["line.sku"]] = (
            totals.get(attrs["line.sku"], Decimal(0)) + attrs["line.quantity"]
        )
    return {
        lid: {**attrs, "line.sku_quantity": totals[attrs["line.sku"]]}
        for lid, attrs in lines.items()
    }


def context_of(lines: dict[str, dict[str, Any]], rnd: random.Random) -> dict[str, Any]:
    group_value = dict.fromkeys(ALL_GROUPS, Decimal(0))
    for attrs in lines.values():
        for group in attrs["line.groups"]:
            group_value[group] += attrs["line.value"]
    return {
        "document.type": "receipt",
        "document.currency": "EUR",
        "basket.total": sum((a["line.value"] for a in lines.values()), Decimal(0)),
        "basket.quantity": sum((a["line.quantity"] for a in lines.values()), Decimal(0)),
        "basket.lines": Decimal(len(lines)),
        "basket.group_value": group_value,
        "customer.code": "C001",
        "customer.kind": "retail",
        "customer.groups": frozenset({"vip"}),
        "customer.has_loyalty_card": True,
        "loyalty_card.presented": False,
        "coupons": frozenset({"C3"}),
        "manual": frozenset(),
        "schedules": frozenset(f"rule{i}" for i in range(0, 5000, 3)),
        "clock.date": "2026-07-05",
        "clock.time": "17:30",
        "clock.weekday": "sun",
        "till.code": "T01",
        "till.store": "S01",
        "operator.code": "anna",
        "operator.roles": frozenset({"cashier"}),
    }


def flat(context: dict[str, Any]) -> dict[str, Any]:
    """conditions.evaluate reads basket.group_value.<code> as one name."""
    out = {k: v for k, v in context.items() if k != "basket.group_value"}
    for code, value in context["basket.group_value"].items():
        out[f"basket.group_value.{code}"] = value
    return out


def plain_matches(
    rules: list[RuleConditions], lines: dict[str, dict[str, Any]], context: dict[str, Any]
) -> dict[str, Any]:
    facts = flat(context)
    result: dict[str, Any] = {}
    for rule in rules:
        if not evaluate(rule.when, facts):
            result[rule.rule_id] = frozenset() if rule.scope is not None else False
        elif rule.scope is None:
            result[rule.rule_id] = True
        else:
            scope = rule.scope
            result[rule.rule_id] = frozenset(
                lid for lid, attrs in lines.items() if evaluate(scope, attrs)
            )
    return result


def engine_view(matches: Matches, rules: list[RuleConditions]) -> dict[str, Any]:
    return {rule.rule_id: matches.applicable(rule.rule_id) for rule in rules}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def run(size: int, lines_count: int, scans: int, seed: int) -> None:
    rnd = random.Random(seed)
    catalog = Catalog(rnd)
    rules = random_pack(size, seed)
    started = time.perf_counter()
    pack = compile_pack(f"bench{size}", rules)
    compiled = time.perf_counter()
    engine = get_engine()
    engine.register(pack)
    registered = time.perf_counter()
    print(
        f"\n{size} rules: {len(pack.line_chunks)} line rulesets, {len(pack.context_chunks)} "
        f"context rulesets; compile {ms(compiled - started)}, register {ms(registered - compiled)}"
    )

    lines = with_sku_quantities({str(i): random_line(rnd, catalog) for i in range(lines_count)})
    context = context_of(lines, rnd)

    scratch = []
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for attempt in range(5):
        started = time.perf_counter()
        session = engine.session(pack, f"bench-{size}-{attempt}")
        session.set_lines(lines)
        session.set_context(context)
        matches = session.matches()
        scratch.append(time.perf_counter() - started)
        if attempt == 0:
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
        if attempt < 4:
            session.close()
    started = time.perf_counter()
    reference = plain_matches(rules, lines, context)
    plain_scratch = time.perf_counter() - started
    same = engine_view(matches, rules) == reference
    engine_scratch = statistics.median(scratch)
    print(
        f"  from scratch ({lines_count} lines)   engine {ms(engine_scratch)}"
        f"   plain {ms(plain_scratch)}   plain/engine x{plain_scratch / engine_scratch:6.1f}"
        f"   same matches: {same}"
    )
    print(
        f"  one session's durable state: {pack.durable_rules} durable rules, "
        f"peak memory grew {grown / 1024:.0f} MB opening the first"
    )

    rescans: list[float] = []
    plain_rescans: list[float] = []
    for scan in range(scans):
        lines = with_sku_quantities({**lines, f"new{scan}": random_line(rnd, catalog)})
        context = context_of(lines, rnd)
        started = time.perf_counter()
        session.set_lines(lines)
        session.set_context(context)
        matches = session.matches()
        rescans.append(time.perf_counter() - started)
        if scan % max(1, scans // 10) == 0:
            started = time.perf_counter()
            reference = plain_matches(rules, lines, context)
            plain_rescans.append(time.perf_counter() - started)
            same = same and engine_view(matches, rules) == reference
    median = statistics.median(rescans)
    plain = statistics.median(plain_rescans)
    print(
        f"  re-match after one scan      engine {ms(median)} median {ms(p99(rescans))} p99"
        f"   plain {ms(plain)}   plain/engine x{plain / median:6.1f}   same matches: {same}"
    )
    session.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--lines", type=int, default=200, help="lines in the basket")
    parser.add_argument("--scans", type=int, default=200, help="scans re-matched per pack")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.lines, args.scans, args.seed)


if __name__ == "__main__":
    main()
