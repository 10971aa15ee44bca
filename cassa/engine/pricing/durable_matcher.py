"""The production matcher: a rule pack compiled to durable-rules, one session per document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cassa.engine.pricing.applicator import RuleMatches
from cassa.engine.rules.compiler import compile_pack
from cassa.engine.rules.matcher import MatchSession, get_engine
from cassa.engine.rules.rulepack import RulePack

__all__ = ["DurableMatcher"]


class DurableMatcher:
    """Matches incrementally: a scan asserts one line fact and the context fact."""

    def __init__(self, pack: RulePack) -> None:
        self.compiled = compile_pack(pack.name, [p.conditions() for p in pack.promotions])
        self.engine = get_engine()
        self.engine.register(self.compiled)
        self.sessions: dict[str, MatchSession] = {}

    def match(
        self, key: str, lines: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]
    ) -> RuleMatches:
        session = self.sessions.get(key)
        if session is None:
            session = self.sessions[key] = self.engine.session(self.compiled, key)
        session.set_lines(lines)
        session.set_context(context)
        found = session.matches()
        return RuleMatches(dict(found.lines_by_rule), found.context_rules)

    def close(self, key: str) -> None:
        session = self.sessions.pop(key, None)
        if session is not None:
            session.close()
