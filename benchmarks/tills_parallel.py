"""Several tills approving at once on one database: does the rate grow with the tills?

    python benchmarks/tills_parallel.py --db postgresql://… [--tills 4] [--receipts 200]

The demo store with --tills tills is imported; then one till process, and then --tills
processes at once (each its own till, so its own number series: no lock is shared),
approve --receipts receipts each (3 lines, DocumentStore.approve: one transaction per
receipt). Prints each rate, the ratio of the many to the one (target on PostgreSQL:
≥ 3x with four tills), the raw INSERT + COMMIT rate of the same database and the load
average. Every series is then read back: no gap, no duplicate.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import yaml
from _measure import load, raw_commit
from sqlalchemy import select

from cassa.engine.documents import DocumentStatus
from cassa.engine.storage.db import open_database
from cassa.engine.storage.models import DocumentRow
from cassa.engine.storage.store_import import import_store_folder
from cassa.engine.till import Till

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ITEMS = ["8001234000011", "NOTEBOOK-A5", "STRAWBERRY"]


def child(url: str, till_code: str, receipts: int, year: int) -> None:
    database = open_database(url, migrate=False)
    moment = datetime(year, 7, 5, 10, 30, tzinfo=UTC)
    till = Till.open(database, till=till_code, clock=lambda: moment)
    if till.days.current(till.code) is None:
        till.open_day()
    for code in ITEMS:
        till.scan(code)
    template = till.document()
    till.discard("a template, never stored")
    documents = [
        replace(
            template,
            id=str(uuid.uuid4()),
            status=DocumentStatus.DRAFT,
            lines=[line.with_changes(id=uuid.uuid4().hex) for line in template.lines],
        )
        for _ in range(receipts)
    ]
    print("ready", flush=True)
    sys.stdin.readline()
    for document in documents:
        till.documents.approve(document, document.totals(till.currency), till.now())
    print("done", flush=True)
    database.dispose()


def run(url: str, tills: list[str], receipts: int, year: int) -> float:
    """Receipts per second of all `tills` approving at once."""
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "child", url, code, str(receipts), str(year)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for code in tills
    ]
    for process in children:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for process in children:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in children:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "done"
        process.wait()
    return len(tills) * receipts / (time.perf_counter() - started)


def main() -> None:
    if sys.argv[1:2] == ["child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: a temporary file)")
    parser.add_argument("--tills", type=int, default=4)
    parser.add_argument("--receipts", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cassa-bench-") as scratch:
        folder = Path(scratch) / "store"
        shutil.copytree(DEMO, folder)
        spec = yaml.safe_load((folder / "store.yaml").read_text())
        spec["tills"] = [{"code": f"T{n:02d}"} for n in range(1, args.tills + 1)]
        (folder / "store.yaml").write_text(yaml.safe_dump(spec))
        url = args.db or str(Path(scratch) / "tills.db")
        database = open_database(url)
        import_store_folder(database, folder)
        raw = raw_commit(database)
        print(
            f"{database.engine.dialect.name}: raw INSERT + COMMIT {raw * 1000:.3f} ms "
            f"({1 / raw:,.0f}/s); {load()}"
        )
        codes = [f"T{n:02d}" for n in range(1, args.tills + 1)]
        one = run(url, codes[:1], args.receipts, 2031)
        print(f"  1 till:  {one:8.1f} receipts/s = {one * raw:.0%} of the raw rate; {load()}")
        many = run(url, codes, args.receipts, 2032)
        print(
            f"  {args.tills} tills: {many:8.1f} receipts/s = {many / one:.2f}x one till "
            f"[target on PostgreSQL: >= 3x with 4]; {load()}"
        )
        with database.session() as session:
            for code in codes:
                numbers = session.scalars(
                    select(DocumentRow.sequence).where(
                        DocumentRow.till == code, DocumentRow.year == 2032
                    )
                ).all()
                assert sorted(numbers) == list(range(1, args.receipts + 1)), code
        print(f"  every series 1..{args.receipts}, no gap, no duplicate")
        database.dispose()


if __name__ == "__main__":
    main()
