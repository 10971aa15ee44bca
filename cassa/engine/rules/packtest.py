"""Scenario tests kept beside a rule pack: `promotions.yaml` + `promotions.test.yaml`.

Each case is a basket and a moment in, expected line prices, totals, applied
rule ids and messages out — like `opa test` for policies. A failing
expectation says, per line, what was expected and what came out.

A `*.test.yaml` of kind `Scenario` (a country pack's reverse-charge invoice, a
split-payment invoice, a French day with a reprint) runs through the scenario
runner on a fresh database and counts as one case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.engine.catalog import Catalog
from cassa.engine.errors import CassaError
from cassa.engine.pricing.basket import PricedBasket, price_basket
from cassa.engine.rules.rulepack import RulePack, load_rule_pack
from cassa.engine.schemas import validate_document
from cassa.engine.storefiles import StoreData, load_store
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml
from cassa.i18n import translate

__all__ = ["CaseResult", "run_pack_tests"]


@dataclass
class CaseResult:
    file: str
    line: int
    name: str
    failures: list[str] = field(default_factory=list)
    applied: frozenset[str] = frozenset()  # promotions the case's basket applied

    @property
    def passed(self) -> bool:
        return not self.failures


def test_files(pack_path: Path) -> list[Path]:
    return sorted(pack_path.glob("*.test.yaml"))


def run_pack_tests(reference: str | Path, only: str | None = None) -> list[CaseResult]:
    """Run every `*.test.yaml` in the pack's folder against the merged pack; with
    `only`, the cases whose name contains it (ignoring case)."""
    wanted = (only or "").casefold()
    from cassa.engine.packs import load_pack

    pack_path = load_pack(reference).path
    results: list[CaseResult] = []
    stores: dict[Path, StoreData] = {}
    packs: dict[Path, RulePack] = {}
    for file in test_files(pack_path):
        if _is_scenario(file):
            if wanted in _scenario_name(file).casefold():
                results.append(_run_scenario(file))
            continue
        document = _load_test(file)
        store_path = _store_path(document, pack_path)
        if store_path not in stores:
            stores[store_path] = load_store(store_path)
            packs[store_path] = load_rule_pack(reference, stores[store_path].catalog)
        store, pack = stores[store_path], packs[store_path]
        for index, case in enumerate(document.data["cases"]):
            if wanted not in str(case.get("name", "")).casefold():
                continue
            line = document.mark(f"/cases/{index}")[0]
            result = CaseResult(document.file, line, case["name"])
            try:
                priced = price_basket(
                    pack,
                    store.catalog,
                    case["basket"],
                    at=datetime.fromisoformat(
                        case["basket"].get("at", "2026-01-05T12:00:00+00:00")
                    ),
                    timezone=store.timezone,
                )
            except CassaError as error:
                result.failures.append(f"refused: {error.message}")
            else:
                result.failures = check(
                    priced, case["expect"], store.catalog, document.data.get("locale", "en")
                )
                result.applied = frozenset(e.rule_id for e in priced.explanations if e.applied)
            results.append(result)
    return results


def test_file_problems(pack: RulePack) -> list[Problem]:
    """Every problem of the pack's `*.test.yaml` files, without running them: YAML,
    schema (a case with an empty `expect:` tests nothing and is an error), the store
    a test names, and the rule ids its expectations name."""
    problems: list[Problem] = []
    for file in test_files(pack.path):
        try:
            documents = load_yaml(file)
        except DataFileError as error:
            problems.extend(error.problems)
            continue
        if not documents:
            problems.append(Problem(str(file), 1, 1, "", "the test file is empty"))
        for document in documents:
            kind = document.data.get("kind") if isinstance(document.data, dict) else None
            if kind == "Scenario":
                problems.extend(validate_document(document, "scenario"))
            elif kind == "PricingTest":
                found = validate_document(document, "pricing-test")
                problems.extend(found or _case_problems(document, pack))
            else:
                problems.append(
                    document.problem("/kind", "a test file holds kind PricingTest or Scenario")
                )
    return problems


def _case_problems(document: SourceDocument, pack: RulePack) -> list[Problem]:
    problems = []
    if "store" in document.data:
        target = (Path(document.file).parent / str(document.data["store"])).resolve()
        if not (target / "store.yaml").is_file():
            problems.append(
                document.problem(
                    "/store",
                    f"store '{document.data['store']}' is {target}, which holds no "
                    "store.yaml (the path is relative to the test file)",
                )
            )
    rule_ids = {p.id for p in pack.promotions}
    for index, case in enumerate(document.data["cases"]):
        expect = case["expect"]
        named = [(f"applied/{i}", r) for i, r in enumerate(expect.get("applied", ()))]
        named += [(f"not_applied/{i}", r) for i, r in enumerate(expect.get("not_applied", ()))]
        named += [(f"reasons/{r}", r) for r in expect.get("reasons", {})]
        for at, rule_id in named:
            if rule_id not in rule_ids:
                problems.append(
                    document.problem(
                        f"/cases/{index}/expect/{at}", f"no rule '{rule_id}' in pack {pack.name}"
                    )
                )
    return problems


def _is_scenario(file: Path) -> bool:
    documents = load_yaml(file)
    return bool(
        documents
        and isinstance(documents[0].data, dict)
        and documents[0].data.get("kind") == "Scenario"
    )


def _scenario_name(file: Path) -> str:
    data = load_yaml(file)[0].data
    return str(data.get("name", file.name)) if isinstance(data, dict) else file.name


def _run_scenario(file: Path) -> CaseResult:
    from cassa.engine.scenario import run_scenario_file

    outcome = run_scenario_file(file)
    return CaseResult(str(file), 1, outcome.name, [str(f) for f in outcome.failures])


def _load_test(file: Path) -> SourceDocument:
    documents = load_yaml(file)
    problems: list[Problem] = []
    for document in documents:
        if not isinstance(document.data, dict) or document.data.get("kind") != "PricingTest":
            problems.append(document.problem("/kind", "expected kind: PricingTest"))
        else:
            problems.extend(validate_document(document, "pricing-test"))
    if problems or len(documents) != 1:
        raise DataFileError(
            problems or [Problem(str(file), 1, 1, "", "one PricingTest document per file")]
        )
    return documents[0]


def _store_path(document: SourceDocument, pack_path: Path) -> Path:
    if "store" in document.data:
        return (Path(document.file).parent / str(document.data["store"])).resolve()
    from cassa.engine.packs import load_pack

    for header in reversed(load_pack(pack_path).of_kind("Pack")):
        if "store" in header.data:
            return (Path(header.file).parent / str(header.data["store"])).resolve()
    raise DataFileError(
        [
            document.problem(
                "", "no store to take the catalog from: set store: in the test or in pack.yaml"
            )
        ]
    )


def _same(expected: Any, actual: Decimal) -> bool:
    return Decimal(str(expected)) == actual


def check(priced: PricedBasket, expect: dict[str, Any], catalog: Catalog, locale: str) -> list[str]:
    failures: list[str] = []
    totals = priced.totals
    for key, actual in (("total", totals.total), ("discount_total", totals.discount_total)):
        if key in expect and not _same(expect[key], actual):
            failures.append(f"{key}: expected {expect[key]}, got {actual}")
    if "lines" in expect:
        if len(expect["lines"]) != len(totals.lines):
            failures.append(f"lines: expected {len(expect['lines'])}, got {len(totals.lines)}")
        for position, (wanted, got) in enumerate(
            zip(expect["lines"], totals.lines, strict=False), 1
        ):
            actual_values = {
                "sku": got.line.sku,
                "price": got.price,
                "value": got.value,
                "discount": got.discount,
                "list_price": got.line.list_price,
                "rules": sorted({a.source for a in got.line.adjustments}),
            }
            for key, want in wanted.items():
                have = actual_values[key]
                same = (
                    sorted(want) == have
                    if key == "rules"
                    else (
                        str(want) == str(have) if key == "sku" else _same(want, have)  # type: ignore[arg-type]
                    )
                )
                if not same:
                    failures.append(
                        f"line {position} ({got.line.name}) {key}: expected {want}, got {have}"
                    )
    applied = {e.rule_id for e in priced.explanations if e.applied}
    for rule_id in expect.get("applied", ()):
        if rule_id not in applied:
            why = next(
                (e.reasons for e in priced.explanations if e.rule_id == rule_id), ["no such rule"]
            )
            said = "; ".join(translate(reason, locale) for reason in why)
            failures.append(f"rule {rule_id}: expected applied, it was not ({said})")
    for rule_id in expect.get("not_applied", ()):
        if rule_id in applied:
            failures.append(f"rule {rule_id}: expected not applied, it was")
    rendered = [m.render(locale) for m in priced.messages]
    for wanted_text in expect.get("messages", ()):
        if not any(wanted_text in text for text in rendered):
            failures.append(f"message {wanted_text!r} not shown (messages: {rendered})")
    reasons = {
        e.rule_id: [translate(reason, locale) for reason in e.reasons] for e in priced.explanations
    }
    for rule_id, wanted_reasons in expect.get("reasons", {}).items():
        for text in wanted_reasons:
            if not any(text in reason for reason in reasons.get(rule_id, [])):
                failures.append(
                    f"rule {rule_id}: reason {text!r} not given ({reasons.get(rule_id)})"
                )
    summary = expect.get("summary", {})
    actual_summary = {
        "value_before": priced.summary.value_before,
        "item_discounts": priced.summary.item_discounts,
        "threshold_discounts": priced.summary.threshold_discounts.total,
        "operator_discounts": priced.summary.operator_discounts.total,
        "value_after": priced.summary.value_after,
    }
    for key, want in summary.items():
        if key == "item_groups":
            groups = {g.name: g.total for g in priced.summary.item_groups}
            for name, amount in want.items():
                if name not in groups or not _same(amount, groups[name]):
                    failures.append(
                        f"summary group {name!r}: expected {amount}, got {groups.get(name)}"
                    )
        elif not _same(want, actual_summary[key]):
            failures.append(f"summary {key}: expected {want}, got {actual_summary[key]}")
    return failures
