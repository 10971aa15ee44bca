"""A till killed (SIGKILL) while approving leaves no half-written document.

A real child process (storage_child.py) builds a receipt, starts approving it
and stops at a chosen point; the parent kills it there and reopens the
database as the next run of the till would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cassa.engine.documents import DocumentStatus
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.storage.models import DocumentLineRow, DocumentRow, DocumentVatRow, NumberingRow

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("storage_child.py")
LINES = 5


def run_until_marker(database_url, marker: Path, when: str) -> dict:
    """Start the child, wait for it to reach `when`, kill it with SIGKILL."""
    spec = {
        "url": database_url.url,
        "engine_options": database_url.engine_options,
        "marker": str(marker),
        "when": when,
        "lines": LINES,
    }
    child = subprocess.Popen(
        [sys.executable, str(CHILD), "crash", json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                out, err = child.communicate()
                pytest.fail(f"the child ended ({child.returncode}) before {when}:\n{out}\n{err}")
            if time.monotonic() > deadline:
                pytest.fail(f"the child did not reach {when} in 60 s")
            time.sleep(0.02)
        time.sleep(0.05)  # the marker is written; the child now sleeps inside approve()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    return json.loads(marker.read_text())


@pytest.mark.parametrize("when", ["after-numbering", "before-commit"])
def test_kill_during_approval_leaves_the_draft_untouched(
    database_url, database, till, tmp_path, when
):
    reached = run_until_marker(database_url, tmp_path / "marker.json", when)
    assert reached["numbered"]
    if when == "before-commit":
        assert reached["approved_update"]  # every statement had run: only COMMIT was missing

    document_id = reached["document"]
    if database_url.dialect == "sqlite":
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with database.session() as session:
        row = session.get(DocumentRow, document_id)
        assert row is not None
        assert (row.status, row.number, row.sequence, row.year) == ("draft", None, None, None)
        assert (row.total, row.net_total, row.vat_total, row.approved_at) == (None,) * 4
        lines = session.scalars(
            select(DocumentLineRow).where(DocumentLineRow.document_id == document_id)
        ).all()
        assert sorted(line.position for line in lines) == list(range(1, LINES + 1))
        assert all(line.value is None for line in lines)
        assert session.scalar(select(func.count()).select_from(DocumentVatRow)) == 0
        assert session.scalars(select(NumberingRow)).all() == []
        assert session.scalar(select(func.count()).where(DocumentRow.status == "approved")) == 0

    # The till carries on: the next approval is number 1 of the series.
    till.scan("8001234000011")
    assert till.approve().number == "S/T01/2026/000001"

    # The interrupted receipt is intact and can still be approved, as number 2.
    store = DocumentStore(database)
    draft = store.load(document_id)
    assert len(draft.lines) == LINES
    approved = store.approve(draft, draft.totals(till.currency), till.now())
    assert approved.number == "S/T01/2026/000002"


def test_kill_after_the_scans_keeps_every_line_of_the_draft(database_url, database, till, tmp_path):
    """A scan acknowledged to the cashier survives the till's crash: drafts commit without
    waiting for the disk (synchronous=NORMAL on SQLite), which a process crash never loses."""
    reached = run_until_marker(database_url, tmp_path / "marker.json", "after-scans")
    if database_url.dialect == "sqlite":
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    store = DocumentStore(database)
    draft = store.load(reached["document"])
    assert draft.status is DocumentStatus.DRAFT
    assert [line.quantity for line in draft.lines] == [1 + i % 3 for i in range(LINES)]
    approved = store.approve(draft, draft.totals(till.currency), till.now())
    assert approved.number == "S/T01/2026/000001"


def test_kill_after_commit_keeps_the_approved_document(database_url, database, till, tmp_path):
    reached = run_until_marker(database_url, tmp_path / "marker.json", "after-commit")
    assert reached["number"] == "S/T01/2026/000001"

    document = DocumentStore(database).load(reached["document"])
    assert document.status is DocumentStatus.APPROVED
    assert document.number == "S/T01/2026/000001"
    assert len(document.lines) == LINES
    totals = document.totals(till.currency)
    with database.session() as session:
        row = session.get(DocumentRow, document.id)
        assert row is not None
        assert (row.total, row.net_total, row.vat_total) == (
            totals.total,
            totals.net_total,
            totals.vat_total,
        )
        vat = session.scalars(
            select(DocumentVatRow).where(DocumentVatRow.document_id == document.id)
        ).all()
        assert {(v.vat_code, v.net, v.vat, v.gross) for v in vat} == {
            (s.rate.code, s.net, s.vat, s.gross) for s in totals.vat
        }
        values = session.scalars(
            select(DocumentLineRow.value).where(DocumentLineRow.document_id == document.id)
        ).all()
        assert sorted(values) == sorted(t.value for t in totals.lines)
        assert session.get(NumberingRow, ("receipt", "T01", 2026)).last == 1  # type: ignore[union-attr]

    till.scan("8001234000011")
    assert till.approve().number == "S/T01/2026/000002"
