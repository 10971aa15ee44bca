"""`cassa order …` as a user runs it: a real process on the demo's database file, the
JSON it prints following its published schema, refusals as messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cassa.engine.schemas import validator_for

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
PASSWORDS = {"anna": "cassiera-di-turno", "marco": "responsabile-milano"}


def cassa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command, with the password of the employee `--as` names on standard input."""
    actor = args[args.index("--as") + 1] if "--as" in args else None
    return subprocess.run(
        [sys.executable, "-m", "cassa.cli", *args],
        input=f"{PASSWORDS[actor]}\n" if actor else "",
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,  # a guard against a hang, not a measure
        check=False,
    )


def printed(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def follows(data: Any, definition: str) -> None:
    schema = validator_for("order")
    part = schema.evolve(schema={"$ref": f"order.schema.json#/$defs/{definition}"})
    errors = [e.message for e in part.iter_errors(data)]
    assert errors == []


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database: the demo store imported, a receipt sold, the day open, and
    the store's employees (anna a cashier, marco a manager)."""
    folder = tmp_path_factory.mktemp("shop")
    assert cassa("demo", cwd=folder).returncode == 0
    staff = cassa("employees", "import", str(DEMO), cwd=folder)
    assert staff.returncode == 0, staff.stderr
    return folder


def test_an_order_is_taken_found_fulfilled_in_part_and_shown_with_what_remains(
    shop: Path,
) -> None:
    made = printed(
        cassa(
            "order", "create", "--customer", "C0001", "--line", "LAMP-NIGHT-BEIGE:3",
            "--pickup-point", "Milano Centro", "--expected-date", "2026-12-24",
            "--as", "anna", cwd=shop,
        )
    )  # fmt: skip
    follows(made, "order")
    number = made["number"]
    assert (made["state"], made["total"], made["lines"][0]["lot"]) == (
        "open",
        "104.70",
        "LAMP-NIGHT-BEIGE",
    )
    deposit = printed(cassa("order", "deposit", number, "30", "--as", "anna", cwd=shop))
    assert (deposit["type"], deposit["totals"]["total"]) == ("receipt", "30.00")
    part = printed(cassa("order", "fulfil", number, "--line", "1:1", "--as", "anna", cwd=shop))
    assert part["totals"]["total"] == "34.90"
    shown = printed(cassa("order", "show", number, "--json", cwd=shop))
    follows(shown, "order")
    assert [(x["fulfilled"], x["remaining"]) for x in shown["lines"]] == [("1", "2")]
    assert shown["held"] == "30.00"
    found = printed(cassa("order", "find", "--customer", "C0001", "--json", cwd=shop))
    follows(found, "orders")
    assert number in [o["number"] for o in found]
    pending = printed(cassa("order", "open", cwd=shop))
    follows(pending, "openOrders")
    held = printed(cassa("order", "deposits", cwd=shop))
    follows(held, "depositsHeld")
    assert held["held"] == "30.00"


def test_cancelling_without_the_permission_is_a_message_and_changes_nothing(shop: Path) -> None:
    made = printed(
        cassa("order", "create", "--customer", "C0001", "--line", "BATHMAT-01",
              "--as", "anna", cwd=shop)
    )  # fmt: skip
    refused = cassa("order", "cancel", made["number"], "--as", "anna", cwd=shop)
    assert refused.returncode == 1
    assert "needs the permission cancel_order" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert printed(cassa("order", "show", made["number"], "--json", cwd=shop))["state"] == "open"
    done = cassa("order", "cancel", made["number"], "--as", "marco", cwd=shop)
    assert printed(done)["state"] == "cancelled"


def test_an_unknown_order_and_a_bad_date_are_messages(shop: Path) -> None:
    unknown = cassa("order", "show", "OrV/T01/2026/999999", cwd=shop)
    assert unknown.returncode == 1
    assert "no offer or order numbered OrV/T01/2026/999999" in unknown.stderr
    bad = cassa("order", "find", "--date", "24/12/2026", cwd=shop)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
