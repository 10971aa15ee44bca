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

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cassa.engine.documents import DocumentType
from cassa.engine.fiscal._canonical import (
    MissingRow,
    canonical_bytes,
    canonical_value,
    chain_hash,
    order_key,
    rows_of,
)
from cassa.engine.fiscal._money import (
    DOCUMENT_COLUMNS,
    LINE_COLUMNS,
    MONEY_TABLES,
    VAT_COLUMNS,
    Prefetched,
    figure_problems,
    money_record,
    prefetch,
    unlinked_rows,
)
from cassa.engine.fiscal._signing import Signer, key_id, signature_valid, signed_message
from cassa.engine.storage.db import Database
from cassa.engine.storage.guards import missing_guards
from cassa.engine.storage.models import NumberingRow

__all__ = [
    "CHAIN_SERIES",
    "GENESIS",
    "HASHED",
    "Anchor",
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

# Hashed when set (a return's), so the records of other documents stay as they were.
ORIGIN_COLUMNS = ("origin_id", "origin_number")
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
# Hashed when set (closings made since the chain is signed).
PERPETUAL_COLUMNS = ("perpetual_total", "perpetual_absolute")
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
    "fiscal_closings": (*CLOSING_COLUMNS, *PERPETUAL_COLUMNS),
    "fiscal_chain": (*LINK_COLUMNS, "hash", "signature", "public_key", "start", "rows"),
    **{table.name: table.columns for table in MONEY_TABLES},
}
SIGNED_COLUMNS = ("signature", "public_key", "start")
APPENDED = "cassa.fiscal_links"  # session.info: links appended per chain in this transaction
LINKED = "cassa.linked_documents"  # session.info: documents linked in this transaction


def link_record(
    session: Session, link: Mapping[str, Any], prefetched: Prefetched | None = None
) -> dict[str, Any]:
    """The canonical record of a link (its LINK_COLUMNS, canonical) and what it stands for."""
    record: dict[str, Any] = {"link": {c: link[c] for c in LINK_COLUMNS}}
    if link.get("start") is not None:  # the first link's: hashed when set
        record["start"] = link["start"]
    if link.get("rows") is not None:  # a money link's: hashed when set
        record["rows"] = link["rows"]
    kind = link["kind"]
    if kind == "document":
        record.update(document_record(session, str(link["document_id"])))
    elif kind == "duplicate":
        rows = rows_of(
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
        columns = (*CLOSING_COLUMNS, *PERPETUAL_COLUMNS)
        rows = rows_of(session, columns, "fiscal_closings", '"id" = :id', id=link["closing_id"])
        if len(rows) != 1:
            raise MissingRow(f"closing {link['closing_id']} is missing")
        record["closing"] = {
            name: value
            for name, value in rows[0].items()
            if name in CLOSING_COLUMNS or value is not None
        }
    elif kind == "money":
        record.update(money_record(session, link.get("rows"), prefetched))
    else:
        raise MissingRow(f"unknown kind of link {kind!r}")
    return record


def document_record(session: Session, document_id: str) -> dict[str, Any]:
    documents = rows_of(session, DOCUMENT_COLUMNS, "documents", '"id" = :id', id=document_id)
    if len(documents) != 1:
        raise MissingRow(f"document {document_id} is missing")
    lines = rows_of(session, LINE_COLUMNS, "document_lines", '"document_id" = :id', id=document_id)
    _with_origin(session, documents[0], lines, document_id)
    vat = rows_of(session, VAT_COLUMNS, "document_vat", '"document_id" = :id', id=document_id)
    return {
        "document": documents[0],
        "lines": sorted(lines, key=lambda r: (order_key(r["position"]), order_key(r["id"]))),
        "vat": sorted(vat, key=lambda r: order_key(r["vat_code"])),
    }


def _with_origin(
    session: Session, document: dict[str, Any], lines: list[dict[str, Any]], document_id: str
) -> None:
    """A return's origin (document and lines) joins its record; a document without one
    keeps the record, and so the hash, it always had."""
    found = rows_of(session, ORIGIN_COLUMNS, "documents", '"id" = :id', id=document_id)
    if found and any(value is not None for value in found[0].values()):
        document.update(found[0])
    origins = {
        row["id"]: row["origin_line"]
        for row in rows_of(
            session, ("id", "origin_line"), "document_lines", '"document_id" = :id', id=document_id
        )
    }
    for line in lines:
        origin = origins.get(line["id"])
        if origin is not None:
            line["origin_line"] = origin


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
    signer: Signer | None = None,
    chained_types: Collection[str] = (),
    rows: str | None = None,
) -> Link:
    """Add the next link of `chain` in the caller's transaction.

    `stands_for` is the canonical record of what the link signs (its `document`,
    `lines` and `vat`, or `print`, or `closing`); by default it is read back
    from the database, exactly as `verify` will read it. `signer` signs the link;
    the first link records where the `chained_types` number series stood; `rows`
    lists the rows a money link stands for (cassa.engine.fiscal._money).
    """
    session.flush()
    sequence = _next_sequence(session, chain)
    start = _start(session, chain, chained_types, document_id) if sequence == 1 else None
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
        record = link_record(session, {**link, "start": start, "rows": rows})
    else:
        record.update(stands_for)
        if start is not None:
            record["start"] = start
    digest = chain_hash(previous, record)
    signature = public_key = None
    if signer is not None:
        public_key = signer.public_key
        signature = signer.sign(signed_message(chain, sequence, digest, public_key)).hex()
    stored = {
        **values,
        "at": _stored_moment(session, at),
        "hash": digest,
        "signature": signature,
        "public_key": public_key,
        "start": start,
        "rows": rows,
    }
    appended = session.info.setdefault(APPENDED, {})
    appended[chain] = appended.get(chain, 0) + 1
    if kind == "document":
        session.info.setdefault(LINKED, set()).add(document_id)
    columns = ", ".join(f'"{name}"' for name in stored)
    session.execute(
        text(f"INSERT INTO fiscal_chain ({columns}) VALUES ({', '.join(':' + n for n in stored)})"),
        stored,
    )
    return Link(
        chain, sequence, kind, digest, previous, document_id, document_number, duplicate_number
    )


def _start(
    session: Session, chain: str, types: Collection[str], document_id: str | None
) -> str | None:
    """Where the chained number series of a till stood when its chain began (JSON)."""
    if not types:
        return None
    placeholders = ", ".join(f":t{i}" for i in range(len(types)))
    params: dict[str, Any] = {f"t{i}": t for i, t in enumerate(sorted(types))}
    series = {
        f"{doc_type}/{year}": int(last)
        for doc_type, year, last in session.execute(
            text(
                'SELECT "doc_type", "year", "last" FROM numbering WHERE "till" = :c '
                f'AND "doc_type" IN ({placeholders})'
            ),
            {**params, "c": chain},
        ).all()
    }
    if document_id is not None:  # the document the chain begins with is not before it
        row = session.execute(
            text('SELECT "doc_type", "year", "sequence" FROM documents WHERE "id" = :id'),
            {"id": document_id},
        ).first()
        if row is not None and f"{row[0]}/{row[1]}" in series:
            series[f"{row[0]}/{row[1]}"] = int(row[2]) - 1
    return json.dumps(series, sort_keys=True, separators=(",", ":"))


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


@dataclass(frozen=True)
class Anchor:
    """A closing kept off the till (`cassa audit export`): where a chain stood, signed."""

    chain: str
    sequence: int
    hash: str
    public_key: str
    signature: str

    @property
    def authentic(self) -> bool:
        message = signed_message(self.chain, self.sequence, self.hash, self.public_key)
        return signature_valid(self.public_key, message, self.signature)


def verify_chains(
    database: Database | Connection,
    *,
    document_types: Collection[str] | None = None,
    signed_kinds: Collection[str] = (),
    anchors: Sequence[Anchor] = (),
) -> VerifyReport:
    """Walk every till's chain from its first link; see the module's docstring.

    `database`: a database, or a connection whose open transaction is checked as it
    stands (what it read is rolled back to a savepoint of its own, never committed).
    `document_types`: the chained types whose approved documents must all have a
    link and a gapless number series (default: the types found in the chains).
    `signed_kinds`: the kinds of link that must carry the till's signature (the
    pack's). `anchors`: exported closings the chains must still contain, signed
    with the keys they name.
    """
    report = VerifyReport()
    if isinstance(database, Connection):
        guards = missing_guards(database)
        with Session(bind=database, join_transaction_mode="create_savepoint") as session:
            _verify(session, guards, report, document_types, signed_kinds, anchors)
        return report
    with database.engine.connect() as connection:
        guards = missing_guards(connection)
    with database.session() as session:
        _verify(session, guards, report, document_types, signed_kinds, anchors)
    return report


def _verify(
    session: Session,
    guards: list[str],
    report: VerifyReport,
    document_types: Collection[str] | None,
    signed_kinds: Collection[str],
    anchors: Sequence[Anchor],
) -> None:
    for problem in guards:
        report.problems.append(ChainProblem("", None, None, problem))
    chains = {
        str(c)
        for (c,) in session.execute(
            text(
                'SELECT DISTINCT "chain" FROM fiscal_chain UNION '
                'SELECT DISTINCT "till" FROM numbering WHERE "doc_type" = :series'
            ),
            {"series": CHAIN_SERIES},
        ).all()
    }
    chains |= {anchor.chain for anchor in anchors}
    linked_types: set[str] = set()
    for chain in sorted(chains):
        walk = _ChainWalk(session, chain, report, set(signed_kinds))
        its_anchors = [a for a in anchors if a.chain == chain]
        ran = _unreadable_is_named(report, chain, partial(walk.run, its_anchors))
        linked_types |= ran or set()
    types = set(document_types) if document_types is not None else linked_types
    checks: list[Callable[[], object]] = [
        lambda: _verify_duplicates(session, report),
        lambda: _verify_closings_linked(session, report),
        lambda: _verify_closing_periods(session, report),
        lambda: report.problems.extend(
            ChainProblem(unlinked.till, None, None, str(unlinked))
            for unlinked in unlinked_rows(session)
        ),
        lambda: report.problems.extend(
            ChainProblem(till, None, number, message)
            for till, number, message in figure_problems(session)
        ),
    ]
    if types:
        checks.insert(0, lambda: _verify_documents(session, types, report))
    for check in checks:
        _unreadable_is_named(report, "", check)


_T = TypeVar("_T")


def _unreadable_is_named(report: VerifyReport, chain: str, check: Callable[[], _T]) -> _T | None:
    """Run one part of the verification; a stored value it cannot even read (bytes where
    the till wrote text, text where it wrote a number) was not written by the till: it is
    named as tampering, and the other parts still run."""
    try:
        return check()
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as error:
        report.problems.append(
            ChainProblem(
                chain,
                None,
                None,
                f"a stored value cannot be read as the till writes it ({error}): "
                "changed outside the till",
            )
        )
        return None


def _valued(document: Mapping[str, Any]) -> bool:
    """Whether a document's total counts in the closings (an invoice of a receipt does not)."""
    origin = document.get("origin_number")
    return not (
        document.get("doc_type") == DocumentType.INVOICE.value
        and isinstance(origin, str)
        and origin.startswith(f"{DocumentType.RECEIPT.prefix}/")
    )


class _ChainWalk:
    """One till's chain, link by link: hashes, order, signatures, the figures of closings."""

    def __init__(
        self, session: Session, chain: str, report: VerifyReport, signed_kinds: set[str]
    ) -> None:
        self.session, self.chain, self.report = session, chain, report
        self.signed_kinds = signed_kinds
        self.keys: set[str] = set()

    def fail(self, message: str, at: int | None, name: Any = None) -> None:
        self.report.problems.append(
            ChainProblem(self.chain, at, None if name is None else str(name), message)
        )

    def run(self, anchors: list[Anchor]) -> set[str]:
        columns = (*LINK_COLUMNS, "hash", *SIGNED_COLUMNS, "rows")
        try:
            links = rows_of(self.session, columns, "fiscal_chain", '"chain" = :c', c=self.chain)
        except DBAPIError as error:
            self.fail(f"the chain cannot be read: {error}", None)
            return set()
        links.sort(key=lambda r: (str(type(r["sequence"])), r["sequence"]))
        prefetched: Prefetched | None
        try:
            prefetched = prefetch(self.session, [r["rows"] for r in links if r["kind"] == "money"])
        except DBAPIError:  # a tampered key PostgreSQL cannot compare: read link by link
            self.session.rollback()
            prefetched = None
        self.report.chains[self.chain] = len(links)
        for anchor in anchors:
            if not anchor.authentic:
                self.fail(
                    f"the exported closing (link {anchor.sequence}) is not signed by the key it "
                    "names: the file was changed",
                    anchor.sequence,
                )
            self.keys.add(anchor.public_key)
        types: set[str] = set()
        expected_previous, expected_sequence = GENESIS, 1
        signed_before = False
        day = [0, 0]  # documents and their valued total since the last day closing
        perpetual = [0, 0]  # the valued total of every document so far, and of absolutes
        for link in links:
            label = link["document_number"] or link["document_id"] or f"#{link['closing_id']}"
            sequence = link["sequence"] if isinstance(link["sequence"], int) else None
            named = link["document_number"] or link["document_id"]
            what = f"{link['kind']} {label}"
            if link["sequence"] != expected_sequence:
                self.fail(
                    f"link {expected_sequence} is missing or out of order (found link "
                    f"{link['sequence']} in its place, {what})",
                    expected_sequence,
                )
            if link["previous_hash"] != expected_previous:
                self.fail(
                    f"{what} does not follow the link before it (previous hash differs)",
                    sequence,
                    named,
                )
            if sequence == 1 and link["start"] is None and link["signature"] is not None:
                self.fail("the first link does not say where the number series stood", 1)
            try:
                record = link_record(self.session, link, prefetched)
            except MissingRow as missing:
                self.fail(f"{what}: {missing}", sequence, named)
                record = None
            except (DBAPIError, TypeError, ValueError) as error:
                self.session.rollback()  # a failed read ends the transaction on PostgreSQL
                self.fail(f"{what} cannot be read: {type(error).__name__}", sequence, named)
                record = None
            if record is not None:
                if link["kind"] == "document":
                    types.add(str(record["document"]["doc_type"]))
                    self._count(record["document"], day, perpetual)
                if chain_hash(str(link["previous_hash"]), record) != link["hash"]:
                    self.fail(
                        f"{what} does not match its signature: it was changed", sequence, named
                    )
                if link["kind"] == "closing":
                    self._closing_figures(record["closing"], day, perpetual, what, sequence)
            signed_before = self._signature(link, what, sequence, signed_before)
            expected_previous = str(link["hash"])
            expected_sequence = (sequence or expected_sequence) + 1
        self._counter(expected_sequence - 1)
        by_sequence = {link["sequence"]: link for link in links}
        for anchor in anchors:
            found = by_sequence.get(anchor.sequence)
            if found is None:
                self.fail(
                    f"the exported closing is link {anchor.sequence} but the chain has "
                    f"{len(links)} links: links were removed",
                    anchor.sequence,
                )
            elif found["hash"] != anchor.hash:
                self.fail(
                    f"link {anchor.sequence} is not the exported closing any more: the chain "
                    "was rewritten up to it",
                    anchor.sequence,
                )
        return types

    def _count(self, document: Mapping[str, Any], day: list[int], perpetual: list[int]) -> None:
        total = document.get("total")
        day[0] += 1
        if isinstance(total, int) and _valued(document):
            day[1] += total
            perpetual[0] += total
            perpetual[1] += abs(total)

    def _closing_figures(
        self,
        closing: Mapping[str, Any],
        day: list[int],
        perpetual: list[int],
        what: str,
        sequence: int | None,
    ) -> None:
        """A day closing adds up the documents linked since the one before it; every
        closing's perpetual totals are those of every document linked before it."""
        if closing.get("period") == "day":
            if (closing.get("documents"), closing.get("total")) != (day[0], day[1]):
                self.fail(
                    f"{what} says {closing.get('documents')} documents for "
                    f"{_money(closing.get('total'))}, but the chain has {day[0]} for "
                    f"{_money(day[1])} since the closing before it",
                    sequence,
                )
            day[0] = day[1] = 0
        if "perpetual_total" in closing and (
            closing.get("perpetual_total"),
            closing.get("perpetual_absolute"),
        ) != tuple(perpetual):
            self.fail(
                f"{what}: its perpetual totals ({_money(closing.get('perpetual_total'))}, "
                f"{_money(closing.get('perpetual_absolute'))}) are not those of the chain "
                f"({_money(perpetual[0])}, {_money(perpetual[1])})",
                sequence,
            )

    def _signature(
        self, link: Mapping[str, Any], what: str, sequence: int | None, signed_before: bool
    ) -> bool:
        signature, key = link["signature"], link["public_key"]
        kind = link["kind"] if isinstance(link["kind"], str) else None  # bytes: tampered
        if signature is None:
            if kind is None or kind in self.signed_kinds or (signed_before and kind == "closing"):
                self.fail(f"{what} is not signed", sequence)
            elif key is not None:
                self.fail(f"{what} names a key but carries no signature", sequence)
            return signed_before
        if not isinstance(sequence, int) or not isinstance(key, str):
            self.fail(f"{what}: its signature cannot be checked", sequence)
            return True
        message = signed_message(self.chain, sequence, str(link["hash"]), key)
        if not signature_valid(key, message, str(signature)):
            self.fail(
                f"{what}: the signature is not the till's (the chain was recomputed without "
                "its key)",
                sequence,
            )
        elif self.keys and key not in self.keys:
            self.fail(
                f"{what} is signed with key {key_id(key)}, not the exported closing's "
                f"({', '.join(sorted(key_id(k) for k in self.keys))})",
                sequence,
            )
        return True

    def _counter(self, last: int) -> None:
        counted = self.session.execute(
            text(
                'SELECT "last" FROM numbering WHERE "doc_type" = :series AND "till" = :c '
                'AND "year" = 0'
            ),
            {"series": CHAIN_SERIES, "c": self.chain},
        ).scalar()
        if counted is None:
            if last:
                self.fail("the chain's link counter is missing", None)
        elif counted != last:
            self.fail(
                f"the chain ends at link {last} but {counted} links were made: "
                "the last links were deleted",
                last + 1,
            )


def _money(value: Any) -> str:
    """A stored amount (millionths) as a plain decimal, for messages."""
    if isinstance(value, int):
        return format((Decimal(value) / 1_000_000).normalize(), "f")
    return str(value)


def _verify_closing_periods(session: Session, report: VerifyReport) -> None:
    """A month or year closing adds up the closings of the period below it; every grand
    total continues the one before it."""
    rows = session.execute(
        text(
            'SELECT "till", "period", "label", "date_from", "date_to", "documents", "total", '
            '"grand_total" FROM fiscal_closings ORDER BY "till", "period", "date_from"'
        )
    ).all()
    by_period: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        by_period.setdefault((str(row[0]), str(row[1])), []).append(row)
    for (till, period), closings in by_period.items():
        grand = 0
        for row in closings:
            grand += int(row[6] or 0)
            if row[7] != grand:
                report.problems.append(
                    ChainProblem(
                        till,
                        None,
                        None,
                        f"the {period} closing {row[2]}: its grand total {_money(row[7])} does "
                        f"not continue the closings before it ({_money(grand)})",
                    )
                )
                grand = int(row[7] or 0)
            lower = {"month": "day", "year": "month"}.get(period)
            if lower is None:
                continue
            parts = [
                p
                for p in by_period.get((till, lower), [])
                if canonical_value(row[3]) <= canonical_value(p[3]) <= canonical_value(row[4])
            ]
            documents = sum(int(p[5] or 0) for p in parts)
            total = sum(int(p[6] or 0) for p in parts)
            if (row[5], row[6]) != (documents, total):
                report.problems.append(
                    ChainProblem(
                        till,
                        None,
                        None,
                        f"the {period} closing {row[2]} says {row[5]} documents for "
                        f"{_money(row[6])}, its {lower} closings {documents} for {_money(total)}",
                    )
                )


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


def _verify_closings_linked(session: Session, report: VerifyReport) -> None:
    """Every closing of a till is a closing link of its chain."""
    unlinked = session.execute(
        text(
            'SELECT f."till", f."label", f."period" FROM fiscal_closings f WHERE NOT EXISTS '
            '(SELECT 1 FROM fiscal_chain c WHERE c."closing_id" = f."id" AND c."kind" = '
            "'closing') ORDER BY f.\"id\""
        )
    ).all()
    for till, label, period in unlinked:
        report.problems.append(
            ChainProblem(
                str(till),
                None,
                None,
                f"the {period} closing {label} is not in the fiscal chain: it was written "
                "outside the till",
            )
        )


def _verify_documents(session: Session, types: set[str], report: VerifyReport) -> None:
    """Every approved document of a chained type has a link, unless its number was given
    before its till's chain began; every number of its series exists.

    A store keeps the chain once any of its documents is in one: then a document of
    a chained type on any of its tills, even one that keeps no chain, must be linked.
    """
    starts: dict[str, Any] = {}  # till -> its chain's start (a dict), or its first moment
    for chain, start, at in session.execute(
        text('SELECT "chain", "start", "at" FROM fiscal_chain WHERE "sequence" = 1')
    ).all():
        try:
            starts[str(chain)] = json.loads(start) if start is not None else at
        except ValueError:
            starts[str(chain)] = {}  # a tampered start admits nothing before the chain
    chains = {
        str(row[0]) for row in session.execute(text('SELECT DISTINCT "chain" FROM fiscal_chain'))
    }
    for chain in chains - set(starts):
        starts[chain] = {}  # the first link is gone: every document must be in the chain
    stores = {
        str(row[0])
        for row in session.execute(
            text(
                'SELECT DISTINCT d."store" FROM documents d JOIN fiscal_chain c '
                'ON c."document_id" = d."id" AND c."kind" = \'document\''
            )
        )
    }
    placeholders = ", ".join(f":t{i}" for i in range(len(types)))
    params = {f"t{i}": t for i, t in enumerate(sorted(types))}
    approved = session.execute(
        text(
            'SELECT d."id", d."number", d."till", d."approved_at", d."doc_type", d."year", '
            'd."sequence", d."store", (SELECT COUNT(*) FROM fiscal_chain c '
            'WHERE c."document_id" = d."id" AND c."kind" = \'document\') FROM documents d '
            f'WHERE d."status" = \'approved\' AND d."doc_type" IN ({placeholders})'
        ),
        params,
    ).all()
    present: dict[tuple[str, str, int], set[int]] = {}
    for document_id, number, till, approved_at, doc_type, year, sequence, store, links in approved:
        present.setdefault((str(doc_type), str(till), int(year or 0)), set()).add(
            int(sequence or 0)
        )
        if links:
            continue
        name = str(number or document_id)
        if str(till) not in starts:
            if str(store) in stores:
                report.problems.append(
                    ChainProblem(
                        str(till),
                        None,
                        name,
                        f"document {name} is approved on till {till}, which keeps no fiscal "
                        f"chain, in store {store}, whose tills do: it was not made by a till",
                    )
                )
            continue
        start = starts[str(till)]
        if isinstance(start, dict):
            before = isinstance(sequence, int) and sequence <= int(
                start.get(f"{doc_type}/{year}", 0)
            )
        else:  # a chain from before starts were recorded: its first moment
            before = not _not_before(approved_at, start)
        if not before:
            report.problems.append(
                ChainProblem(
                    str(till),
                    None,
                    name,
                    f"document {name} is approved but not in the fiscal chain",
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
        if str(till) not in starts:
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
