"""No price depends on the order of rules in a file or of files in a folder.

Hypothesis deals the rules of examples/packs/combining into three files, in any
order within each file and any file names, and prices two full baskets with
the pack it loads: every line value and the total must be those of the
example pack as it is.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cassa.engine.pricing.basket import price_basket
from cassa.engine.pricing.engine import Pricer, PythonMatcher
from cassa.engine.pricing.session import SalePricing
from cassa.engine.rules.rulepack import RulePack, load_rule_pack
from cassa.engine.storefiles import load_store

ROOT = Path(__file__).resolve().parents[3]
PACK = ROOT / "examples" / "packs" / "combining"
SHOP = load_store(ROOT / "examples" / "seed-shop")
DOCUMENTS: list[dict[str, Any]] = [
    document
    for file in sorted(PACK.glob("*.yaml"))
    if not file.name.endswith(".test.yaml")
    for document in yaml.safe_load_all(file.read_text(encoding="utf-8"))
]
RULES = [rule for d in DOCUMENTS if d["kind"] == "Promotions" for rule in d["rules"]]
OTHERS = [d for d in DOCUMENTS if d["kind"] not in ("Promotions", "Pack")]
EVERYTHING = [
    {"sku": sku, "quantity": quantity}
    for sku, quantity in (
        ("GLOSS", 1),
        ("ROSSETTO", 2),
        ("QUADERNO", 3),
        ("CLUTCH-W", 1),
        ("CLUTCH-B", 1),
        ("CHAIN-BAG", 1),
        ("BORSA", 1),
        ("BALLERINE", 1),
        ("STILETTO", 2),
        ("ORECCHINI", 1),
        ("FOULARD", 1),
        ("BRACCIALE", 1),
        ("PENNA", 3),
        ("LAMP", 1),
        ("SCARPE-SPORT", 1),
        ("TREKKING", 1),
        ("BALSAMO", 1),
        ("TACCUINO", 1),
    )
]
BASKETS = [
    {"role": "manager", "header_discount": {"percent": 10}, "lines": EVERYTHING},
    {
        "loyalty_card": "2900000000017",
        "coupons": ["BALSAMO30"],
        "manual": ["haircare-manual-15"],
        "lines": EVERYTHING,
    },
    {
        "lines": [
            *EVERYTHING,
            {"sku": "PENNA", "quantity": 2},
            {"sku": "GLOSS", "discount": {"percent": 5}},
        ]
    },
]
MOMENTS = ["2026-01-05T18:00:00+01:00", "2026-01-05T12:00:00+01:00"]


def prices(pack: RulePack) -> list[tuple[str, ...]]:
    found = []
    for basket in BASKETS:
        for moment in MOMENTS:
            pricing = SalePricing(
                pack, SHOP.catalog, Pricer(pack, SHOP.catalog, PythonMatcher(pack)), "T00", "x", "o"
            )
            priced = price_basket(
                pack, SHOP.catalog, basket, at=datetime.fromisoformat(moment), pricing=pricing
            )
            found.append((str(priced.totals.total), *(str(t.value) for t in priced.totals.lines)))
    return found


EXPECTED = prices(load_rule_pack(PACK, SHOP.catalog))


def write_pack(folder: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: shuffled\nextends: it\n"
        f"store: {ROOT / 'examples' / 'seed-shop'}\n",
        encoding="utf-8",
    )
    (folder / "others.yaml").write_text(yaml.safe_dump_all(OTHERS), encoding="utf-8")
    for name, rules in files.items():
        document = {"apiVersion": "cassa/v1", "kind": "Promotions", "rules": rules}
        (folder / name).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return folder


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.permutations(range(len(RULES))),
    files=st.lists(st.integers(0, 2), min_size=len(RULES), max_size=len(RULES)),
    names=st.permutations(["a.yaml", "m.yaml", "z.yaml"]),
)
def test_shuffling_rules_and_files_gives_the_same_prices(
    tmp_path_factory: Any, order: list[int], files: list[int], names: list[str]
) -> None:
    dealt: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for index in order:
        dealt[names[files[index]]].append(RULES[index])
    folder = write_pack(tmp_path_factory.mktemp("pack") / "shuffled", dealt)
    assert prices(load_rule_pack(folder, SHOP.catalog)) == EXPECTED
