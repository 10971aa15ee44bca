"""A rule pack merged over the packs it extends, checked as a whole.

Merging, base first: a rule whose id already exists in an extended pack
replaces it (override); `disable: [ids]` in a Promotions document switches
extended rules off; other ids are added. Two rules with one id in the same
pack are an error, as is disabling an id no extended pack defines.

References to items, item groups, customers and customer groups are errors
when a store's catalog is given (a typo in a SKU would silently make a
promotion dead). Rules that can reach the same line with equal priority and
no declared stacking are reported as conflicts. Any error keeps the whole
pack out of use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cassa.engine.catalog import CatalogReferences
from cassa.engine.country import CountrySettings, country_from_pack
from cassa.engine.packs import Pack, load_pack
from cassa.engine.rules.conditions import ConditionError
from cassa.engine.rules.conflicts import Conflict, ConflictCache, find_conflicts
from cassa.engine.rules.promotions import Promotion, parse_promotion
from cassa.engine.rules.references import (
    LABELS,
    CatalogReference,
    KnownCodes,
    catalog_codes,
    condition_problems,
    condition_references,
)
from cassa.engine.rules.schedule import Schedule, parse_schedule
from cassa.engine.runtime import collector_paused
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument

if TYPE_CHECKING:
    from cassa.engine.fiscal import FiscalRules
    from cassa.engine.orders import OrderSettings
    from cassa.engine.payments import MoneySettings
    from cassa.engine.people import SecurityPolicy
    from cassa.engine.stock import StockRules
    from cassa.engine.taxes import TaxMechanisms
    from cassa.engine.taxfree import TaxFreeSettings

__all__ = ["Coupon", "Guard", "Guards", "Role", "RulePack", "check_conflicts", "load_rule_pack"]


@dataclass(frozen=True)
class Coupon:
    code: str
    rule: str
    name: str = ""
    single_use: bool = True
    max_uses: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    customer: str | None = None
    offline: bool = False
    schedule: Schedule | None = None

    @property
    def uses_allowed(self) -> int | None:
        return 1 if self.single_use else self.max_uses


@dataclass(frozen=True)
class Guard:
    min_price: Decimal | None = None
    max_discount_percent: Decimal | None = None


@dataclass
class Guards:
    items: dict[str, Guard] = field(default_factory=dict)
    groups: dict[str, Guard] = field(default_factory=dict)

    def for_line(self, sku: str | None, group_path: list[str]) -> list[Guard]:
        found = [self.items[sku]] if sku in self.items else []
        return found + [self.groups[g] for g in group_path if g in self.groups]


@dataclass(frozen=True)
class Role:
    code: str
    name: str = ""
    permissions: frozenset[str] = frozenset()
    max_line_discount_percent: Decimal | None = None
    max_header_discount_percent: Decimal | None = None
    max_discount_amount: Decimal | None = None


@dataclass
class RulePack:
    name: str
    path: Path
    chain: list[str]
    country: CountrySettings
    # By stage, then Promotion.order: the order they apply in, sorted once at loading.
    promotions: list[Promotion] = field(default_factory=list)
    coupons: dict[str, Coupon] = field(default_factory=dict)
    guards: Guards = field(default_factory=Guards)
    roles: dict[str, Role] = field(default_factory=dict)
    sources: dict[str, tuple[str, int, int]] = field(
        default_factory=dict
    )  # rule id -> file, line, col
    pointers: dict[str, str] = field(default_factory=dict)  # rule id -> JSON pointer
    raw_rules: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # merged YAML, for `rules show`
    warnings: list[Problem] = field(default_factory=list)
    store: Path | None = None
    # People (cassa.engine.people): every permission name a role may list, and the
    # Security document's password, lockout and employee-editing settings.
    permissions: frozenset[str] = frozenset()
    security: SecurityPolicy | None = None
    # Country packs: reverse charge and split payment (TaxMechanisms, cassa.engine.taxes);
    # the fiscal printer and the hash chain with its closings (FiscalRules, cassa.engine.fiscal).
    taxes: TaxMechanisms | None = None
    fiscal: FiscalRules | None = None
    # Tenders, TenderRules, CashRules and SafeRules (cassa.engine.payments, .cash).
    money: MoneySettings | None = None
    # Deposits on orders and cancelling them (Orders, cassa.engine.orders).
    orders: OrderSettings | None = None
    # StockRules: the negative stock policy per item group (cassa.engine.stock).
    stock: StockRules | None = None
    # TAX FREE forms for travellers (TaxFree, cassa.engine.taxfree): None issues none.
    tax_free: TaxFreeSettings | None = None

    def promotion(self, rule_id: str) -> Promotion:
        for promotion in self.promotions:
            if promotion.id == rule_id:
                return promotion
        raise KeyError(rule_id)


def load_rule_pack(reference: str | Path, catalog: CatalogReferences | None = None) -> RulePack:
    """Load, merge and check a pack; raise DataFileError listing every problem."""
    with collector_paused():
        return _load_rule_pack(reference, catalog)


def _load_rule_pack(reference: str | Path, catalog: CatalogReferences | None) -> RulePack:
    problems: list[Problem] = []
    pack = load_pack(reference, problems_out=problems)
    try:
        country = country_from_pack(pack)
    except DataFileError as error:
        errors = [p for p in problems if p.severity == "error"]
        if errors and not pack.of_kind("Country"):  # a broken chain, already reported
            raise DataFileError(errors) from None
        raise DataFileError(errors + error.problems) from None
    result = RulePack(pack.name, pack.path, pack.chain, country)
    store_doc = next((d for d in reversed(pack.of_kind("Pack")) if "store" in d.data), None)
    if store_doc is not None:
        result.store = resolve_store(store_doc)
    by_id: dict[str, Promotion] = {}
    level_of: dict[str, str] = {}
    for document in pack.documents:
        kind = document.data["kind"]
        level = str(Path(document.file).parent)
        if kind == "Promotions":
            problems.extend(_merge_promotions(document, level, by_id, level_of, result))
        elif kind == "Coupons":
            for index, spec in enumerate(document.data["coupons"]):
                result.coupons[spec["code"]] = _coupon(spec)
                result.sources[f"coupon:{spec['code']}"] = (
                    document.file,
                    *document.mark(f"/coupons/{index}"),
                )
        elif kind == "PriceGuards":
            for spec in document.data.get("items", ()):
                result.guards.items[spec["sku"]] = _guard(spec)
            for spec in document.data.get("groups", ()):
                result.guards.groups[spec["group"]] = _guard(spec)
        elif kind == "Roles":
            for spec in document.data["roles"]:
                result.roles[spec["code"]] = _role(spec)
    result.promotions = sorted(by_id.values(), key=lambda p: (p.stage, p.order))
    problems.extend(_check_coupons(pack, result))
    problems.extend(_check_people(pack, result))
    problems.extend(_check_country_rules(pack, result))
    problems.extend(_check_money_rules(pack, result, catalog))
    problems.extend(_check_order_rules(pack, result))
    problems.extend(_check_tax_free(pack, result))
    problems.extend(condition_problems(pack, result))
    problems.extend(_check_stock_rules(pack, result, catalog))
    if catalog is not None:
        problems.extend(_check_references(pack, result, catalog_codes(catalog)))
        problems.extend(_check_gifts(pack, result, catalog))
        problems.extend(check_conflicts(result, catalog))
    errors = [p for p in problems if p.severity == "error"]
    result.warnings = [p for p in problems if p.severity == "warning"]
    if errors:
        raise DataFileError(errors)
    return result


def resolve_store(document: SourceDocument) -> Path:
    return (Path(document.file).parent / str(document.data["store"])).resolve()


def _merge_promotions(
    document: SourceDocument,
    level: str,
    by_id: dict[str, Promotion],
    level_of: dict[str, str],
    result: RulePack,
) -> list[Problem]:
    problems: list[Problem] = []
    for index, rule_id in enumerate(document.data.get("disable", ())):
        if rule_id not in by_id or level_of[rule_id] == level:
            problems.append(
                document.problem(f"/disable/{index}", f"no extended pack defines rule '{rule_id}'")
            )
            continue
        del by_id[rule_id]
        result.raw_rules.pop(rule_id, None)
    for index, spec in enumerate(document.data.get("rules", ())):
        at = f"/rules/{index}"
        rule_id = spec["id"]
        if rule_id in by_id and level_of[rule_id] == level:
            first = result.sources[rule_id]
            problems.append(
                document.problem(
                    f"{at}/id",
                    f"rule id '{rule_id}' is used twice in this pack "
                    f"(first at {first[0]}:{first[1]})",
                )
            )
            continue
        try:
            promotion = parse_promotion(spec, at)
        except ConditionError as error:
            problems.append(document.problem(error.at, error.message))
            continue
        problems.extend(_check_rule_shape(document, at, spec, promotion))
        by_id[rule_id] = promotion
        level_of[rule_id] = level
        result.sources[rule_id] = (document.file, *document.mark(at))
        result.pointers[rule_id] = at
        result.raw_rules[rule_id] = spec
    return problems


def _check_rule_shape(
    document: SourceDocument, at: str, spec: dict[str, Any], promotion: Promotion
) -> list[Problem]:
    """What the schema cannot say: field combinations that make no sense."""
    problems = []
    bundle = promotion.bundle
    if bundle is not None:
        if bundle.price is None and bundle.discount is None:
            problems.append(
                document.problem(f"{at}/bundle", "a bundle needs a price for the set or a discount")
            )
        if bundle.kind == "flexible" and bundle.min_quantity is None and bundle.min_value is None:
            problems.append(
                document.problem(
                    f"{at}/bundle", "a flexible bundle needs min_quantity or min_value"
                )
            )
    if (
        promotion.gift is not None
        and any(t.discount for t in promotion.thresholds)
        and len(promotion.thresholds) > 1
    ):
        problems.append(document.problem(f"{at}/gift", "a gift goes with one threshold"))
    if (
        promotion.type.value == "basket_threshold"
        and promotion.gift is None
        and any(t.discount is None for t in promotion.thresholds)
    ):
        problems.append(
            document.problem(
                f"{at}/thresholds", "each threshold needs a discount (or the rule a gift)"
            )
        )
    return problems


def _coupon(spec: dict[str, Any]) -> Coupon:
    return Coupon(
        code=spec["code"],
        rule=spec["rule"],
        name=spec.get("name", ""),
        single_use=spec.get("single_use", True),
        max_uses=spec.get("max_uses"),
        valid_from=date.fromisoformat(spec["valid_from"]) if "valid_from" in spec else None,
        valid_to=date.fromisoformat(spec["valid_to"]) if "valid_to" in spec else None,
        customer=spec.get("customer"),
        offline=spec.get("offline", False),
        schedule=parse_schedule(spec["schedule"]) if "schedule" in spec else None,
    )


def _guard(spec: dict[str, Any]) -> Guard:
    return Guard(
        min_price=Decimal(str(spec["min_price"])) if "min_price" in spec else None,
        max_discount_percent=Decimal(str(spec["max_discount_percent"]))
        if "max_discount_percent" in spec
        else None,
    )


def _role(spec: dict[str, Any]) -> Role:
    limits = spec.get("limits", {})

    def limit(key: str) -> Decimal | None:
        return Decimal(str(limits[key])) if key in limits else None

    return Role(
        code=spec["code"],
        name=spec.get("name", spec["code"]),
        permissions=frozenset(spec.get("permissions", ())),
        max_line_discount_percent=limit("max_line_discount_percent"),
        max_header_discount_percent=limit("max_header_discount_percent"),
        max_discount_amount=limit("max_discount_amount"),
    )


def _check_people(pack: Pack, result: RulePack) -> list[Problem]:
    """Known permission names (built-in, declared in Roles, or a manual promotion's
    authorization): a role listing any other name is an error. Then the Security policy."""
    from cassa.engine.people import BUILTIN_PERMISSIONS, security_policy

    declared = {
        spec["name"] for d in pack.of_kind("Roles") for spec in d.data.get("permissions", ())
    }
    authorizations = {p.authorization for p in result.promotions if p.authorization}
    result.permissions = frozenset(BUILTIN_PERMISSIONS | declared | authorizations)
    result.security = security_policy(d.data for d in pack.of_kind("Security"))
    problems = []
    known = ", ".join(sorted(result.permissions))
    for document in pack.of_kind("Roles"):
        for index, spec in enumerate(document.data["roles"]):
            for position, name in enumerate(spec.get("permissions", ())):
                if name not in result.permissions:
                    problems.append(
                        document.problem(
                            f"/roles/{index}/permissions/{position}",
                            f"unknown permission '{name}' (known: {known})",
                        )
                    )
    for document in pack.of_kind("Security"):
        if document.data.get("cards", {}).get("login") == "card":
            problems.append(
                document.problem(
                    "/cards/login",
                    "the card alone logs in, without a PIN: a lost or copied card is "
                    "enough to work as its holder (card_and_pin asks for the PIN too)",
                    severity="warning",
                )
            )
    return problems


def _check_stock_rules(
    pack: Pack, result: RulePack, catalog: CatalogReferences | None
) -> list[Problem]:
    from cassa.engine.stock import stock_rules

    result.stock, problems = stock_rules(pack, catalog)
    return problems


def _check_country_rules(pack: Pack, result: RulePack) -> list[Problem]:
    """TaxMechanisms and FiscalRules, merged and checked with the rest of the pack."""
    from cassa.engine.fiscal import fiscal_rules
    from cassa.engine.taxes import tax_mechanisms

    result.taxes, problems = tax_mechanisms(pack, result.country)
    result.fiscal, found = fiscal_rules(pack)
    return problems + found


def _check_money_rules(
    pack: Pack, result: RulePack, catalog: CatalogReferences | None
) -> list[Problem]:
    """Tenders, TenderRules, CashRules and SafeRules, checked with the rest of the pack."""
    from cassa.engine.payments import settings_from_pack

    try:
        result.money = settings_from_pack(pack, result, catalog)
    except DataFileError as error:
        return list(error.problems)
    return []


def _check_order_rules(pack: Pack, result: RulePack) -> list[Problem]:
    """Orders, checked against the voucher kinds the Tenders declare."""
    from cassa.engine.orders import order_settings

    kinds = frozenset(result.money.voucher_kinds) if result.money is not None else frozenset()
    result.orders, problems = order_settings(pack, kinds)
    return problems


def _check_tax_free(pack: Pack, result: RulePack) -> list[Problem]:
    from cassa.engine.taxfree import tax_free_settings

    result.tax_free, problems = tax_free_settings(pack)
    return problems


def _documents_of(pack: Pack, kind: str) -> list[SourceDocument]:
    return pack.of_kind(kind)


def _check_coupons(pack: Pack, result: RulePack) -> list[Problem]:
    problems = []
    coupon_rules = {p.id for p in result.promotions if p.coupon}
    for document in _documents_of(pack, "Coupons"):
        for index, spec in enumerate(document.data["coupons"]):
            if spec["rule"] not in coupon_rules:
                why = (
                    "is not a coupon rule (coupon: true)"
                    if any(p.id == spec["rule"] for p in result.promotions)
                    else "does not exist"
                )
                problems.append(
                    document.problem(f"/coupons/{index}/rule", f"rule '{spec['rule']}' {why}")
                )
    return problems


def _check_references(pack: Pack, result: RulePack, known: KnownCodes) -> list[Problem]:
    """SKUs, item groups, customers and customer groups named anywhere in the pack,
    asked of the catalog once per kind."""
    documents = {d.file: d for d in pack.documents}
    wanted: list[CatalogReference] = []
    for promotion in result.promotions:
        document = documents[result.sources[promotion.id][0]]
        for kind, references in promotion.references.items():
            wanted.extend(CatalogReference(document, at, kind, code) for at, code in references)
    for document in _documents_of(pack, "PriceGuards"):
        for field_, key, kind in (("items", "sku", "items"), ("groups", "group", "groups")):
            for index, spec in enumerate(document.data.get(field_, ())):
                wanted.append(
                    CatalogReference(document, f"/{field_}/{index}/{key}", kind, spec[key])
                )
    for document in _documents_of(pack, "Coupons"):
        for index, spec in enumerate(document.data["coupons"]):
            if "customer" in spec:
                at = f"/coupons/{index}/customer"
                wanted.append(CatalogReference(document, at, "customers", spec["customer"]))
    wanted.extend(condition_references(pack))
    unknown = {
        kind: known.unknown(kind, {r.code for r in wanted if r.kind == kind}) for kind in LABELS
    }
    return [
        r.document.problem(r.at, f"unknown {LABELS[r.kind]} '{r.code}'")
        for r in wanted
        if r.code in unknown[r.kind]
    ]


def _check_gifts(pack: Pack, result: RulePack, catalog: CatalogReferences) -> list[Problem]:
    """A gift priced above its item's list price would be sold dearer than without the
    promotion (the applicator gives no discount rather than a surcharge): an error."""
    documents = {d.file: d for d in pack.documents}
    problems = []
    for promotion in result.promotions:
        gift = promotion.gift
        if gift is None or gift.item in ("cheapest", "most_expensive"):
            continue
        item = catalog.item(gift.item)
        if item is None or gift.fixed_price <= item.list_price:
            continue  # an unknown SKU is reported by the references' check
        document = documents[result.sources[promotion.id][0]]
        problems.append(
            document.problem(
                f"{result.pointers[promotion.id]}/gift/fixed_price",
                f"the gift's price {gift.fixed_price:f} is above the list price "
                f"{item.list_price:f} of {gift.item}: a gift may cost at most its list price",
            )
        )
    return problems


_CONFLICTS = ConflictCache()


def check_conflicts(result: RulePack, catalog: CatalogReferences) -> list[Problem]:
    """Rules that can reach one line, live together, at equal priority, with no
    declared way to combine (cassa.engine.rules.conflicts); once per pack version."""
    reach = catalog  # items by SKU and by group, from memory or the database's indexes
    key = ConflictCache.key(result.raw_rules, result.sources, reach.digest())
    cached = _CONFLICTS.get(key)
    if cached is not None:
        return cached
    problems = [
        _conflict_problem(result, conflict) for conflict in find_conflicts(result.promotions, reach)
    ]
    _CONFLICTS.put(key, problems)
    return problems


def _conflict_problem(result: RulePack, conflict: Conflict) -> Problem:
    first, second = sorted(
        (conflict.first, conflict.second), key=lambda rule_id: result.sources[rule_id][:2]
    )
    file, line, column = result.sources[second]
    shared = ", ".join(conflict.shared)
    groups = f" (groups {', '.join(conflict.groups)})" if conflict.groups else ""
    return Problem(
        file,
        line,
        column,
        result.pointers[second],
        f"rules '{first}' ({_where(result, first)}) and '{second}' ({_where(result, second)}) "
        f"can both apply to {shared}{groups} with priority {conflict.priority}, "
        f"live together {conflict.live}: {conflict.why}; declare stacking (add, multiply, "
        "exclusive with combines_with) or give them different priorities",
        rule_id=second,
    )


def _where(result: RulePack, rule_id: str) -> str:
    file, line, _ = result.sources[rule_id]
    return f"{Path(file).name}:{line}"
