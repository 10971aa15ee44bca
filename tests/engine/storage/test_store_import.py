"""`cassa store import` streams a store's CSV files into the database in batches, checks
what must be unique across batches against the rows already written, and is all or
nothing: a refusal, or a SIGKILL halfway, leaves the catalog the tills had."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cassa.engine.barcodes import is_valid_ean
from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import CatalogStateRow, ItemRow
from cassa.engine.storage.store_import import MAX_PROBLEMS, ImportProgress, import_store_folder
from cassa.engine.yamlsource import DataFileError

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "examples" / "demo"
CHILD = Path(__file__).with_name("import_child.py")
DEMO_ITEMS = 15  # catalog.yaml and items.csv of the demo


def ean13(number: int) -> str:
    """A valid EAN-13 (check digit computed) from a running number."""
    body = f"20{number:010d}"
    for digit in "0123456789":
        if is_valid_ean(body + digit):
            return body + digit
    raise AssertionError(body)


def store_with_items(tmp_path: Path, count: int, *extra_rows: str) -> Path:
    """The demo store whose items.csv has `count` more items (and `extra_rows` after them)."""
    folder = tmp_path / "store"
    shutil.copytree(DEMO, folder)
    with (folder / "items.csv").open("a", encoding="utf-8") as csv:
        for number in range(count):
            csv.write(
                f"GEN-{number:06d},Articolo generato {number},sweets,goods,10,"
                f"{1 + number % 97}.{number % 100:02d},pz,{ean13(number)},yes,no\n"
            )
        for row in extra_rows:
            csv.write(row + "\n")
    return folder


def items_in(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(ItemRow)) or 0)


def catalog_version(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(CatalogStateRow.version)) or 0)


def test_a_large_csv_is_imported_in_batches_and_found_by_index(
    database: Database, tmp_path: Path
) -> None:
    seen: list[int] = []
    report = import_store_folder(
        database,
        store_with_items(tmp_path, 1_200),
        batch=250,
        progress=lambda state: seen.append(state.rows),
    )
    assert (report.store, report.items, report.customers) == ("MI01", DEMO_ITEMS + 1_200, 3)
    assert items_in(database) == DEMO_ITEMS + 1_200
    assert seen == sorted(seen)
    assert len(seen) > 1_200 // 250  # a report per batch
    catalog = CatalogService(database)
    assert catalog.find(ean13(1_199)).sku == "GEN-001199"
    assert catalog.search("articolo generato 1199").items == [catalog.find("GEN-001199")]
    assert catalog.find("8001234000011").sku == "CHOC-MILK"  # the demo's own rows too


def test_what_must_be_unique_is_checked_across_batches(database: Database, tmp_path: Path) -> None:
    folder = store_with_items(
        tmp_path,
        600,
        "GEN-000003,Doppione,sweets,goods,10,1.00,pz,,yes,no",
        f"OTHER-1,Altro,sweets,goods,10,1.00,pz,{ean13(5)},yes,no",
    )
    with pytest.raises(DataFileError) as refused:
        import_store_folder(database, folder, batch=100)
    csv = folder / "items.csv"
    line = 1 + 11 + 600 + 1  # after the header, the demo's 11 rows and the generated ones
    assert [str(p) for p in refused.value.problems] == [
        f"{csv}:{line}:1: /items/611/sku: SKU GEN-000003 is defined twice",
        f"{csv}:{line + 1}:8: /items/612/barcodes: barcode {ean13(5)} already belongs to "
        "GEN-000005",
    ]
    assert items_in(database) == 0  # nothing was imported


def test_an_import_refused_keeps_the_catalog_the_tills_had(
    database: Database, tmp_path: Path
) -> None:
    import_store_folder(database, DEMO)
    version = catalog_version(database)
    bad = store_with_items(tmp_path, 300, "BROKEN,Prezzo sbagliato,sweets,goods,10,uno,pz,,yes,no")
    with pytest.raises(DataFileError, match="/items/311/price"):
        import_store_folder(database, bad, batch=100)
    assert (items_in(database), catalog_version(database)) == (DEMO_ITEMS, version)
    assert CatalogService(database).find("CHOC-MILK").name == "Cioccolato al latte"


def test_a_file_wrong_on_every_row_is_reported_a_thousand_times_then_counted(
    database: Database, tmp_path: Path
) -> None:
    folder = store_with_items(
        tmp_path, 0, *(f"X{n},Senza prezzo,sweets,goods,10" for n in range(1_500))
    )
    with pytest.raises(DataFileError) as refused:
        import_store_folder(database, folder)
    problems = refused.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == f"and {1_500 * 2 - MAX_PROBLEMS} more problems"  # price, unit


@pytest.mark.slow
def test_a_kill_halfway_through_an_import_leaves_the_catalog_as_it_was(
    database_url, database: Database, tmp_path: Path
) -> None:
    import_store_folder(database, DEMO)
    version = catalog_version(database)
    folder = store_with_items(tmp_path, 3_000)
    marker = tmp_path / "marker.json"
    spec = {
        "url": database_url.url,
        "engine_options": database_url.engine_options,
        "folder": str(folder),
        "marker": str(marker),
        "rows": 1_000,
        "batch": 200,
    }
    child = subprocess.Popen(
        [sys.executable, str(CHILD), json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if child.poll() is not None:
                out, err = child.communicate()
                pytest.fail(f"the import ended ({child.returncode}) before the marker:\n{out}{err}")
            if time.monotonic() > deadline:
                pytest.fail("the import did not reach 1,000 rows in 120 s")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    assert json.loads(marker.read_text())["rows"] >= 1_000  # five batches were written

    if database_url.dialect == "sqlite":
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert (items_in(database), catalog_version(database)) == (DEMO_ITEMS, version)
    catalog = CatalogService(database)
    assert catalog.search("articolo generato").items == []  # nor in the search index
    assert catalog.find("8001234000011").sku == "CHOC-MILK"

    # and the same import, run again, goes through
    report = import_store_folder(database, folder, batch=200)
    assert report.items == items_in(database) == DEMO_ITEMS + 3_000


def test_store_check_and_import_on_the_command_line(tmp_path: Path) -> None:
    folder = store_with_items(tmp_path, 50)
    cassa = [sys.executable, "-m", "cassa.cli"]
    checked = subprocess.run(
        [*cassa, "store", "check", str(folder)], capture_output=True, text=True, timeout=300
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "valid store MI01: 65 items, 3 customers, 2 price lists\n"
    assert checked.stderr == ""  # no progress bar when the output is no terminal
    db = tmp_path / "till.db"
    done = subprocess.run(
        [*cassa, "store", "import", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported store MI01: 65 items, 3 customers, 2 price lists in ")


def test_progress_counts_rows_and_characters_read(database: Database, tmp_path: Path) -> None:
    last: list[ImportProgress] = []
    folder = store_with_items(tmp_path, 100)
    import_store_folder(database, folder, progress=last.append)
    state = last[-1]
    assert state.rows == 11 + 100 + 3 + 4  # CSV items, customers, and the YAML items
    assert state.read == state.size == (folder / "items.csv").stat().st_size
