"""The `cassa` command as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cassa.engine.schemas import validator_for
from cassa.engine.storefiles import load_store

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "examples" / "scenarios"


def cassa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cassa.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,  # a guard against a hang, not a measure: the whole suite may load the machine
        check=False,
    )


def test_the_demo_prints_a_receipt_and_stores_it_in_cassa_db(tmp_path: Path) -> None:
    done = cassa("demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Bottega Demo Milano" in done.stdout
    assert "Orecchini d'oro con zircone" in done.stdout
    assert "30 pz (11.1 mq) x 2,40" in done.stdout
    assert "TOTALE EUR" in done.stdout
    assert "Stored as S/T01/" in done.stdout
    assert (tmp_path / "cassa.db").exists()
    number = done.stdout.split("Stored as ")[1].split()[0]
    shown = cassa("document", "show", number, "--json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert list(validator_for("document").iter_errors(document)) == []
    assert document["status"] == "approved"
    assert document["totals"]["total"] == "240.31"


def test_the_demo_stores_the_cash_payment_of_the_receipt_it_prints(tmp_path: Path) -> None:
    assert cassa("demo", cwd=tmp_path).returncode == 0
    shown = cassa("report", "till", "--db", "cassa.db", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    (cash,) = json.loads(shown.stdout)["balances"]
    assert (cash["tender"], cash["payments"]) == ("cash", 1)
    assert (cash["cash_in"], cash["cash_out"], cash["total"]) == ("250.00", "9.69", "240.31")
    assert cash["balance"] == "390.31"  # the opening float of 150.00 and the sale


def test_printing_the_fiscal_report_without_dates_says_which_dates_it_needs(
    tmp_path: Path,
) -> None:
    assert cassa("demo", cwd=tmp_path).returncode == 0
    refused = cassa("report", "fiscal", "--print", "--db", "cassa.db", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "give --from (and --to, default today)" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_running_the_demo_twice_continues_the_numbering(tmp_path: Path) -> None:
    first = cassa("demo", cwd=tmp_path).stdout.split("Stored as ")[1].split()[0]
    second = cassa("demo", cwd=tmp_path).stdout.split("Stored as ")[1].split()[0]
    assert first.endswith("000001")
    assert second.endswith("000002")


def test_scenario_run_reports_pass_and_fail_and_sets_the_exit_code(tmp_path: Path) -> None:
    passing = cassa("scenario", "run", str(SCENARIOS / "total-quantity.yaml"), cwd=tmp_path)
    assert passing.returncode == 0, passing.stderr
    assert "1 passed, 0 failed" in passing.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (SCENARIOS / "total-quantity.yaml")
        .read_text(encoding="utf-8")
        .replace("store: ../demo", f"store: {ROOT / 'examples' / 'demo'}")
        .replace(
            'total_quantity: "4.700"\n      total: 19.50',
            'total_quantity: "4.700"\n      total: 19.49',
        ),
        encoding="utf-8",
    )
    failing = cassa("scenario", "run", str(broken), cwd=tmp_path)
    assert failing.returncode == 1
    assert "total: expected 19.49, got 19.50" in failing.stdout


def test_scenario_run_json_follows_the_published_schema(tmp_path: Path) -> None:
    done = cassa(
        "scenario", "run", "--json", *map(str, sorted(SCENARIOS.glob("*.yaml"))), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert list(validator_for("scenario-result").iter_errors(json.loads(done.stdout))) == []


def staffed_demo(tmp_path: Path) -> None:
    """cassa.db in tmp_path: the demo store and its employees."""
    assert cassa("store", "import", str(ROOT / "examples" / "demo"), cwd=tmp_path).returncode == 0
    staffed = cassa("employees", "import", str(ROOT / "examples" / "demo"), cwd=tmp_path)
    assert staffed.returncode == 0, staffed.stderr


def at_a_terminal(args: list[str], cwd: Path, answers: dict[str, str]) -> tuple[int, str]:
    """Run `cassa` on a pseudo-terminal, typing each answer when its prompt shows."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cassa.cli", *args],
        cwd=cwd,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    shown = ""
    waiting = dict(answers)
    while True:
        try:
            chunk = os.read(master, 4096).decode(errors="replace")
        except OSError:  # the process ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        for prompt in [p for p in waiting if p in shown]:
            os.write(master, (waiting.pop(prompt) + "\n").encode())
    os.close(master)
    return process.wait(timeout=900), shown


def test_a_scenario_on_a_given_database_is_refused_without_a_terminal_to_log_in(
    tmp_path: Path,
) -> None:
    staffed_demo(tmp_path)
    refused = cassa(
        "scenario", "run", "--db", "cassa.db", str(SCENARIOS / "total-quantity.yaml"), cwd=tmp_path
    )
    assert refused.returncode == 2
    assert "runs as an employee who logs in at a terminal" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""


def test_a_scenario_on_a_given_database_asks_who_logs_in(tmp_path: Path) -> None:
    staffed_demo(tmp_path)
    scenario = ["scenario", "run", "--db", "cassa.db", str(SCENARIOS / "total-quantity.yaml")]
    code, shown = at_a_terminal(
        scenario, tmp_path, {"username: ": "anna", "password of anna: ": "cassiera-di-turno"}
    )
    assert code == 0, shown
    assert "1 passed, 0 failed" in shown
    assert "cassiera-di-turno" not in shown  # typed without echo
    code, shown = at_a_terminal(
        [*scenario, "--as", "anna"], tmp_path, {"password of anna: ": "not-her-password"}
    )
    assert code == 1
    assert "cassa: wrong username or password" in shown
    assert "Traceback" not in shown


def test_store_check_lists_every_problem_with_its_position(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(ROOT / "examples" / "demo", store)
    items = store / "items.csv"
    items.write_text(
        items.read_text(encoding="utf-8")
        .replace("CHOC-MILK,Cioccolato al latte,sweets", "CHOC-MILK,Cioccolato al latte,candy")
        .replace("8001234000028", "8001234000029"),
        encoding="utf-8",
    )
    done = cassa("store", "check", str(store), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{items}:2:3: /items/0/group: unknown item group 'candy'" in done.stderr
    assert f"{items}:3:8: /items/1/barcodes: barcode 8001234000029 has a wrong EAN" in done.stderr
    assert "nothing was applied" in done.stderr


def test_store_import_then_check_the_valid_demo(tmp_path: Path) -> None:
    checked = cassa("store", "check", str(ROOT / "examples" / "demo"), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    items = len(load_store(ROOT / "examples" / "demo").catalog.items)
    assert f"valid store MI01: {items} items" in checked.stdout
    imported = cassa(
        "store", "import", str(ROOT / "examples" / "demo"), "--db", "x.db", cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    assert (tmp_path / "x.db").exists()


def test_an_unknown_document_number_is_a_clear_message(tmp_path: Path) -> None:
    assert cassa("db", "upgrade", "--db", "cassa.db", cwd=tmp_path).returncode == 0
    done = cassa("document", "show", "S/T01/2026/999999", cwd=tmp_path)
    assert done.returncode == 1
    assert "no document numbered S/T01/2026/999999" in done.stderr
