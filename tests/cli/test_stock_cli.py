"""`cassa stock …`: warehouse documents and stock reports from the command line, printing
what their published JSON Schemas describe, or CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cassa.cli import main
from cassa.engine.schemas import validator_for

ROOT = Path(__file__).resolve().parents[2]


def cassa(capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    import sys

    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        code = main(list(args))
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    return code, out, err


def published(schema: str, out: str) -> object:
    data = json.loads(out)
    assert list(validator_for(schema).iter_errors(data)) == []
    return data


def imported(tmp_path: Path, capsys) -> str:
    db = str(tmp_path / "shop.db")
    demo = str(ROOT / "examples" / "demo")
    assert cassa(capsys, "store", "import", demo, "--db", db)[0] == 0
    code, _, err = cassa(capsys, "employees", "import", demo, "--db", db)
    assert code == 0, err
    return db


def test_receive_transfer_count_and_report_the_stock_of_a_store(tmp_path: Path, capsys) -> None:
    db = imported(tmp_path, capsys)

    code, out, err = cassa(
        capsys, "stock", "receive", "BATHMAT-01=5", "TILE-CER-01=150", "--db", db
    )
    assert code == 0, err
    received = published("stock-document", out)
    assert received["number"].startswith("MMI+/T01/")
    assert received["number"].endswith("/000001")
    assert [(m["sku"], m["quantity"]) for m in received["movements"]] == [
        ("BATHMAT-01", "5"),
        ("TILE-CER-01", "150"),
    ]

    code, out, err = cassa(capsys, "stock", "issue", "BATHMAT-01=3", "--note", "rotti", "--db", db)
    assert code == 0, err
    published("stock-document", out)

    code, out, err = cassa(
        capsys,
        "stock",
        "count",
        "TILE-CER-01=148",
        "--operator",
        "anna",
        "--db",
        db,
        stdin="cassiera-di-turno\n",
    )
    assert code == 1
    assert "count_stock" in err
    code, out, err = cassa(
        capsys,
        "stock",
        "count",
        "TILE-CER-01=148",
        "--operator",
        "marco",
        "--db",
        db,
        stdin="responsabile-milano\n",
    )
    assert code == 0, err
    counted = published("stock-document", out)
    assert [(m["sku"], m["quantity"], m["cause"]) for m in counted["movements"]] == [
        ("TILE-CER-01", "-2", "count")
    ]

    code, out, err = cassa(capsys, "stock", "show", "--db", db)
    assert code == 0, err
    report = published("stock-report", out)
    assert [(r["sku"], r["quantity"], r["value"]) for r in report["rows"]] == [
        ("BATHMAT-01", "2", "10.40"),
        ("TILE-CER-01", "148", "155.40"),
    ]
    assert report["groups"] == {"bath": "10.40", "tiles": "155.40"}
    assert report["total_value"] == "165.80"

    code, out, err = cassa(capsys, "stock", "show", "--below-reorder", "--db", db)
    assert code == 0, err
    below = published("stock-report", out)
    assert [(r["sku"], r["on_hand"], r["reorder_level"]) for r in below["below_reorder"]] == [
        ("BATHMAT-01", "2", "3"),  # its own level
        ("TILE-CER-01", "148", "200"),  # its group's
    ]

    code, out, err = cassa(capsys, "stock", "show", "--csv", "--db", db)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:6] == ["warehouse", "sku", "name", "group", "lot", "quantity"]
    assert rows[1][1] == "BATHMAT-01"

    code, out, err = cassa(capsys, "stock", "movements", "BATHMAT-01", "--db", db)
    assert code == 0, err
    history = published("stock-movements", out)
    assert [(m["cause"], m["quantity"]) for m in history] == [("receipt", "5"), ("issue", "-3")]


def test_a_wrong_line_is_a_clear_message(tmp_path: Path, capsys) -> None:
    db = imported(tmp_path, capsys)
    code, _, err = cassa(capsys, "stock", "receive", "NOTEBOOK-A5=1.5", "--db", db)
    assert code == 1
    assert err.startswith("cassa: ")
    assert "precision" in err
    code, _, err = cassa(capsys, "stock", "receive", "NOPE=1", "--db", db)
    assert code == 1
    assert "NOPE" in err
