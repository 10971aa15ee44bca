"""Discarding an open document as the demo pack's Security declares it (seed: Rinuncia):
with lines the operator says why; above 200.00 a manager approves; the reason stays with
the document and, with who discarded it and who approved, in the audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from people_data import PASSWORDS
from sqlalchemy import select

from cassa.engine.errors import InvalidInput
from cassa.engine.people import ApprovalRequired, AuditLog
from cassa.engine.storage.models import DocumentRow
from cassa.engine.till import Till


@pytest.fixture
def assistant(staffed_till: Till) -> Till:
    staffed_till.login("bruno", PASSWORDS["bruno"])
    return staffed_till


def stored(till: Till, document_id: str) -> tuple[str, str]:
    with till.database.session() as session:
        row = session.scalars(select(DocumentRow).where(DocumentRow.id == document_id)).one()
        return row.status, row.note


def test_a_document_with_lines_is_discarded_only_with_a_reason(assistant: Till) -> None:
    assistant.scan("BATHMAT-01")
    document = assistant.document()
    with pytest.raises(InvalidInput, match="Say why the document is discarded"):
        assistant.discard("   ")
    assert assistant.current is document  # nothing happened
    assistant.discard("  the customer   changed their mind ")
    assert stored(assistant, document.id) == ("discarded", "the customer changed their mind")
    (event,) = AuditLog(assistant.database).events(limit=1)
    assert (event.event, event.actor, event.amount, event.document_id) == (
        "document_discarded",
        "bruno",
        Decimal("12.90"),
        document.id,
    )
    assert event.detail == {"reason": "the customer changed their mind", "lines": 1}


def test_an_empty_document_needs_no_reason(assistant: Till) -> None:
    assistant.new_document()
    assistant.discard()
    assert assistant.current is None


def test_above_the_packs_limit_a_manager_approves_the_discard(assistant: Till) -> None:
    assistant.scan("BATHMAT-01", 20)  # 258.00, above the demo's 200.00
    document = assistant.document()
    with pytest.raises(ApprovalRequired) as refused:
        assistant.discard("wrong customer")
    assert refused.value.permissions == ("discard_document",)
    assert refused.value.amount == Decimal("258.00")
    assert stored(assistant, document.id)[0] == "draft"
    assistant.authorize("discard_document", username="marco", password=PASSWORDS["marco"])
    assistant.discard("wrong customer")
    assert stored(assistant, document.id) == ("discarded", "wrong customer")
    events = [(e.event, e.approver) for e in AuditLog(assistant.database).events(limit=2)]
    assert events == [("approval", "marco"), ("document_discarded", None)]


def test_a_manager_discards_a_large_document_without_asking(staffed_till: Till) -> None:
    staffed_till.login("marco", PASSWORDS["marco"])
    staffed_till.scan("BATHMAT-01", 20)
    staffed_till.discard("wrong customer")
    assert staffed_till.current is None
