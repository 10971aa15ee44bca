"""The fiscal hash chain: every approved sales document, duplicate and closing, signed in order.

Each till keeps one chain (`fiscal_chain`, keyed by the till's code) whose links
are numbered 1, 2, 3 … without gaps. A link's `hash` is

    SHA-256( previous_hash  "\\n"  canonical )

where `previous_hash` is the previous link's hash (64 zeros for the first) and
`canonical` is the UTF-8 JSON (keys sorted, no spaces) of the link's own fields
and of the rows it stands for, **as stored**: a document's header, lines and
VAT summary; a duplicate's print-history row; a closing's row. Values are
taken from the database without interpretation (integers as integers, text as
text, datetimes as `YYYY-MM-DD HH:MM:SS.ffffff` UTC, booleans as 0/1, bytes as
`{"hex": …}`), so changing any byte of any hashed field changes the hash.

The document link is written by an approval hook inside the approval's own
transaction (`DocumentStore.approval_hooks`); its sequence comes from the
`numbering` series `fiscal-chain` of the till, whose row lock serializes two
processes approving at once (and whose counter lets `verify` see a deleted tail).

`verify_chains` walks every chain and names the first link whose document,
duplicate or closing does not match, a gap, a link out of order, a deleted
tail, and approved documents of a chained type that have no link or are
missing from their number series; and the database's guards that are missing,
disabled or widened (cassa.engine.storage.guards).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cassa.engine.documents import DocumentType
from cassa.engine.storage.db import Database
from cassa.engine.storage.guards import missing_guards
from cassa.engine.storage.models import NumberingRow

__all__ = [
    "CHAIN_SERIES",
    "GENESIS",
    "HASHED",
    "ChainProblem",
    "Link",
    "MissingRow",
    "VerifyReport",
    "append_link",
    "canonical_bytes",
    "canonical_value",
    "chain_hash",
    "document_link",
    "document_record",
    "link_record",
    "verify_chains",
]

GENESIS = "0" * 64
CHAIN_SERIES = "fiscal-chain"  # the numbering series that counts a till's links

DOCUMENT_COLUMNS = (
    "id",
    "doc_type",
    "status",
    "store",
    "till",
    "currency",
    "direction",
    "operator",
    "customer",
    "created_at",
    "approved_at",
    "number",
    "year",
    "sequence",
    "note",
    "total",
    "net_total",
    "vat_total",
    "reverse_charge",
    "split_payment",
)
LINE_COLUMNS = (
    "id",
    "document_id",
    "position",
    "sku",
    "name",
    "item_type",
    "item_group",
    "unit",
    "unit_precision",
    "base_unit",
    "quantity",
    "base_quantity",
    "list_price",
    "vat_code",
    "vat_percent",
    "discountable",
    "adjustments",
    "note",
    "handled_by",
    "returned",
    "price_source",
    "value",
    "reverse_charge",
    "split_payment",
)
# Hashed when set (a return's), so the records of other documents stay as they were.
ORIGIN_COLUMNS = ("origin_id", "origin_number")
VAT_COLUMNS = ("document_id", "vat_code", "percent", "net", "vat", "gross")
PRINT_COLUMNS = (
    "document_id",
    "document_number",
    "copy",
    "duplicate",
    "reason",
    "till",
    "operator",
    "requested_at",
)
CLOSING_COLUMNS = (
    "id",
    "store",
    "till",
    "period",
    "label",
    "date_from",
    "date_to",
    "documents",
    "total",
    "net_total",
    "vat_total",
    "vat",
    "grand_total",
    "first_sequence",
    "last_sequence",
    "at",
    "operator",
)
LINK_COLUMNS = (
    "chain",
    "sequence",
    "kind",
    "document_id",
    "document_number",
    "copy",
    "duplicate_number",
    "closing_id",
    "at",
    "previous_hash",
)
# What `verify` and the tamper tests treat as hashed: table -> columns.
HASHED: dict[str, tuple[str, ...]] = {
    "documents": DOCUMENT_COLUMNS,
    "document_lines": LINE_COLUMNS,
    "document_vat": VAT_COLUMNS,
    "print_history": PRINT_COLUMNS,
    "fiscal_closings": CLOSING_COLUMNS,
    "fiscal_chain": (*LINK_COLUMNS, "hash"),
}


# -- canonical form and hash ------------------------------------------------------------------
def canonical_value(value: Any) -> Any:
    """A stored value as it enters the canonical JSON (see the module's docstring)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return {"real": repr(value)}
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo is not None else value
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return {"decimal": format(value, "f")}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    raise TypeError(f"no canonical form for {type(value).__name__}")


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True
    ).encode("utf-8")


def chain_hash(previous: str, record: Mapping[str, Any]) -> str:
    """SHA-256 over the previous link's hash and the canonical record, as lowercase hex."""
    digest = hashlib.sha256()
    digest.update(previous.encode("ascii", errors="replace"))
    digest.update(b"\n")
    digest.update(canonical_bytes(record))
    return digest.hexdigest()


def _row(columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    return {name: canonical_value(value) for name, value in zip(columns, values, strict=True)}


def _select(columns: Sequence[str], table: str, where: str) -> Any:
    names = ", ".join(f'"{c}"' for c in columns)
    return text(f'SELECT {names} FROM "{table}" WHERE {where}')


def _rows(
    session: Session, columns: Sequence[str], table: str, where: str, **params: Any
) -> list[dict[str, Any]]:
    found = session.execute(_select(columns, table, where), params).all()
    return [_row(columns, tuple(row)) for row in found]


class MissingRow(LookupError):
    """What a link stands for is not in the database any more."""


def link_record(session: Session, link: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical record of a link (its LINK_COLUMNS, canonical) and what it stands for."""
    record: dict[str, Any] = {"link": {c: link[c] for c in LINK_COLUMNS}}
    kind = link["kind"]
    if kind == "document":
        record.update(document_record(session, str(link["document_id"])))
    elif kind == "duplicate":
        rows = _rows(
            session,
            PRINT_COLUMNS,
            "print_history",
            '"document_id" = :document AND "copy" = :copy',
            document=link["document_id"],
            copy=link["copy"],
        )
        if len(rows) != 1:
            raise MissingRow(f"the print history of copy {link['copy']} is missing")
        record["print"] = rows[0]
    elif kind == "closing":
        rows = _rows(
            session, CLOSING_COLUMNS, "fiscal_closings", '"id" = :id', id=link["closing_id"]
        )
        if len(rows) != 1:
            raise MissingRow(f"closing {link['closing_id']} is missing")
        record["closing"] = rows[0]
    else:
        raise MissingRow(f"unknown kind of link {kind!r}")
    return record


def document_record(session: Session, document_id: str) -> dict[str, Any]:
    documents = _rows(session, DOCUMENT_COLUMNS, "documents", '"id" = :id', id=document_id)
    if len(documents) != 1:
        raise MissingRow(f"document {document_id} is missing")
    lines = _rows(session, LINE_COLUMNS, "document_lines", '"document_id" = :id', id=document_id)
    _with_origin(session, documents[0], lines, document_id)
    vat = _rows(session, VAT_COLUMNS, "document_vat", '"document_id" = :id', id=document_id)
    return {
        "document": documents[0],
        "lines": sorted(lines, key=lambda r: (_order(r["position"]), _order(r["id"]))),
        "vat": sorted(vat, key=lambda r: _order(r["vat_code"])),
    }


def _with_origin(
    session: Session, document: dict[str, Any], lines: list[dict[str, Any]], document_id: str
) -> None:
    """A return's origin (document and lines) joins its record; a document without one
    keeps the record, and so the hash, it always had."""
    found = _rows(session, ORIGIN_COLUMNS, "documents", '"id" = :id', id=document_id)
    if found and any(value is not None for value in found[0].values()):
        document.update(found[0])
    origins = {
        row["id"]: row["origin_line"]
        for row in _rows(
            session, ("id", "origin_line"), "document_lines", '"document_id" = :id', id=document_id
        )
    }
    for line in lines:
        origin = origins.get(line["id"])
        if origin is not None:
            line["origin_line"] = origin


def _order(value: Any) -> tuple[int, int, str]:
    """A sort key that never fails, whatever a tampered row holds."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, json.dumps(value, sort_keys=True))


# -- appending ----------------------------------------------------------------------------------
def _next_sequence(session: Session, chain: str) -> int:
    table = NumberingRow.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(doc_type=CHAIN_SERIES, till=chain, year=0, last=1)
        .on_conflict_do_update(
            index_elements=["doc_type", "till", "year"], set_={"last": table.c.last + 1}
        )
        .returning(table.c.last)
    )
    return int(session.execute(statement).scalar_one())


@dataclass(frozen=True)
class Link:
    chain: str
    sequence: int
    kind: str
    hash: str
    previous_hash: str
    document_id: str | None = None
    document_number: str | None = None
    duplicate_number: int | None = None

    def short(self, length: int) -> str:
        return self.hash[:length].upper()


def append_link(
    session: Session,
    chain: str,
    kind: str,
    at: datetime,
    *,
    document_id: str | None = None,
    document_number: str | None = None,
    copy: int | None = None,
    duplicate_number: int | None = None,
    closing_id: int | None = None,
    stands_for: Mapping[str, Any] | None = None,
) -> Link:
    """Add the next link of `chain` in the caller's transaction.

    `stands_for` is the canonical record of what the link signs (its `document`,
    `lines` and `vat`, or `print`, or `closing`); by default it is read back
    from the database, exactly as `verify` will read it.
    """
    session.flush()
    sequence = _next_sequence(session, chain)
    previous = GENESIS
    if sequence > 1:
        previous_row = session.execute(
            text('SELECT "hash" FROM fiscal_chain WHERE "chain" = :c AND "sequence" = :s'),
            {"c": chain, "s": sequence - 1},
        ).first()
        if previous_row is None:
            raise LookupError(f"link {sequence - 1} of the fiscal chain of {chain} is missing")
        previous = str(previous_row[0])
    values = {
        "chain": chain,
        "sequence": sequence,
        "kind": kind,
        "document_id": document_id,
        "document_number": document_number,
        "copy": copy,
        "duplicate_number": duplicate_number,
        "closing_id": closing_id,
        "at": at.astimezone(UTC),
        "previous_hash": previous,
    }
    link = {name: canonical_value(value) for name, value in values.items()}
    record: dict[str, Any] = {"link": link}
    if stands_for is None:
        record = link_record(session, link)
    else:
        record.update(stands_for)
    digest = chain_hash(previous, record)
    names = [*values, "hash"]
    columns = ", ".join(f'"{name}"' for name in names)
    session.execute(
        text(f"INSERT INTO fiscal_chain ({columns}) VALUES ({', '.join(':' + n for n in names)})"),
        {**values, "at": _stored_moment(session, at), "hash": digest},
    )
    return Link(
        chain, sequence, kind, digest, previous, document_id, document_number, duplicate_number
    )


def _stored_moment(session: Session, at: datetime) -> Any:
    """A moment as the ORM's UtcDateTime stores it (SQLite: naive UTC text)."""
    moment = at.astimezone(UTC)
    if session.get_bind().dialect.name == "sqlite":
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def document_link(session: Session, document_id: str) -> Link | None:
    row = session.execute(
        text(
            'SELECT "chain", "sequence", "kind", "hash", "previous_hash", "document_id", '
            '"document_number", "duplicate_number" FROM fiscal_chain '
            'WHERE "document_id" = :id AND "kind" = \'document\''
        ),
        {"id": document_id},
    ).first()
    return Link(*row) if row is not None else None


# -- verifying ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainProblem:
    chain: str
    sequence: int | None
    document: str | None  # the document's number (or id) the problem is about
    message: str

    def __str__(self) -> str:
        if not self.chain:
            return f"database: {self.message}"
        where = f"till {self.chain}" + (f", link {self.sequence}" if self.sequence else "")
        return f"{where}: {self.message}"


@dataclass
class VerifyReport:
    chains: dict[str, int] = field(default_factory=dict)  # till -> links checked
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> ChainProblem | None:
        """The first problem that names a document (else the first problem)."""
        named = [p for p in self.problems if p.document]
        return named[0] if named else (self.problems[0] if self.problems else None)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "chains": self.chains,
            "first": None if self.first is None else _problem_json(self.first),
            "problems": [_problem_json(p) for p in self.problems],
        }


def _problem_json(problem: ChainProblem) -> dict[str, Any]:
    return {
        "till": problem.chain,
        "link": problem.sequence,
        "document": problem.document,
        "message": problem.message,
    }


def verify_chains(
    database: Database, *, document_types: Collection[str] | None = None
) -> VerifyReport:
    """Walk every till's chain from its first link; see the module's docstring.

    `document_types`: the chained types whose approved documents must all have a
    link and a gapless number series (default: the types found in the chains).
    """
    report = VerifyReport()
    with database.engine.connect() as connection:
        for problem in missing_guards(connection):
            report.problems.append(ChainProblem("", None, None, problem))
    with database.session() as session:
        chains = [
            str(c)
            for (c,) in session.execute(
                text(
                    'SELECT DISTINCT "chain" FROM fiscal_chain UNION '
                    'SELECT DISTINCT "till" FROM numbering WHERE "doc_type" = :series'
                ),
                {"series": CHAIN_SERIES},
            ).all()
        ]
        linked_types: set[str] = set()
        for chain in sorted(chains):
            linked_types |= _verify_chain(session, chain, report)
        types = set(document_types) if document_types is not None else linked_types
        if types:
            _verify_documents(session, types, report)
        _verify_duplicates(session, report)
    return report


def _verify_chain(session: Session, chain: str, report: VerifyReport) -> set[str]:
    columns = (*LINK_COLUMNS, "hash")
    try:
        links = _rows(session, columns, "fiscal_chain", '"chain" = :c', c=chain)
    except DBAPIError as error:
        report.problems.append(
            ChainProblem(chain, None, None, f"the chain cannot be read: {error}")
        )
        return set()
    links.sort(key=lambda r: (str(type(r["sequence"])), r["sequence"]))
    report.chains[chain] = len(links)
    types: set[str] = set()
    expected_previous, expected_sequence = GENESIS, 1
    for link in links:
        label = link["document_number"] or link["document_id"] or f"#{link['closing_id']}"
        sequence = link["sequence"] if isinstance(link["sequence"], int) else None

        named = link["document_number"] or link["document_id"]

        def fail(message: str, *, at: int | None = sequence, name: Any = named) -> None:
            report.problems.append(
                ChainProblem(chain, at, None if name is None else str(name), message)
            )

        if link["sequence"] != expected_sequence:
            fail(
                f"link {expected_sequence} is missing or out of order (found link "
                f"{link['sequence']} in its place, {link['kind']} {label})",
                at=expected_sequence,
                name=None,
            )
        if link["previous_hash"] != expected_previous:
            fail(
                f"{link['kind']} {label} does not follow the link before it (previous hash differs)"
            )
        try:
            record = link_record(session, link)
        except MissingRow as missing:
            fail(f"{link['kind']} {label}: {missing}")
        except (DBAPIError, TypeError, ValueError) as error:
            session.rollback()  # a failed read ends the transaction on PostgreSQL
            fail(f"{link['kind']} {label} cannot be read: {type(error).__name__}")
        else:
            if link["kind"] == "document":
                types.add(str(record["document"]["doc_type"]))
            if chain_hash(str(link["previous_hash"]), record) != link["hash"]:
                fail(f"{link['kind']} {label} does not match its signature: it was changed")
        expected_previous = str(link["hash"])
        expected_sequence = (sequence or expected_sequence) + 1
    counted = session.execute(
        text(
            'SELECT "last" FROM numbering WHERE "doc_type" = :series AND "till" = :c AND "year" = 0'
        ),
        {"series": CHAIN_SERIES, "c": chain},
    ).scalar()
    if counted is None:
        if links:
            report.problems.append(
                ChainProblem(chain, None, None, "the chain's link counter is missing")
            )
    elif counted != expected_sequence - 1:
        report.problems.append(
            ChainProblem(
                chain,
                expected_sequence,
                None,
                f"the chain ends at link {expected_sequence - 1} but {counted} links were made: "
                "the last links were deleted",
            )
        )
    return types


def _verify_duplicates(session: Session, report: VerifyReport) -> None:
    """Every copy after the first of a chained document is a duplicate link of the chain."""
    unsigned = session.execute(
        text(
            'SELECT p."document_number", p."copy", p."till" FROM print_history p '
            'WHERE p."copy" > 1 AND EXISTS (SELECT 1 FROM fiscal_chain c '
            'WHERE c."document_id" = p."document_id" AND c."kind" = \'document\') '
            'AND NOT EXISTS (SELECT 1 FROM fiscal_chain d WHERE d."document_id" = '
            'p."document_id" AND d."kind" = \'duplicate\' AND d."copy" = p."copy") '
            'ORDER BY p."id"'
        )
    ).all()
    for number, copy, till in unsigned:
        report.problems.append(
            ChainProblem(
                str(till),
                None,
                str(number),
                f"copy {copy} of {number} was printed without entering the fiscal chain",
            )
        )


def _verify_documents(session: Session, types: set[str], report: VerifyReport) -> None:
    """Every approved document of a chained type has a link; every number of its series exists."""
    # Documents approved since a chain's first link must be in it; a chain whose first
    # link is gone has lost its start: every document of its till must then be in it.
    chains = {row[0] for row in session.execute(text('SELECT DISTINCT "chain" FROM fiscal_chain'))}
    starts = session.execute(text('SELECT "chain", "at" FROM fiscal_chain WHERE "sequence" = 1'))
    first_links: dict[Any, Any] = dict.fromkeys(chains)
    first_links.update({row[0]: row[1] for row in starts.all()})
    placeholders = ", ".join(f":t{i}" for i in range(len(types)))
    params = {f"t{i}": t for i, t in enumerate(sorted(types))}
    approved = session.execute(
        text(
            'SELECT d."id", d."number", d."till", d."approved_at", d."doc_type", d."year", '
            'd."sequence", (SELECT COUNT(*) FROM fiscal_chain c WHERE c."document_id" = d."id" '
            "AND c.\"kind\" = 'document') FROM documents d "
            f'WHERE d."status" = \'approved\' AND d."doc_type" IN ({placeholders})'
        ),
        params,
    ).all()
    present: dict[tuple[str, str, int], set[int]] = {}
    for document_id, number, till, approved_at, doc_type, year, sequence, links in approved:
        present.setdefault((str(doc_type), str(till), int(year or 0)), set()).add(
            int(sequence or 0)
        )
        if links == 0 and till in first_links and _not_before(approved_at, first_links[till]):
            report.problems.append(
                ChainProblem(
                    str(till),
                    None,
                    str(number or document_id),
                    f"document {number or document_id} is approved but not in the fiscal chain",
                )
            )
    series = session.execute(
        text(
            'SELECT "doc_type", "till", "year", "last" FROM numbering '
            f'WHERE "doc_type" IN ({placeholders})'
        ),
        params,
    ).all()
    for doc_type, till, year, last in series:
        if str(till) not in first_links:
            continue
        found = present.get((str(doc_type), str(till), int(year)), set())
        for number in range(1, int(last) + 1):
            if number not in found:
                name = f"{DocumentType(str(doc_type)).prefix}/{till}/{year}/{number:06d}"
                report.problems.append(
                    ChainProblem(
                        str(till),
                        None,
                        name,
                        f"{doc_type} {name} is missing from its number series: it was deleted",
                    )
                )


def _not_before(moment: Any, start: Any) -> bool:
    if start is None:
        return True
    try:
        return bool(canonical_value(moment) >= canonical_value(start))
    except TypeError:  # a tampered value: it cannot be placed, so it must be checked
        return True
