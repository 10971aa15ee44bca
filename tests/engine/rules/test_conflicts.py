"""Two rules that can meet on a line at equal priority must say how they combine.

Every pair of promotion kinds (line, customer, quantity tier, basket threshold,
threshold with a gift, bundle) is tried on the item GLOSS of the seed shop:
undeclared they are refused with both rules named, with a declaration (or a
different priority) they are accepted.
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from pathlib import Path

import pytest

from cassa.cli import main

ROOT = Path(__file__).resolve().parents[3]
SHOP = ROOT / "examples" / "seed-shop"

KINDS: dict[str, str] = {
    "line": "type: line_discount, scope: {items: [GLOSS]}, discount: {percent: 10}",
    "customer": "type: customer_discount, customers: {groups: [VIP]}, "
    "scope: {groups: [cosmetics]}, discount: {percent: 5}",
    "tier": "type: quantity_tier, scope: {items: [GLOSS]}, "
    "tiers: [{min_quantity: 3, discount: {percent: 10}}]",
    "threshold": "type: basket_threshold, scope: {groups: [cosmetics]}, "
    "thresholds: [{min_value: 50, discount: {percent: 10}}]",
    "gift": "type: basket_threshold, thresholds: [{min_value: 20}], "
    "gift: {item: GLOSS, fixed_price: 0.00}",
    "bundle": "type: bundle, bundle: {kind: flexible, components: [{groups: [cosmetics], "
    "quantity: 1}], min_quantity: 3, target: cheapest, discount: {percent: 50}}",
}
PAIRS = list(combinations_with_replacement(sorted(KINDS), 2))


def a_pack(tmp_path: Path, *rules: str, name: str = "probe") -> Path:
    pack = tmp_path / name
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: {name}\nextends: it\nstore: {SHOP}\n",
        encoding="utf-8",
    )
    body = "".join(f"  - {{{rule}}}\n" for rule in rules)
    (pack / "rules.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Promotions\nrules:\n{body}", encoding="utf-8"
    )
    return pack


def rule(rule_id: str, kind: str, extra: str = "") -> str:
    return f"id: {rule_id}, name: {rule_id}, {KINDS[kind]}{', ' + extra if extra else ''}"


def validate(pack: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["rules", "validate", str(pack)])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_two_kinds_meeting_on_a_line_at_equal_priority_without_stacking_are_refused(
    first: str, second: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(tmp_path, rule("one", first), rule("two", second))
    code, out = validate(pack, capsys)
    assert code == 1, out
    assert "rules 'one' (rules.yaml:4) and 'two' (rules.yaml:5) can both apply to GLOSS" in out
    assert f"{pack / 'rules.yaml'}:5:5: /rules/1:" in out


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_the_same_pair_is_accepted_once_it_says_how_they_combine(
    first: str, second: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Bundles share units, which no stacking can settle: their priority says who goes first.
    declared = "priority: 5" if first == second == "bundle" else "stacking: add"
    pack = a_pack(tmp_path, rule("one", first), rule("two", second, declared))
    code, out = validate(pack, capsys)
    assert code == 0, out


def test_two_exclusive_rules_of_equal_priority_are_refused_whatever_their_file_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for order, name in (((0, 1), "ab"), ((1, 0), "ba")):
        rules = [
            rule("happy-hour", "line", "stacking: exclusive"),
            rule("clearance", "customer", "stacking: exclusive"),
        ]
        pack = a_pack(tmp_path, *(rules[i] for i in order), name=name)
        code, out = validate(pack, capsys)
        assert code == 1
        assert "is exclusive and does not combine with" in out


def test_an_exclusive_rule_that_combines_with_the_other_kind_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(
        tmp_path,
        rule("happy-hour", "line", "stacking: exclusive, combines_with: [customer_discount]"),
        rule("vip", "customer", "stacking: add"),
    )
    assert validate(pack, capsys)[0] == 0


def test_an_exclusive_rule_and_an_added_one_of_one_stage_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(
        tmp_path,
        rule("happy-hour", "line", "stacking: exclusive"),
        rule("tiers", "tier", "stacking: add"),
    )
    code, out = validate(pack, capsys)
    assert code == 1
    assert "'happy-hour' is exclusive and does not combine with quantity_tier" in out


def test_rules_of_different_priority_never_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(tmp_path, rule("one", "line", "priority: 2"), rule("two", "tier"))
    assert validate(pack, capsys)[0] == 0


def test_rules_whose_schedules_never_meet_do_not_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    morning = "schedule: {windows: [{every: daily, from: '09:00', to: '12:00'}]}"
    evening = "schedule: {windows: [{every: daily, from: '17:00', to: '19:00'}]}"
    pack = a_pack(tmp_path, rule("morning", "line", morning), rule("evening", "tier", evening))
    assert validate(pack, capsys)[0] == 0


def test_a_window_ending_at_17_and_one_starting_at_17_never_meet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = "schedule: {windows: [{every: daily, from: '09:00', to: '17:00'}]}"
    evening = "schedule: {windows: [{every: daily, from: '17:00', to: '19:00'}]}"
    pack = a_pack(tmp_path, rule("day", "line", day), rule("evening", "line", evening))
    assert validate(pack, capsys)[0] == 0


def test_the_message_says_when_both_are_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    happy = (
        "schedule: {valid_from: 2026-07-01, valid_to: 2026-07-31, windows: "
        "[{every: weekly, weekdays: [mon, fri], from: '17:00', to: '19:00'}]}"
    )
    fridays = "schedule: {windows: [{every: weekly, weekdays: [fri, sat], from: '18:00'}]}"
    pack = a_pack(tmp_path, rule("happy", "line", happy), rule("fridays", "threshold", fridays))
    code, out = validate(pack, capsys)
    assert code == 1
    assert "live together from 2026-07-01 to 2026-07-31, fri 18:00–19:00" in out


def test_rules_for_different_customers_do_not_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(
        tmp_path,
        rule("lucia", "line", "when: {attr: customer.code, eq: LUCIA}"),
        rule("cora", "line", "when: {attr: customer.code, in: [CORA]}"),
    )
    assert validate(pack, capsys)[0] == 0


def test_rules_on_items_of_unrelated_groups_do_not_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(
        tmp_path,
        "id: shoes, name: shoes, type: line_discount, scope: {groups: [shoes]}, "
        "discount: {percent: 10}",
        "id: bags, name: bags, type: line_discount, scope: {groups: [bags]}, "
        "discount: {percent: 10}",
    )
    assert validate(pack, capsys)[0] == 0


def test_a_parent_group_and_a_child_group_meet_on_the_childs_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(
        tmp_path,
        "id: accessories, name: a, type: line_discount, scope: {groups: [accessories]}, "
        "discount: {percent: 10}",
        "id: bijoux, name: b, type: line_discount, scope: {groups: [bijoux]}, "
        "discount: {percent: 10}",
    )
    code, out = validate(pack, capsys)
    assert code == 1
    assert "can both apply to BRACCIALE (groups bijoux)" in out


def test_check_conflicts_names_both_rules_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = a_pack(tmp_path, rule("one", "tier"), rule("two", "bundle"))
    assert main(["rules", "check-conflicts", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "rules 'one' (rules.yaml:4) and 'two' (rules.yaml:5) can both apply to GLOSS" in out
    assert out.splitlines()[-1].endswith("1 conflict(s) among 2 promotions")


def test_check_conflicts_of_a_clean_pack_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "check-conflicts", str(ROOT / "examples/packs/combining")]) == 0
    assert "0 conflict(s)" in capsys.readouterr().out


def test_a_pack_version_already_checked_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cassa.engine.rules import rulepack
    from cassa.engine.rules.conflicts import ConflictCache
    from cassa.engine.storefiles import load_store

    monkeypatch.setattr(rulepack, "_CONFLICTS", ConflictCache(tmp_path / "cache"))
    catalog = load_store(SHOP).catalog
    pack = a_pack(tmp_path, rule("one", "line", "stacking: add"), rule("two", "tier"))
    rulepack.load_rule_pack(pack, catalog)
    assert len(list((tmp_path / "cache" / "conflicts").glob("*.json"))) == 1

    def never(*args: object) -> None:
        raise AssertionError("checked again")

    monkeypatch.setattr(rulepack, "find_conflicts", never)
    # A new process (a till starting) reads the result from disk.
    monkeypatch.setattr(rulepack, "_CONFLICTS", ConflictCache(tmp_path / "cache"))
    rulepack.load_rule_pack(pack, catalog)
    # A changed rule is a new pack version: checked again.
    (pack / "rules.yaml").write_text(
        (pack / "rules.yaml").read_text(encoding="utf-8").replace("percent: 10", "percent: 11"),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="checked again"):
        rulepack.load_rule_pack(pack, catalog)
