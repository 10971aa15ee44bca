"""Operational reminders from the pack's SafeRules: the safe or the drawer above a limit,
the safe not emptied to the bank for too long.

Each reminder is a condition tree (the threshold on a fact, and the rule's own
`when` over the till's context) evaluated on the facts of the moment:

- `safe.balance` (and `safe.balance.<tender>`): what the safe holds, in the
  system currency;
- `safe.hours_since_bank_deposit`: hours the oldest money still in the safe has
  been there (withdrawals take the oldest first), while it holds anything;
- `drawer.balance` (and `drawer.balance.<tender>`): the cash in the current
  drawer (the operator's shift, or the till's day), in the system currency.

`PythonReminderMatcher` evaluates them with `conditions.evaluate`; the
durable-rules engine only has to offer the same `match(facts) -> ids`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cassa.engine.cash._ledger import open_day_row, open_shift_row
from cassa.engine.cash._safe import oldest_money_since, safe_balances
from cassa.engine.messages import Message
from cassa.engine.payments._settings import MoneySettings, ReminderRule, WorkMode, money_settings
from cassa.engine.pricing.facts import WEEKDAYS
from cassa.engine.rules.conditions import evaluate
from cassa.engine.rules.context_matcher import ContextMatcher

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = ["PythonReminderMatcher", "reminder_facts", "reminders"]


class DurableReminderMatcher:
    """The pack's reminders matched on the durable-rules engine."""

    def __init__(self, rules: Iterable[ReminderRule]) -> None:
        self.matcher = ContextMatcher("safe-rules", ((rule.id, rule.condition) for rule in rules))

    def match(self, facts: Mapping[str, Any]) -> frozenset[str]:
        return self.matcher.match(facts)


class PythonReminderMatcher:
    """The reference evaluation of the same conditions."""

    def __init__(self, rules: Iterable[ReminderRule]) -> None:
        self.rules = tuple(rules)

    def match(self, facts: Mapping[str, Any]) -> frozenset[str]:
        return frozenset(rule.id for rule in self.rules if evaluate(rule.condition, facts))


def reminder_facts(till: Till, settings: MoneySettings) -> dict[str, Any]:
    from cassa.engine.cash._sessions import day_balances, shift_balances

    now = till.now()
    facts: dict[str, Any] = {
        "clock.date": now.date().isoformat(),
        "clock.time": now.strftime("%H:%M"),
        "clock.weekday": WEEKDAYS[now.weekday()],
        "till.code": till.code,
        "till.store": till.store.code,
        "operator.code": till.operator,
        "operator.roles": frozenset([till.pricing.role.code]) if till.pricing.role else frozenset(),
    }
    with till.database.session() as session:
        safe_total = Decimal(0)
        for (tender, _), (_, system) in safe_balances(session, till.store.code).items():
            safe_total += system
            key = f"safe.balance.{tender}"
            facts[key] = facts.get(key, Decimal(0)) + system
        facts["safe.balance"] = safe_total
        since = oldest_money_since(session, till.store.code)
        hours = Decimal(0)
        if since is not None and safe_total > 0:
            seconds = Decimal(int((now - since).total_seconds()))
            hours = (seconds / 3600).quantize(Decimal("0.01"))
        facts["safe.hours_since_bank_deposit"] = hours
        shift = open_shift_row(session, till.operator)
        held = {}
        if settings.cash.work_mode is WorkMode.SHIFTS and shift is not None:
            held = shift_balances(session, settings, shift)
        else:
            day = open_day_row(session, till.code)
            if day is not None:
                held = day_balances(session, settings, day)
    drawer = Decimal(0)
    for (tender, currency), balance in held.items():
        found = settings.tenders.get(tender)
        if found is None or not found.is_cash:
            continue
        value = settings.to_system(balance.expected, currency)
        drawer += value
        key = f"drawer.balance.{tender}"
        facts[key] = facts.get(key, Decimal(0)) + value
    facts["drawer.balance"] = drawer
    return facts


def reminders(till: Till) -> list[Message]:
    """The reminders that hold now, as messages for the till."""
    settings = money_settings(till.pack, till.catalog)
    rules = settings.safe.reminders
    if not rules:
        return []
    facts = reminder_facts(till, settings)
    matched = DurableReminderMatcher(rules).match(facts)
    money = settings.currency
    messages = []
    for rule in rules:
        if rule.id not in matched:
            continue
        if rule.type == "safe_time":
            messages.append(
                Message(
                    "safe_time_limit",
                    {"hours": facts["safe.hours_since_bank_deposit"], "limit": rule.hours},
                )
            )
            continue
        fact = "safe.balance" if rule.type == "safe_balance" else "drawer.balance"
        if rule.tender:
            fact = f"{fact}.{rule.tender}"
        code = "safe_balance_limit" if rule.type == "safe_balance" else "drawer_balance_limit"
        limit = rule.limit if rule.limit is not None else Decimal(0)
        messages.append(
            Message(
                code,
                {
                    "limit": f"{money.format(limit)} {money.code}",
                    "balance": f"{money.format(facts.get(fact, Decimal(0)))} {money.code}",
                },
            )
        )
    return messages
