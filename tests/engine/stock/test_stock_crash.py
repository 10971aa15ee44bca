"""A till killed (SIGKILL) in the middle of a sale never leaves a movement without its
document, nor an approved document without its movements."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import select

from cassa.engine.stock import rebuilt_levels
from cassa.engine.storage.models import DocumentLineRow, DocumentRow, StockMovementRow

pytestmark = pytest.mark.slow

_HELPERS = Path(__file__).parents[1] / "storage" / "test_crash.py"
_spec = importlib.util.spec_from_file_location("storage_crash_helpers", _HELPERS)
assert _spec is not None
assert _spec.loader is not None
crash_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crash_helpers)


def stored(database, document_id):
    with database.session() as session:
        document = session.get(DocumentRow, document_id)
        lines = session.scalars(
            select(DocumentLineRow).where(DocumentLineRow.document_id == document_id)
        ).all()
        moved = session.scalars(select(StockMovementRow).order_by(StockMovementRow.id)).all()
        return document, lines, moved


@pytest.mark.parametrize("when", ["after-stock", "before-commit"])
def test_a_sale_killed_while_approving_books_no_movement(
    database_url, database, till, tmp_path, when
):
    reached = crash_helpers.run_until_marker(database_url, tmp_path / "marker.json", when)
    assert reached["stock"]  # the movements had been written when the till died
    document, _, moved = stored(database, reached["document"])
    assert document is not None
    assert document.status == "draft"
    assert moved == []
    assert till.stock.levels() == []
    # the draft is approved by the next run of the till, with its movements
    till.scan("NOTEBOOK-A5")
    till.approve()
    assert till.stock.on_hand("NOTEBOOK-A5") == -1


def test_a_sale_killed_after_approving_keeps_every_movement(database_url, database, till, tmp_path):
    reached = crash_helpers.run_until_marker(database_url, tmp_path / "marker.json", "after-commit")
    document, lines, moved = stored(database, reached["document"])
    assert document is not None
    assert document.status == "approved"
    stocked = {line.id: line for line in lines if line.item_type == "goods"}
    assert {m.line_id for m in moved} == set(stocked)
    assert all(m.number == document.number for m in moved)
    assert all(m.quantity == -stocked[m.line_id].base_quantity for m in moved)
    with database.reader.connect() as connection:
        summed = rebuilt_levels(connection)
    assert {
        (lv.store, lv.warehouse, lv.sku, lv.lot): lv.quantity for lv in till.stock.levels()
    } == summed
