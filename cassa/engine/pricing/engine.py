"""Pricing a sale: facts in, matches from the rules engine, adjustments out.

`Pricer` holds one compiled rule pack and keeps one match session per
document, so a scan re-evaluates one line fact and the context fact rather
than the whole basket. `PythonMatcher` evaluates the same trees in plain
Python: it explains why a rule did not apply and is the yardstick the
benchmarks compare the engine with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from cassa.engine.catalog import Catalog, Customer
from cassa.engine.documents import SaleInputs
from cassa.engine.errors import InvalidInput
from cassa.engine.pricing.applicator import (
    LineStageCache,
    Outcome,
    PricingResult,
    RuleMatches,
    apply_rules,
    plain,
)
from cassa.engine.pricing.facts import (
    FlatView,
    PricingLine,
    SaleContext,
    context_attributes,
    line_attributes,
    sku_quantities,
)
from cassa.engine.rules.conditions import Condition, Leaf, evaluate, leaves
from cassa.engine.rules.promotions import Promotion
from cassa.engine.rules.rulepack import Coupon, Role, RulePack
from cassa.i18n import Text, _

__all__ = ["Matcher", "Pricer", "PythonMatcher", "RuleExplanation"]


NO_INPUTS = SaleInputs()


class Matcher(Protocol):
    def match(
        self, key: str, lines: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]
    ) -> RuleMatches: ...

    def close(self, key: str) -> None: ...


class PythonMatcher:
    """Matches by evaluating every rule's trees on every fact."""

    def __init__(self, pack: RulePack) -> None:
        self.rules = [(p.id, p.scope, p.when) for p in pack.promotions]

    def match(
        self, key: str, lines: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]
    ) -> RuleMatches:
        view = FlatView(context)
        holding = frozenset(rule_id for rule_id, _scope, when in self.rules if evaluate(when, view))
        matched: dict[str, frozenset[str]] = {}
        for rule_id, scope, _when in self.rules:
            if scope is not None and rule_id in holding:
                matched[rule_id] = frozenset(
                    i for i, attrs in lines.items() if evaluate(scope, attrs)
                )
        return RuleMatches(matched, holding)

    def close(self, key: str) -> None:
        return None


@dataclass(frozen=True)
class RuleExplanation:
    rule_id: str
    name: str
    applied: bool
    amount: Decimal
    lines: list[str]
    reasons: list[Text]  # rendered in the reader's language
    shortfall: Decimal | None = None  # money a basket threshold still needs
    missing_units: Decimal | None = None  # units a tier or a bundle's next set still needs
    blocked_by: tuple[str, ...] = ()  # exclusive rules or bundles that took its lines


class Pricer:
    def __init__(self, pack: RulePack, catalog: Catalog, matcher: Matcher | None = None) -> None:
        self.pack = pack
        self.catalog = catalog
        self.matcher = matcher if matcher is not None else default_matcher(pack)
        self.currency = pack.country.currency
        self._caches: dict[str, LineStageCache] = {}

    # -- inputs -------------------------------------------------------------------
    def coupon(
        self, code: str, customer: Customer | None, now: datetime, *, online: bool = True
    ) -> Coupon:
        """The coupon for an entered code, if it may be used now; a clear refusal otherwise."""
        coupon = self.pack.coupons.get(code.strip())
        if coupon is None:
            raise InvalidInput(_("no coupon with code {code}", code=code))
        day = now.date()
        if coupon.valid_from and day < coupon.valid_from:
            raise InvalidInput(
                _(
                    "coupon {code} is valid from {valid_from}",
                    code=code,
                    valid_from=coupon.valid_from,
                )
            )
        if coupon.valid_to and day > coupon.valid_to:
            raise InvalidInput(
                _("coupon {code} expired on {valid_to}", code=code, valid_to=coupon.valid_to)
            )
        if coupon.schedule is not None and not coupon.schedule.is_active(now):
            raise InvalidInput(
                _(
                    "coupon {code} is not valid now: {why_inactive}",
                    code=code,
                    why_inactive=coupon.schedule.why_inactive(now),
                )
            )
        if coupon.customer and (customer is None or customer.code != coupon.customer):
            raise InvalidInput(_("coupon {code} belongs to another customer", code=code))
        if not online and not coupon.offline:
            raise InvalidInput(
                _("coupon {code} cannot be used while the till is offline", code=code)
            )
        return coupon

    def sale_context(
        self,
        *,
        now: datetime,
        document_type: str,
        till: str,
        store: str,
        operator: str,
        operator_roles: frozenset[str] = frozenset(),
        customer: Customer | None = None,
        inputs: SaleInputs = NO_INPUTS,
        reverse_charge: bool = False,
        split_payment: bool = False,
    ) -> SaleContext:
        coupon_rules = frozenset(
            self.pack.coupons[code].rule for code in inputs.coupons if code in self.pack.coupons
        )
        return SaleContext(
            now=now,
            document_type=document_type,
            currency=self.currency.code,
            till=till,
            store=store,
            operator=operator,
            operator_roles=operator_roles,
            customer=customer,
            loyalty_card_presented=inputs.loyalty_card is not None,
            coupon_rules=coupon_rules,
            manual_rules=one_value_per_group(self.pack.promotions, inputs.manual),
            active_schedules=frozenset(
                p.id
                for p in self.pack.promotions
                if p.schedule is not None and p.schedule.is_active(now)
            ),
            reverse_charge=reverse_charge,
            split_payment=split_payment,
        )

    # -- pricing ------------------------------------------------------------------
    def facts(
        self, lines: list[PricingLine], sale: SaleContext
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
        quantities = sku_quantities(lines)
        line_facts = {
            line.id: line_attributes(line, quantities.get(line.sku or "", line.base_quantity))
            for line in lines
        }
        return line_facts, context_attributes(lines, sale)

    def price(
        self,
        key: str,
        lines: list[PricingLine],
        sale: SaleContext,
        *,
        role: Role | None = None,
        inputs: SaleInputs = NO_INPUTS,
        explain: bool = False,
    ) -> PricingResult:
        line_facts, context = self.facts(lines, sale)
        matches = self.matcher.match(key, line_facts, context)
        return apply_rules(
            lines,
            self.pack,
            matches,
            self.currency,
            operator=sale.operator,
            role=role,
            line_discounts=dict(inputs.line_discounts),
            header_discount=inputs.header_discount,
            manual=frozenset(inputs.manual),
            cache=self._caches.setdefault(key, LineStageCache()),
            explain=explain,
        )

    def close(self, key: str) -> None:
        self.matcher.close(key)
        self._caches.pop(key, None)

    def explain(
        self,
        lines: list[PricingLine],
        sale: SaleContext,
        result: PricingResult,
    ) -> list[RuleExplanation]:
        """For every rule: applied or not, and for one not applied, why."""
        line_facts, context = self.facts(lines, sale)
        view = FlatView(context)
        explanations = []
        for rule in self.pack.promotions:
            outcome = result.outcomes.get(rule.id) or Outcome(rule.id)
            reasons: list[Text] = list(outcome.reasons)  # an applied rule may miss some lines
            if not outcome.applied:
                failing = _failing_leaves(rule.when, view)
                reasons = [_why(rule, leaf, view, sale) for leaf in failing] + reasons
                in_scope = rule.scope is None or any(
                    evaluate(rule.scope, facts) for facts in line_facts.values()
                )
                tier = _tier_shortfall(rule, lines, line_facts) if not failing else None
                if tier is not None:
                    outcome.missing_units = tier[0]
                    reasons.extend(tier[1])
                elif not failing and not in_scope:
                    reasons.insert(0, _("no line is in its scope"))
            explanations.append(
                RuleExplanation(
                    rule.id,
                    rule.name,
                    outcome.applied,
                    outcome.amount,
                    outcome.lines,
                    _unique(reasons),
                    outcome.shortfall,
                    outcome.missing_units,
                    tuple(outcome.blocked_by),
                )
            )
        return explanations


def default_matcher(pack: RulePack) -> Matcher:
    from cassa.engine.pricing.durable_matcher import DurableMatcher

    return DurableMatcher(pack)


def _tier_shortfall(
    rule: Promotion, lines: list[PricingLine], line_facts: Mapping[str, Mapping[str, Any]]
) -> tuple[Decimal, list[Text]] | None:
    """For a tier no line reached: which unit of which item unlocks the first tier."""
    if not rule.tiers or rule.scope is None:
        return None
    first = rule.tiers[0]
    found: dict[str, tuple[Decimal, str]] = {}
    for line in lines:
        facts = {**line_facts[line.id], "line.sku_quantity": first.min_quantity}
        if line.sku and evaluate(rule.scope, facts):
            found[line.sku] = (Decimal(line_facts[line.id]["line.sku_quantity"]), line.name)
    if not found:
        return None
    reasons = [
        _(
            "{line}: {quantity} in the basket; unit {unit} unlocks {discount} (add {missing})",
            line=name,
            quantity=plain(quantity),
            unit=plain(first.min_quantity),
            discount=first.discount.describe(),
            missing=plain(first.min_quantity - quantity),
        )
        for quantity, name in found.values()
    ]
    return min(first.min_quantity - q for q, _ignored in found.values()), reasons


def _unique(items: list[Text]) -> list[Text]:
    kept: list[Text] = []  # texts hold their parameters in a dict: not hashable
    for item in items:
        if item not in kept:
            kept.append(item)
    return kept


def _failing_leaves(condition: Condition, view: Mapping[str, Any]) -> list[Leaf]:
    """The leaves that make `condition` false (all of them for a failed `any`)."""
    if evaluate(condition, view):
        return []
    if isinstance(condition, Leaf):
        return [condition]
    return [leaf for leaf in leaves(condition) if not evaluate(leaf, view)] or list(
        leaves(condition)
    )


def _why(rule: Promotion, leaf: Leaf, view: Mapping[str, Any], sale: SaleContext) -> Text:
    if leaf.attr == "coupons":
        return _("needs its coupon to be entered")
    if leaf.attr == "manual":
        return _("applies only when the operator picks it")
    if leaf.attr == "schedules" and rule.schedule is not None:
        why = rule.schedule.why_inactive(sale.now)
        return _("not scheduled now: {why}", why=why or "")
    if leaf.attr in ("customer.has_loyalty_card", "loyalty_card.presented"):
        return _("needs a loyalty card")
    actual = view.get(leaf.attr)
    shown = sorted(actual) if isinstance(actual, frozenset) else actual
    expected = list(leaf.value) if isinstance(leaf.value, tuple) else leaf.value
    condition = f"{leaf.attr} {leaf.op.value} {expected}"  # as the pack writes it
    if (
        leaf.op.value in ("gte", "gt")
        and isinstance(actual, Decimal)
        and isinstance(leaf.value, Decimal)
    ):
        return _(
            "{condition} fails (it is {actual}): add {missing} more",
            condition=condition,
            actual=repr(shown),
            missing=str(leaf.value - actual),
        )
    return _("{condition} fails (it is {actual})", condition=condition, actual=repr(shown))


def one_value_per_group(promotions: Sequence[Promotion], picked: Sequence[str]) -> frozenset[str]:
    """Seed: "Per le promozioni raggruppate è possibile selezionare soltanto un valore":
    of the manual promotions picked in one group (Outlet 20 %, 15 %, 10 %) only the last
    picked applies."""
    groups = {p.id: p.manual_group for p in promotions if p.manual_group}
    kept: dict[str, str] = {}
    for rule in picked:
        kept[groups.get(rule) or f"rule:{rule}"] = rule
    return frozenset(kept.values())
