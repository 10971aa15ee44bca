"""Storing documents: drafts line by line, parking, approval frozen in the database."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from staffing import DEMO_STAFF

from cassa.engine.documents import Adjustment, DocumentStatus
from cassa.engine.errors import DocumentStateError
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.storage.models import DocumentLineRow, DocumentRow, DocumentVatRow, NumberingRow
from cassa.engine.till import Till

ITEMS = ["8001234000011", "NOTEBOOK-A5", "BAG-TOTE", "MARKERS-12", "JUICE-APPLE"]
_WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)\"?", re.IGNORECASE)


@contextmanager
def counting_writes(database):
    """Count the rows each statement kind writes: {("INSERT INTO", "document_lines"): 1, …}."""
    writes: Counter[tuple[str, str]] = Counter()

    def count(_conn, _cursor, statement, parameters, _context, executemany):
        match = _WRITE.match(statement)
        if match:
            rows = len(parameters) if executemany else 1
            writes[(match.group(1).upper(), match.group(2))] += rows

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield writes
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def stored_lines(database, document_id):
    with database.session() as session:
        return session.scalars(
            select(DocumentLineRow)
            .where(DocumentLineRow.document_id == document_id)
            .order_by(DocumentLineRow.position)
        ).all()


def stored_status(database, document_id):
    with database.session() as session:
        return session.scalar(select(DocumentRow.status).where(DocumentRow.id == document_id))


def fill(till, count):
    for index in range(count):
        till.scan(ITEMS[index % len(ITEMS)])
    return till.document()


# -- drafts: only what changed is written --------------------------------------------


def test_adding_a_line_to_a_50_line_draft_writes_one_row(database, till):
    document = fill(till, 50)
    with counting_writes(database) as writes:
        till.scan("STRAWBERRY", "0.750")
    assert writes == {("INSERT INTO", "document_lines"): 1, ("UPDATE", "documents"): 1}

    rows = stored_lines(database, document.id)
    assert len(rows) == 51
    assert (rows[-1].position, rows[-1].sku, rows[-1].quantity) == (
        51,
        "STRAWBERRY",
        Decimal("0.75"),
    )


def test_changing_one_line_of_a_50_line_draft_updates_that_row_only(database, till):
    document = fill(till, 50)
    with counting_writes(database) as writes:
        changed = till.set_quantity(25, 4)
    assert writes == {("UPDATE", "document_lines"): 1, ("UPDATE", "documents"): 1}
    assert stored_lines(database, document.id)[24].quantity == 4
    assert stored_lines(database, document.id)[24].id == changed.id


def test_deleting_the_last_line_deletes_one_row(database, till):
    document = fill(till, 50)
    with counting_writes(database) as writes:
        till.delete_line(50)
    assert writes == {("DELETE FROM", "document_lines"): 1, ("UPDATE", "documents"): 1}
    assert len(stored_lines(database, document.id)) == 49


def test_deleting_a_line_renumbers_the_following_ones(database, till):
    document = fill(till, 5)
    till.delete_line(2)
    rows = stored_lines(database, document.id)
    assert [row.position for row in rows] == [1, 2, 3, 4]
    assert [row.id for row in rows] == [line.id for line in till.document().lines]


def test_a_draft_reads_back_as_it_was_saved(database, till):
    till.scan("TILE-CER-01", "11.0", "mq")
    till.scan("STRAWBERRY", "0.125")
    till.add_non_coded("Vaso artigianale", "18.50", "22", 2)
    till.set_line_note(1, "posa in bagno")
    document = till.document()
    # Adjustments are stored with the line (as JSON), amounts exact.
    line = document.lines[2].with_changes(
        adjustments=(Adjustment("operator:anna", "line_discount", Decimal("1.005"), "-1€"),)
    )
    document.replace_line(3, line)
    till.documents.save(document)

    assert DocumentStore(database).load(document.id) == document


def test_a_failed_first_save_can_be_retried(database, till):
    """A commit that fails (disk full, database locked …) leaves nothing stored,
    and the next save of the same document stores it whole."""
    document = till.new_document()
    failures = []

    def fail_once(_conn):
        if not failures:
            failures.append(True)
            raise OSError("disk I/O error")

    event.listen(database.engine, "commit", fail_once)
    try:
        with pytest.raises(OSError, match="disk I/O error"):
            till.scan("8001234000011")
    finally:
        event.remove(database.engine, "commit", fail_once)
    assert stored_status(database, document.id) is None

    till.scan("NOTEBOOK-A5")
    assert [row.sku for row in stored_lines(database, document.id)] == ["NOTEBOOK-A5"]
    assert till.approve().number == "S/T01/2026/000001"


# -- park, resume, discard ------------------------------------------------------------


def test_park_and_resume_on_another_till_process(database, till):
    parked = fill(till, 3)
    till.park()
    assert till.current is None
    assert stored_status(database, parked.id) == "parked"
    assert [d.id for d in till.parked()] == [parked.id]
    assert till.parked()[0].lines == parked.lines

    other = Till.open(
        database, credentials=DEMO_STAFF["bruno"], clock=till.clock
    )  # e.g. after a restart
    resumed = other.resume(parked.id)
    assert resumed.status is DocumentStatus.DRAFT
    assert resumed.lines == parked.lines
    assert stored_status(database, parked.id) == "draft"
    assert other.parked() == []

    with counting_writes(database) as writes:  # the resumed draft is still saved line by line
        other.scan("BAG-TOTE")
    assert writes[("INSERT INTO", "document_lines")] == 1
    assert writes[("UPDATE", "document_lines")] == 0

    approved = other.approve()
    assert approved.number == "S/T01/2026/000001"
    assert len(stored_lines(database, parked.id)) == 4


def test_a_parked_document_can_be_discarded_after_resuming(database, till):
    parked = fill(till, 2)
    till.park()
    till.resume(parked.id)
    till.discard("the customer left")
    assert stored_status(database, parked.id) == "discarded"
    assert till.parked() == []
    with pytest.raises(DocumentStateError, match="not parked"):
        till.resume(parked.id)


def test_discarding_uses_no_number(database, till):
    discarded = fill(till, 2)
    till.discard("the customer left")
    assert stored_status(database, discarded.id) == "discarded"
    with database.session() as session:
        assert session.scalars(select(NumberingRow)).all() == []
    till.scan("8001234000011")
    assert till.approve().number == "S/T01/2026/000001"


def test_an_empty_document_discarded_is_never_stored(database, till):
    document = till.new_document()
    till.discard()
    assert stored_status(database, document.id) is None


# -- approved documents are final -----------------------------------------------------


def test_an_approved_document_cannot_be_saved_again(database, till):
    approved = fill(till, 3)
    approved = till.approve()
    with pytest.raises(DocumentStateError, match="approved"):
        till.documents.save(approved)
    with pytest.raises(DocumentStateError, match="approved"):
        till.set_quantity(1, 5)

    till.scan("BAG-TOTE")  # starts the next receipt, never touches the approved one
    assert till.document().id != approved.id
    assert len(stored_lines(database, approved.id)) == 3
    assert stored_status(database, approved.id) == "approved"


def test_a_stale_copy_cannot_change_an_approved_document(database, till):
    draft = fill(till, 2)
    elsewhere = DocumentStore(database)  # another process that had loaded the draft
    stale = elsewhere.load(draft.id)
    approved = till.approve()

    stale.lines.append(stale.lines[0].with_changes(id="0" * 32))
    with pytest.raises(DocumentStateError, match="approved elsewhere"):
        elsewhere.save(stale)
    with pytest.raises(DocumentStateError, match="approved elsewhere"):
        elsewhere.approve(stale, stale.totals(till.currency), till.now())
    with pytest.raises(DocumentStateError):
        elsewhere.discard(stale)

    assert DocumentStore(database).load(draft.id) == approved
    with database.session() as session:
        assert session.get(NumberingRow, ("receipt", "T01", 2026)).last == 1


def test_approved_totals_and_vat_are_frozen(database, till, demo_store):
    till.scan("8001234000011", 3)  # 10 %
    till.scan("STRAWBERRY", "0.750")  # 4 %
    till.scan("TILE-CER-01", "11.0", "mq")  # 22 %
    till.scan("SHOE-RUN-42")  # 22 %
    till.add_non_coded("Vaso artigianale", "18.50", "22")
    totals = till.totals()
    approved = till.approve()

    def frozen():
        with database.session() as session:
            row = session.get(DocumentRow, approved.id)
            vat = session.scalars(
                select(DocumentVatRow)
                .where(DocumentVatRow.document_id == approved.id)
                .order_by(DocumentVatRow.vat_code)
            ).all()
            values = session.scalars(
                select(DocumentLineRow.value)
                .where(DocumentLineRow.document_id == approved.id)
                .order_by(DocumentLineRow.position)
            ).all()
            return (
                (row.number, row.total, row.net_total, row.vat_total),
                [(v.vat_code, v.percent, v.net, v.vat, v.gross) for v in vat],
                values,
            )

    header, vat, values = frozen()
    assert header == ("S/T01/2026/000001", totals.total, totals.net_total, totals.vat_total)
    assert vat == sorted((s.rate.code, s.rate.percent, s.net, s.vat, s.gross) for s in totals.vat)
    assert {code for code, *_ in vat} == {"4", "10", "22"}
    assert values == [line.value for line in totals.lines]
    assert sum(values) == sum(gross for *_, gross in vat) == totals.total
    assert sum(net for _, _, net, _, _ in vat) + sum(v for *_, v, _ in vat) == totals.total

    # New prices in the catalog change nothing already approved.
    repriced = copy.deepcopy(demo_store)
    items = repriced.catalog.items
    for sku, item in items.items():
        items[sku] = dataclasses.replace(item, list_price=item.list_price * 2)
    import_store(database, repriced)
    assert frozen() == (header, vat, values)
    reloaded = DocumentStore(database).load(approved.id)
    assert reloaded.lines == approved.lines
    assert reloaded.totals(till.currency).total == totals.total

    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(DocumentVatRow)) == len(vat)
