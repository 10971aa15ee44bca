"""Money in the fiscal chain: payments, cash and safe movements, voucher and gift-card
movements, and the figures reports are made of.

A transaction that writes such rows on a till that keeps a chain ends with a `money`
link (cassa.engine.fiscal._ledger) whose `rows` column lists their keys, table by table
(JSON: `{"since": …, "tables": {"payments": [["<id>"], …], …}}`); its hash covers
those rows as stored, in the canonical form of the documents' links. `since` is null
when the chain took money from its first transaction; a chain that began before money
entered it names the moment from which every row of its till must be linked.

`verify` reads them back (`money_record`), names a row of a chained till that no link
stands for (`unlinked_rows`), and checks the figures against the documents
(`figure_problems`): a document's payments add up to its total, its summary figures are
its own, a voucher's balance is the sum of its movements.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from cassa.engine.fiscal._canonical import MissingRow, canonical_value, order_key, rows_of

__all__ = [
    "MONEY_TABLES",
    "MoneyTable",
    "figure_problems",
    "money_record",
    "rows_text",
    "unlinked_rows",
]


@dataclass(frozen=True)
class MoneyTable:
    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]  # hashed, as stored
    till: str = "t.till"  # SQL over `t`: the till whose chain takes the row
    moment: str = "t.at"  # SQL over `t`: when the row was written
    what: str = ""  # how messages name a row
    required: str = "1 = 1"  # SQL over `t`: the rows a money link must stand for

    @property
    def label(self) -> str:
        return self.what or self.name.replace("_", " ")


_DOCUMENT_TILL = "(SELECT d.till FROM documents d WHERE d.id = t.document_id)"
_DOCUMENT_MOMENT = "(SELECT d.approved_at FROM documents d WHERE d.id = t.document_id)"

MONEY_TABLES = (
    MoneyTable(
        "payments",
        ("id",),
        (
            "id",
            "document_id",
            "position",
            "kind",
            "tender",
            "tender_type",
            "currency",
            "amount",
            "rate",
            "amount_system",
            "reference",
            "detail",
            "store",
            "till",
            "day_id",
            "shift_id",
            "business_date",
            "at",
            "operator",
        ),
        what="payment",
    ),
    MoneyTable(
        "cash_movements",
        ("id",),
        (
            "id",
            "store",
            "till",
            "day_id",
            "shift_id",
            "business_date",
            "at",
            "operator",
            "direction",
            "reason",
            "tender",
            "tender_type",
            "currency",
            "amount",
            "amount_system",
            "document_id",
            "payment_id",
            "reference",
            "payer_kind",
            "payer",
            "description",
        ),
        what="cash movement",
    ),
    MoneyTable(
        "cash_counts",
        ("id",),
        (
            "id",
            "day_id",
            "shift_id",
            "stage",
            "tender",
            "currency",
            "expected",
            "counted",
            "difference",
            "withdrawal",
            "denominations",
            "at",
            "operator",
        ),
        till="COALESCE((SELECT d.till FROM till_days d WHERE d.id = t.day_id), "
        "(SELECT COALESCE(s.closed_till, s.opened_till) FROM shifts s WHERE s.id = t.shift_id))",
        what="cash count",
    ),
    MoneyTable(
        "safe_movements",
        ("id",),
        (
            "id",
            "number",
            "store",
            "direction",
            "source",
            "tender",
            "tender_type",
            "currency",
            "amount",
            "amount_system",
            "at",
            "business_date",
            "operator",
            "payer_kind",
            "payer",
            "description",
            "till",
            "cash_document_id",
        ),
        what="safe movement",
    ),
    MoneyTable(
        "stored_value_events",
        ("id",),
        ("id", "number", "at", "event", "amount", "document_id", "payment_id", "till", "operator"),
        what="voucher movement",
    ),
    MoneyTable(
        "sale_stats",
        ("document_id",),
        (
            "document_id",
            "store",
            "till",
            "doc_type",
            "day_id",
            "shift_id",
            "business_date",
            "total",
            "regular_total",
            "discount_total",
            "lines",
            "returned_lines",
            "pieces",
            "returned_pieces",
            "vouchers",
            "vouchers_value",
            "loyalty_card",
            "paid",
        ),
        moment=_DOCUMENT_MOMENT,
        what="sale figure",
    ),
    MoneyTable(
        "sale_group_stats",
        ("document_id", "item_group"),
        ("document_id", "item_group", "store", "till", "day_id", "business_date", "gross"),
        moment=_DOCUMENT_MOMENT,
        what="sale figure by group",
    ),
    MoneyTable(
        "fiscal_reports",
        ("id",),
        (
            "id",
            "store",
            "till",
            "kind",
            "z_number",
            "at",
            "date_from",
            "date_to",
            "device_totals",
            "document_totals",
            "agrees",
            "operator",
        ),
        what="fiscal report",
    ),
    MoneyTable(
        "coupon_redemptions",
        ("code", "document_id"),
        ("code", "document_id", "redeemed_at"),
        till=_DOCUMENT_TILL,
        moment="t.redeemed_at",
        what="coupon redemption",
    ),
)
# What a document's link hashes (cassa.engine.fiscal._chain), as a cash document's too.
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
VAT_COLUMNS = ("document_id", "vat_code", "percent", "net", "vat", "gross")

# A document of a type the pack does not chain (a cash in or cash out document) that money
# moved for enters the money link with its lines and VAT summary.
_UNCHAINED = (
    "NOT EXISTS (SELECT 1 FROM fiscal_chain c WHERE c.document_id = {id} "
    "AND c.kind = 'document') AND (EXISTS (SELECT 1 FROM cash_movements m WHERE "
    "m.document_id = {id}) OR EXISTS (SELECT 1 FROM payments p WHERE p.document_id = {id}) "
    "OR EXISTS (SELECT 1 FROM safe_movements s WHERE s.cash_document_id = {id}))"
)
_APPROVED = "(SELECT d.status FROM documents d WHERE d.id = t.document_id) = 'approved' AND "
DOCUMENT_TABLES = (
    MoneyTable(
        "documents",
        ("id",),
        DOCUMENT_COLUMNS,
        moment="t.approved_at",
        what="cash document",
        required="t.status = 'approved' AND " + _UNCHAINED.format(id="t.id"),
    ),
    MoneyTable(
        "document_lines",
        ("id",),
        LINE_COLUMNS,
        till=_DOCUMENT_TILL,
        moment=_DOCUMENT_MOMENT,
        what="cash document line",
        required=_APPROVED + _UNCHAINED.format(id="t.document_id"),
    ),
    MoneyTable(
        "document_vat",
        ("document_id", "vat_code"),
        VAT_COLUMNS,
        till=_DOCUMENT_TILL,
        moment=_DOCUMENT_MOMENT,
        what="cash document VAT",
        required=_APPROVED + _UNCHAINED.format(id="t.document_id"),
    ),
)
BY_NAME = {table.name: table for table in (*MONEY_TABLES, *DOCUMENT_TABLES)}
ALL_TABLES = (*MONEY_TABLES, *DOCUMENT_TABLES)


def rows_text(since: str | None, keys: Mapping[str, Sequence[Sequence[Any]]]) -> str:
    """The `rows` column of a money link."""
    tables = {name: [list(key) for key in keys[name]] for name in BY_NAME if keys.get(name)}
    return json.dumps(
        {"since": since, "tables": tables}, sort_keys=True, separators=(",", ":"), default=str
    )


def parsed_rows(rows: Any) -> tuple[str | None, dict[str, list[tuple[Any, ...]]]]:
    """(since, table -> keys) of a `rows` column; MissingRow when it is not one."""
    try:
        found = json.loads(rows)
        since = found["since"]
        tables = {str(name): [tuple(key) for key in keys] for name, keys in found["tables"].items()}
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise MissingRow("its list of rows cannot be read") from error
    if since is not None and not isinstance(since, str):
        raise MissingRow("its list of rows cannot be read")
    unknown = set(tables) - set(BY_NAME)
    if unknown:
        raise MissingRow(f"it names tables that hold no money: {', '.join(sorted(unknown))}")
    return since, tables


def _batches(keys: Sequence[tuple[Any, ...]], size: int = 200) -> Iterator[Sequence[Any]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _where(table: MoneyTable, keys: Sequence[tuple[Any, ...]]) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    alternatives = []
    for index, key in enumerate(keys):
        if len(key) != len(table.key):
            raise MissingRow(f"a key of its {table.label} rows has the wrong shape")
        parts = []
        for column, value in zip(table.key, key, strict=True):
            params[f"k{index}_{column}"] = value
            parts.append(f'"{column}" = :k{index}_{column}')
        alternatives.append("(" + " AND ".join(parts) + ")")
    return " OR ".join(alternatives), params


# table -> key -> the row as stored (canonical), read once for a whole chain
Prefetched = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def prefetch(session: Session, listed: Sequence[Any]) -> Prefetched:
    """Every row the money links' `listed` rows columns name, one query per table (and
    batch) rather than per link; what cannot be read is left to `money_record`."""
    wanted: dict[str, set[tuple[Any, ...]]] = {}
    for rows in listed:
        try:
            _, tables = parsed_rows(rows)
        except MissingRow:
            continue
        for name, keys in tables.items():
            shaped = [key for key in keys if len(key) == len(BY_NAME[name].key)]
            try:
                wanted.setdefault(name, set()).update(shaped)
            except TypeError:  # a tampered key that is not a value
                continue
    found: Prefetched = {}
    for table in ALL_TABLES:
        keys = sorted(wanted.get(table.name, ()), key=repr)
        index = found.setdefault(table.name, {})
        for batch in _batches(keys):
            where, params = _where(table, batch)
            for row in rows_of(session, table.columns, table.name, where, **params):
                index[tuple(row[column] for column in table.key)] = row
    return found


def money_record(
    session: Session, rows: Any, prefetched: Prefetched | None = None
) -> dict[str, Any]:
    """What a money link stands for: its rows list and the rows as stored, table by table."""
    _, tables = parsed_rows(rows)
    record: dict[str, list[dict[str, Any]]] = {}
    for table in ALL_TABLES:
        keys = tables.get(table.name)
        if not keys:
            continue
        found: list[dict[str, Any]] = []
        if prefetched is not None:
            try:
                index = prefetched[table.name]
                found = [index[key] for key in set(keys) if key in index]
            except TypeError as error:
                raise MissingRow("its list of rows cannot be read") from error
        else:
            for batch in _batches(keys):
                where, params = _where(table, batch)
                found.extend(rows_of(session, table.columns, table.name, where, **params))
        if len(found) != len(set(keys)):
            missing = len(set(keys)) - len(found)
            raise MissingRow(f"{missing} of its {len(keys)} {table.label} rows are missing")
        record[table.name] = sorted(
            found, key=lambda row: [order_key(row[column]) for column in table.key]
        )
    return {"money": record}


# -- verifying --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unlinked:
    till: str
    table: MoneyTable
    key: tuple[Any, ...]

    def __str__(self) -> str:
        return (
            f"{self.table.label} {'/'.join(str(k) for k in self.key)} is not in the fiscal chain: "
            "it was written outside the till"
        )


def unlinked_rows(session: Session) -> list[Unlinked]:
    """Money rows of a till whose chain takes money that no money link stands for."""
    covered: dict[str, set[tuple[Any, ...]]] = {}
    sinces: dict[str, str | None] = {}
    links = session.execute(
        text('SELECT "chain", "sequence", "rows" FROM fiscal_chain WHERE "kind" = \'money\'')
    ).all()
    for chain, _, rows in sorted(links, key=lambda r: (str(r[0]), order_key(r[1]))):
        try:
            since, tables = parsed_rows(rows)
        except MissingRow:
            since, tables = None, {}  # named by the walk; the strictest start here
        sinces.setdefault(str(chain), since)
        for name, keys in tables.items():
            covered.setdefault(name, set()).update(
                tuple(canonical_value(v) for v in key) for key in keys
            )
    if not sinces:
        return []
    values = list(sinces.values())
    earliest = None if None in values else min(s for s in values if s is not None)
    found = []
    for table in ALL_TABLES:
        columns = ", ".join(f't."{c}"' for c in table.key)
        rows = session.execute(
            text(
                f"SELECT {columns}, {table.till}, {table.moment} FROM {table.name} t "
                f"WHERE {table.required}"
            )
        ).all()
        linked = covered.get(table.name, set())
        for row in rows:
            key = tuple(canonical_value(v) for v in row[: len(table.key)])
            if key in linked:
                continue
            till, moment = row[len(table.key)], row[len(table.key) + 1]
            if till is None:
                since = earliest
            elif str(till) in sinces:
                since = sinces[str(till)]
            else:
                continue  # a till that keeps no chain
            if since is not None and moment is not None and str(canonical_value(moment)) < since:
                continue  # written before money entered the chain
            found.append(Unlinked(str(till or ""), table, key))
    return found


def figure_problems(session: Session) -> list[tuple[str, str | None, str]]:
    """(till, document number, message) where the money and the figures of a chained
    document disagree with the document, and a voucher's balance with its movements."""
    problems: list[tuple[str, str | None, str]] = []
    chained = (
        "FROM documents d WHERE d.status = 'approved' AND EXISTS (SELECT 1 FROM fiscal_chain c "
        "WHERE c.document_id = d.id AND c.kind = 'document')"
    )
    # A document approved with it that has no payments of its own (the correction of what
    # a sale bought back) is settled by its payments too.
    payments = session.execute(
        text(
            "SELECT d.till, d.number, d.total + COALESCE((SELECT SUM(o.total) FROM documents o "
            "WHERE o.origin_id = d.id AND o.approved_at = d.approved_at AND NOT EXISTS "
            "(SELECT 1 FROM payments q WHERE q.document_id = o.id)), 0), "
            "(SELECT SUM(p.amount_system) FROM payments p WHERE p.document_id = d.id) "
            f"{chained} AND EXISTS (SELECT 1 FROM payments p WHERE p.document_id = d.id)"
        )
    ).all()
    for till, number, total, paid in payments:
        if paid != total:
            problems.append(
                (
                    str(till),
                    str(number),
                    f"the payments of {number} add up to {_amount(paid)}, "
                    f"not to what it settles ({_amount(total)})",
                )
            )
    stats = session.execute(
        text(
            "SELECT d.till, d.number, d.total, s.total, s.till, s.doc_type FROM sale_stats s "
            "JOIN documents d ON d.id = s.document_id WHERE EXISTS (SELECT 1 FROM fiscal_chain c "
            "WHERE c.document_id = d.id AND c.kind = 'document')"
        )
    ).all()
    for till, number, total, figure, figure_till, _ in stats:
        if (figure, figure_till) != (total, till):
            problems.append(
                (
                    str(till),
                    str(number),
                    f"the sales figures of {number} ({_amount(figure)}, till {figure_till}) "
                    f"are not its own ({_amount(total)}, till {till})",
                )
            )
    balances = session.execute(
        text(
            "SELECT v.number, v.balance, (SELECT SUM(e.amount) FROM stored_value_events e "
            "WHERE e.number = v.number), (SELECT MAX(e.till) FROM stored_value_events e "
            "WHERE e.number = v.number) FROM stored_values v WHERE EXISTS "
            "(SELECT 1 FROM stored_value_events e WHERE e.number = v.number)"
        )
    ).all()
    for number, balance, moved, till in balances:
        if balance != moved:
            problems.append(
                (
                    str(till or ""),
                    None,
                    f"voucher {number} holds {_amount(balance)}, but its movements add up to "
                    f"{_amount(moved)}",
                )
            )
    return problems


def _amount(value: Any) -> str:
    """A stored amount (millionths) as a plain decimal, for messages."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)  # PostgreSQL's SUM of a bigint
    if isinstance(value, int):
        return format((Decimal(value) / 1_000_000).normalize(), "f")
    return str(value)
