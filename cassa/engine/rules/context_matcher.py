"""Rules that look at the context only — tender restrictions, operational reminders —
matched on the durable-rules engine like promotions are."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from cassa.engine.rules.compiler import CompiledPack, RuleConditions, compile_pack
from cassa.engine.rules.conditions import Condition
from cassa.engine.rules.matcher import get_engine

__all__ = ["ContextMatcher"]

_sessions = itertools.count()


@lru_cache(maxsize=64)
def _compiled(name: str, rules: tuple[tuple[str, Condition], ...]) -> CompiledPack:
    compiled = compile_pack(name, [RuleConditions(rule_id, None, when) for rule_id, when in rules])
    get_engine().register(compiled)
    return compiled


class ContextMatcher:
    """Which rules' conditions hold on one context fact."""

    def __init__(self, name: str, rules: Iterable[tuple[str, Condition]]) -> None:
        self.rules = tuple(rules)
        self.name = name

    def match(self, facts: Mapping[str, Any]) -> frozenset[str]:
        if not self.rules:
            return frozenset()
        compiled = _compiled(self.name, self.rules)
        with get_engine().session(compiled, f"{self.name}#{next(_sessions)}") as session:
            session.set_lines({})
            session.set_context(facts)
            return session.matches().context_rules
