"""Logging in at a till: who may, with what, and what a failure costs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from people_data import CARDS, PASSWORDS, PINS, pack_over_demo

from cassa.engine.documents import DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput, PermissionDenied
from cassa.engine.people import (
    AuditEvent,
    AuditLog,
    Authority,
    Credentials,
    LoginRefused,
    PasswordExpired,
    People,
    StorePacks,
    authenticate,
)
from cassa.engine.people._passwords import PARAMETERS
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.storage.models import EmployeeRow
from cassa.engine.till import Till


def events(till: Till) -> list[tuple[str, str | None]]:
    return [(r.event, r.subject) for r in AuditLog(till.database).events()]


def people_of(till: Till) -> People:
    return till.employees().people


def test_a_cashier_logs_in_with_username_and_password_and_her_role_follows(
    staffed_till: Till,
) -> None:
    employee = staffed_till.login("anna", PASSWORDS["anna"])
    assert employee.full_name == "Sig.ra Anna Bianchi"
    assert staffed_till.operator == "anna"
    assert staffed_till.pricing.operator == "anna"
    assert staffed_till.pricing.role is not None
    assert staffed_till.pricing.role.code == "cashier"
    document = staffed_till.new_document(DocumentType.RECEIPT)
    assert document.operator == "anna"
    assert events(staffed_till)[-1] == ("login", "anna")


def test_a_username_is_not_case_sensitive(staffed_till: Till) -> None:
    assert staffed_till.login(" ANNA ", PASSWORDS["anna"]).username == "anna"


def test_an_employee_logs_in_with_card_and_pin_and_her_role_follows(
    staffed_till: Till,
) -> None:
    assert staffed_till.login(card=CARDS["marco"], pin=PINS["marco"]).username == "marco"
    assert staffed_till.pricing.role is not None
    assert staffed_till.pricing.role.code == "manager"
    with pytest.raises(LoginRefused, match="wrong card number or PIN"):
        staffed_till.login(card="1234567890123", pin=PINS["marco"])


def test_the_card_alone_logs_in_when_the_pack_says_so(staffed_till: Till, tmp_path: Path) -> None:
    pack = load_rule_pack(pack_over_demo(tmp_path / "cardonly", "cards: {login: card}"))
    people = People(
        staffed_till.database,
        clock=staffed_till.now,
        packs=StorePacks(staffed_till.database, {"MI01": pack}),
    )
    marco = authenticate(people, Credentials(card=CARDS["marco"]), store="MI01")
    assert marco.username == "marco"
    with pytest.raises(LoginRefused, match="wrong card number or PIN"):
        authenticate(people, Credentials(card="1234567890123"), store="MI01")


def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(
    staffed_till: Till,
) -> None:
    with pytest.raises(LoginRefused) as wrong:
        staffed_till.login("anna", "not-her-password")
    with pytest.raises(LoginRefused) as unknown:
        staffed_till.login("nessuno", "not-her-password")
    assert wrong.value.message == unknown.value.message == "wrong username or password"
    assert events(staffed_till)[-2:] == [("login_failed", "anna"), ("login_failed", None)]
    assert staffed_till.operator == ""  # nobody logged in
    assert staffed_till.pricing.role is None


def test_credentials_need_a_username_and_password_or_a_card_and_never_show_secrets() -> None:
    with pytest.raises(InvalidInput, match="give a username and a password, or a card"):
        Credentials()
    with pytest.raises(InvalidInput, match="give both the username and the password"):
        Credentials("anna")
    with pytest.raises(InvalidInput, match="or a card"):
        Credentials("anna", "secret-password", card="123")
    shown = repr(Credentials("anna", "secret-password"))
    assert "secret-password" not in shown
    assert "anna" in shown
    assert "4321" not in repr(Credentials(card="2925212787649", pin="4321"))


def test_five_failures_lock_the_account_for_fifteen_minutes_then_it_opens_again(
    staffed_till: Till,
) -> None:
    for _ in range(5):
        with pytest.raises(LoginRefused, match=r"^wrong username or password$"):
            staffed_till.login("anna", "not-her-password")
    # locked for 15 minutes: even the right password gets the answer of a wrong one,
    # so a lock tells nobody that the account exists or that a guess was right
    with pytest.raises(LoginRefused, match=r"^wrong username or password$"):
        staffed_till.login("anna", PASSWORDS["anna"])
    with pytest.raises(LoginRefused, match=r"^wrong card number or PIN$"):
        staffed_till.login(card=CARDS["anna"], pin=PINS["anna"])
    later = staffed_till.clock() + timedelta(minutes=16)
    staffed_till.clock = lambda: later
    assert staffed_till.login("anna", PASSWORDS["anna"]).failed_logins == 0
    recorded = [e for e, who in events(staffed_till) if who == "anna"]
    assert recorded[-4:] == ["account_locked", "login_refused", "login_refused", "login"]


def test_after_a_lock_runs_out_a_new_failure_starts_a_fresh_count(staffed_till: Till) -> None:
    for _ in range(5):
        with pytest.raises(LoginRefused):
            staffed_till.login("anna", "not-her-password")
    later = staffed_till.clock() + timedelta(minutes=16)
    staffed_till.clock = lambda: later
    with pytest.raises(LoginRefused, match=r"wrong username or password$"):
        staffed_till.login("anna", "not-her-password")
    assert people_of(staffed_till).get("anna").failed_logins == 1


def test_a_deactivated_employee_or_one_outside_their_contract_cannot_log_in(
    staffed_till: Till,
) -> None:
    people = people_of(staffed_till)
    people.set_active("anna", False, by=Authority.system("test"))
    with pytest.raises(LoginRefused, match="the account of anna is deactivated"):
        staffed_till.login("anna", PASSWORDS["anna"])
    later = staffed_till.clock() + timedelta(days=90)  # bruno's contract ends on 30 September
    staffed_till.clock = lambda: later
    with pytest.raises(LoginRefused, match="the employment of bruno ended on 2026-09-30"):
        staffed_till.login("bruno", PASSWORDS["bruno"])


def test_an_employee_of_another_store_cannot_log_in_here(
    staffed_till: Till, second_store: Callable[..., str]
) -> None:
    second_store()
    people = people_of(staffed_till)
    people.assign("bruno", "RM01", "assistant", by=Authority.system("test"))
    people.unassign("bruno", "MI01", by=Authority.system("test"))
    with pytest.raises(LoginRefused, match="bruno does not work in store MI01"):
        staffed_till.login("bruno", PASSWORDS["bruno"])


def test_an_expired_password_must_be_replaced_at_login(staffed_till: Till) -> None:
    people = people_of(staffed_till)
    by = people.authority("marco")
    people.reset_password("anna", "temporanea-2026", by=by)
    with pytest.raises(PasswordExpired, match="the password of anna has expired"):
        staffed_till.login("anna", "temporanea-2026")
    with pytest.raises(InvalidInput, match="must differ from the old one"):
        staffed_till.login("anna", "temporanea-2026", new_password="temporanea-2026")
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        staffed_till.login("anna", "temporanea-2026", new_password="corta")
    staffed_till.login("anna", "temporanea-2026", new_password="la-mia-parola-segreta")
    assert staffed_till.operator == "anna"
    staffed_till.login("anna", "la-mia-parola-segreta")


def test_another_operator_cannot_log_in_over_an_open_receipt(staffed_till: Till) -> None:
    staffed_till.scan("NOTEBOOK-A5")
    with pytest.raises(DocumentStateError, match="park, approve or discard"):
        staffed_till.login("marco", PASSWORDS["marco"])
    staffed_till.park()
    staffed_till.login("marco", PASSWORDS["marco"])


def test_logging_out_leaves_no_operator_and_no_permission(staffed_till: Till) -> None:
    staffed_till.login("marco", PASSWORDS["marco"])
    staffed_till.logout()
    assert staffed_till.operator == ""
    assert staffed_till.pricing.role is None
    assert events(staffed_till)[-1] == ("logout", "marco")


def test_a_login_rehashes_a_password_kept_with_older_parameters(staffed_till: Till) -> None:
    from argon2 import PasswordHasher

    older = PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1).hash(PASSWORDS["anna"])
    with staffed_till.database.session() as session, session.begin():
        row = session.get(EmployeeRow, "anna")
        assert row is not None
        row.password_hash = older
    staffed_till.login("anna", PASSWORDS["anna"])
    with staffed_till.database.session() as session:
        row = session.get(EmployeeRow, "anna")
        assert row is not None
        assert row.password_hash is not None
        assert row.password_hash != older
        assert f"m={PARAMETERS.memory_cost}," in row.password_hash


def test_with_card_and_pin_a_card_alone_is_not_enough(staffed_till: Till, tmp_path: Path) -> None:
    folder = pack_over_demo(tmp_path / "pinpack", "cards: {login: card_and_pin}")
    pack = load_rule_pack(folder)
    people = People(
        staffed_till.database,
        clock=staffed_till.now,
        packs=StorePacks(staffed_till.database, {"MI01": pack}),
    )
    people.reset_password("marco", PASSWORDS["marco"], by=Authority.system("test"), pin="482913")
    with pytest.raises(LoginRefused, match="wrong card number or PIN"):
        authenticate(people, Credentials(card=CARDS["marco"]), store="MI01")
    with pytest.raises(LoginRefused, match="wrong card number or PIN"):
        authenticate(people, Credentials(card=CARDS["marco"], pin="000000"), store="MI01")
    employee = authenticate(people, Credentials(card=CARDS["marco"], pin="482913"), store="MI01")
    assert employee.username == "marco"
    assert employee.has_pin


def test_a_password_status_reads_expired_valid_until_or_valid(staffed_till: Till) -> None:
    people = people_of(staffed_till)
    now = staffed_till.now()
    assert people.get("anna").password_status(now).render("it") == "Valida"
    assert people.get("paolo").password_status(now).render() == "Not set"
    people.reset_password("anna", "temporanea-2026", by=people.authority("marco"))
    status = people.get("anna").password_status(now + timedelta(seconds=1))
    assert status.render("it") == "Scaduta"
    assert status.render("en") == "Expired"
    with people.database.session() as session, session.begin():
        row = session.get(EmployeeRow, "anna")
        assert row is not None
        row.password_expires_at = now + timedelta(days=30)
    status = people.get("anna").password_status(now)
    assert status.render("it") == "Valida al 04/08/2026"
    assert status.render("en") == "Valid until 8/4/2026"
    assert status.until is not None
    assert status.until.date() == date(2026, 8, 4)


def test_an_expiry_in_the_pack_dates_a_password_changed_by_its_owner(
    staffed_till: Till, tmp_path: Path
) -> None:
    folder = pack_over_demo(tmp_path / "expiring", "passwords: {expires_after_days: 90}")
    people = People(
        staffed_till.database,
        clock=staffed_till.now,
        packs=StorePacks(staffed_till.database, {"MI01": load_rule_pack(folder)}),
    )
    people.change_own_password("anna", PASSWORDS["anna"], "una-nuova-parola-chiave")
    status = people.get("anna").password_status(staffed_till.now())
    assert status.render() == "Valid until 10/3/2026"
    assert AuditLog(people.database).events()[-1].event == AuditEvent.PASSWORD_CHANGED
    with pytest.raises(PermissionDenied, match="wrong username or password"):
        people.change_own_password("anna", "not-her-password", "ancora-una-parola")


def test_wrong_old_passwords_when_changing_count_towards_the_lockout(staffed_till: Till) -> None:
    people = people_of(staffed_till)
    for _ in range(5):
        with pytest.raises(LoginRefused):
            people.change_own_password("anna", "not-her-password", "ancora-una-parola")
    assert people.get("anna").locked_until is not None
    with pytest.raises(LoginRefused, match="wrong username or password"):  # locked
        people.change_own_password("anna", PASSWORDS["anna"], "ancora-una-parola")


def test_the_logged_in_employee_changes_their_own_password_at_the_till(
    staffed_till: Till,
) -> None:
    desk = staffed_till.employees()
    with pytest.raises(InvalidInput, match="log in first"):
        desk.change_own_password(PASSWORDS["anna"], "una-parola-nuova-2026")
    staffed_till.login("anna", PASSWORDS["anna"])
    with pytest.raises(InvalidInput, match="the two passwords differ"):
        desk.change_own_password(PASSWORDS["anna"], "una-parola-nuova-2026", repeat="altra")
    message = desk.change_own_password(
        PASSWORDS["anna"], "una-parola-nuova-2026", repeat="una-parola-nuova-2026"
    )
    assert message.render("it") == "La password è stata cambiata."
    staffed_till.login("anna", "una-parola-nuova-2026")
