"""Matching documents against compiled packs in durable-rules."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.rules import matcher
from cassa.engine.rules.compiler import CompiledPack, EngineLimits, RuleConditions, compile_pack
from cassa.engine.rules.conditions import TRUE, All, Leaf, Not, Op
from cassa.engine.rules.matcher import (
    DEFAULT_MAX_LIVE_SESSIONS,
    Matches,
    MatchSession,
    RuleEngine,
    RuleEngineError,
    get_engine,
)

_keys = itertools.count()

SHOES = Leaf("line.groups", Op.CONTAINS, "shoes")
BIG_BASKET = Leaf("basket.total", Op.GTE, Decimal("100"))

PROMOTIONS = [
    RuleConditions("shoes", SHOES, TRUE),
    RuleConditions("shoes-big-basket", SHOES, BIG_BASKET),
    RuleConditions("pricey", All((Leaf("line.value", Op.GT, Decimal("9.99")), Not(SHOES))), TRUE),
    RuleConditions("vip", None, Leaf("customer.groups", Op.CONTAINS, "vip")),
    RuleConditions("always", None, TRUE),
]


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return compile_pack("promotions", PROMOTIONS)


@pytest.fixture
def engine() -> RuleEngine:
    return get_engine()


@pytest.fixture
def session(engine: RuleEngine, pack: CompiledPack) -> Iterator[MatchSession]:
    with engine.session(pack, new_key()) as opened:
        yield opened


def new_key() -> str:
    return f"doc-{next(_keys)}"


def item(value: str, *groups: str, sku: str = "SKU") -> dict[str, Any]:
    return {"line.sku": sku, "line.value": Decimal(value), "line.groups": frozenset(groups)}


def view(matches: Matches, pack: CompiledPack) -> dict[str, Any]:
    return {rule_id: matches.applicable(rule_id) for rule_id in pack.rule_ids}


def fresh(engine: RuleEngine, pack: CompiledPack, lines: Any, context: Any) -> dict[str, Any]:
    with engine.session(pack, new_key()) as other:
        other.set_lines(lines)
        other.set_context(context)
        return view(other.matches(), pack)


# --- matching -----------------------------------------------------------------------------


def test_scoped_rules_match_their_lines_when_their_context_holds(
    session: MatchSession, pack: CompiledPack
) -> None:
    session.set_lines({"1": item("120", "shoes"), "2": item("10.00", "bags"), "3": item("9.99")})
    session.set_context({"basket.total": Decimal("139.99")})
    assert view(session.matches(), pack) == {
        "shoes": frozenset({"1"}),
        "shoes-big-basket": frozenset({"1"}),
        "pricey": frozenset({"2"}),
        "vip": False,
        "always": True,
    }


def test_a_scoped_rule_whose_when_fails_applies_to_no_line(session: MatchSession) -> None:
    session.set_lines({"1": item("120", "shoes")})
    session.set_context({"basket.total": Decimal("99.99")})
    matches = session.matches()
    assert matches.lines_by_rule["shoes-big-basket"] == frozenset({"1"})
    assert matches.applicable("shoes-big-basket") == frozenset()


def test_context_only_rules_follow_the_context(session: MatchSession) -> None:
    assert session.matches().applicable("vip") is False
    session.set_context({"customer.groups": frozenset({"vip", "staff"})})
    assert session.matches().applicable("vip") is True
    # Scoped rules without a `when` hold in any context too.
    assert session.matches().context_rules == {"vip", "always", "shoes", "pricey"}


def test_a_new_session_has_no_lines_and_an_empty_context(session: MatchSession) -> None:
    matches = session.matches()
    assert matches.lines_by_rule == {}
    assert matches.context_rules == {"always", "shoes", "pricey"}


def test_an_unknown_rule_id_is_an_error(session: MatchSession) -> None:
    with pytest.raises(KeyError):
        session.matches().applicable("nope")


def test_incremental_changes_match_what_a_fresh_session_matches(
    engine: RuleEngine, session: MatchSession, pack: CompiledPack
) -> None:
    steps: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = [
        ({"1": item("5", "shoes")}, {"basket.total": Decimal("5")}),
        ({"1": item("5", "shoes"), "2": item("120", "bags")}, {"basket.total": Decimal("125")}),
        ({"1": item("95", "shoes"), "2": item("120", "bags")}, None),
        (None, {"basket.total": Decimal("215"), "customer.groups": frozenset({"vip"})}),
        ({"2": item("9.99", "bags"), "3": item("10", "shoes", "bags")}, None),
        ({}, {"basket.total": Decimal("0")}),
    ]
    lines: dict[str, Any] = {}
    context: dict[str, Any] = {}
    for new_lines, new_context in steps:
        if new_lines is not None:
            lines = new_lines
            session.set_lines(lines)
        if new_context is not None:
            context = new_context
            session.set_context(context)
        assert view(session.matches(), pack) == fresh(engine, pack, lines, context)


def test_removed_lines_disappear_from_the_matches(session: MatchSession) -> None:
    session.set_lines({"1": item("120", "shoes"), "2": item("50", "shoes")})
    assert session.matches().lines_by_rule["shoes"] == {"1", "2"}
    session.set_lines({"2": item("50", "shoes")})
    assert session.matches().lines_by_rule["shoes"] == {"2"}
    session.set_lines({})
    assert "shoes" not in session.matches().lines_by_rule


def test_a_line_that_stops_matching_leaves_the_rule(session: MatchSession) -> None:
    session.set_lines({"1": item("120", "shoes")})
    session.set_lines({"1": item("120", "bags")})
    matches = session.matches()
    assert "shoes" not in matches.lines_by_rule
    assert matches.lines_by_rule["pricey"] == {"1"}


def test_the_session_keeps_its_own_copy_of_the_facts(session: MatchSession) -> None:
    attrs = item("120", "shoes")
    groups = {"shoes": Decimal("120")}
    context = {"basket.group_value": groups, "customer.groups": frozenset({"vip"})}
    session.set_lines({"1": attrs})
    session.set_context(context)
    attrs["line.groups"] = frozenset()
    groups["shoes"] = Decimal(0)
    session.set_lines({"1": item("120", "shoes")})
    assert session.matches().lines_by_rule["shoes"] == {"1"}


def test_bad_input_is_refused_and_leaves_the_session_unchanged(session: MatchSession) -> None:
    session.set_lines({"1": item("120", "shoes")})
    with pytest.raises(InvalidInput, match="Decimal"):
        session.set_lines({"1": {"line.value": 12.5, "line.groups": frozenset({"shoes"})}})
    assert session.matches().lines_by_rule["shoes"] == {"1"}


def test_sessions_are_found_again_by_their_key(engine: RuleEngine, pack: CompiledPack) -> None:
    key = new_key()
    with engine.session(pack, key) as first:
        assert engine.session(pack, key) is first
    assert engine.session(pack, key) is not first
    engine.session(pack, key).close()


def test_sessions_can_be_used_from_several_threads(engine: RuleEngine, pack: CompiledPack) -> None:
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            with engine.session(pack, new_key()) as mine:
                for value in range(20):
                    mine.set_lines({f"{worker}-{value}": item(str(value), "shoes")})
                    assert mine.matches().lines_by_rule["shoes"] == {f"{worker}-{value}"}
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- packs replaced at run time -------------------------------------------------------------


def test_a_session_switches_to_a_replaced_pack(engine: RuleEngine, pack: CompiledPack) -> None:
    newer = compile_pack(
        "promotions", [RuleConditions("bags", Leaf("line.groups", Op.CONTAINS, "bags"), TRUE)]
    )
    key = new_key()
    with engine.session(pack, key) as session:
        session.set_lines({"1": item("120", "shoes"), "2": item("5", "bags")})
        assert session.matches().lines_by_rule == {"shoes": {"1"}, "shoes-big-basket": {"1"}}
        assert engine.session(newer, key) is session
        assert session.pack is newer
        assert view(session.matches(), newer) == {"bags": frozenset({"2"})}
        session.use(pack)
        assert session.matches().lines_by_rule["shoes"] == {"1"}


def test_replacing_a_pack_switches_every_open_session_on_it(
    engine: RuleEngine, pack: CompiledPack
) -> None:
    older = compile_pack("replaced", PROMOTIONS[:1])
    newer = compile_pack("replaced", PROMOTIONS[2:3])
    sessions = [engine.session(older, new_key()) for _ in range(3)]
    for session in sessions:
        session.set_lines({"1": item("120", "shoes"), "2": item("50", "bags")})
    assert engine.replace_pack(newer) == 3
    assert [s.matches().lines_by_rule for s in sessions] == [{"pricey": {"2"}}] * 3
    for session in sessions:
        session.close()


# --- session slots -----------------------------------------------------------------------------


def test_more_than_1024_sessions_can_be_opened_and_closed_one_after_another(
    engine: RuleEngine, pack: CompiledPack
) -> None:
    live = engine.live_sessions
    for number in range(1100):
        with engine.session(pack, new_key()) as session:
            session.set_lines({"1": item(str(number), "shoes")})
            assert session.matches().lines_by_rule["shoes"] == {"1"}
    assert engine.live_sessions == live


def test_more_than_1024_open_sessions_evict_the_least_recently_used(engine: RuleEngine) -> None:
    small = compile_pack(
        "small", [RuleConditions("vip", None, Leaf("customer.kind", Op.EQ, "vip"))]
    )
    sessions = []
    for number in range(1100):
        session = engine.session(small, new_key())
        session.set_context({"customer.kind": "vip" if number % 2 else "retail"})
        sessions.append(session)
    assert engine.live_sessions == DEFAULT_MAX_LIVE_SESSIONS
    # The oldest were evicted: their matches stay right, and they come back on change.
    assert [s.matches().applicable("vip") for s in sessions[:4]] == [False, True, False, True]
    sessions[0].set_context({"customer.kind": "vip"})
    assert sessions[0].matches().applicable("vip") is True
    assert engine.live_sessions == DEFAULT_MAX_LIVE_SESSIONS
    for session in sessions:
        session.close()
    assert engine.live_sessions == 0


def test_big_packs_keep_fewer_sessions_live(engine: RuleEngine) -> None:
    rules = [RuleConditions(f"p{i}", Leaf("line.sku", Op.EQ, f"S{i}"), TRUE) for i in range(400)]
    big = compile_pack("big", rules)
    budget = engine.max_live_rule_states
    sessions = [engine.session(big, new_key()) for _ in range(3)]
    try:
        engine.max_live_rule_states = 2 * big.durable_rules
        for session in sessions:
            session.set_lines({"1": {"line.sku": "S7"}})
        assert engine.live_sessions == 2
        assert [s.matches().lines_by_rule for s in sessions] == [{"p7": {"1"}}] * 3
    finally:
        engine.max_live_rule_states = budget
        for session in sessions:
            session.close()


def test_a_closed_session_cannot_be_used(engine: RuleEngine, pack: CompiledPack) -> None:
    session = engine.session(pack, new_key())
    session.close()
    session.close()  # closing twice is harmless
    with pytest.raises(RuleEngineError, match="closed"):
        session.set_lines({})


# --- the engine's limits ------------------------------------------------------------------------


def test_a_fact_passing_hundreds_of_range_tests_matches_them_all(engine: RuleEngine) -> None:
    rules = [
        RuleConditions(f"p{i}", Leaf("line.value", Op.GTE, Decimal(i)), TRUE) for i in range(300)
    ]
    pack = compile_pack("ranges", rules)
    with engine.session(pack, new_key()) as session:
        session.set_lines({"1": {"line.value": Decimal(1000)}, "2": {"line.value": Decimal(150)}})
        matches = session.matches()
    assert {r for r, lines in matches.lines_by_rule.items() if "1" in lines} == set(pack.rule_ids)
    assert len([r for r, lines in matches.lines_by_rule.items() if "2" in lines]) == 151


def test_a_line_in_every_group_a_pack_tests_matches_them_all(engine: RuleEngine) -> None:
    groups = [f"g{i}" for i in range(300)]
    rules = [RuleConditions(g, Leaf("line.groups", Op.CONTAINS, g), TRUE) for g in groups]
    pack = compile_pack("groups", rules)
    with engine.session(pack, new_key()) as session:
        session.set_lines({"1": {"line.groups": frozenset(groups)}})
        assert set(session.matches().lines_by_rule) == set(groups)


def test_every_comparison_and_its_negation_is_exact_at_the_boundary(engine: RuleEngine) -> None:
    threshold = Decimal("10.00")
    comparisons = [Op.EQ, Op.NE, Op.GT, Op.GTE, Op.LT, Op.LTE]
    rules = [
        RuleConditions(f"{op}-{negated}", Not(leaf) if negated else leaf, TRUE)
        for op in comparisons
        for negated in (False, True)
        for leaf in [Leaf("line.value", op, threshold)]
    ]
    values = {"below": Decimal("9.99"), "at": Decimal("10"), "above": Decimal("10.01")}
    truth = {
        Op.EQ: lambda v: v == threshold,
        Op.NE: lambda v: v != threshold,
        Op.GT: lambda v: v > threshold,
        Op.GTE: lambda v: v >= threshold,
        Op.LT: lambda v: v < threshold,
        Op.LTE: lambda v: v <= threshold,
    }
    pack = compile_pack("boundaries", rules)
    with engine.session(pack, new_key()) as session:
        session.set_lines({name: {"line.value": value} for name, value in values.items()})
        matches = session.matches()
    for op in comparisons:
        holds = frozenset(name for name, value in values.items() if truth[op](value))
        assert matches.applicable(f"{op}-False") == holds, op
        assert matches.applicable(f"{op}-True") == frozenset(values) - holds, op


# --- errors surface as RuleEngineError ---------------------------------------------------------


def test_a_stack_overflow_is_an_error_never_fewer_matches(engine: RuleEngine) -> None:
    # Compiled with no stack budget: one ruleset where a big line passes 100 range tests.
    rules = [
        RuleConditions(f"p{i}", Leaf("line.value", Op.GTE, Decimal(i)), TRUE) for i in range(100)
    ]
    unsafe = compile_pack("unsafe", rules, EngineLimits(stack_budget=10_000))
    assert len(unsafe.line_chunks) == 1
    with engine.session(unsafe, new_key()) as session:
        session.set_lines({"1": {"line.value": Decimal(10)}})
        assert len(session.matches().lines_by_rule) == 11
        with pytest.raises(RuleEngineError, match="303") as raised:
            session.set_lines({"1": {"line.value": Decimal(10)}, "2": {"line.value": Decimal(99)}})
        assert raised.value.engine_code == 303
        assert isinstance(raised.value, CassaError)
        with pytest.raises(RuleEngineError, match="303"):
            session.matches()  # still failing: no partial answer
        session.set_lines({"1": {"line.value": Decimal(10)}})
        assert len(session.matches().lines_by_rule) == 11


def test_an_exception_recorded_in_the_session_state_is_an_error(
    monkeypatch: pytest.MonkeyPatch, engine: RuleEngine, pack: CompiledPack
) -> None:
    real = matcher._core

    class Core:
        @staticmethod
        def start_action_for_state(handle: int, state: int) -> Any:
            found = real.start_action_for_state(handle, state)
            recorded = {**json.loads(found[0]), "exception": "boom in an action"}
            return (json.dumps(recorded), found[1])

        complete_and_start_action = staticmethod(real.complete_and_start_action)

    with engine.session(pack, new_key()) as session:
        monkeypatch.setattr(matcher, "_core", Core)
        with pytest.raises(RuleEngineError, match="boom in an action"):
            session.set_lines({"1": item("120", "shoes")})
        monkeypatch.setattr(matcher, "_core", real)
        assert session.matches().lines_by_rule["shoes"] == {"1"}


def test_an_unhandled_fact_is_an_error(engine: RuleEngine, pack: CompiledPack) -> None:
    engine.register(pack)
    chunk = pack.line_chunks[0]
    stray = {"id": "l:stray", "sid": "stray", "k": "neither line nor context"}
    with pytest.raises(RuleEngineError, match="no rule handled the fact"):
        engine.call(lambda: engine._assert(chunk, stray))


def test_a_fact_asserted_twice_is_an_error(engine: RuleEngine, pack: CompiledPack) -> None:
    engine.register(pack)
    chunk = pack.line_chunks[0]
    fact = {"id": "l:twice", "sid": "twice", "k": "l", **dict.fromkeys(chunk.keys, False)}
    engine.call(lambda: engine._assert(chunk, dict(fact)))
    try:
        with pytest.raises(RuleEngineError, match="already asserted"):
            engine.call(lambda: engine._assert(chunk, dict(fact)))
    finally:
        engine.call(lambda: engine._delete_state(chunk, "twice"))


def test_an_unknown_durable_error_keeps_its_code() -> None:
    error = matcher._engine_error(Exception("Could not assert fact, error code: 302"), "asserting")
    assert error.engine_code == 302
    assert "302" in error.message
