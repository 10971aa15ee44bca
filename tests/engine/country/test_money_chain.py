"""Everything money touches enters the till's signed chain, in the transaction that
writes it: payments, cash movements and counts, safe and voucher movements, coupon
redemptions, the sales figures reports add up. `verify` reads them back, names a
money row no link stands for, and checks the figures against the documents."""

from __future__ import annotations

import json
from pathlib import Path

from money_day import money_day, money_store, open_money_till, pay_cash
from sqlalchemy import inspect, text
from tamper_support import rechain, unguarded

from cassa.engine.fiscal import MemorySigner, verify_chains
from cassa.engine.fiscal._money import MONEY_TABLES
from cassa.engine.storage.db import Database


def chain(database: Database) -> list[tuple[str, dict[str, list[list[object]]]]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text('SELECT "kind", "rows" FROM fiscal_chain ORDER BY "sequence"')
        ).all()
    return [(kind, json.loads(listed)["tables"] if listed else {}) for kind, listed in rows]


def problems(database: Database, **options: object) -> list[str]:
    return [p.message for p in verify_chains(database, **options).problems]  # type: ignore[arg-type]


def test_a_paid_sale_enters_the_chain_with_its_payment_cash_and_figures(
    database: Database, tmp_path: Path
) -> None:
    till = open_money_till(database, money_store(tmp_path))
    till.open_day("100.00")
    till.scan("CHOC-MILK", 2)
    pay_cash(till, "10")
    (opening, opening_rows), (document, _), (money, rows) = chain(database)
    assert (opening, document, money) == ("money", "document", "money")
    assert set(opening_rows) == {"cash_counts"}
    assert set(rows) == {"payments", "cash_movements", "sale_stats", "sale_group_stats"}
    assert len(rows["payments"]) == 2  # the cash given and the change
    assert verify_chains(database).ok


def test_every_column_of_a_money_table_is_hashed(database: Database) -> None:
    """A column added to a money table must be added to what the chain hashes (or left
    out on purpose, with the records of rows already chained in mind)."""
    with database.engine.connect() as connection:
        inspector = inspect(connection)
        for table in MONEY_TABLES:
            columns = [c["name"] for c in inspector.get_columns(table.name)]
            assert sorted(columns) == sorted(table.columns), table.name


def test_a_payment_changed_in_the_database_is_named(
    database: Database, owner_database: Database, tmp_path: Path
) -> None:
    money_day(open_money_till(database, money_store(tmp_path)))
    with unguarded(owner_database) as connection:
        connection.execute(
            text(
                "UPDATE payments SET amount = amount - 1000000 WHERE id = "
                "(SELECT MIN(id) FROM payments WHERE kind = 'payment')"
            )
        )
    assert any("money" in m and "it was changed" in m for m in problems(database)), problems(
        database
    )


def test_a_cash_movement_written_outside_the_till_is_named(
    database: Database, owner_database: Database, tmp_path: Path
) -> None:
    money_day(open_money_till(database, money_store(tmp_path)))
    with owner_database.engine.begin() as connection:  # a Core insert: no money link
        connection.execute(
            text(
                "INSERT INTO cash_movements (id, store, till, day_id, shift_id, business_date, "
                "at, operator, direction, reason, tender, tender_type, currency, amount, "
                "amount_system, document_id, payment_id, reference, payer_kind, payer, "
                "description) SELECT 'forged', store, till, day_id, shift_id, business_date, at, "
                "operator, 'out', reason, tender, tender_type, currency, amount, amount_system, "
                "NULL, NULL, NULL, payer_kind, payer, 'forged' FROM cash_movements "
                "WHERE reason = 'manual' AND direction = 'out'"
            )
        )
    assert problems(database) == [
        "cash movement forged is not in the fiscal chain: it was written outside the till"
    ]


def test_payments_that_no_longer_add_up_are_named_though_the_chain_was_recomputed(
    database: Database, owner_database: Database, tmp_path: Path
) -> None:
    money_day(open_money_till(database, money_store(tmp_path)))
    with unguarded(owner_database) as connection:
        connection.execute(
            text(
                "UPDATE payments SET amount = amount - 1000000, amount_system = amount_system "
                "- 1000000 WHERE id = (SELECT MIN(p.id) FROM payments p JOIN documents d ON "
                "d.id = p.document_id WHERE d.number = 'S/T01/2026/000002' AND p.kind = 'payment')"
            )
        )
        rechain(connection, "T01", signer=MemorySigner())
    # the chain holds (recomputed and signed again), the figures do not
    assert problems(database) == [
        "the payments of S/T01/2026/000002 add up to 22.65, not to what it settles (23.65)"
    ]


def test_a_voucher_balance_changed_without_a_movement_is_named(
    database: Database, tmp_path: Path
) -> None:
    money_day(open_money_till(database, money_store(tmp_path)))
    with database.engine.begin() as connection:  # the till's own role may update balances
        connection.execute(
            text(
                "UPDATE stored_values SET balance = balance + 50000000 WHERE number = 'GC00000005'"
            )
        )
    assert problems(database) == ["voucher GC00000005 holds 70, but its movements add up to 20"]
