"""`cassa employees …`: the back office's commands, run in-process on real files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from people_data import DEMO, PASSWORDS

from cassa.cli import main
from cassa.engine.people import verify_secret
from cassa.engine.schemas import validator_for


class Cli:
    def __init__(
        self, folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ):
        self.db = str(folder / "cassa.db")
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        """Exit code, output and errors; `stdin` holds the passwords, one a line."""
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*args, "--db", self.db])
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    run = Cli(tmp_path, capsys, monkeypatch)
    assert run("store", "import", str(DEMO))[0] == 0
    return run


@pytest.fixture
def staffed(cli: Cli) -> Cli:
    code, out, err = cli("employees", "import", str(DEMO))
    assert code == 0, err
    assert out == f"imported employees from {DEMO}: 5 added, 0 updated (passwords kept)\n"
    return cli


def test_a_fresh_install_has_no_account_and_its_first_employee_needs_no_one(cli: Cli) -> None:
    code, out, _ = cli("employees", "list")
    assert (code, out.splitlines()[-1]) == (0, "0 employee(s)")
    code, out, err = cli(
        "employees",
        "add",
        "marta",
        "--first-name",
        "Marta",
        "--last-name",
        "Galli",
        "--birth-date",
        "1980-05-06",
        "--assign",
        "MI01:manager",
        stdin="la-prima-parola-chiave\n",
    )
    assert code == 0, err
    assert out == "added marta (Marta Galli): MI01 (manager)\n"
    code, _, err = cli(
        "employees",
        "add",
        "ugo",
        "--first-name",
        "Ugo",
        "--last-name",
        "Fabbri",
        "--birth-date",
        "1980-05-06",
        "--assign",
        "MI01:cashier",
    )
    assert code == 1
    assert (
        err == "cassa: say who makes this change: --as USERNAME (an employee with the permission)\n"
    )


def test_the_list_filters_sorts_and_prints_json_that_follows_its_schema(staffed: Cli) -> None:
    code, out, _ = staffed("employees", "list", "--role", "manager", "--sort", "first_name")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "username",
        "title",
        "first",
        "name",
        "last",
        "name",
        "card",
        "password",
        "stores",
        "(roles)",
        "end",
        "date",
        "active",
    ]
    assert [line.split()[0] for line in lines[1:-1]] == ["lucia", "marco"]
    code, out, _ = staffed("employees", "list", "--active", "no", "--locale", "it")
    assert "Non impostata" in out
    assert "paolo" in out
    code, out, _ = staffed("employees", "list", "--json")
    employees = json.loads(out)
    assert list(validator_for("employee-list").iter_errors(employees)) == []
    assert {e["username"] for e in employees} == {"anna", "bruno", "lucia", "marco", "paolo"}
    assert "hash" not in out


def test_a_preview_shows_the_password_status_in_the_chosen_language(staffed: Cli) -> None:
    code, out, _ = staffed("employees", "show", "bruno", "--locale", "it")
    assert code == 0
    assert "stores (roles):  MI01 (assistant)" in out
    assert "end date:        2026-09-30" in out
    assert "password:        Valida" in out
    code, out, _ = staffed("employees", "show", "bruno", "--json")
    assert list(validator_for("employee-list").iter_errors(json.loads(out))) == []


def test_a_change_needs_the_password_of_someone_with_the_permission(staffed: Cli) -> None:
    code, _, err = staffed(
        "employees", "deactivate", "bruno", "--as", "anna", stdin="wrong-guess-1\n"
    )
    assert (code, err) == (1, "cassa: wrong username or password\n")
    code, _, err = staffed(
        "employees", "deactivate", "bruno", "--as", "anna", stdin=f"{PASSWORDS['anna']}\n"
    )
    assert (code, err) == (
        1,
        "cassa: anna may not edit employees: needs the permission edit_employees\n",
    )
    code, out, err = staffed(
        "employees", "deactivate", "bruno", "--as", "marco", stdin=f"{PASSWORDS['marco']}\n"
    )
    assert (code, out) == (0, "bruno is deactivated\n"), err
    code, out, _ = staffed(
        "employees", "activate", "bruno", "--as", "marco", stdin=f"{PASSWORDS['marco']}\n"
    )
    assert (code, out) == (0, "bruno is active\n")


def test_assigning_and_removing_stores_from_the_command_line(staffed: Cli) -> None:
    marco = f"{PASSWORDS['marco']}\n"
    code, out, _ = staffed(
        "employees", "assign", "anna", "MI01", "manager", "--as", "marco", stdin=marco
    )
    assert (code, out) == (0, "anna now works in: MI01 (manager)\n")
    code, _, err = staffed("employees", "unassign", "anna", "MI01", "--as", "marco", stdin=marco)
    assert (code, err) == (
        1,
        "cassa: anna must keep at least one store: assign another one first\n",
    )


def test_a_reset_password_is_shown_once_and_expires_at_the_first_login(staffed: Cli) -> None:
    code, out, err = staffed(
        "employees",
        "reset-password",
        "bruno",
        "--generate",
        "--as",
        "lucia",
        stdin=f"{PASSWORDS['lucia']}\n",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "The password was changed."
    assert lines[1].startswith("first password of bruno (shown once): ")
    assert lines[2] == "bruno chooses a new password at the next login"
    code, out, _ = staffed("employees", "show", "bruno")
    assert "password:        Expired" in out


def test_the_audit_log_lists_what_happened_as_text_or_json(staffed: Cli) -> None:
    staffed("employees", "deactivate", "bruno", "--as", "anna", stdin=f"{PASSWORDS['anna']}\n")
    code, out, _ = staffed("employees", "audit", "--limit", "2")
    assert code == 0
    assert out.splitlines()[-1].split()[1:] == [
        "employee_edit_refused",
        "actor=anna",
        "subject=bruno",
        "permission=edit_employees",
    ]
    code, out, _ = staffed("employees", "audit", "--json", "--event", "employee_imported")
    records = json.loads(out)
    assert list(validator_for("audit-log").iter_errors(records)) == []
    assert len(records) == 5
    assert records[0]["actor"] == "first setup"


def test_hash_password_prints_an_argon2id_hash_for_an_employees_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("una-parola-lunga\n"))
    assert main(["employees", "hash-password"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("$argon2id$")
    assert verify_secret(printed, "una-parola-lunga")
