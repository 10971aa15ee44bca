"""The till's permission check and managers' approvals, command by command."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from people_data import CARDS, PASSWORDS, PINS

from cassa.engine.errors import ConfigurationError, PermissionDenied
from cassa.engine.people import ApprovalRequired, AuditLog, Credentials, LoginRefused, Permission
from cassa.engine.till import Till


def last_events(till: Till, count: int) -> list[tuple[object, ...]]:
    return [
        (r.event, r.actor, r.approver, r.permission, r.amount)
        for r in AuditLog(till.database).events(limit=count)
    ]


@pytest.fixture
def assistant(staffed_till: Till) -> Till:
    staffed_till.login("bruno", PASSWORDS["bruno"])
    return staffed_till


def test_a_refusal_names_the_permission_and_can_be_approved(assistant: Till) -> None:
    assistant.scan("BATHMAT-01")
    with pytest.raises(ApprovalRequired) as refused:
        assistant.set_list_price(1, "9.90")
    assert isinstance(refused.value, PermissionDenied)
    assert refused.value.permissions == ("set_list_price",)
    assert refused.value.amount == Decimal("9.90")
    assert "bruno may not change a list price" in refused.value.message
    assert "(a manager can approve)" in refused.value.message
    assert assistant.document().lines[0].list_price == Decimal("12.90")
    assistant.authorize("set_list_price", username="marco", password=PASSWORDS["marco"])
    assert assistant.set_list_price(1, "9.90").list_price == Decimal("9.90")
    assert last_events(assistant, 2) == [
        ("permission_refused", "bruno", None, "set_list_price", Decimal("9.90")),
        ("approval", "bruno", "marco", "set_list_price", Decimal("9.90")),
    ]


def test_an_approval_may_come_with_the_command_itself(assistant: Till) -> None:
    grant = assistant.require(
        Permission.OPEN_DRAWER, approval=Credentials(card=CARDS["marco"], pin=PINS["marco"])
    )
    assert grant.approved_by == "marco"
    assert grant.operator == "bruno"
    with pytest.raises(ApprovalRequired):
        assistant.require(Permission.OPEN_DRAWER)


def test_a_role_holding_the_permission_needs_no_approval_and_the_use_is_recorded(
    staffed_till: Till,
) -> None:
    staffed_till.login("anna", PASSWORDS["anna"])
    grant = staffed_till.require(Permission.REPRINT, what="reprint receipt 12")
    assert grant.approved_by is None
    [used] = AuditLog(staffed_till.database).events(limit=1)
    assert (used.event, used.actor, used.permission, used.till, used.detail) == (
        "permission_used",
        "anna",
        "reprint",
        "T01",
        {"action": "reprint receipt 12"},
    )


def test_an_approval_is_for_its_permission_amount_document_and_operator_only(
    assistant: Till,
) -> None:
    assistant.scan("BATHMAT-01")
    assistant.authorize("set_list_price", card=CARDS["lucia"], pin=PINS["lucia"], amount="9.90")
    with pytest.raises(ApprovalRequired):
        assistant.require(Permission.OPEN_DRAWER)  # another permission
    with pytest.raises(ApprovalRequired):
        assistant.set_list_price(1, "8.90")  # another amount
    assistant.set_list_price(1, "9.90")
    assistant.authorize("set_list_price", card=CARDS["lucia"], pin=PINS["lucia"])
    assistant.park()
    assistant.scan("NOTEBOOK-A5")
    with pytest.raises(ApprovalRequired):
        assistant.set_list_price(1, "3.00")  # another document


def test_an_approval_runs_out_after_the_packs_two_minutes(assistant: Till) -> None:
    assistant.authorize("open_drawer", card=CARDS["marco"], pin=PINS["marco"])
    later = assistant.clock() + timedelta(seconds=121)
    assistant.clock = lambda: later
    with pytest.raises(ApprovalRequired):
        assistant.require(Permission.OPEN_DRAWER)


def test_a_new_login_drops_an_unused_approval(assistant: Till) -> None:
    assistant.authorize("open_drawer", card=CARDS["marco"], pin=PINS["marco"])
    assistant.login("bruno", PASSWORDS["bruno"])
    with pytest.raises(ApprovalRequired):
        assistant.require(Permission.OPEN_DRAWER)


def test_an_approver_must_hold_the_permission_and_be_someone_else(
    staffed_till: Till,
) -> None:
    staffed_till.login("bruno", PASSWORDS["bruno"])
    with pytest.raises(PermissionDenied, match="anna may not approve: needs the permission"):
        staffed_till.authorize("open_drawer", username="anna", password=PASSWORDS["anna"])
    with pytest.raises(PermissionDenied, match="bruno cannot approve their own action"):
        staffed_till.authorize("open_drawer", username="bruno", password=PASSWORDS["bruno"])
    with pytest.raises(LoginRefused, match="wrong username or password"):
        staffed_till.authorize("open_drawer", username="marco", password="guess-guess-guess")
    events = [(r.event, r.approver) for r in AuditLog(staffed_till.database).events(limit=3)]
    assert events == [
        ("approval_failed", "anna"),
        ("approval_failed", "bruno"),
        ("approval_failed", None),
    ]


def test_several_permissions_for_one_action_are_approved_together(
    staffed_till: Till,
) -> None:
    staffed_till.login("bruno", PASSWORDS["bruno"])
    staffed_till.scan("EARRING-GOLD")
    with pytest.raises(ApprovalRequired) as refused:
        staffed_till.set_list_price(1, "99")
    assert refused.value.permissions == ("set_list_price", "sell_below_min_price")
    assert "needs the permissions set_list_price, sell_below_min_price" in str(refused.value)
    staffed_till.authorize("set_list_price", card=CARDS["marco"], pin=PINS["marco"])
    with pytest.raises(ApprovalRequired):  # the approval does not cover both: nothing is used
        staffed_till.set_list_price(1, "99")
    staffed_till.authorize(*refused.value.permissions, card=CARDS["marco"], pin=PINS["marco"])
    assert staffed_till.set_list_price(1, "99").list_price == Decimal(99)


def test_a_cashier_sets_a_list_price_but_not_below_the_minimum_price(staffed_till: Till) -> None:
    staffed_till.login("anna", PASSWORDS["anna"])
    staffed_till.scan("EARRING-GOLD")
    staffed_till.set_list_price(1, "120.00")  # the minimum itself is allowed
    with pytest.raises(ApprovalRequired) as refused:
        staffed_till.set_list_price(1, "119.99")
    assert refused.value.permissions == ("sell_below_min_price",)


def test_validation_comes_before_the_permission_check(assistant: Till) -> None:
    assistant.scan("BATHMAT-01")
    with pytest.raises(Exception, match="cannot be negative"):
        assistant.set_list_price(1, "-1")


def test_approving_a_buy_back_needs_its_permission_for_the_amount_bought_back(
    staffed_till: Till,
) -> None:
    staffed_till.login("anna", PASSWORDS["anna"])
    staffed_till.scan("SHOE-RUN-42")
    staffed_till.scan("BUYBACK-GOLD", -1)
    with pytest.raises(ApprovalRequired) as refused:
        staffed_till.approve()
    assert refused.value.amount == Decimal("30.00")
    assert staffed_till.document().number is None
    staffed_till.authorize("approve_buy_back", card=CARDS["marco"], pin=PINS["marco"], amount=30)
    assert staffed_till.approve().number == "S/T01/2026/000001"


def test_an_unknown_permission_is_a_configuration_error(staffed_till: Till) -> None:
    with pytest.raises(ConfigurationError, match="unknown permission fly: pack demo-milano knows"):
        staffed_till.require("fly")
    with pytest.raises(ValueError, match="at least one permission"):
        staffed_till.require()


def test_a_till_opens_with_nobody_logged_in_and_no_permission(staffed_till: Till) -> None:
    assert (staffed_till.operator, staffed_till.pricing.role) == ("", None)
    with pytest.raises(ApprovalRequired, match="the operator may not reprint a document"):
        staffed_till.require(Permission.REPRINT)


def test_a_role_set_by_hand_without_a_login_counts_for_nothing(staffed_till: Till) -> None:
    staffed_till.pricing.role = staffed_till.pack.roles["manager"]
    with pytest.raises(ApprovalRequired, match="needs the permission manual_refund"):
        staffed_till.require(Permission.MANUAL_REFUND, amount=5)


def test_credentials_given_when_the_till_opens_log_in(staffed_till: Till) -> None:
    manager = Till.open(
        staffed_till.database,
        credentials=Credentials("lucia", PASSWORDS["lucia"]),
        clock=staffed_till.clock,
    )
    assert (manager.operator, manager.pricing.role and manager.pricing.role.code) == (
        "lucia",
        "manager",
    )
    assert manager.require(Permission.MANUAL_REFUND, amount=5).approved_by is None
    with pytest.raises(LoginRefused, match="wrong username or password"):
        Till.open(staffed_till.database, credentials=Credentials("lucia", "guessed-it-wrong"))


def test_reloaded_rules_change_what_the_gate_knows(staffed_till: Till) -> None:
    staffed_till.login("anna", PASSWORDS["anna"])
    staffed_till.require(Permission.REPRINT)
    staffed_till.reload_rules()
    staffed_till.require(Permission.REPRINT)
    assert staffed_till.gate is not None
    assert staffed_till.gate.pack is staffed_till.pack
