"""The money side of a rule pack: tenders, tender rules, cash rules and safe rules.

Four YAML kinds, merged over the pack chain base first, like promotions:

- `Tenders`: the ways of paying (a tender with the code of an extended pack's
  tender replaces it; `disable: [codes]` removes some), exchange rates to the
  system currency, banknotes and coins per currency, own voucher kinds;
- `TenderRules`: conditions over the sale's context that limit the tenders
  (split payment: bank transfer only), each with the notice the till shows;
- `CashRules`: till or shift work, mandatory counting, the permissions asked;
- `SafeRules`: whether closings fill the safe, and the reminders it raises.

Every problem (an unknown tender, currency, item or message) is collected and
raised at once as `file:line:col: /pointer: message`; a pack with one is not used.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cassa.engine.catalog import CatalogReferences, ItemType
from cassa.engine.messages import CATALOG
from cassa.engine.money import Currency, to_decimal
from cassa.engine.packs import Pack, load_pack
from cassa.engine.patterns import PatternError, compile_pattern, fullmatch
from cassa.engine.rules.conditions import (
    TRUE,
    All,
    Any_,
    Condition,
    ConditionError,
    Leaf,
    Op,
    parse_condition,
)
from cassa.engine.rules.rulepack import RulePack
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument
from cassa.i18n import _

__all__ = [
    "CashRules",
    "MoneySettings",
    "ReminderRule",
    "SafeRules",
    "Tender",
    "TenderRule",
    "TenderType",
    "VoucherKind",
    "WorkMode",
    "money_settings",
    "settings_from_pack",
]


class TenderType(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CHEQUE = "cheque"
    OWN_VOUCHER = "own_voucher"
    EXTERNAL_VOUCHER = "external_voucher"
    MEAL_VOUCHER = "meal_voucher"
    SOCIAL_VOUCHER = "social_voucher"
    GIFT_CARD = "gift_card"


PAPER = {
    TenderType.CASH,
    TenderType.CHEQUE,
    TenderType.OWN_VOUCHER,
    TenderType.EXTERNAL_VOUCHER,
    TenderType.MEAL_VOUCHER,
    TenderType.SOCIAL_VOUCHER,
}
SAFE_BY_DEFAULT = PAPER - {TenderType.OWN_VOUCHER}
THIRD_PARTY_VOUCHERS = {
    TenderType.EXTERNAL_VOUCHER,
    TenderType.MEAL_VOUCHER,
    TenderType.SOCIAL_VOUCHER,
}


@dataclass(frozen=True)
class Tender:
    """A way of paying. `opens_drawer` and `code` are what the drawer looks at."""

    code: str
    type: TenderType
    name: str
    currencies: tuple[str, ...]
    opens_drawer: bool
    record_change: bool
    in_safe: bool
    counted: bool
    active: bool = True
    validation: str = "none"
    eligible: Condition | None = None
    daily_limit: Decimal | None = None
    number_pattern: str | None = None
    grace_days: int = 0
    topup_vat: str | None = None

    @property
    def is_cash(self) -> bool:
        return self.type is TenderType.CASH

    @property
    def needs_number(self) -> bool:
        return self.type in (
            TenderType.CHEQUE,
            TenderType.OWN_VOUCHER,
            TenderType.MEAL_VOUCHER,
            TenderType.SOCIAL_VOUCHER,
            TenderType.GIFT_CARD,
        )

    def matches_number(self, number: str) -> Any:
        """The match of the number (with its named groups), or None; RE2 (cassa.engine.patterns)."""
        return fullmatch(self.number_pattern or ".+", number)


@dataclass(frozen=True)
class VoucherKind:
    """A kind (genere) of own voucher: how it is sold and used."""

    code: str
    name: str
    tender: str
    multi_use: bool
    item: str | None = None
    value: Decimal | None = None
    change: bool = False
    sale: str = "receipt"  # receipt, debit_note
    number_pattern: str | None = None
    valid_days: int | None = None


@dataclass(frozen=True)
class TenderRule:
    """When `when` holds, payments (in `currencies`, or any) are limited to or refuse tenders."""

    id: str
    name: str
    when: Condition
    only: frozenset[str] | None = None
    only_types: frozenset[TenderType] | None = None
    deny: frozenset[str] = frozenset()
    deny_types: frozenset[TenderType] = frozenset()
    currencies: frozenset[str] | None = None
    message: str | None = None
    notice: str | None = None
    # a cap, not a refusal: the tenders it names pay at most `cap` of the document together;
    # the rest goes to another tender (Spain: cash below 1,000 EUR between businesses)
    cap: Decimal | None = None
    cap_tenders: frozenset[str] = frozenset()
    cap_types: frozenset[TenderType] = frozenset()

    def caps(self, tender: Tender) -> bool:
        return self.cap is not None and (
            tender.code in self.cap_tenders or tender.type in self.cap_types
        )

    def refuses(self, tender: Tender, currency: str) -> bool:
        if self.currencies is not None and currency not in self.currencies:
            return False
        if tender.code in self.deny or tender.type in self.deny_types:
            return True
        if self.only is None and self.only_types is None:
            return False
        return not (
            (self.only is not None and tender.code in self.only)
            or (self.only_types is not None and tender.type in self.only_types)
        )


class WorkMode(StrEnum):
    TILL = "till"
    SHIFTS = "shifts"


@dataclass(frozen=True)
class CashRules:
    work_mode: WorkMode = WorkMode.TILL
    mandatory_count: bool = False
    difference_permission: str = "close_day_with_difference"
    close_other_shift_permission: str = "close_other_shift"
    open_drawer_permission: str = "open_drawer"
    void_card_permission: str = "void_card_payment"
    manual_refund_permission: str = "manual_refund"


@dataclass(frozen=True)
class ReminderRule:
    """An operational rule: when its condition holds, the till shows its reminder."""

    id: str
    type: str  # safe_balance, safe_time, drawer_balance
    condition: Condition
    limit: Decimal | None = None
    hours: int | None = None
    tender: str | None = None
    name: str = ""


@dataclass(frozen=True)
class SafeRules:
    enabled: bool = False
    reminders: tuple[ReminderRule, ...] = ()


@dataclass(frozen=True)
class MoneySettings:
    currency: Currency  # the system currency
    currencies: dict[str, Currency]
    tenders: dict[str, Tender]
    exchange_rates: dict[str, Decimal]  # value of one unit in the system currency
    denominations: dict[str, tuple[Decimal, ...]]
    voucher_kinds: dict[str, VoucherKind]
    tender_rules: tuple[TenderRule, ...] = ()
    cash: CashRules = field(default_factory=CashRules)
    safe: SafeRules = field(default_factory=SafeRules)

    def tender(self, code: str) -> Tender:
        from cassa.engine.errors import NotFound

        tender = self.tenders.get(code)
        if tender is None or not tender.active:
            known = ", ".join(t.code for t in self.tenders.values() if t.active)
            raise NotFound(
                _("no tender '{code}' at this till (tenders: {known})", code=code, known=known)
            )
        return tender

    def currency_of(self, code: str | None) -> Currency:
        from cassa.engine.errors import NotFound

        if code is None or code == self.currency.code:
            return self.currency
        if code not in self.currencies or code not in self.exchange_rates:
            raise NotFound(
                _("no exchange rate for {code}: declare it in the pack's Tenders", code=code)
            )
        return self.currencies[code]

    def rate(self, currency: str) -> Decimal:
        if currency == self.currency.code:
            return Decimal(1)
        self.currency_of(currency)
        return self.exchange_rates[currency]

    def to_system(self, amount: Decimal, currency: str) -> Decimal:
        """An amount in `currency` in the system currency, rounded to its minor units."""
        return self.currency.round(amount * self.rate(currency))

    def tenders_of(self, kind: TenderType) -> list[Tender]:
        return [t for t in self.tenders.values() if t.type is kind and t.active]

    def voucher_kind_for_item(self, sku: str) -> VoucherKind | None:
        return next((k for k in self.voucher_kinds.values() if k.item == sku), None)


_CACHE: OrderedDict[int, tuple[RulePack, MoneySettings]] = OrderedDict()
_CACHED_PACKS = 32  # the packs of the tills of one process, and a few reloads


def money_settings(pack: RulePack, catalog: CatalogReferences | None = None) -> MoneySettings:
    """The money settings of a loaded rule pack: checked and kept by `load_rule_pack`
    (a pack built otherwise has them read here, once per pack object)."""
    if pack.money is not None:
        return pack.money
    cached = _CACHE.get(id(pack))
    if cached is not None and cached[0] is pack:
        _CACHE.move_to_end(id(pack))
        return cached[1]
    settings = settings_from_pack(load_pack(pack.path), pack, catalog)
    _CACHE[id(pack)] = (pack, settings)
    while len(_CACHE) > _CACHED_PACKS:
        _CACHE.popitem(last=False)
    return settings


def settings_from_pack(
    pack: Pack, rule_pack: RulePack, catalog: CatalogReferences | None = None
) -> MoneySettings:
    country = rule_pack.country
    problems: list[Problem] = []
    tenders: dict[str, Tender] = {}
    rates: dict[str, Decimal] = {}
    denominations: dict[str, tuple[Decimal, ...]] = {}
    kinds: dict[str, tuple[VoucherKind, SourceDocument, str]] = {}
    tender_docs: dict[str, tuple[SourceDocument, str]] = {}
    for document in pack.of_kind("Tenders"):
        data = document.data
        for index, code in enumerate(data.get("disable", ())):
            if code not in tenders:
                problems.append(
                    document.problem(f"/disable/{index}", f"no extended pack declares '{code}'")
                )
            tenders.pop(code, None)
        for index, spec in enumerate(data.get("tenders", ())):
            at = f"/tenders/{index}"
            try:
                tenders[spec["code"]] = _tender(spec, country.currency.code, at)
            except ConditionError as error:
                problems.append(document.problem(error.at, error.message))
                continue
            tender_docs[spec["code"]] = (document, at)
        for code, rate in data.get("exchange_rates", {}).items():
            rates[code] = Decimal(str(rate))
        for code, values in data.get("denominations", {}).items():
            denominations[code] = tuple(sorted((Decimal(str(v)) for v in values), reverse=True))
        for index, spec in enumerate(data.get("voucher_kinds", ())):
            kinds[spec["code"]] = (_voucher_kind(spec), document, f"/voucher_kinds/{index}")
    problems.extend(
        _check_tenders(
            tenders, tender_docs, country.currency.code, country.currencies, rates, catalog
        )
    )
    for code, (kind, document, at) in kinds.items():
        tender = tenders.get(kind.tender)
        if tender is None or tender.type is not TenderType.OWN_VOUCHER:
            problems.append(
                document.problem(f"{at}/tender", f"'{kind.tender}' is not an own_voucher tender")
            )
        if kind.item is not None and catalog is not None:
            item = catalog.item(kind.item)
            if item is None:
                problems.append(document.problem(f"{at}/item", f"unknown SKU '{kind.item}'"))
            elif item.type is not ItemType.VOUCHER:
                problems.append(
                    document.problem(f"{at}/item", f"item {kind.item} is not of type voucher")
                )
        for pattern_at, pattern in (("number_pattern", kind.number_pattern),):
            if pattern is not None:
                problems.extend(_check_pattern(document, f"{at}/{pattern_at}", pattern))
        del code
    rules, rule_problems = _tender_rules(pack, tenders)
    problems.extend(rule_problems)
    cash = _cash_rules(pack)
    safe, safe_problems = _safe_rules(pack, tenders)
    problems.extend(safe_problems)
    if problems:
        raise DataFileError(problems)
    return MoneySettings(
        currency=country.currency,
        currencies=dict(country.currencies),
        tenders=tenders,
        exchange_rates=rates,
        denominations=denominations,
        voucher_kinds={code: kind for code, (kind, _, _) in kinds.items()},
        tender_rules=tuple(rules),
        cash=cash,
        safe=safe,
    )


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _tender(spec: Mapping[str, Any], system: str, at: str) -> Tender:
    kind = TenderType(spec["type"])
    eligible = None
    if "eligible" in spec:
        eligible = scope_condition(spec["eligible"])
    return Tender(
        code=spec["code"],
        type=kind,
        name=spec.get("name", spec["code"]),
        currencies=tuple(spec.get("currencies", (system,))),
        opens_drawer=spec.get("opens_drawer", kind is TenderType.CASH),
        record_change=spec.get("record_change", False),
        in_safe=spec.get("in_safe", kind in SAFE_BY_DEFAULT),
        counted=spec.get("counted", kind in PAPER),
        active=spec.get("active", True),
        validation=spec.get("validation", "none"),
        eligible=eligible,
        daily_limit=_decimal(spec["daily_limit"]) if "daily_limit" in spec else None,
        number_pattern=spec.get("number_pattern"),
        grace_days=spec.get("grace_days", 0),
        topup_vat=spec.get("topup_vat"),
    )


def scope_condition(scope: Mapping[str, Any]) -> Condition:
    """`{items: [...], groups: [...], exclude_items, exclude_groups}` as a line condition."""
    chosen: list[Condition] = []
    if scope.get("items"):
        chosen.append(Leaf("line.sku", Op.IN, tuple(scope["items"])))
    chosen.extend(Leaf("line.groups", Op.CONTAINS, g) for g in scope.get("groups", ()))
    parts: list[Condition] = []
    if len(chosen) == 1:
        parts.append(chosen[0])
    elif chosen:
        parts.append(Any_(tuple(chosen)))
    if scope.get("exclude_items"):
        parts.append(Leaf("line.sku", Op.NOT_IN, tuple(scope["exclude_items"])))
    parts.extend(Leaf("line.groups", Op.NOT_CONTAINS, g) for g in scope.get("exclude_groups", ()))
    return All(tuple(parts)) if parts else TRUE


def _voucher_kind(spec: Mapping[str, Any]) -> VoucherKind:
    return VoucherKind(
        code=spec["code"],
        name=spec.get("name", spec["code"]),
        tender=spec["tender"],
        multi_use=spec["use"] == "multi",
        item=spec.get("item"),
        value=_decimal(spec["value"]) if "value" in spec else None,
        change=spec.get("change", False),
        sale=spec.get("sale", "receipt"),
        number_pattern=spec.get("number_pattern"),
        valid_days=spec.get("valid_days"),
    )


def _check_pattern(document: SourceDocument, at: str, pattern: str) -> list[Problem]:
    try:
        compile_pattern(pattern)
    except PatternError as error:
        return [document.problem(at, str(error))]
    return []


def _check_tenders(
    tenders: dict[str, Tender],
    docs: dict[str, tuple[SourceDocument, str]],
    system: str,
    currencies: Mapping[str, Currency],
    rates: Mapping[str, Decimal],
    catalog: CatalogReferences | None,
) -> list[Problem]:
    problems: list[Problem] = []
    for code, tender in tenders.items():
        document, at = docs[code]
        for index, currency in enumerate(tender.currencies):
            if currency not in currencies:
                problems.append(
                    document.problem(
                        f"{at}/currencies/{index}", f"currency {currency} is not declared"
                    )
                )
            elif currency != system and currency not in rates:
                problems.append(
                    document.problem(
                        f"{at}/currencies/{index}",
                        f"no exchange rate for {currency}: add it to exchange_rates",
                    )
                )
        if tender.number_pattern is not None:
            problems.extend(_check_pattern(document, f"{at}/number_pattern", tender.number_pattern))
            if tender.type is TenderType.SOCIAL_VOUCHER and "(?P<year>" not in (
                tender.number_pattern
            ):
                problems.append(
                    document.problem(
                        f"{at}/number_pattern",
                        "a social voucher's pattern names the year: (?P<year>[0-9]{4})",
                    )
                )
        if tender.type is TenderType.MEAL_VOUCHER and tender.eligible is None:
            problems.append(
                document.problem(at, "a meal voucher tender names the items it pays (eligible)")
            )
        if tender.eligible is not None and catalog is not None:
            spec = document.data["tenders"][int(at.rsplit("/", 1)[1])]["eligible"]
            for key, missing, label in (
                ("items", catalog.missing_skus, "SKU"),
                ("exclude_items", catalog.missing_skus, "SKU"),
                ("groups", catalog.missing_groups, "item group"),
                ("exclude_groups", catalog.missing_groups, "item group"),
            ):
                unknown = missing(spec.get(key, ()))
                for index, value in enumerate(spec.get(key, ())):
                    if value in unknown:
                        problems.append(
                            document.problem(
                                f"{at}/eligible/{key}/{index}", f"unknown {label} '{value}'"
                            )
                        )
    return problems


def _tender_rules(pack: Pack, tenders: dict[str, Tender]) -> tuple[list[TenderRule], list[Problem]]:
    problems: list[Problem] = []
    rules: dict[str, TenderRule] = {}
    for document in pack.of_kind("TenderRules"):
        data = document.data
        for index, rule_id in enumerate(data.get("disable", ())):
            if rule_id not in rules:
                problems.append(
                    document.problem(
                        f"/disable/{index}", f"no extended pack defines rule '{rule_id}'"
                    )
                )
            rules.pop(rule_id, None)
        seen: set[str] = set()
        for index, spec in enumerate(data.get("rules", ())):
            at = f"/rules/{index}"
            if spec["id"] in seen:
                problems.append(
                    document.problem(f"{at}/id", f"rule id '{spec['id']}' is used twice")
                )
                continue
            seen.add(spec["id"])
            try:
                when = parse_condition(spec["when"], "context", f"{at}/when")
            except ConditionError as error:
                problems.append(document.problem(error.at, error.message))
                continue
            for key in ("only", "deny"):
                for position, code in enumerate(spec.get(key, ())):
                    if code not in tenders:
                        problems.append(
                            document.problem(f"{at}/{key}/{position}", f"unknown tender '{code}'")
                        )
            if not any(k in spec for k in ("only", "only_types", "deny", "deny_types", "cap")):
                problems.append(
                    document.problem(
                        at, "a tender rule needs only, only_types, deny, deny_types or cap"
                    )
                )
            for position, code in enumerate(spec.get("cap", {}).get("tenders", ())):
                if code not in tenders:
                    problems.append(
                        document.problem(f"{at}/cap/tenders/{position}", f"unknown tender '{code}'")
                    )
            message = spec.get("message")
            if message is not None and message not in CATALOG:
                problems.append(
                    document.problem(f"{at}/message", f"no message '{message}' in the catalog")
                )
            rules[spec["id"]] = TenderRule(
                id=spec["id"],
                name=spec.get("name", spec["id"]),
                when=when,
                only=frozenset(spec["only"]) if "only" in spec else None,
                only_types=frozenset(TenderType(t) for t in spec["only_types"])
                if "only_types" in spec
                else None,
                deny=frozenset(spec.get("deny", ())),
                deny_types=frozenset(TenderType(t) for t in spec.get("deny_types", ())),
                currencies=frozenset(spec["currencies"]) if "currencies" in spec else None,
                message=message,
                notice=spec.get("notice"),
                cap=to_decimal(str(spec["cap"]["amount"])) if "cap" in spec else None,
                cap_tenders=frozenset(spec.get("cap", {}).get("tenders", ())),
                cap_types=frozenset(TenderType(t) for t in spec.get("cap", {}).get("types", ())),
            )
    return list(rules.values()), problems


def _cash_rules(pack: Pack) -> CashRules:
    values: dict[str, Any] = {}
    for document in pack.of_kind("CashRules"):
        values.update({k: v for k, v in document.data.items() if k not in _HEADER})
    if "work_mode" in values:
        values["work_mode"] = WorkMode(values["work_mode"])
    return CashRules(**values)


_HEADER = {"apiVersion", "kind", "description"}


def _safe_rules(pack: Pack, tenders: dict[str, Tender]) -> tuple[SafeRules, list[Problem]]:
    problems: list[Problem] = []
    enabled = False
    reminders: dict[str, ReminderRule] = {}
    for document in pack.of_kind("SafeRules"):
        data = document.data
        enabled = data.get("enabled", enabled)
        for index, rule_id in enumerate(data.get("disable", ())):
            if rule_id not in reminders:
                problems.append(
                    document.problem(f"/disable/{index}", f"no extended pack defines '{rule_id}'")
                )
            reminders.pop(rule_id, None)
        for index, spec in enumerate(data.get("reminders", ())):
            at = f"/reminders/{index}"
            kind = spec["type"]
            needed = "hours" if kind == "safe_time" else "limit"
            if needed not in spec:
                problems.append(document.problem(at, f"a {kind} reminder needs {needed}"))
                continue
            tender = spec.get("tender")
            if tender is not None and tender not in tenders:
                problems.append(document.problem(f"{at}/tender", f"unknown tender '{tender}'"))
                continue
            try:
                extra = (
                    parse_condition(spec["when"], "context", f"{at}/when")
                    if "when" in spec
                    else TRUE
                )
            except ConditionError as error:
                problems.append(document.problem(error.at, error.message))
                continue
            fact = _reminder_fact(kind, tender)
            threshold = (
                Leaf(fact, Op.GTE, Decimal(spec["hours"]))
                if kind == "safe_time"
                else Leaf(fact, Op.GTE, _decimal(spec["limit"]))
            )
            reminders[spec["id"]] = ReminderRule(
                id=spec["id"],
                type=kind,
                condition=All((threshold, extra)),
                limit=_decimal(spec["limit"]) if "limit" in spec else None,
                hours=spec.get("hours"),
                tender=tender,
                name=spec.get("name", spec["id"]),
            )
    return SafeRules(enabled=enabled, reminders=tuple(reminders.values())), problems


def _reminder_fact(kind: str, tender: str | None) -> str:
    if kind == "safe_time":
        return "safe.hours_since_bank_deposit"
    if kind == "safe_balance":
        return f"safe.balance.{tender}" if tender else "safe.balance"
    return f"drawer.balance.{tender}" if tender else "drawer.balance"
