"""The scenario runner: example files pass, expectations can fail, bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from staffing import ANNA

from cassa.engine.people import Credentials, LoginRefused, import_store_employees
from cassa.engine.scenario import CredentialsNeeded, run_scenario_file
from cassa.engine.schemas import validator_for
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.days import TillDays
from cassa.engine.storage.db import open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till
from cassa.engine.yamlsource import DataFileError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))
DEMO = ROOT / "examples" / "demo"

HEADER = f"""apiVersion: cassa/v1
kind: Scenario
name: probe
store: {DEMO}
till: T01
operator: anna
at: "2026-07-05T10:00:00+02:00"
"""


def write(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "probe.yaml"
    path.write_text(HEADER + steps, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_scenario_passes(path: Path) -> None:
    result = run_scenario_file(path)
    assert result.failures == []
    assert result.passed


def test_the_printed_json_follows_its_published_schema() -> None:
    results = [run_scenario_file(path).as_json() for path in EXAMPLES]
    errors = list(validator_for("scenario-result").iter_errors(results))
    assert errors == []
    assert any(doc["status"] == "approved" for r in results for doc in r["documents"])


def test_a_wrong_expected_total_fails_and_names_the_step(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """steps:
  - open_day: {float: 0}
  - scan: {code: NOTEBOOK-A5}
  - expect: {total: 3.60}
""",
    )
    result = run_scenario_file(path)
    assert not result.passed
    [failure] = result.failures
    assert failure.step == 3
    assert failure.line == 11
    assert "total: expected 3.60, got 3.50" in failure.message


def test_an_expected_error_that_never_comes_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """steps:
  - open_day: {float: 0}
  - scan: {code: NOTEBOOK-A5}
    expect_error: "no item"
""",
    )
    [failure] = run_scenario_file(path).failures
    assert "none came" in failure.message


def test_an_unexpected_refusal_stops_the_scenario(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """steps:
  - scan: {code: NOTEBOOK-A5}
  - expect: {total: 3.50}
""",
    )
    result = run_scenario_file(path)
    [failure] = result.failures
    assert failure.action == "scan"
    assert "the day is not open" in failure.message


def test_a_quoted_expectation_compares_the_printed_form(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """steps:
  - open_day: {float: 0}
  - scan: {code: STRAWBERRY, quantity: 2.2}
  - expect: {total_quantity: "2.2"}
""",
    )
    [failure] = run_scenario_file(path).failures
    assert "total_quantity: expected 2.2, got 2.200" in failure.message


def test_a_scenario_with_unknown_actions_and_fields_is_refused_with_positions(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        """steps:
  - scan: {code: X, qty: 1}
  - sell: {code: X}
  - approve: {}
    park: {}
""",
    )
    with pytest.raises(DataFileError) as refused:
        run_scenario_file(path)
    messages = [str(p) for p in refused.value.problems]
    assert any(":9:" in m and "unknown field 'qty'" in m for m in messages)
    assert any(":10:5:" in m and "unknown field 'sell'" in m for m in messages)
    assert any("/steps/2" in m and "exactly one action, found 2" in m for m in messages)


def staffed_database(tmp_path: Path) -> Path:
    """A database someone works with: the demo store and its employees."""
    path = tmp_path / "kept.db"
    database = open_database(str(path))
    try:
        import_store(database, load_store(DEMO))
        till = Till.open(database)
        import_store_employees(database, DEMO, store="MI01", pack=till.pack, clock=till.now)
    finally:
        database.dispose()
    return path


def test_a_scenario_on_a_given_database_runs_as_whoever_logs_in_and_keeps_its_documents(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        """role: manager
steps:
  - open_day: {float: 0}
  - scan: {code: NOTEBOOK-A5}
  - approve: {}
  - require: {permission: manual_refund}
    expect_error: "anna may not"
""",
    )
    database = staffed_database(tmp_path)
    first = run_scenario_file(path, str(database), credentials=lambda: ANNA)
    assert first.failures == []  # the scenario's role: manager gave anna nothing
    assert first.documents[0]["number"] == "S/T01/2026/000001"
    assert first.documents[0]["operator"] == "anna"
    path.write_text(path.read_text().replace("  - open_day: {float: 0}\n", ""), encoding="utf-8")
    second = run_scenario_file(path, str(database), credentials=lambda: ANNA)
    assert second.documents[0]["number"] == "S/T01/2026/000002"


def test_a_scenario_on_a_given_database_needs_credentials_that_log_in(tmp_path: Path) -> None:
    path = write(tmp_path, "steps:\n  - open_day: {float: 0}\n")
    database = staffed_database(tmp_path)
    with pytest.raises(CredentialsNeeded, match="give your credentials"):
        run_scenario_file(path, str(database))
    with pytest.raises(LoginRefused, match="wrong username or password"):
        run_scenario_file(path, str(database), credentials=lambda: Credentials("anna", "guess"))
    opened = open_database(str(database))
    try:
        assert TillDays(opened).current("T01") is None  # nothing ran
    finally:
        opened.dispose()


def test_a_scenario_on_its_own_database_employs_its_operator_with_its_role(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        """role: manager
steps:
  - require: {permission: manual_refund}
  - expect_operator: {operator: anna, role: manager}
  - expect_audit: {events: [{event: permission_used, actor: anna, permission: manual_refund}]}
""",
    )
    assert run_scenario_file(path).failures == []
