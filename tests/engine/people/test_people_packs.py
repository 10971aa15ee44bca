"""Roles, permission names and the Security document, as a rule pack declares them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cassa.engine.people import BUILTIN_PERMISSIONS, CardLogin, Permission, SecurityPolicy
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.yamlsource import DataFileError

DEMO_PACK = Path(__file__).resolve().parents[3] / "examples" / "demo" / "pack"
HEADER = "apiVersion: cassa/v1\n"


def pack(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "pack.yaml").write_text(HEADER + "kind: Pack\nname: shop\nextends: it\n")
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(HEADER + text, encoding="utf-8")
    return folder


def test_the_builtin_permissions_are_the_ones_the_issue_names() -> None:
    assert {
        "set_list_price",
        "sell_below_min_price",
        "close_day_with_difference",
        "close_other_shift",
        "approve_buy_back",
        "void_card_payment",
        "manual_refund",
        "make_return",
        "open_drawer",
        "reprint",
        "edit_employees",
        "change_employee_password",
        "withdraw_from_safe",
        "discount_above_limit",
        "cancel_order",  # cancelling a sales order (its deposit is given back)
        "discard_document",  # discarding a receipt above the pack's limit
        "count_stock",  # stock counts (cassa.engine.stock)
    } == BUILTIN_PERMISSIONS
    assert Permission("set_list_price") is Permission.SET_LIST_PRICE


def test_a_role_listing_an_unknown_permission_keeps_the_pack_out_of_use(tmp_path: Path) -> None:
    folder = pack(
        tmp_path,
        roles=(
            "kind: Roles\nroles:\n  - code: cashier\n    permissions: [reprint, set_list_prize]\n"
        ),
    )
    with pytest.raises(DataFileError) as refused:
        load_rule_pack(folder)
    (problem,) = refused.value.problems
    assert str(problem).startswith(f"{folder / 'roles.yaml'}:5:28: /roles/0/permissions/1: ")
    assert "unknown permission 'set_list_prize' (known: " in problem.message
    assert "set_list_price" in problem.message


def test_a_pack_may_declare_permissions_of_its_own(tmp_path: Path) -> None:
    folder = pack(
        tmp_path,
        roles=(
            "kind: Roles\npermissions: [{name: sell_gift_cards, description: Carte regalo}]\n"
            "roles:\n  - code: cashier\n    permissions: [sell_gift_cards]\n"
        ),
    )
    loaded = load_rule_pack(folder)
    assert "sell_gift_cards" in loaded.permissions
    assert loaded.roles["cashier"].permissions == {"sell_gift_cards"}


def test_a_manual_promotions_authorization_is_a_known_permission() -> None:
    loaded = load_rule_pack(DEMO_PACK)
    assert "staff_discount" in loaded.permissions
    assert loaded.permissions >= BUILTIN_PERMISSIONS
    assert "staff_discount" in loaded.roles["manager"].permissions


def test_without_a_security_document_the_defaults_follow_current_guidance(
    tmp_path: Path,
) -> None:
    policy = load_rule_pack(pack(tmp_path)).security
    assert policy == SecurityPolicy()
    assert policy is not None
    assert policy.passwords.min_length == 12
    assert policy.passwords.require == frozenset()
    assert policy.passwords.expires_after_days is None
    assert (policy.lockout.max_failures, policy.lockout.minutes) == (5, 15)
    assert policy.edit_other_stores is False


def test_a_security_document_sets_the_password_policy_lockout_cards_and_other_stores(
    tmp_path: Path,
) -> None:
    folder = pack(
        tmp_path,
        security=(
            "kind: Security\n"
            "passwords: {min_length: 14, require: [digit, symbol], expires_after_days: 90}\n"
            "lockout: {max_failures: 3, minutes: 30}\n"
            "cards: {login: card_and_pin, pin_min_length: 6}\n"
            "employees: {edit_other_stores: true}\n"
            "approvals: {valid_seconds: 60}\n"
        ),
    )
    policy = load_rule_pack(folder).security
    assert policy is not None
    assert policy.passwords.min_length == 14
    assert policy.passwords.require == {"digit", "symbol"}
    assert policy.passwords.expires_after_days == 90
    assert (policy.lockout.max_failures, policy.lockout.minutes) == (3, 30)
    assert policy.card_login is CardLogin.CARD_AND_PIN
    assert policy.pin_min_length == 6
    assert policy.edit_other_stores is True
    assert policy.approval_valid_seconds == 60


def test_a_later_security_document_overrides_only_the_keys_it_names(tmp_path: Path) -> None:
    base = pack(
        tmp_path,
        security="kind: Security\npasswords: {min_length: 16}\nlockout: {max_failures: 3}\n",
    )
    child = tmp_path / "child"
    child.mkdir()
    (child / "pack.yaml").write_text(HEADER + f"kind: Pack\nname: child\nextends: {base}\n")
    (child / "security.yaml").write_text(HEADER + "kind: Security\nlockout: {minutes: 60}\n")
    policy = load_rule_pack(child).security
    assert policy is not None
    assert policy.passwords.min_length == 16
    assert (policy.lockout.max_failures, policy.lockout.minutes) == (3, 60)


def test_a_weak_or_misspelt_security_setting_is_refused_with_its_position(
    tmp_path: Path,
) -> None:
    folder = pack(
        tmp_path,
        security="kind: Security\npasswords: {min_length: 6, require: [emoji]}\nlockup: {}\n",
    )
    with pytest.raises(DataFileError) as refused:
        load_rule_pack(folder)
    messages = [str(p) for p in refused.value.problems]
    assert any("/passwords/min_length" in m and "less than the minimum of 8" in m for m in messages)
    assert any("/passwords/require/0" in m for m in messages)
    assert any(":4:1:" in m and "lockup" in m for m in messages)
