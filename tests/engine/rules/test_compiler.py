"""Compiling condition trees into durable-rules rulesets."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from cassa.engine.errors import InvalidInput
from cassa.engine.rules.compiler import (
    CompiledPack,
    CompileError,
    EngineLimits,
    RuleConditions,
    compile_pack,
)
from cassa.engine.rules.conditions import TRUE, All, Any_, Condition, Leaf, Not, Op, parse_condition
from cassa.engine.rules.matcher import get_engine


def scoped(scope: Condition, when: Condition = TRUE, rule_id: str = "p1") -> CompiledPack:
    return compile_pack("test", [RuleConditions(rule_id, scope, when)])


def line(data: dict[str, Any]) -> Condition:
    return parse_condition(data, "line")


def context(data: dict[str, Any]) -> Condition:
    return parse_condition(data, "context")


def conjunctions(pack: CompiledPack, subject: str = "line") -> list[list[dict[str, Any]]]:
    """Each durable rule's tests, in order, with keys replaced by what they mean."""
    names = pack.key_names()
    chunks = pack.line_chunks if subject == "line" else pack.context_chunks
    found = []
    for chunk in chunks:
        for rule_name, rule in chunk.definition().items():
            if chunk.actions[rule_name] or rule_name != "r0":
                tests = rule["all"][0]["m"]
                found.append([_named(t, names) for t in tests.get("$and", [tests])])
    return found


def _named(test: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    ((key, value),) = test.items()
    if key.startswith("$"):
        ((inner, operand),) = value.items()
        return {key: {names.get(inner, inner): operand}}
    return {names.get(key, key): value}


# --- negations are pushed down to the leaves ----------------------------------------------


def test_not_greater_than_becomes_at_most() -> None:
    pack = scoped(Not(Leaf("line.value", Op.GT, Decimal("10"))))
    assert conjunctions(pack) == [[{"$lte": {"line.value": 10_000_000}}]]


def test_not_all_becomes_one_rule_per_negated_part() -> None:
    pack = scoped(
        Not(All((Leaf("line.sku", Op.EQ, "A"), Leaf("line.quantity", Op.GTE, Decimal(2)))))
    )
    assert sorted(conjunctions(pack), key=json.dumps) == sorted(
        [[{"$neq": {"line.sku": "A"}}], [{"$lte": {"line.quantity": 1_999_999}}]], key=json.dumps
    )


def test_not_any_becomes_all_of_the_negations() -> None:
    pack = scoped(
        Not(Any_((Leaf("line.sku", Op.EQ, "A"), Leaf("line.groups", Op.CONTAINS, "shoes"))))
    )
    assert conjunctions(pack) == [[{"line.groups ∋ shoes": False}, {"$neq": {"line.sku": "A"}}]]


def test_double_negation_cancels_out() -> None:
    leaf = Leaf("line.sku", Op.EQ, "A")
    assert conjunctions(scoped(Not(Not(leaf)))) == conjunctions(scoped(leaf))


def test_not_in_is_a_conjunction_of_inequalities() -> None:
    expected = [[{"$neq": {"line.sku": "A"}}, {"$neq": {"line.sku": "B"}}]]
    assert _sorted(conjunctions(scoped(Leaf("line.sku", Op.NOT_IN, ("A", "B"))))) == expected
    assert _sorted(conjunctions(scoped(Not(Leaf("line.sku", Op.IN, ("A", "B")))))) == expected


def test_in_is_one_rule_per_value() -> None:
    pack = scoped(Leaf("line.sku", Op.IN, ("A", "B")))
    assert conjunctions(pack) == [[{"line.sku": "A"}], [{"line.sku": "B"}]]


def test_a_negated_boolean_is_an_equality_with_the_other_value() -> None:
    pack = scoped(Not(Leaf("line.discountable", Op.EQ, True)))
    assert conjunctions(pack) == [[{"line.discountable": False}]]


def test_not_contains_is_an_equality_with_false() -> None:
    pack = scoped(Not(Leaf("line.groups", Op.CONTAINS, "shoes")))
    assert conjunctions(pack) == [[{"line.groups ∋ shoes": False}]]


def test_contradictions_produce_no_rule() -> None:
    scope = All((Leaf("line.value", Op.GT, Decimal(10)), Leaf("line.value", Op.LT, Decimal(5))))
    assert conjunctions(scoped(scope)) == []


def test_a_range_of_one_value_becomes_an_equality() -> None:
    when = context(
        {
            "all": [
                {"attr": "clock.date", "gte": "2026-07-05"},
                {"attr": "clock.date", "lt": "2026-07-06"},
            ]
        }
    )
    pack = compile_pack("t", [RuleConditions("p1", None, when)])
    assert conjunctions(pack, "context") == [[{"clock.date": 20260705}]]


def test_an_inequality_at_a_range_bound_tightens_the_bound() -> None:
    scope = All((Leaf("line.value", Op.GTE, Decimal(10)), Leaf("line.value", Op.NE, Decimal(10))))
    assert conjunctions(scoped(scope)) == [[{"$gte": {"line.value": 10_000_001}}]]
    scope = All((Leaf("line.value", Op.LTE, Decimal(10)), Leaf("line.value", Op.NOT_IN, (10, 20))))
    assert conjunctions(scoped(scope)) == [[{"$lte": {"line.value": 9_999_999}}]]


def _sorted(found: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    return [sorted(tests, key=json.dumps) for tests in found]


# --- values are encoded without floats ---------------------------------------------------


@pytest.mark.parametrize(
    ("op", "threshold", "expected"),
    [
        (Op.GT, "9.99", {"$gte": {"line.value": 9_990_001}}),
        (Op.GTE, "10.00", {"$gte": {"line.value": 10_000_000}}),
        (Op.LT, "10", {"$lte": {"line.value": 9_999_999}}),
        (Op.LTE, "9.99", {"$lte": {"line.value": 9_990_000}}),
        (Op.GT, "9.9999995", {"$gte": {"line.value": 10_000_000}}),
        (Op.LT, "9.9999995", {"$lte": {"line.value": 9_999_999}}),
    ],
)
def test_money_thresholds_are_exact_integer_millionths(
    op: Op, threshold: str, expected: dict[str, Any]
) -> None:
    pack = scoped(Leaf("line.value", op, Decimal(threshold)))
    assert conjunctions(pack) == [[expected]]


def test_money_facts_at_the_boundary_encode_exactly() -> None:
    pack = scoped(Leaf("line.value", Op.GTE, Decimal("10.00")))
    key = pack.line_slots[0].key
    assert pack.line_fact("1", {"line.value": Decimal("9.99")})[key] == 9_990_000
    assert pack.line_fact("1", {"line.value": Decimal("10.00")})[key] == 10_000_000
    assert pack.line_fact("1", {"line.value": Decimal("10")})[key] == 10_000_000
    assert pack.line_fact("1", {"line.value": 10})[key] == 10_000_000


def test_an_equality_finer_than_a_millionth_never_holds() -> None:
    assert conjunctions(scoped(Leaf("line.value", Op.EQ, Decimal("9.9999995")))) == []
    always = scoped(Leaf("line.value", Op.NE, Decimal("9.9999995")))
    # Always true: the catch-all rule, which every line matches, reports it.
    assert always.line_chunks[0].actions["r0"] == ("p1",)


def test_a_fact_with_more_than_six_decimals_is_refused() -> None:
    pack = scoped(Leaf("line.value", Op.GT, Decimal(0)))
    with pytest.raises(InvalidInput, match=r"line\.value"):
        pack.line_fact("1", {"line.value": Decimal("0.0000001")})


def test_floats_are_refused_in_facts() -> None:
    pack = scoped(Leaf("line.value", Op.GT, Decimal(0)))
    with pytest.raises(InvalidInput, match="Decimal"):
        pack.line_fact("1", {"line.value": 9.99})


def test_dates_become_yyyymmdd_integers() -> None:
    pack = compile_pack(
        "t", [RuleConditions("p1", None, context({"attr": "clock.date", "gte": "2026-07-01"}))]
    )
    assert conjunctions(pack, "context") == [[{"$gte": {"clock.date": 20260701}}]]
    key = pack.context_slots[0].key
    assert pack.context_fact({"clock.date": "2026-07-05"})[key] == 20260705


def test_times_become_hhmm_integers() -> None:
    pack = compile_pack(
        "t", [RuleConditions("p1", None, context({"attr": "clock.time", "lt": "16:00"}))]
    )
    assert conjunctions(pack, "context") == [[{"$lte": {"clock.time": 1599}}]]
    key = pack.context_slots[0].key
    assert pack.context_fact({"clock.time": "09:30"})[key] == 930
    with pytest.raises(InvalidInput, match="HH:MM"):
        pack.context_fact({"clock.time": "9:30"})


def test_each_set_member_a_rule_tests_is_its_own_boolean_key() -> None:
    scope = Any_(
        (Leaf("line.groups", Op.CONTAINS, "shoes"), Leaf("line.groups", Op.CONTAINS, "bags"))
    )
    pack = scoped(scope)
    assert sorted(conjunctions(pack), key=json.dumps) == [
        [{"line.groups ∋ bags": True}],
        [{"line.groups ∋ shoes": True}],
    ]
    fact = pack.line_fact("1", {"line.groups": frozenset({"shoes", "hats"})})
    names = pack.key_names()
    assert {names[k]: v for k, v in fact.items() if k in names} == {
        "line.groups ∋ shoes": True,
        "line.groups ∋ bags": False,
    }


def test_wildcard_families_are_read_from_one_mapping_and_default_to_zero() -> None:
    when = context({"attr": "basket.group_value.shoes", "gte": 100})
    pack = compile_pack("t", [RuleConditions("p1", None, when)])
    key = pack.context_slots[0].key
    assert pack.context_fact({"basket.group_value": {"shoes": Decimal("120")}})[key] == 120_000_000
    assert pack.context_fact({"basket.group_value": {"bags": Decimal("5")}})[key] == 0
    assert pack.context_fact({})[key] == 0


def test_attribute_names_become_short_keys() -> None:
    pack = scoped(line({"attr": "line.vat_code", "eq": "A"}))
    (slot,) = pack.line_slots
    assert slot.key == "l0"
    assert pack.line_fact("9", {"line.vat_code": "A"}) == {"id": "l:9", "k": "l", "l0": "A"}


# --- tests are ordered so a fact cannot overflow the engine's stack -----------------------


def test_equalities_come_first_and_ranges_last() -> None:
    scope = All(
        (
            Leaf("line.value", Op.GT, Decimal(5)),
            Leaf("line.sku", Op.NE, "X"),
            Leaf("line.groups", Op.CONTAINS, "shoes"),
        )
    )
    assert conjunctions(scoped(scope)) == [
        [
            {"line.groups ∋ shoes": True},
            {"$neq": {"line.sku": "X"}},
            {"$gte": {"line.value": 5_000_001}},
        ]
    ]


def test_many_range_only_rules_are_split_so_no_fact_overflows_the_stack() -> None:
    rules = [
        RuleConditions(f"p{i}", Leaf("line.value", Op.GTE, Decimal(i)), TRUE) for i in range(300)
    ]
    limits = EngineLimits()
    pack = compile_pack("ranges", rules, limits)
    assert len(pack.line_chunks) >= 300 // limits.stack_budget
    for chunk in pack.line_chunks:
        assert len(chunk.actions) <= limits.stack_budget


def test_rules_sharing_an_equality_fit_in_one_ruleset() -> None:
    rules = [RuleConditions(f"p{i}", Leaf("line.sku", Op.EQ, f"SKU{i}"), TRUE) for i in range(300)]
    assert len(compile_pack("skus", rules).line_chunks) == 1


def test_no_node_gets_more_children_than_the_engine_can_hash() -> None:
    rules = [RuleConditions(f"p{i}", Leaf("line.sku", Op.EQ, f"SKU{i}"), TRUE) for i in range(1000)]
    pack = compile_pack("skus", rules, EngineLimits(max_children=400))
    # One child of the root per SKU, plus the catch-all in each ruleset.
    assert [len(chunk.actions) for chunk in pack.line_chunks] == [400, 400, 203]


def test_a_ruleset_references_no_more_keys_than_a_fact_can_carry() -> None:
    rules = [
        RuleConditions(f"p{i}", Leaf("line.groups", Op.CONTAINS, f"g{i}"), TRUE) for i in range(300)
    ]
    limits = EngineLimits(max_fact_keys=100, set_member_bounds={"line.groups": 4})
    pack = compile_pack("groups", rules, limits)
    assert len(pack.line_chunks) == 4
    assert all(len(chunk.keys) < 100 for chunk in pack.line_chunks)


@pytest.mark.parametrize(
    "limits", [{"max_children": 512}, {"max_fact_keys": 253}, {"max_rules": 4096}]
)
def test_limits_the_engine_cannot_take_are_refused(limits: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="durable"):
        EngineLimits(**limits)


def test_identical_conditions_share_one_durable_rule() -> None:
    scope = Leaf("line.groups", Op.CONTAINS, "shoes")
    pack = compile_pack("t", [RuleConditions("a", scope, TRUE), RuleConditions("b", scope, TRUE)])
    (chunk,) = pack.line_chunks
    assert chunk.actions["r1"] == ("a", "b")


# --- facts carry every key, with defaults --------------------------------------------------


def test_facts_carry_every_referenced_key_with_its_default() -> None:
    scope = All(
        (
            Leaf("line.sku", Op.NE, "A"),
            Leaf("line.quantity", Op.GT, Decimal(1)),
            Leaf("line.discountable", Op.EQ, True),
            Leaf("line.groups", Op.NOT_CONTAINS, "shoes"),
        )
    )
    when = All((Leaf("clock.date", Op.GTE, "2026-01-01"), Leaf("clock.time", Op.LT, "10:00")))
    pack = scoped(scope, when)
    names = pack.key_names()
    line_fact = pack.line_fact("1", {})
    assert {names[k]: v for k, v in line_fact.items() if k in names} == {
        "line.sku": "",
        "line.quantity": 0,
        "line.discountable": False,
        "line.groups ∋ shoes": False,
    }
    context_fact = pack.context_fact({})
    assert {names[k]: v for k, v in context_fact.items() if k in names} == {
        "clock.date": 0,
        "clock.time": -1,
    }


def test_the_context_fact_is_the_same_whatever_else_the_caller_passes() -> None:
    pack = compile_pack(
        "t", [RuleConditions("p1", None, context({"attr": "customer.kind", "eq": "vip"}))]
    )
    assert pack.context_fact({"customer.kind": "vip", "till.code": "T1"}) == pack.context_fact(
        {"customer.kind": "vip"}
    )


# --- definitions stay pristine -------------------------------------------------------------


def test_definitions_are_deep_copies_the_engine_may_mutate() -> None:
    pack = scoped(Leaf("line.sku", Op.EQ, "A"))
    first = pack.definitions()
    for definition in first.values():
        for rule in definition.values():
            del rule["run"]
    assert all("run" in rule for d in pack.definitions().values() for rule in d.values())


def test_registering_with_the_engine_leaves_the_definitions_unchanged() -> None:
    pack = scoped(Leaf("line.sku", Op.EQ, "unchanged"), context({"attr": "basket.total", "gt": 5}))
    before = copy.deepcopy(pack.definitions())
    get_engine().register(pack)
    assert pack.definitions() == before


# --- identity and errors ------------------------------------------------------------------


def test_the_digest_changes_with_the_pack_and_only_with_it() -> None:
    a = scoped(Leaf("line.sku", Op.EQ, "A"))
    assert a.digest == scoped(Leaf("line.sku", Op.EQ, "A")).digest
    assert a.digest != scoped(Leaf("line.sku", Op.EQ, "B")).digest
    assert a.digest != scoped(Leaf("line.sku", Op.EQ, "A"), rule_id="p2").digest
    assert all(chunk.name.startswith(f"test.{a.digest}.") for chunk in a.chunks)


def test_an_unknown_attribute_names_the_rule() -> None:
    with pytest.raises(CompileError, match=r"rule p1: scope: unknown attribute 'line\.colour'"):
        scoped(Leaf("line.colour", Op.EQ, "red"))


def test_a_context_attribute_in_the_scope_is_refused() -> None:
    with pytest.raises(CompileError, match=r"unknown attribute 'basket\.total'"):
        scoped(Leaf("basket.total", Op.GT, Decimal(1)))


def test_an_operator_that_does_not_fit_the_type_is_refused() -> None:
    with pytest.raises(CompileError, match="'gt' does not apply to string"):
        scoped(Leaf("line.sku", Op.GT, "A"))


def test_duplicate_rule_ids_are_refused() -> None:
    rule = RuleConditions("p1", None, TRUE)
    with pytest.raises(CompileError, match="used by another rule"):
        compile_pack("t", [rule, rule])


def test_a_condition_that_expands_too_far_is_refused() -> None:
    skus = tuple(f"S{i}" for i in range(20))
    scope = All((Leaf("line.sku", Op.IN, skus), Leaf("line.group", Op.IN, skus)))
    with pytest.raises(CompileError, match="more than 256 alternatives"):
        scoped(scope)
