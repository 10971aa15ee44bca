"""Document numbers under concurrency: real processes approving at the same time.

Every series (document type, till, year) counts 1, 2, 3 … with no gap and no
duplicate, however many till processes approve on the same database at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from staffing import DEMO_STAFF

from cassa.engine.people import import_store_employees
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.models import DocumentRow, NumberingRow
from cassa.engine.till import Till

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("storage_child.py")
DEMO = Path(__file__).resolve().parents[3] / "examples" / "demo"

# (document type, till, year, customer): processes x documents each
SERIES = {
    ("receipt", "T01", 2026, None): (4, 20),
    ("invoice", "T01", 2026, "B0001"): (2, 8),
    ("receipt", "T02", 2026, None): (2, 8),
    ("receipt", "T01", 2027, None): (2, 8),
}
PREFIX = {"receipt": "S", "invoice": "FV"}


def start(database_url, doc_type, till, year, customer, count):
    spec = {
        "url": database_url.url,
        "engine_options": database_url.engine_options,
        "doc_type": doc_type,
        "till": till,
        "year": year,
        "customer": customer,
        "count": count,
    }
    return subprocess.Popen(
        [sys.executable, str(CHILD), "approve", json.dumps(spec)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_approvals_number_each_series_without_gaps(database_url, database, demo_store):
    import_store(database, demo_store)
    first = Till.open(database)
    import_store_employees(database, DEMO, store=first.store.code, pack=first.pack, clock=first.now)
    for code in ("T01", "T02"):
        Till.open(database, till=code, credentials=DEMO_STAFF["anna"]).open_day()

    children = []
    try:
        for (doc_type, till, year, customer), (processes, count) in SERIES.items():
            for _ in range(processes):
                child = start(database_url, doc_type, till, year, customer, count)
                children.append(((doc_type, till, year), count, child))
        for _, _, child in children:  # every process is ready: let them all go at once
            line = child.stdout.readline()
            if line != "ready\n":
                _, err = child.communicate(timeout=60)
                pytest.fail(f"a till process did not start: {line!r}\n{err}")
        for _, _, child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        got: dict[tuple[str, str, int], list[str]] = {key: [] for key, _, _ in children}
        for key, count, child in children:
            out, err = child.communicate(timeout=300)
            assert child.returncode == 0, err
            numbers = json.loads(out)
            assert len(numbers) == count
            assert numbers == sorted(numbers)  # one process sees its own numbers grow
            got[key].extend(numbers)
    finally:
        for _, _, child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            for stream in (child.stdin, child.stdout, child.stderr):
                stream.close()

    for (doc_type, till, year), numbers in got.items():
        processes, count = SERIES[
            (doc_type, till, year, "B0001" if doc_type == "invoice" else None)
        ]
        total = processes * count
        expected = [f"{PREFIX[doc_type]}/{till}/{year}/{n:06d}" for n in range(1, total + 1)]
        assert Counter(numbers) == Counter(expected), (doc_type, till, year)

    with database.session() as session:
        rows = session.execute(
            select(
                DocumentRow.doc_type,
                DocumentRow.till,
                DocumentRow.year,
                DocumentRow.sequence,
                DocumentRow.number,
            ).where(DocumentRow.status == "approved")
        ).all()
        counters = {
            (n.doc_type, n.till, n.year): n.last for n in session.scalars(select(NumberingRow))
        }
    by_series: dict[tuple[str, str, int], list[int]] = {}
    for doc_type, till, year, sequence, number in rows:
        assert number == f"{PREFIX[doc_type]}/{till}/{year}/{sequence:06d}"
        by_series.setdefault((doc_type, till, year), []).append(sequence)
    expected_totals = {key[:3]: p * c for key, (p, c) in SERIES.items()}
    assert {key: sorted(seqs) for key, seqs in by_series.items()} == {
        key: list(range(1, total + 1)) for key, total in expected_totals.items()
    }
    assert counters == expected_totals
