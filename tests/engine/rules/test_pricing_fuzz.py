"""Any pack that validates prices any basket, and its prices hold together.

Hypothesis writes packs of random rules of every promotion kind (line and
customer discounts, quantity tiers, basket thresholds with a discount or a gift,
fixed and flexible bundles; any priority, stacking and `combines_with`) over
the seed shop's catalog, and random baskets of its items. A pack the validator
refuses is skipped (its refusals are the loader's fuzz test's concern); a pack
it accepts must price every basket without an error, with:
- the total equal to the sum of the lines' values, and every line's discount
  between nothing and its list value (no basket here has a return line);
- the same prices when the rules are dealt into other files, in another order;
- the same prices from the rules engine (durable-rules) and the plain Python
  evaluator.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cassa.engine.pricing.basket import PricedBasket, price_basket
from cassa.engine.pricing.engine import Pricer, PythonMatcher
from cassa.engine.pricing.session import SalePricing
from cassa.engine.rules.rulepack import RulePack, load_rule_pack
from cassa.engine.storefiles import load_store
from cassa.engine.yamlsource import DataFileError

ROOT = Path(__file__).resolve().parents[3]
SHOP_FOLDER = ROOT / "examples" / "seed-shop"
SHOP = load_store(SHOP_FOLDER)
ITEMS = sorted(
    sku
    for sku, item in SHOP.catalog.items.items()
    if item.units.base.code == "pz" and item.list_price > 0
)
GROUPS = sorted({SHOP.catalog.items[sku].group for sku in ITEMS})
KINDS = ["line_discount", "quantity_tier", "basket_threshold", "bundle"]
MOMENTS = [datetime.fromisoformat("2026-01-05T18:00:00+01:00")]

ROLES = """apiVersion: cassa/v1
kind: Roles
roles:
  - code: manager
    name: Manager
    permissions: []
    limits: {max_line_discount_percent: 50, max_header_discount_percent: 30}
"""

percents = st.integers(1, 100)
amounts = st.sampled_from(["0.50", "1.00", "2.50", "10.00"])


@st.composite
def discounts(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["percent", "amount"]))
    return {"percent": draw(percents)} if kind == "percent" else {"amount": draw(amounts)}


@st.composite
def scopes(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {
            "items": draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3, unique=True))
        }
    return {"groups": draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=2, unique=True))}


@st.composite
def rules(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    rule: dict[str, Any] = {"id": f"r{index}", "type": kind, "name": f"Rule {index}"}
    # Distinct priorities: two rules at one priority with no declared way to combine
    # are a conflict the validator refuses, and such packs would all be skipped.
    rule["priority"] = index
    stacking = draw(st.sampled_from(["add", "multiply", "exclusive", None]))
    if stacking is not None and kind != "bundle":
        rule["stacking"] = stacking
        if stacking == "exclusive" and draw(st.booleans()):
            rule["combines_with"] = draw(
                st.lists(
                    st.sampled_from(["line_discount", "basket_threshold", "header_discount"]),
                    min_size=1,
                    max_size=2,
                    unique=True,
                )
            )
    if kind == "line_discount":
        rule.update(scope=draw(scopes()), discount=draw(discounts()))
    elif kind == "quantity_tier":
        first = draw(st.integers(2, 3))
        rule.update(
            scope=draw(scopes()),
            tiers=[
                {"min_quantity": first, "discount": {"percent": draw(percents)}},
                {"min_quantity": first + 2, "discount": {"percent": draw(percents)}},
            ],
        )
    elif kind == "basket_threshold":
        rule["thresholds"] = [
            {"min_value": draw(st.sampled_from([20, 50, 100, 200])), "discount": draw(discounts())}
        ]
        if draw(st.booleans()):
            rule["scope"] = draw(scopes())
        elif draw(st.booleans()):
            sku = draw(st.sampled_from(ITEMS))
            rule["thresholds"] = [{"min_value": draw(st.sampled_from([20, 50, 100]))}]
            price = SHOP.catalog.items[sku].list_price
            rule["gift"] = {"item": sku, "fixed_price": f"{draw(st.sampled_from([0, price])):.2f}"}
    else:
        component = draw(scopes())
        if draw(st.booleans()):
            rule["bundle"] = {
                "kind": "flexible",
                "components": [{**component, "quantity": 1}],
                "min_quantity": draw(st.integers(2, 4)),
                "target": draw(st.sampled_from(["cheapest", "most_expensive"])),
                "discount": {"percent": draw(percents)},
            }
        else:
            rule["bundle"] = {
                "kind": "fixed",
                "components": [
                    {**component, "quantity": 1},
                    {**draw(scopes()), "quantity": draw(st.integers(1, 2))},
                ],
                "price": draw(st.sampled_from(["5.00", "20.00", "60.00"])),
            }
    return rule


@st.composite
def packs(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 8))
    return [draw(rules(index)) for index in range(count)]


baskets = st.fixed_dictionaries(
    {
        "lines": st.lists(
            st.fixed_dictionaries({"sku": st.sampled_from(ITEMS), "quantity": st.integers(1, 4)}),
            min_size=1,
            max_size=8,
        )
    },
    optional={"header_discount": st.fixed_dictionaries({"percent": st.integers(1, 20)})},
)


def write_pack(folder: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: generated\nextends: it\nstore: {SHOP_FOLDER}\n",
        encoding="utf-8",
    )
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    for name, dealt in files.items():
        if dealt:
            document = {"apiVersion": "cassa/v1", "kind": "Promotions", "rules": dealt}
            (folder / name).write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    return folder


def priced(pack: RulePack, basket: dict[str, Any], *, python: bool) -> PricedBasket:
    pricing = None  # the rules engine, as a till prices
    if python:
        pricer = Pricer(pack, SHOP.catalog, PythonMatcher(pack))
        role = pack.roles["manager"]
        pricing = SalePricing(pack, SHOP.catalog, pricer, "T00", "basket", "operator", role)
    return price_basket(
        pack, SHOP.catalog, {**basket, "role": "manager"}, at=MOMENTS[0], pricing=pricing
    )


def prices(result: PricedBasket) -> tuple[str, ...]:
    return (str(result.totals.total), *(str(line.value) for line in result.totals.lines))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    generated=packs(),
    basket_list=st.lists(baskets, min_size=1, max_size=3),
    data=st.data(),
)
def test_a_valid_pack_prices_any_basket_the_same_whatever_its_files_and_order(
    tmp_path_factory: Any,
    generated: list[dict[str, Any]],
    basket_list: list[dict[str, Any]],
    data: st.DataObject,
) -> None:
    try:
        pack = load_rule_pack(
            write_pack(tmp_path_factory.mktemp("p") / "pack", {"rules.yaml": generated}),
            SHOP.catalog,
        )
    except DataFileError:
        assume(False)
        return
    order = data.draw(st.permutations(generated), label="order")
    files = data.draw(
        st.lists(
            st.sampled_from(["a.yaml", "m.yaml", "z.yaml"]),
            min_size=len(order),
            max_size=len(order),
        ),
        label="files",
    )
    dealt: dict[str, list[dict[str, Any]]] = {"a.yaml": [], "m.yaml": [], "z.yaml": []}
    for rule, file in zip(order, files, strict=True):
        dealt[file].append(rule)
    shuffled = load_rule_pack(
        write_pack(tmp_path_factory.mktemp("s") / "pack", dealt), SHOP.catalog
    )
    for basket in basket_list:
        result = priced(pack, basket, python=False)
        lines = result.totals.lines
        assert result.totals.total == sum((line.value for line in lines), Decimal(0))
        for line in lines:
            assert Decimal(0) <= line.discount <= line.gross_amount, (line, generated)
            assert line.value >= 0, (line, generated)
        assert prices(priced(pack, basket, python=True)) == prices(result), generated
        assert prices(priced(shuffled, basket, python=True)) == prices(result), (
            generated,
            dealt,
        )
