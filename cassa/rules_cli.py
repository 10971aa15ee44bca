"""`cassa rules …`, `cassa price` and `cassa explain`: the analyst's commands."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from cassa import cli_inputs
from cassa.engine import inputs
from cassa.engine.catalog import Catalog
from cassa.engine.errors import InvalidInput
from cassa.engine.packs import load_pack
from cassa.engine.pricing.basket import PricedBasket, price_basket, priced_basket_json
from cassa.engine.rules.conditions import All, Any_, Leaf, Not
from cassa.engine.rules.packtest import (
    CaseResult,
    run_pack_tests,
    test_file_problems,
    test_files,
)
from cassa.engine.rules.rulepack import RulePack, check_conflicts, load_rule_pack, resolve_store
from cassa.engine.schemas import load_schema, schema_names, validate_document
from cassa.engine.storefiles import StoreData, load_store
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml
from cassa.i18n import LANGUAGES

__all__ = ["add_commands", "run"]


def add_commands(commands: Any) -> None:
    rules = commands.add_parser("rules", help="check, show and test rule packs")
    sub = rules.add_subparsers(dest="rules_command", required=True)
    validate = sub.add_parser("validate", help="check packs; exit 1 listing every error")
    validate.add_argument("packs", nargs="+")
    validate.add_argument("--store", type=Path, help="store folder to check references against")
    show = sub.add_parser("show", help="print the merged pack a deployment would use")
    show.add_argument("pack")
    show.add_argument("--json", action="store_true")
    conflicts = sub.add_parser(
        "check-conflicts",
        help="rules that can meet on a line at equal priority with no declared way to combine",
    )
    conflicts.add_argument("pack")
    conflicts.add_argument("--store", type=Path, help="store folder whose catalog to check against")
    test = sub.add_parser("test", help="run the *.test.yaml scenarios kept beside a pack")
    test.add_argument("packs", nargs="+")
    test.add_argument("-k", dest="only", metavar="TEXT", help="only the cases whose name has TEXT")
    test.add_argument(
        "--coverage", action="store_true", help="list the promotions no test case applies"
    )
    schemas = commands.add_parser("schemas", help="the JSON Schemas of every YAML kind")
    schemas_sub = schemas.add_subparsers(dest="schemas_command", required=True)
    export = schemas_sub.add_parser(
        "export", help="write the schemas into a folder, for editors of a pack kept elsewhere"
    )
    export.add_argument("folder", type=Path)
    for name, text in (
        ("price", "price a basket without a database"),
        ("explain", "why each rule applied or not"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--pack", required=True)
        command.add_argument("--basket", required=True, type=Path)
        command.add_argument(
            "--at",
            type=cli_inputs.moment(),
            help="ISO date-time with offset (default: the basket's, or now)",
        )
        command.add_argument("--json", action="store_true")
        command.add_argument("--locale", default="en", choices=LANGUAGES)
        if name == "price":
            command.add_argument("--explain", action="store_true", help="add every rule's outcome")


def run(args: argparse.Namespace) -> int:
    if args.command == "schemas":
        return _export_schemas(args.folder)
    if args.command == "rules":
        commands = {
            "validate": _validate,
            "show": _show,
            "test": _test,
            "check-conflicts": _check_conflicts,
        }
        return commands[args.rules_command](args)
    return _price(args, explain=args.command == "explain" or args.explain)


def _store_for(pack: str, store: Path | None) -> StoreData | None:
    if store is not None:
        return load_store(store)
    ignored: list[Problem] = []  # reported by the full load that follows
    chain = load_pack(pack, problems_out=ignored)
    headers = [d for d in chain.of_kind("Pack") if "store" in d.data]
    if not headers or not (resolve_store(headers[-1]) / "store.yaml").is_file():
        return None  # no store, or one the pack's own check reports at its line
    return load_store(resolve_store(headers[-1]))


def _validate(args: argparse.Namespace) -> int:
    failed = False
    for reference in args.packs:
        try:
            store = _store_for(reference, args.store)
            pack = load_rule_pack(reference, store.catalog if store else None)
        except DataFileError as error:
            failed = True
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print(
                f"{reference}: {len(error.problems)} error(s); the pack is not applied",
                file=sys.stderr,
            )
            continue
        test_problems = test_file_problems(pack)
        if test_problems:
            failed = True
            for problem in test_problems:
                print(problem, file=sys.stderr)
            print(
                f"{reference}: {len(test_problems)} error(s) in the pack's tests; "
                "the pack is not applied",
                file=sys.stderr,
            )
            continue
        for warning in pack.warnings:
            print(warning, file=sys.stderr)
        checked = (
            f"references checked against store {store.code}"
            if store
            else "no store: references not checked"
        )
        print(
            f"{reference}: valid pack {pack.name} ({' > '.join(pack.chain)}): "
            f"{len(pack.promotions)} promotions, {len(pack.coupons)} coupons, "
            f"{len(pack.roles)} roles, {len(test_files(pack.path))} test files; {checked}"
        )
    return 1 if failed else 0


def _check_conflicts(args: argparse.Namespace) -> int:
    store = _store_for(args.pack, args.store)
    if store is None:
        print(
            f"{args.pack}: no store to take items from: set store: in pack.yaml or give --store",
            file=sys.stderr,
        )
        return 1
    pack = load_rule_pack(args.pack)
    problems = check_conflicts(pack, store.catalog)
    for problem in problems:
        print(problem)
    print(f"{args.pack}: {len(problems)} conflict(s) among {len(pack.promotions)} promotions")
    return 1 if problems else 0


def merged(pack: RulePack) -> dict[str, Any]:
    country = pack.country
    return {
        "pack": pack.name,
        "chain": pack.chain,
        "country": {
            "code": country.code,
            "currency": country.currency.code,
            "rounding": {
                "mode": country.currency.rounding.mode.value,
                "cash_increment": str(country.currency.rounding.cash_increment)
                if country.currency.rounding.cash_increment
                else None,
            },
            "vat_rates": {code: str(rate.percent) for code, rate in country.vat_rates.items()},
            "price_directions": {k: v.value for k, v in country.directions.items()},
        },
        "promotions": [
            {"from": f"{pack.sources[p.id][0]}:{pack.sources[p.id][1]}", **pack.raw_rules[p.id]}
            for p in pack.promotions
        ],
        "coupons": sorted(pack.coupons),
        "guards": {
            "items": {k: _guard(v) for k, v in pack.guards.items.items()},
            "groups": {k: _guard(v) for k, v in pack.guards.groups.items()},
        },
        "roles": {code: sorted(role.permissions) for code, role in pack.roles.items()},
        # Country packs: TaxMechanisms and FiscalRules, merged key by key with their sources.
        "tax_mechanisms": pack.taxes.sources if pack.taxes else {},
        "fiscal_rules": pack.fiscal.sources if pack.fiscal else {},
        # Every other kind, as the till uses it after merging.
        "coupon_definitions": {code: _settings(c) for code, c in sorted(pack.coupons.items())},
        "role_limits": {code: _settings(role) for code, role in pack.roles.items()},
        "security": _settings(pack.security),
        "tenders": _settings(pack.money.tenders) if pack.money else {},
        "exchange_rates": _settings(pack.money.exchange_rates) if pack.money else {},
        "denominations": _settings(pack.money.denominations) if pack.money else {},
        "voucher_kinds": _settings(pack.money.voucher_kinds) if pack.money else {},
        "tender_rules": _settings(pack.money.tender_rules) if pack.money else [],
        "cash_rules": _settings(pack.money.cash) if pack.money else {},
        "safe_rules": _settings(pack.money.safe) if pack.money else {},
        "view_layouts": [
            {"from": f"{d.file}:1", **{k: v for k, v in d.data.items() if k != "apiVersion"}}
            for d in load_pack(pack.path).of_kind("ViewLayout")
        ],
    }


def _settings(value: Any) -> Any:
    """Loaded settings (dataclasses, enums, conditions) as plain data for printing."""
    if isinstance(value, Leaf):  # conditions as they are written in YAML
        return {"attr": value.attr, value.op.value: _settings(value.value)}
    if isinstance(value, All | Any_):
        return {"all" if isinstance(value, All) else "any": _settings(value.items)}
    if isinstance(value, Not):
        return {"not": _settings(value.item)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {name: _settings(v) for name, v in fields if v not in (None, (), frozenset(), {})}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | date | time):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _settings(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_settings(v) for v in value)
    if isinstance(value, list | tuple):
        return [_settings(v) for v in value]
    return value


def _guard(guard: Any) -> dict[str, str]:
    return {k: str(v) for k, v in vars(guard).items() if v is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _show(args: argparse.Namespace) -> int:
    store = _store_for(args.pack, None)
    data = _plain(merged(load_rule_pack(args.pack, store.catalog if store else None)))
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), end="")
    return 0


def _test(args: argparse.Namespace) -> int:
    passed = failed = 0
    for reference in args.packs:
        results = run_pack_tests(reference, only=args.only)
        for result in results:
            if result.passed:
                passed += 1
                print(f"PASS {result.file}:{result.line}: {result.name}")
            else:
                failed += 1
                print(f"FAIL {result.file}:{result.line}: {result.name}")
                for failure in result.failures:
                    print(f"    {failure}")
        if args.coverage:
            _print_coverage(reference, results)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


def _print_coverage(reference: str, results: list[CaseResult]) -> None:
    """Promotions of the pack that no case applied: nothing tells when they break."""
    pack = load_rule_pack(reference)
    applied = {rule for result in results for rule in result.applied}
    untested = [p for p in pack.promotions if p.id not in applied]
    print(
        f"coverage {reference}: {len(pack.promotions) - len(untested)} of "
        f"{len(pack.promotions)} promotions applied by a test"
    )
    for promotion in untested:
        file, line, _ = pack.sources[promotion.id]
        print(f"    untested {file}:{line}: {promotion.id} ({promotion.name})")


def _export_schemas(folder: Path) -> int:
    """Every schema under its own file name, so `$schema=…/promotions.schema.json`
    lines (and the schemas' references to each other) resolve in that folder."""
    folder.mkdir(parents=True, exist_ok=True)
    names = schema_names()
    for name in names:
        (folder / f"{name}.schema.json").write_text(
            json.dumps(load_schema(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    print(f"wrote {len(names)} schemas to {folder}")
    return 0


def _price(args: argparse.Namespace, *, explain: bool) -> int:
    documents = load_yaml(args.basket)
    problems: list[Problem] = []
    for document in documents:
        if not isinstance(document.data, dict) or document.data.get("kind") != "Basket":
            problems.append(document.problem("/kind", "expected kind: Basket"))
        else:
            problems.extend(validate_document(document, "basket"))
    if problems:
        raise DataFileError(problems)
    basket = documents[0].data
    store = (
        load_store((args.basket.parent / basket["store"]).resolve())
        if "store" in basket
        else _store_for(args.pack, None)
    )
    if store is None:
        raise DataFileError(
            [documents[0].problem("", "the basket needs a store (for its catalog)")]
        )
    pack = load_rule_pack(args.pack, store.catalog)
    at = args.at or _basket_moment(documents[0])
    priced = price_basket(pack, store.catalog, basket, at=at, timezone=store.timezone)
    output = priced_basket_json(priced, args.locale)
    if not explain:
        output.pop("rules")
    if args.json:
        print(json.dumps(output, indent=2, ensure_ascii=False))
    else:
        print(_text(priced, output, store.catalog, explain=explain), end="")
    return 0


def _text(priced: PricedBasket, output: dict[str, Any], catalog: Catalog, *, explain: bool) -> str:
    lines = []
    for line in output["lines"]:
        lines.append(
            f"{line['position']:>3} {line['name'][:28]:<28} {line['quantity']:>6} "
            f"{line['unit']:<3} {line['list_price']:>9} {line['price']:>9} {line['value']:>10}"
        )
        for adjustment in line["adjustments"]:
            lines.append(
                f"      - {adjustment['amount']:>9}  {adjustment['label']}  [{adjustment['rule']}]"
            )
    summary = output["summary"]
    lines.append(f"{'TOTAL':>60} {output['total']:>10} {output['currency']}")
    lines.append(
        f"discounts: items {summary['item_discounts']}, "
        f"basket {summary['threshold_discounts']}, operator {summary['operator_discounts']} "
        f"(before {summary['value_before']}, after {summary['value_after']})"
    )
    lines.extend(f"! {message}" for message in output["messages"])
    if explain:
        lines.append("")
        for rule in output["rules"]:
            mark = "applied    " if rule["applied"] else "not applied"
            lines.append(
                f"{mark} {rule['id']}: {rule['name']}"
                + (f" (-{rule['amount']})" if rule["applied"] else "")
            )
            lines.extend(f"              {reason}" for reason in rule["reasons"])
    return "\n".join(lines) + "\n"


def _basket_moment(document: SourceDocument) -> datetime:
    """The basket's `at:`, or now."""
    written = document.data.get("at")
    if written is None:
        return datetime.now(UTC)
    try:
        return inputs.moment(str(written))
    except InvalidInput as error:
        raise DataFileError([document.problem("/at", error.message)]) from None
