"""From matched rules to line adjustments: one place decides what is given.

Order of work, as the seeds describe it (docs/combining-rules.md says it for analysts):
1. bundles — lines a bundle consumes take no other line discount (header
   discounts only when the bundle says so);
2. line rules (line, customer and quantity-tier discounts), with each rule's
   stacking: add (percent of the list value), multiply (percent of what is
   left) or exclusive (only on undiscounted lines, then nothing else but the
   kinds its `combines_with` names);
3. the operator's line discounts, capped by the operator's role;
4. basket thresholds, each seeing the value left after the ones before it,
   spread over their lines in proportion (the last line takes the remainder),
   with gifts at a fixed price;
5. the operator's header discount, spread the same way;
6. guards: a line never goes below its minimum price nor above its maximum
   discount percent; the latest adjustments give way first.
Within a stage rules go by `Promotion.order` (priority, then stacking, then id),
so no result depends on the order of rules in a file or of files in a folder.
Every adjustment keeps the id of the rule (or operator) that made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from cassa.engine.documents import Adjustment, OperatorDiscount
from cassa.engine.messages import Message
from cassa.engine.money import Currency, Money, allocate
from cassa.engine.pricing.facts import PricingLine, line_attributes
from cassa.engine.rules.conditions import evaluate
from cassa.engine.rules.promotions import (
    HEADER_KIND,
    OPERATOR_LINE_KIND,
    Bundle,
    BundleComponent,
    Discount,
    Promotion,
    PromotionType,
    Stacking,
)
from cassa.engine.rules.rulepack import Guard, Role, RulePack
from cassa.i18n import Text, _, joined

__all__ = [
    "OperatorDiscount",
    "Outcome",
    "PricingResult",
    "RuleMatches",
    "apply_rules",
    "plain",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class RuleMatches:
    """What the engine matched: lines per scoped rule, and rules whose `when` held."""

    lines: dict[str, frozenset[str]]
    context: frozenset[str]

    def lines_for(self, rule: Promotion) -> frozenset[str]:
        if rule.id not in self.context:
            return frozenset()
        return self.lines.get(rule.id, frozenset())

    def holds(self, rule: Promotion) -> bool:
        return rule.id in self.context


@dataclass
class Outcome:
    rule_id: str
    applied: bool = False
    amount: Decimal = ZERO
    lines: list[str] = field(default_factory=list)
    reasons: list[Text] = field(default_factory=list)  # rendered in the reader's language
    shortfall: Decimal | None = None  # money a threshold still needs
    missing_units: Decimal | None = None  # units a tier or the next bundle set still needs
    blocked_by: list[str] = field(default_factory=list)  # rules that took its lines

    def block(self, line_name: str, blocker: str, *, bundle: bool = False) -> None:
        if blocker not in self.blocked_by:
            self.blocked_by.append(blocker)
        self.reasons.append(
            _("{line}: not applied: line part of bundle `{rule}`", line=line_name, rule=blocker)
            if bundle
            else _(
                "{line}: not applied: line taken by exclusive rule `{rule}`",
                line=line_name,
                rule=blocker,
            )
        )


@dataclass
class PricingResult:
    adjustments: dict[str, tuple[Adjustment, ...]]
    outcomes: dict[str, Outcome]
    messages: list[Message]


@dataclass
class _Line:
    line: PricingLine
    value: Decimal
    position: int = 0
    adjustments: list[Adjustment] = field(default_factory=list)
    bundle: str | None = None
    # The exclusive rule (or bundle) that took the line, and the kinds it lets through.
    taken_by: str | None = None
    lets_through: frozenset[str] = frozenset()
    gifted: bool = False

    discount: Decimal = ZERO  # the sum of `adjustments`, kept as they change

    @property
    def remaining(self) -> Decimal:
        return self.value - self.discount

    def replace_adjustments(self, adjustments: Iterable[Adjustment]) -> None:
        self.adjustments = list(adjustments)
        self.discount = sum((a.amount for a in self.adjustments), ZERO)

    def rule_discount(self) -> Decimal:
        return sum(
            (a.amount for a in self.adjustments if not a.source.startswith("operator")), ZERO
        )

    def blocker(self, kind: str) -> str | None:
        """The rule that keeps a discount of `kind` off this line, if any."""
        if self.taken_by is not None and kind not in self.lets_through:
            return self.taken_by
        return None

    def take(self, rule_id: str, lets_through: frozenset[str]) -> None:
        self.taken_by, self.lets_through = rule_id, lets_through

    def earlier(self, allowed: frozenset[str]) -> str | None:
        """The first discount on the line of a kind not in `allowed`: it keeps an
        exclusive rule off the line."""
        return next(
            (a.source for a in self.adjustments if _combinable_kind(a.kind) not in allowed), None
        )

    def add(self, source: str, kind: str, amount: Decimal, label: str) -> Decimal:
        amount = min(amount, self.remaining)
        if amount <= 0:
            return ZERO
        self.adjustments.append(Adjustment(source, kind, amount, label))
        self.discount += amount
        return amount


def plain(number: Decimal) -> str:
    """A quantity or percent as the pack writes it (2, 1.5), for explanations."""
    return f"{number.normalize():f}"


def _combinable_kind(adjustment_kind: str) -> str:
    """The name `combines_with` uses for an adjustment's kind."""
    return HEADER_KIND if adjustment_kind == "operator_header_discount" else adjustment_kind


LINE_TYPES = (
    PromotionType.LINE_DISCOUNT,
    PromotionType.CUSTOMER_DISCOUNT,
    PromotionType.QUANTITY_TIER,
)


@dataclass
class LineStageCache:
    """What the line rules gave each line, keyed by everything they depend on:
    the line itself, the rules that hold for it, and its SKU's quantity. After a
    scan only the new line (and lines of the same SKU) are worked out again."""

    entries: dict[str, tuple[object, tuple[Adjustment, ...], tuple[str, frozenset[str]] | None]] = (
        field(default_factory=dict)
    )
    # The rules whose conditions held at the last scan, in applying order: a scan
    # rarely changes them, and listing them again walks every rule of the pack.
    holding: tuple[frozenset[str], list[Promotion]] | None = None


def apply_rules(
    lines: list[PricingLine],
    pack: RulePack,
    matches: RuleMatches,
    currency: Currency,
    *,
    operator: str = "",
    role: Role | None = None,
    line_discounts: dict[str, OperatorDiscount] | None = None,
    header_discount: OperatorDiscount | None = None,
    manual: frozenset[str] = frozenset(),
    cache: LineStageCache | None = None,
    explain: bool = False,
) -> PricingResult:
    states = {
        line.id: _Line(line, currency.round(line.list_value), position)
        for position, line in enumerate(lines)
    }
    outcomes: dict[str, Outcome] = {}
    messages: list[Message] = []
    eligible = [s for s in states.values() if s.line.list_price > 0]
    context = matches.context
    if cache is not None and cache.holding is not None and cache.holding[0] == context:
        holding = cache.holding[1]
    else:
        holding = [p for p in pack.promotions if p.id in context]  # kept in applying order
        if cache is not None:
            cache.holding = (context, holding)

    def outcome(rule_id: str) -> Outcome:
        found = outcomes.get(rule_id)
        if found is None:
            found = outcomes[rule_id] = Outcome(rule_id)
        return found

    # A scan prices without explaining: no outcome per rule and no reasons' texts;
    # `explain` (the notice, `cassa explain`) prices again with them.
    noted = outcome if explain else None
    for rule in holding:
        if rule.type is PromotionType.BUNDLE:
            _apply_bundle(rule, matches, states, currency, noted(rule.id) if noted else None)
    _apply_line_rules(holding, matches, states, currency, cache, noted)
    for line_id, request in (line_discounts or {}).items():
        if line_id in states:
            messages.extend(
                _apply_operator_line(states[line_id], request, operator, role, currency)
            )
    for rule in holding:
        if rule.type is PromotionType.BASKET_THRESHOLD:
            messages.extend(
                _apply_threshold(
                    rule, matches, states, eligible, currency, noted(rule.id) if noted else None
                )
            )
    if header_discount is not None:
        messages.extend(_apply_operator_header(eligible, header_discount, operator, role, currency))
    if pack.guards.items or pack.guards.groups:
        for state in states.values():
            messages.extend(_apply_guards(state, pack, currency, noted))
    applied: set[str] = set()
    for state in states.values():
        for adjustment in state.adjustments:
            applied.add(adjustment.source)
            if noted is None:
                continue
            found = outcome(adjustment.source)
            found.amount += adjustment.amount
            if state.line.id not in found.lines:
                found.lines.append(state.line.id)
            found.applied = True
    picked = [p for p in pack.promotions if p.id in manual] if manual else []
    for rule in picked:
        if rule.manual and rule.id not in applied:
            # The pick stays: it applies by itself once the document meets the conditions.
            messages.append(Message("manual_not_applied", {"name": rule.name}))
    return PricingResult(
        adjustments={line_id: tuple(s.adjustments) for line_id, s in states.items()},
        outcomes=outcomes,
        messages=messages,
    )


def _apply_line_rules(
    holding: list[Promotion],
    matches: RuleMatches,
    states: dict[str, _Line],
    currency: Currency,
    cache: LineStageCache | None,
    outcome: Callable[[str], Outcome] | None,
) -> None:
    """Line, customer and quantity-tier rules, line by line in their order."""
    per_line: dict[str, list[Promotion]] = {}
    for rule in holding:
        if rule.type in LINE_TYPES:
            for line_id in matches.lines.get(rule.id, ()):
                per_line.setdefault(line_id, []).append(rule)
    quantities = _sku_quantities(states)
    for line_id, state in states.items():
        rules = per_line.get(line_id)
        if not rules or state.line.list_price <= 0:
            continue
        quantity = quantities.get(state.line.sku or "", ZERO)
        key = (state.line, tuple(rules), quantity, state.taken_by)
        cached = cache.entries.get(line_id) if cache is not None and outcome is None else None
        if cached is not None and cached[0] == key:
            state.replace_adjustments([*state.adjustments, *cached[1]])
            if cached[2] is not None:
                state.take(*cached[2])
            continue
        for rule in rules:
            _apply_line_rule(rule, state, quantity, currency, outcome(rule.id) if outcome else None)
        if cache is not None:
            taken = (state.taken_by, state.lets_through) if state.taken_by is not None else None
            cache.entries[line_id] = (key, tuple(state.adjustments), taken)


def _discount_for(rule: Promotion, state: _Line, sku_quantity: Decimal) -> Discount | None:
    if rule.type is PromotionType.QUANTITY_TIER:
        reached = [t for t in rule.tiers if sku_quantity >= t.min_quantity]
        return reached[-1].discount if reached else None
    return rule.discount


def _explain_tier(rule: Promotion, state: _Line, quantity: Decimal, outcome: Outcome) -> None:
    """Which unit unlocks the next tier: "the 3rd unit unlocks 10 %"."""
    following = next((t for t in rule.tiers if quantity < t.min_quantity), None)
    if following is None:
        return
    missing = following.min_quantity - quantity
    if outcome.missing_units is None or missing < outcome.missing_units:
        outcome.missing_units = missing
    unit = following.min_quantity.normalize()
    outcome.reasons.append(
        _(
            "{line}: {quantity} in the basket; unit {unit} unlocks {discount} (add {missing})",
            line=state.line.name,
            quantity=plain(quantity),
            unit=plain(unit),
            discount=following.discount.describe(),
            missing=plain(missing),
        )
    )


def _applies_if(rule: Promotion, state: _Line) -> bool:
    if rule.applies_if is None:
        return True
    op, measure, limit = rule.applies_if
    current = state.rule_discount()
    if measure == "percent":
        current = current * HUNDRED / state.value if state.value else ZERO
    return {
        "eq": current == limit,
        "lt": current < limit,
        "lte": current <= limit,
        "gt": current > limit,
        "gte": current >= limit,
    }[op]


def _apply_line_rule(
    rule: Promotion,
    state: _Line,
    sku_quantity: Decimal,
    currency: Currency,
    outcome: Outcome | None,
) -> None:
    stacking = rule.stacking_or_default
    blocker = state.blocker(rule.type.value)
    if blocker is not None:
        if outcome is not None:
            outcome.block(state.line.name, blocker, bundle=state.bundle == blocker)
        return
    earlier = state.earlier(rule.combines_with) if rule.exclusive else None
    if earlier is not None:
        if outcome is not None:
            outcome.reasons.append(
                _(
                    "{line}: exclusive, and the line already has a discount from `{rule}`",
                    line=state.line.name,
                    rule=earlier,
                )
            )
        return
    if not _applies_if(rule, state):
        if outcome is not None:
            outcome.reasons.append(
                _("{line}: its discount fails applies_if_line_discount", line=state.line.name)
            )
        return
    discount = _discount_for(rule, state, sku_quantity)
    if outcome is not None and rule.type is PromotionType.QUANTITY_TIER:
        _explain_tier(rule, state, sku_quantity, outcome)
    if discount is None:
        return
    amount = _amount(discount, state, stacking, currency)
    if amount is None:
        if outcome is not None:
            outcome.reasons.append(
                _("{line}: below the rule's minimum discount", line=state.line.name)
            )
        return
    if state.add(rule.id, rule.type.value, amount, rule.name) > 0 and rule.exclusive:
        state.take(rule.id, rule.combines_with)


def _amount(
    discount: Discount, state: _Line, stacking: Stacking, currency: Currency
) -> Decimal | None:
    line = state.line
    if stacking is Stacking.MULTIPLY and discount.percent is not None and line.base_quantity:
        unit_left = state.remaining / line.base_quantity
        return discount.amount_for(unit_left, line.base_quantity, state.remaining, currency)
    return discount.amount_for(line.list_price, line.base_quantity, state.remaining, currency)


def _sku_quantities(states: dict[str, _Line]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for state in states.values():
        sku = state.line.sku
        if sku is not None and state.line.base_quantity > 0 and state.bundle is None:
            totals[sku] = totals.get(sku, ZERO) + state.line.base_quantity
    return totals


def _position(states: dict[str, _Line]):  # type: ignore[no-untyped-def]
    order = {line_id: index for index, line_id in enumerate(states)}
    return lambda line_id: order.get(line_id, len(order))


# -- bundles ----------------------------------------------------------------------
@dataclass
class _Unit:
    state: _Line
    price: Decimal
    role: str


def _apply_bundle(
    rule: Promotion,
    matches: RuleMatches,
    states: dict[str, _Line],
    currency: Currency,
    outcome: Outcome | None,
) -> None:
    bundle = rule.bundle
    assert bundle is not None
    candidates = []
    for line_id in sorted(matches.lines_for(rule), key=_position(states)):
        state = states.get(line_id)
        if state is None or state.line.list_price <= 0:
            continue
        blocker = state.blocker("bundle")
        if blocker is not None:
            if outcome is not None:
                outcome.block(state.line.name, blocker, bundle=state.bundle == blocker)
            continue
        candidates.append(state)
    sets = (
        _fixed_sets(bundle, candidates)
        if bundle.kind == "fixed"
        else _flexible_sets(bundle, candidates)
    )
    if outcome is not None:
        _explain_bundle(bundle, candidates, sets, outcome)
    if not sets:
        return
    discounts: dict[str, Decimal] = {}
    for units in sets:
        for state_id, amount in _set_discounts(bundle, units, currency).items():
            discounts[state_id] = discounts.get(state_id, ZERO) + amount
    through = rule.combines_with | (
        {"basket_threshold", HEADER_KIND} if bundle.include_header_discounts else set()
    )
    consumed = {u.state.line.id for units in sets for u in units}
    for state_id in sorted(consumed, key=_position(states)):
        state = states[state_id]
        state.bundle = rule.id
        state.take(rule.id, frozenset(through))
        if discounts.get(state_id, ZERO) > 0:
            state.add(rule.id, "bundle", currency.round(discounts[state_id]), rule.name)


def _explain_bundle(
    bundle: Bundle, candidates: list[_Line], sets: list[list[_Unit]], outcome: Outcome
) -> None:
    """What the next set still needs, per component."""
    used = {id(u) for units in sets for u in units}
    if bundle.kind == "flexible" and bundle.min_quantity is not None:
        left = len(_units(candidates)) - len(used)
        missing = bundle.min_quantity - left
        needs = [
            _(
                "{count} more unit(s) of {what}",
                count=plain(missing),
                what=_component(bundle.components[0]),
            )
        ]
    elif bundle.kind == "flexible":
        return
    else:
        counts = [
            sum(
                int(s.line.base_quantity)
                for s in candidates
                if evaluate(c.scope(), line_attributes(s.line, s.line.base_quantity))
            )
            for c in bundle.components
        ]
        needs = []
        missing = Decimal(0)
        for component, count in zip(bundle.components, counts, strict=True):
            short = component.quantity * (len(sets) + 1) - count
            if short > 0:
                needs.append(
                    _(
                        "{count} of {what}",
                        count=plain(short),
                        what=_component(component),
                    )
                )
                missing += short
    outcome.missing_units = missing
    parts = joined(needs)
    outcome.reasons.append(
        _("the next set needs {parts}", parts=parts)
        if sets
        else _("the bundle needs {parts}", parts=parts)
    )


def _component(component: BundleComponent) -> Text:
    named: list[Text | str] = [
        *component.items,
        *(_("group {group}", group=g) for g in component.groups),
    ]
    return joined(named) if named else _("any item")


def _units(states: Iterable[_Line], role: str = "base") -> list[_Unit]:
    """Every whole unit of the lines, in scan order (bundles count whole units)."""
    units: list[_Unit] = []
    for state in states:
        whole = int(state.line.base_quantity)
        units.extend(_Unit(state, state.line.list_price, role) for _ in range(max(whole, 0)))
    return units


def _ordered_units(units: list[_Unit], grouping: str) -> list[_Unit]:
    """Units in the order they fill sets. Sorting is stable, so equal prices keep scan order."""
    if grouping == "most_expensive_first":
        return sorted(units, key=lambda u: -u.price)
    if grouping == "cheapest_overall":
        return sorted(units, key=lambda u: u.price)
    return units


def _fixed_sets(bundle: Bundle, candidates: list[_Line]) -> list[list[_Unit]]:
    pools: list[list[_Unit]] = []
    for component in bundle.components:
        scope = component.scope()
        chosen = [
            s for s in candidates if evaluate(scope, line_attributes(s.line, s.line.base_quantity))
        ]
        pools.append(_ordered_units(_units(chosen, component.role), bundle.grouping))
    sets: list[list[_Unit]] = []
    used: set[int] = set()
    while True:
        current: list[_Unit] = []
        for component, pool in zip(bundle.components, pools, strict=True):
            free = [u for u in pool if id(u) not in used and not _taken(u, current)]
            need = int(component.quantity)
            if len(free) < need:
                return sets
            current.extend(free[:need])
        used.update(id(u) for u in current)
        sets.append(current)


def _taken(unit: _Unit, current: list[_Unit]) -> bool:
    return any(u is unit for u in current)


def _flexible_sets(bundle: Bundle, candidates: list[_Line]) -> list[list[_Unit]]:
    units = _units(candidates)
    if bundle.min_value is not None and bundle.min_quantity is None:
        total = sum((u.price for u in units), ZERO)
        return [units] if units and total >= bundle.min_value else []
    assert bundle.min_quantity is not None
    size = int(bundle.min_quantity)
    count = len(units) // size if size > 0 else 0
    if bundle.grouping == "cheapest_overall" and bundle.target == "cheapest" and count:
        # The targets are the `count` cheapest units; each set is one of them and the
        # dearest units left, so every set's cheapest unit is a target.
        by_price = sorted(units, key=lambda u: u.price)
        targets, rest = by_price[:count], sorted(by_price[count:], key=lambda u: -u.price)
        return [[targets[i], *rest[i * (size - 1) : (i + 1) * (size - 1)]] for i in range(count)]
    ordered = _ordered_units(units, bundle.grouping)
    return [ordered[i * size : (i + 1) * size] for i in range(count)]


def _set_discounts(bundle: Bundle, units: list[_Unit], currency: Currency) -> dict[str, Decimal]:
    """The discount each line gets from one complete set."""
    if bundle.target == "cheapest":
        targets = [min(units, key=lambda u: u.price)]
    elif bundle.target == "most_expensive":
        targets = [max(units, key=lambda u: u.price)]
    elif bundle.target in ("base", "additional"):
        targets = [u for u in units if u.role == bundle.target]
    else:
        targets = units
    target_value = sum((u.price for u in targets), ZERO)
    if bundle.price is not None:
        total = max(sum((u.price for u in units), ZERO) - bundle.price, ZERO)
        total = min(total, target_value)
    else:
        assert bundle.discount is not None
        per_unit = [
            bundle.discount.amount_for(u.price, Decimal(1), u.price, currency) or ZERO
            for u in targets
        ]
        total = sum(per_unit, ZERO)
        if bundle.split == "none":
            return _by_line([(u, a) for u, a in zip(targets, per_unit, strict=True)])
    if bundle.split == "none":
        top = max(targets, key=lambda u: u.price)
        return {top.state.line.id: min(total, top.price)}
    shares = allocate(currency.round(total), [u.price for u in targets], currency)
    return _by_line(list(zip(targets, shares, strict=True)))


def _by_line(pairs: list[tuple[_Unit, Decimal]]) -> dict[str, Decimal]:
    result: dict[str, Decimal] = {}
    for unit, amount in pairs:
        result[unit.state.line.id] = result.get(unit.state.line.id, ZERO) + amount
    return result


# -- basket thresholds and gifts ------------------------------------------------------
def _threshold_base(
    rule: Promotion,
    matches: RuleMatches,
    states: dict[str, _Line],
    eligible: list[_Line],
    kind: str,
    outcome: Outcome | None,
) -> list[_Line]:
    """The lines whose value counts toward the threshold and share its discount."""
    if rule.scope is not None and rule.gift is None:
        in_scope = matches.lines_for(rule)
        chosen = [states[i] for i in in_scope if i in states and states[i].line.list_price > 0]
        lines = sorted(chosen, key=lambda s: s.position)
    else:
        lines = [
            s
            for s in eligible
            if s.line.discountable and s.line.item_type not in ("voucher", "buy_back")
        ]
    base = []
    for state in lines:
        blocker = state.blocker(kind)
        earlier = state.earlier(rule.combines_with) if rule.exclusive else None
        if blocker is None and earlier is None:
            base.append(state)
        elif outcome is None:
            continue
        elif blocker is not None:
            outcome.block(state.line.name, blocker, bundle=state.bundle == blocker)
        else:
            outcome.reasons.append(
                _(
                    "{line}: exclusive, and the line already has a discount from `{rule}`",
                    line=state.line.name,
                    rule=earlier,
                )
            )
    return base


def _apply_threshold(
    rule: Promotion,
    matches: RuleMatches,
    states: dict[str, _Line],
    eligible: list[_Line],
    currency: Currency,
    outcome: Outcome | None,
) -> list[Message]:
    base = _threshold_base(rule, matches, states, eligible, "basket_threshold", outcome)
    value = sum((s.remaining for s in base), ZERO)
    reached = [t for t in rule.thresholds if value >= t.min_value]
    if not reached:
        lowest = rule.thresholds[0].min_value
        groups = [code for _, code in rule.references.get("groups", ())]
        if outcome is not None:
            outcome.shortfall = lowest - value
            short, reach = currency.format(lowest - value), currency.format(lowest)
            outcome.reasons.append(
                _(
                    "the basket is {short} short of {threshold}: add {short} {symbol} of {groups}",
                    short=short,
                    threshold=reach,
                    symbol=currency.symbol,
                    groups=", ".join(groups),
                )
                if groups
                else _(
                    "the basket is {short} short of {threshold}: add {short} {symbol}",
                    short=short,
                    threshold=reach,
                    symbol=currency.symbol,
                )
            )
        if not base:
            return []  # nothing of its kind on the document: no reminder to the cashier
        missing = {
            "rule": rule.name,
            "amount": Money(lowest - value, currency),
            "threshold": Money(lowest, currency),
        }
        if groups:
            return [Message("threshold_missing_groups", {**missing, "groups": ", ".join(groups)})]
        return [Message("threshold_missing", missing)]
    threshold = reached[-1]
    if threshold.discount is not None and base:
        discount = threshold.discount
        if discount.percent is not None:
            total = currency.round(value * discount.percent * discount.multiplier / HUNDRED)
        else:
            total = discount.amount or ZERO
        shares = allocate(min(total, value), [s.remaining for s in base], currency)
        for state, share in zip(base, shares, strict=True):
            if state.add(rule.id, "basket_threshold", share, rule.name) > 0 and rule.exclusive:
                state.take(rule.id, rule.combines_with)
    if rule.gift is not None:
        return _apply_gift(rule, states, matches, currency, outcome)
    return []


def _apply_gift(
    rule: Promotion,
    states: dict[str, _Line],
    matches: RuleMatches,
    currency: Currency,
    outcome: Outcome | None,
) -> list[Message]:
    gift = rule.gift
    assert gift is not None
    scoped = matches.lines_for(rule) if rule.scope is not None else frozenset(states)
    candidates = []
    for state in states.values():
        if not (
            not state.gifted
            and state.line.base_quantity == gift.quantity
            and state.line.id in scoped
            and (gift.group is None or gift.group in state.line.group_path)
            and (gift.item in ("cheapest", "most_expensive") or state.line.sku == gift.item)
        ):
            continue
        blocker = state.blocker("gift")
        if blocker is not None and state.taken_by != rule.id:
            if outcome is not None:
                outcome.block(state.line.name, blocker, bundle=state.bundle == blocker)
            continue
        candidates.append(state)
    if not candidates:
        if outcome is not None:
            outcome.reasons.append(_("the gift is not on the document"))
        return [Message("gift_available", {"rule": rule.name, "item": gift.item})]
    if gift.item == "cheapest":
        chosen = min(candidates, key=lambda s: s.line.list_price)
    elif gift.item == "most_expensive":
        chosen = max(candidates, key=lambda s: s.line.list_price)
    else:
        chosen = candidates[0]
    amount = chosen.remaining - currency.round(gift.fixed_price * gift.quantity)
    chosen.add(rule.id, "gift", max(amount, ZERO), rule.name)
    chosen.gifted = True
    if rule.exclusive:
        chosen.take(rule.id, rule.combines_with)
    return []


# -- operator discounts -------------------------------------------------------------
def _operator_percent(request: OperatorDiscount, value: Decimal, quantity: Decimal) -> Decimal:
    if request.percent is not None:
        return request.percent
    if request.amount is not None:
        return request.amount * HUNDRED / value if value else ZERO
    assert request.price is not None
    wanted = value - request.price * quantity
    return wanted * HUNDRED / value if value else ZERO


def _apply_operator_line(
    state: _Line, request: OperatorDiscount, operator: str, role: Role | None, currency: Currency
) -> list[Message]:
    if not state.line.discountable or state.line.item_type in ("voucher", "buy_back"):
        return []
    blocker = state.blocker(OPERATOR_LINE_KIND)
    if blocker is not None:
        # The cashier typed a discount the line cannot take: say which rule holds it.
        return [Message("operator_discount_blocked", {"name": state.line.name, "rule": blocker})]
    percent = _operator_percent(request, state.value, state.line.base_quantity)
    limit = role.max_line_discount_percent if role and request.approved_by is None else None
    if limit is not None and percent > limit:
        percent = limit
        amount = currency.round(state.value * limit / HUNDRED)
        messages = [Message("operator_discount_reduced", {"limit": f"{limit.normalize():f}"})]
    else:
        messages = []
        if request.amount is not None:
            amount = request.amount
        elif request.price is not None:
            amount = state.value - currency.round(request.price * state.line.base_quantity)
        else:
            amount = currency.round(state.value * percent / HUNDRED)
    state.add(f"operator:{operator}", "operator_line_discount", amount, f"{percent.normalize():f}%")
    return messages


def _apply_operator_header(
    eligible: list[_Line],
    request: OperatorDiscount,
    operator: str,
    role: Role | None,
    currency: Currency,
) -> list[Message]:
    base = [
        s
        for s in eligible
        if s.blocker(HEADER_KIND) is None
        and s.line.discountable
        and s.line.item_type not in ("voucher", "buy_back")
    ]
    value = sum((s.remaining for s in base), ZERO)
    if not base or value <= 0:
        return []
    percent = _operator_percent(request, value, Decimal(1))
    messages = []
    limit = role.max_header_discount_percent if role and request.approved_by is None else None
    if limit is not None and percent > limit:
        percent = limit
        messages.append(
            Message("operator_header_discount_reduced", {"limit": f"{limit.normalize():f}"})
        )
        total = currency.round(value * percent / HUNDRED)
    elif request.amount is not None:
        total = min(request.amount, value)
    elif request.price is not None:
        total = max(value - request.price, ZERO)
    else:
        total = currency.round(value * percent / HUNDRED)
    shares = allocate(total, [s.remaining for s in base], currency)
    for state, share in zip(base, shares, strict=True):
        state.add(f"operator:{operator}", "operator_header_discount", share, "header")
    return messages


# -- guards -------------------------------------------------------------------------
def _allowed_discount(
    guards: list[Guard], state: _Line, currency: Currency
) -> tuple[Decimal, Text] | None:
    limits: list[tuple[Decimal, Text]] = []
    for guard in guards:
        if guard.min_price is not None:
            floor = currency.round(guard.min_price * state.line.base_quantity)
            limits.append(
                (
                    max(state.value - floor, ZERO),
                    _("minimum price {price}", price=str(guard.min_price)),
                )
            )
        if guard.max_discount_percent is not None:
            limits.append(
                (
                    currency.round(state.value * guard.max_discount_percent / HUNDRED),
                    _(
                        "maximum discount {percent}%",
                        percent=plain(guard.max_discount_percent),
                    ),
                )
            )
    return min(limits, key=lambda item: item[0]) if limits else None


def _apply_guards(
    state: _Line,
    pack: RulePack,
    currency: Currency,
    outcome: Callable[[str], Outcome] | None,
) -> list[Message]:
    guards = pack.guards.for_line(state.line.sku, list(state.line.group_path))
    allowed = _allowed_discount(guards, state, currency)
    if allowed is None or state.discount <= allowed[0]:
        return []
    limit, why = allowed
    excess = state.discount - limit
    kept: list[Adjustment] = []
    for adjustment in reversed(state.adjustments):
        cut = min(excess, adjustment.amount)
        excess -= cut
        if adjustment.amount - cut > 0:
            kept.append(
                Adjustment(
                    adjustment.source, adjustment.kind, adjustment.amount - cut, adjustment.label
                )
            )
        if cut and outcome is not None and not adjustment.source.startswith("operator:"):
            outcome(adjustment.source).reasons.append(
                _("{line}: reduced by {guard}", line=state.line.name, guard=why)
            )
    state.replace_adjustments(reversed(kept))
    return [
        Message(
            "guard_reduced",
            {"name": state.line.name, "amount": currency.format(limit), "guard": why},
        )
    ]
