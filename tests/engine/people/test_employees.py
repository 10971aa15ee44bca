"""Employees, their stores and roles: the list, changes, the cross-store rule, imports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from people_data import DEMO, PASSWORDS, pack_over_demo

from cassa.engine.errors import InvalidInput, NotFound, PermissionDenied
from cassa.engine.people import (
    Assignment,
    AuditLog,
    Authority,
    Employee,
    NewEmployee,
    OtherStoreDenied,
    People,
    hash_secret,
    import_employees,
)
from cassa.engine.till import Till
from cassa.engine.yamlsource import DataFileError


@pytest.fixture
def people(staffed_till: Till) -> People:
    return staffed_till.employees().people


def sara(*assignments: Assignment, username: str = "sara") -> NewEmployee:
    return NewEmployee(
        username=username,
        first_name="Sara",
        last_name="Conti",
        birth_date=date(2001, 2, 3),
        assignments=assignments or (Assignment("MI01", "cashier"),),
        card_number="2990000000059",
    )


def usernames(found: list[Employee]) -> list[str]:
    return [e.username for e in found]


# -- the list --------------------------------------------------------------------------


def test_the_list_filters_by_role_activity_store_and_name(people: People) -> None:
    assert usernames(people.list()) == ["anna", "paolo", "lucia", "marco", "bruno"]
    assert usernames(people.list(role="manager")) == ["lucia", "marco"]
    assert usernames(people.list(active=False)) == ["paolo"]
    assert usernames(people.list(store="MI01", role="cashier", active=True)) == ["anna"]
    assert usernames(people.list(store="RM01")) == []
    assert usernames(people.list(text="ROS")) == ["marco"]  # Rossi, by last name


def test_the_list_sorts_by_any_column_with_empty_cells_last(people: People) -> None:
    assert usernames(people.list(sort="first_name")) == ["anna", "bruno", "lucia", "marco", "paolo"]
    assert usernames(people.list(sort="end_date")) == ["paolo", "bruno", "anna", "lucia", "marco"]
    assert usernames(people.list(sort="end_date", descending=True))[:2] == ["bruno", "paolo"]
    assert usernames(people.list(sort="card_number"))[-1] == "paolo"
    assert usernames(people.list(sort="password_status"))[0] == "paolo"  # not_set
    assert usernames(people.list(sort="stores"))[0] == "bruno"  # MI01 (assistant)
    with pytest.raises(InvalidInput, match="cannot sort by 'salary'"):
        people.list(sort="salary")


def test_nothing_about_a_password_is_shown_in_the_list_but_its_status(people: People) -> None:
    shown = people.get("anna").as_json(people.clock())
    assert shown["password_status"] == "valid"
    assert not any("hash" in key for key in shown)
    assert PASSWORDS["anna"] not in repr(people.get("anna"))


# -- adding and changing -----------------------------------------------------------------


def test_a_manager_adds_an_employee_whose_first_password_is_expired(people: People) -> None:
    added = people.add(sara(), "primo-accesso-2026", by=people.authority("marco"))
    assert added.assignments == (Assignment("MI01", "cashier"),)
    assert added.start_date == date(2026, 7, 5)
    assert added.password_status(people.clock()).state.value == "expired"
    record = AuditLog(people.database).events()[-1]
    assert (record.event, record.actor, record.subject) == ("employee_added", "marco", "sara")
    assert record.detail == {"stores": {"MI01": "cashier"}}


@pytest.mark.parametrize(
    ("first_name", "message"),
    [
        ("S" * 101, "the first name is longer than 100 characters"),
        ("Sa\x00ra", "the first name contains a control character"),
        ("\udcff", "the first name contains a character that is not text"),
    ],
)
def test_a_name_no_database_keeps_alike_is_refused(
    people: People, first_name: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        people.add(
            replace(sara(), first_name=first_name),
            "primo-accesso-2026",
            by=people.authority("marco"),
        )
    assert refused.value.message == message
    with pytest.raises(NotFound):
        people.get("sara")


def test_adding_checks_the_mandatory_fields_and_that_nothing_is_taken(people: People) -> None:
    marco = people.authority("marco")
    empty = NewEmployee("sara", " ", "", None, ())
    with pytest.raises(InvalidInput) as refused:
        people.add(empty, "primo-accesso-2026", by=marco)
    assert refused.value.message == (
        "the first name is mandatory; the last name is mandatory; the birth date is mandatory; "
        "assign at least one store with a role (the assignment is mandatory)"
    )
    with pytest.raises(InvalidInput, match="the username anna is already taken"):
        people.add(sara(username="anna"), "primo-accesso-2026", by=marco)
    with pytest.raises(InvalidInput, match="not a valid username"):
        people.add(sara(username="sara conti"), "primo-accesso-2026", by=marco)
    taken_card = NewEmployee(
        "sara",
        "Sara",
        "Conti",
        date(2001, 2, 3),
        (Assignment("MI01", "cashier"),),
        "",
        "2925212787649",
    )
    with pytest.raises(InvalidInput, match="card number 2925212787649 belongs to another"):
        people.add(taken_card, "primo-accesso-2026", by=marco)
    with pytest.raises(NotFound, match="role owner is not declared in pack demo-milano"):
        people.add(sara(Assignment("MI01", "owner")), "primo-accesso-2026", by=marco)
    with pytest.raises(NotFound, match="no store XX01 in this database"):
        people.add(sara(Assignment("XX01", "cashier")), "primo-accesso-2026", by=marco)
    assert "sara" not in usernames(people.list())


def test_only_someone_with_edit_employees_may_add_or_change(people: People) -> None:
    anna = people.authority("anna")
    with pytest.raises(PermissionDenied, match="anna may not edit employees"):
        people.add(sara(), "primo-accesso-2026", by=anna)
    with pytest.raises(PermissionDenied, match="anna may not edit employees"):
        people.set_active("bruno", False, by=anna)
    with pytest.raises(PermissionDenied, match="anna may not change an employee's password"):
        people.reset_password("bruno", "primo-accesso-2026", by=anna)
    assert people.get("bruno").active


def test_nobody_gives_a_role_with_rights_they_do_not_hold(
    people: People, second_store: Callable[..., str], tmp_path: Path
) -> None:
    # A deputy may edit employees but holds nothing else: a cashier's role is beyond them.
    roles = tmp_path / "deputy"
    pack_over_demo(roles, "employees: {edit_other_stores: false}")
    (roles / "roles.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Roles\nroles:\n"
        "  - {code: deputy, permissions: [edit_employees]}\n"
    )
    store = second_store(roles)
    people.assign("bruno", store, "deputy", by=Authority.system("test"))
    bruno = people.authority("bruno")
    with pytest.raises(PermissionDenied, match="bruno may not give the role cashier: it has"):
        people.add(sara(Assignment(store, "cashier")), "primo-accesso-2026", by=bruno)
    with pytest.raises(PermissionDenied, match="bruno may not assign store MI01"):
        people.add(sara(Assignment("MI01", "assistant")), "primo-accesso-2026", by=bruno)
    people.add(sara(Assignment(store, "deputy")), "primo-accesso-2026", by=bruno)


def test_the_last_store_of_an_employee_cannot_be_removed(people: People) -> None:
    marco = people.authority("marco")
    with pytest.raises(InvalidInput, match="bruno must keep at least one store"):
        people.unassign("bruno", "MI01", by=marco)
    with pytest.raises(NotFound, match="bruno is not assigned to store RM01"):
        people.unassign("bruno", "RM01", by=marco)


def test_nobody_deactivates_their_own_account(people: People) -> None:
    with pytest.raises(InvalidInput, match="nobody can deactivate their own account"):
        people.set_active("marco", False, by=people.authority("marco"))


def test_activating_again_clears_a_lock(people: People, staffed_till: Till) -> None:
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            staffed_till.login("anna", "not-her-password")
    assert people.get("anna").locked_until is not None
    people.set_active("anna", True, by=people.authority("marco"))
    assert people.get("anna").locked_until is None
    staffed_till.login("anna", PASSWORDS["anna"])


# -- the cross-store restriction (seed) ------------------------------------------------------


def test_a_manager_cannot_edit_an_employee_of_another_store_with_the_seeds_message(
    people: People, second_store: Callable[..., str]
) -> None:
    store = second_store()
    system = Authority.system("test")
    people.add(sara(Assignment(store, "cashier")), "primo-accesso-2026", by=system)
    marco = people.authority("marco")
    for change in (
        lambda: people.set_active("sara", False, by=marco),
        lambda: people.reset_password("sara", "nuova-parola-2026", by=marco),
        lambda: people.assign("sara", "MI01", "cashier", by=marco),
    ):
        with pytest.raises(OtherStoreDenied) as refused:
            change()
        assert refused.value.message == (
            "The selected action cannot be performed. The selected employee works in another store."
        )
        assert refused.value.localized.render("it") == (
            "Impossibile eseguire l'azione selezionata. "
            "Il dipendente selezionato lavora in un altro centro."
        )
    assert people.get("sara").active
    refusals = AuditLog(people.database).events(event="employee_edit_refused")
    assert [(r.actor, r.subject) for r in refusals] == [("marco", "sara")] * 3


def test_a_pack_may_allow_editing_employees_of_other_stores(
    people: People, second_store: Callable[..., str], staffed_till: Till, tmp_path: Path
) -> None:
    store = second_store()
    open_pack = pack_over_demo(tmp_path / "open", "employees: {edit_other_stores: true}")
    from cassa.engine.people import StorePacks
    from cassa.engine.rules.rulepack import load_rule_pack

    lenient = People(
        people.database,
        clock=people.clock,
        packs=StorePacks(people.database, {"MI01": load_rule_pack(open_pack)}),
    )
    lenient.add(sara(Assignment(store, "cashier")), "primo-accesso-2026", by=Authority.system("t"))
    marco = lenient.authority("marco")
    assert marco.other_stores
    assert not lenient.set_active("sara", False, by=marco).active
    with pytest.raises(PermissionDenied, match="marco may not assign store RM01"):
        lenient.assign("sara", store, "assistant", by=marco)  # still only his own stores


# -- importing a store folder's employees -----------------------------------------------------


def test_importing_again_updates_employees_but_keeps_their_passwords(
    people: People, staffed_till: Till, tmp_path: Path
) -> None:
    people.change_own_password("anna", PASSWORDS["anna"], "una-parola-tutta-sua")
    edited = tmp_path / "employees.yaml"
    edited.write_text(
        (DEMO / "employees.yaml").read_text().replace("last_name: Bianchi", "last_name: Bianco")
    )
    report = import_employees(people, tmp_path, by=Authority.system("test"))
    assert report.added == ()
    assert len(report.updated) == 5
    assert people.get("anna").last_name == "Bianco"
    staffed_till.login("anna", "una-parola-tutta-sua")


EMPLOYEES_HEADER = "apiVersion: cassa/v1\nkind: Employees\nemployees:\n"


def test_an_employees_file_never_holds_a_password_in_clear(people: People, tmp_path: Path) -> None:
    file = tmp_path / "employees.yaml"
    file.write_text(
        EMPLOYEES_HEADER
        + "  - {username: ugo, first_name: Ugo, last_name: Fabbri, birth_date: 2001-02-03,\n"
        + "     password: in-chiaro-mai, stores: []}\n"
    )
    with pytest.raises(DataFileError) as refused:
        import_employees(people, file, by=Authority.system("test"))
    messages = [str(p) for p in refused.value.problems]
    assert any(":5:6: " in m and "unknown field 'password'" in m for m in messages), messages
    assert any("/employees/0/stores" in m for m in messages), messages


def test_an_employees_file_with_problems_imports_nothing_and_says_where(
    people: People, tmp_path: Path
) -> None:
    file = tmp_path / "employees.yaml"
    digest = hash_secret("una-parola-lunga")
    file.write_text(
        EMPLOYEES_HEADER
        + "  - {username: sara, first_name: Sara, last_name: Conti, birth_date: 2001-02-03,\n"
        + f"     password_hash: '{digest}', stores: [{{store: MI01, role: chief}}]}}\n"
        + "  - {username: sara, first_name: S, last_name: C, birth_date: 2001-02-03,\n"
        + "     card_number: '2925212787649', stores: [{store: XX01, role: cashier}]}\n"
    )
    with pytest.raises(DataFileError) as refused:
        import_employees(people, file, by=Authority.system("test"))
    found = {(p.pointer, p.message.split(" (")[0]) for p in refused.value.problems}
    assert found == {
        ("/employees/0/stores/0/role", "role chief is not declared in pack demo-milano"),
        ("/employees/1/username", "username sara is used twice"),
        ("/employees/1/card_number", "card number 2925212787649 belongs to marco"),
        ("/employees/1/stores/0/store", "no store XX01 in this database"),
    }
    assert "sara" not in usernames(people.list())


def test_an_import_by_an_employee_is_limited_to_the_stores_they_manage(
    people: People, tmp_path: Path
) -> None:
    with pytest.raises(DataFileError) as refused:
        import_employees(people, DEMO, by=people.authority("anna"))
    assert "anna does not manage store MI01" in str(refused.value)
    report = import_employees(people, DEMO, by=people.authority("marco"))
    assert len(report.updated) == 5
    assert AuditLog(people.database).events()[-1].actor == "marco"
