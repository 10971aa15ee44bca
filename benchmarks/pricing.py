"""Pricing speed with packs of 100 / 1,000 / 5,000 rules and a 200-line basket.

Prints, per pack size: the time to price the basket from scratch, and the
median and 99th percentile time to re-price after one more scan (the till's
case: one new line, the context fact updated), with the rules engine
(durable-rules) and with the plain Python evaluator, and their ratio.

    .venv/bin/python benchmarks/pricing.py [--sizes 100 1000 5000] [--scans 100]
        [--engine-only]   (no plain Python evaluator: it takes minutes at 20,000 rules)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from cassa.engine.catalog import CatalogData, Item, ItemGroup
from cassa.engine.pricing.engine import Matcher, Pricer, PythonMatcher
from cassa.engine.pricing.facts import PricingLine
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.runtime import settle_memory
from cassa.engine.units import ItemUnits, Unit

GROUPS = 50
ITEMS = 2_000
NOW = datetime(2026, 7, 6, 11, 0, tzinfo=UTC)


def catalog() -> CatalogData:
    result = CatalogData()
    for g in range(GROUPS):
        result.item_groups[f"g{g}"] = ItemGroup(
            f"g{g}", f"Group {g}", f"top{g % 5}" if g >= 5 else None
        )
    for top in range(5):
        result.item_groups[f"top{top}"] = ItemGroup(f"top{top}", f"Top {top}")
    rng = random.Random(1)
    for i in range(ITEMS):
        result.add_item(
            Item(
                sku=f"SKU{i:05d}",
                name=f"Item {i}",
                group=f"g{i % GROUPS}",
                vat_code="22",
                list_price=Decimal(rng.randint(50, 20_000)) / 100,
                units=ItemUnits(Unit("pz")),
            )
        )
    return result


def rule(index: int, rng: random.Random) -> dict[str, object]:
    kind = rng.random()
    base: dict[str, object] = {
        "id": f"r{index}",
        "name": f"Rule {index}",
        "priority": rng.randint(0, 9),
    }
    base["stacking"] = rng.choice(["add", "multiply", "exclusive"])
    scope: dict[str, object] = (
        {"groups": [f"g{rng.randrange(GROUPS)}"]}
        if rng.random() < 0.6
        else {"items": [f"SKU{rng.randrange(ITEMS):05d}" for _ in range(rng.randint(1, 4))]}
    )
    if rng.random() < 0.3:
        scope["lines"] = {"attr": "line.list_price", "gte": rng.randint(1, 100)}
    if kind < 0.6:
        base.update(type="line_discount", scope=scope, discount={"percent": rng.randint(1, 30)})
    elif kind < 0.8:
        base.update(
            type="quantity_tier",
            scope=scope,
            tiers=[
                {"min_quantity": 2, "discount": {"percent": 5}},
                {"min_quantity": 4, "discount": {"percent": 10}},
            ],
        )
    elif kind < 0.9:
        base.update(
            type="basket_threshold",
            scope={"groups": [f"g{rng.randrange(GROUPS)}"]},
            thresholds=[{"min_value": rng.randint(20, 300), "discount": {"percent": 5}}],
        )
    else:
        base.update(
            type="line_discount",
            scope=scope,
            when={
                "any": [
                    {"attr": "clock.weekday", "in": ["mon", "tue"]},
                    {"attr": "basket.total", "gte": 500},
                ]
            },
            discount={"amount": 1},
        )
    return base


def write_pack(folder: Path, size: int) -> Path:
    rng = random.Random(size)
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: bench{size}\nextends: it\n", encoding="utf-8"
    )
    rules = {
        "apiVersion": "cassa/v1",
        "kind": "Promotions",
        "rules": [rule(i, rng) for i in range(size)],
    }
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return folder


def basket(shop: CatalogData, count: int, seed: int) -> list[PricingLine]:
    rng = random.Random(seed)
    items = list(shop.items.values())
    lines = []
    for i in range(count):
        item = rng.choice(items)
        quantity = Decimal(rng.randint(1, 3))
        lines.append(
            PricingLine(
                id=f"line{i}",
                sku=item.sku,
                name=item.name,
                group=item.group,
                group_path=tuple(shop.group_path(item.group)),
                item_type="goods",
                unit="pz",
                vat_code="22",
                quantity=quantity,
                base_quantity=quantity,
                list_price=item.list_price,
                discountable=True,
            )
        )
    return lines


def measure(pricer: Pricer, lines: list[PricingLine], scans: int) -> tuple[float, float, float]:
    sale = pricer.sale_context(
        now=NOW, document_type="receipt", till="T01", store="S", operator="op"
    )
    start = time.perf_counter()
    pricer.price("cold", lines, sale)
    scratch = time.perf_counter() - start
    pricer.close("cold")
    current = lines[:-scans]
    pricer.price("warm", current, sale)
    times = []
    for line in lines[-scans:]:
        current = [*current, line]
        start = time.perf_counter()
        pricer.price("warm", current, sale)
        times.append(time.perf_counter() - start)
    pricer.close("warm")
    times.sort()
    return scratch, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def matchers(pack: object) -> dict[str, Matcher]:
    found: dict[str, Matcher] = {"python": PythonMatcher(pack)}  # type: ignore[arg-type]
    try:
        from cassa.engine.pricing.durable_matcher import DurableMatcher
    except ImportError:
        return found
    return {"durable-rules": DurableMatcher(pack), **found}  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 5_000])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--scans", type=int, default=100)
    parser.add_argument("--engine-only", action="store_true")
    args = parser.parse_args()
    shop = catalog()
    print(f"basket: {args.lines} lines; re-price after one scan measured {args.scans} times")
    print(
        f"{'rules':>6} {'matcher':<14} {'scratch ms':>11} {'scan p50 ms':>12} {'scan p99 ms':>12}"
        "  load average"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            pack = load_rule_pack(write_pack(Path(folder) / f"p{size}", size))
            lines = basket(shop, args.lines + args.scans, seed=size)[: args.lines]
            settle_memory()  # what a till process should do once its packs are loaded
            results = {}
            for name, matcher in matchers(pack).items():
                if args.engine_only and name == "python":
                    continue
                scratch, p50, p99 = measure(Pricer(pack, shop, matcher), lines, args.scans)
                results[name] = p50
                print(
                    f"{size:>6} {name:<14} {scratch * 1e3:>11.1f} "
                    f"{p50 * 1e3:>12.2f} {p99 * 1e3:>12.2f}  "
                    + " ".join(f"{value:.2f}" for value in os.getloadavg())
                )
            if len(results) == 2:
                ratio = results["durable-rules"] / results["python"]
                print(f"{'':>6} durable-rules / python per scan: {ratio:.2f}")


if __name__ == "__main__":
    main()
