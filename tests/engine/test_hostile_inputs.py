"""Hostile input at the till's commands: a message, never a traceback, alike on every database.

Hypothesis writes sequences of till commands whose arguments are numbers past what
the storage keeps (1e13, 1e309, seven decimals), NaN and infinities, floats, lone
surrogates, NUL and other control characters, a megabyte of text, SQL and LIKE
wildcards, mixed with valid codes so that commands reach deep enough to store.
Every command either does its work or is refused with a message that reads in
every shipped language; after a refusal the document on screen is the one stored.
The same sequences run on SQLite and, when CASSA_TEST_DATABASE_URL is set, on
PostgreSQL, and must give the same answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from backends import POSTGRES_URL, database_on
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from staffing import ANNA

from cassa.engine import inputs
from cassa.engine.cash import Count
from cassa.engine.errors import CassaError
from cassa.engine.people import import_store_employees
from cassa.engine.storage.catalog import import_store
from cassa.engine.storefiles import StoreData
from cassa.engine.till import Till
from cassa.i18n import LANGUAGES, _

NOW = datetime(2026, 7, 5, 10, 30, tzinfo=UTC)
DEMO_STORE = Path(__file__).resolve().parents[2] / "examples" / "demo"
MEGABYTE = "<a megabyte of text>"  # written out when the command runs: its repr would be 1 MB

HOSTILE = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run and every machine
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the tills are reused on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

NUMBERS = st.one_of(
    st.sampled_from(["1", "2", "3", "1.50", "0.5", 5, Decimal("10.00")]),  # reach deeper
    st.sampled_from(
        [
            10**13,
            -(10**13),
            10**30,
            Decimal("1e13"),
            "1e309",
            "-1e309",
            "1E+400",
            "0.0000001",
            "1.1234567",
            "99999999999999",
            "9999999999.999999",
            "NaN",
            "-Infinity",
            "sNaN",
            Decimal("NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            float("nan"),
            float("inf"),
            1.5,
            True,
            None,
            "",
            " ",
            "abc",
            "1_000",
            "１２",
            "-0",
            "0",
            "1",
            "2",
            "-1",
            "12.50",
            "100",
            "1" * 1000,
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
)

TEXTS = st.one_of(
    st.sampled_from(["Riparazione", "Blu", "C0001", "Nota per il cliente", "GC00000001"]),
    st.sampled_from(
        [
            "\x00",
            "Quaderno\x00blu",
            "\ud800",
            "a\udfffb",
            MEGABYTE,
            "e\u0301",  # é written in two code points
            "\u202eevil",
            "line\nbreak",
            "tab\there",
            "\x7f",
            "\u2028",
            "",
            "   ",
            "%",
            "_",
            "\\",
            "' OR 1=1 --",
            "NOTEBOOK-A5",
            "8001234000011",
            "C0001",
            "Riparazione",
            "a" * 201,
            "a" * 65,
        ]
    ),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=80),
)

CODES = st.one_of(TEXTS, st.sampled_from(["NOTEBOOK-A5", "8001234000011", "C0001", "TILE-CER-01"]))
POSITIONS = st.integers(min_value=-1, max_value=4)


def _step(name: str, *args: st.SearchStrategy[Any], **kwargs: st.SearchStrategy[Any]) -> Any:
    return st.tuples(st.just(name), st.tuples(*args), st.fixed_dictionaries(kwargs))


STEPS = st.one_of(
    _step("scan", CODES, NUMBERS),
    _step("scan", CODES),
    _step("add_non_coded", TEXTS, NUMBERS, st.sampled_from(["22", "10", "99", "\x00"]), NUMBERS),
    _step("set_quantity", POSITIONS, NUMBERS),
    _step("set_line_name", POSITIONS, TEXTS),
    _step("set_line_note", POSITIONS, TEXTS),
    _step("set_list_price", POSITIONS, NUMBERS),
    _step("discount_line", POSITIONS, percent=NUMBERS),
    _step("discount_line", POSITIONS, amount=NUMBERS),
    _step("discount_line", POSITIONS, price=NUMBERS),
    _step("discount_document", percent=NUMBERS),
    _step("discount_document", amount=NUMBERS),
    _step("set_customer", CODES),
    _step("enter_coupon", CODES),
    _step("present_loyalty_card", CODES),
    _step("set_lot", POSITIONS, TEXTS),
    _step("set_handled_by", POSITIONS, TEXTS),
    _step("choose_properties", POSITIONS, st.dictionaries(TEXTS, TEXTS, max_size=2)),
    _step("pay", st.sampled_from(["cash", "card", "cheque", "\x00"]), NUMBERS),
    _step("pay_voucher", TEXTS, NUMBERS),
    _step("cash_in", NUMBERS, description=TEXTS),
    _step("open_day", NUMBERS),
    _step("safe_deposit", NUMBERS, description=TEXTS),
    _step("manual_refund", NUMBERS),
    _step("count", NUMBERS, st.dictionaries(NUMBERS, st.integers(-5, 10**12), max_size=2)),
    _step("start_return", TEXTS),
    _step("voucher", TEXTS),
    _step("top_up", TEXTS, NUMBERS),
    _step("sell_voucher", TEXTS),
)
SEQUENCES = st.lists(STEPS, min_size=1, max_size=6)


@dataclass
class Outcome:
    step: str
    refused: str | None  # the English message, None when the command was done

    def __repr__(self) -> str:
        return f"{self.step}: {self.refused or 'done'}"


def _written(value: Any) -> Any:
    if value == MEGABYTE:
        return "x" * 1_000_000
    if isinstance(value, dict):
        return {_written(k): _written(v) for k, v in value.items()}
    return value


def _run(till: Till, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    args = tuple(_written(a) for a in args)
    kwargs = {k: _written(v) for k, v in kwargs.items()}
    if name == "pay":
        tender, amount = args
        till.checkout().add(tender, amount)
    elif name == "pay_voucher":
        number, amount = args
        till.checkout().add("voucher", amount, number=number)
    elif name == "cash_in":
        till.cash.cash_in(*args, **kwargs)
    elif name == "safe_deposit":
        till.cash.safe_deposit(*args, **kwargs)
    elif name == "manual_refund":
        till.cash.manual_refund(*args)
    elif name == "count":
        amount, denominations = args
        till.cash.open_shift(counts=[Count.of("cash", amount, denominations=denominations)])
    elif name == "start_return":
        till.returns.start(*args)
    elif name == "voucher":
        till.cash.vouchers.get(*args)
    elif name == "sell_voucher":
        till.cash.vouchers.sell(*args)
    elif name == "top_up":
        number, amount = args
        till.cash.vouchers.top_up(number, amount)
    else:
        getattr(till, name)(*args, **kwargs)


def _attempt(till: Till, step: tuple[str, tuple[Any, ...], dict[str, Any]]) -> Outcome:
    name, args, kwargs = step
    try:
        _run(till, name, args, kwargs)
    except CassaError as error:
        refused: CassaError | None = error
    else:
        refused = None
    event(f"{name}: {refused.message[:60] if refused else 'done'}")
    if refused is None:
        return Outcome(name, None)
    for language in LANGUAGES:  # strict catalogs: a message missing from one fails here
        assert refused.render(language).strip(), (language, refused.message)
    _screen_is_what_is_stored(till)
    return Outcome(name, refused.message)


def _screen_is_what_is_stored(till: Till) -> None:
    shown = till.current
    if shown is None:
        return
    stored = till.documents.load(shown.id)
    assert [(line.sku, line.name, line.quantity, line.list_price) for line in stored.lines] == [
        (line.sku, line.name, line.quantity, line.list_price) for line in shown.lines
    ]


def _reset(till: Till) -> None:
    """Leave nothing open for the next example: the payment window, the document."""
    if till.payment_window is not None:
        till.payment_window.clear()
        till.payment_window.close()
    if till.current is not None and till.current.editable:
        till.documents.discard(till.current)  # under the rules a large one needs a manager
    till.current = None


def _summary(till: Till) -> list[tuple[Any, ...]]:
    if till.current is None:
        return []
    return [(line.sku, line.name, line.quantity, line.list_price) for line in till.current.lines]


class Tills(dict[str, Till]):
    def __repr__(self) -> str:  # Hypothesis prints its arguments: not a whole till
        return f"tills on {', '.join(self)}"


@pytest.fixture
def tills(tmp_path: Path, demo_store: StoreData) -> Iterator[Tills]:
    """A till of the demo store, day open, on SQLite and (when it answers) PostgreSQL."""
    backends = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
    with ExitStack() as stack:
        opened = Tills()
        for backend in backends:
            place = tmp_path / backend
            place.mkdir()
            database = stack.enter_context(database_on(backend, place)).open()
            stack.callback(database.dispose)
            import_store(database, demo_store)
            till = Till.open(database, clock=lambda: NOW)
            import_store_employees(
                database, DEMO_STORE, store=till.store.code, pack=till.pack, clock=till.now
            )
            till.log_in(ANNA)  # the cashier, as the `till` fixture
            till.open_day("100.00")
            opened[backend] = till
        yield opened


@HOSTILE
@given(sequence=SEQUENCES)
def test_hostile_commands_are_done_or_refused_with_a_message_alike_on_every_database(
    tills: Tills, sequence: list[tuple[str, tuple[Any, ...], dict[str, Any]]]
) -> None:
    answers = {}
    for backend, till in tills.items():
        try:
            till.scan("NOTEBOOK-A5")  # a line to change
            outcomes = [_attempt(till, step) for step in sequence]
            answers[backend] = (outcomes, _summary(till))
        finally:
            _reset(till)
    first, *others = answers.values()
    for other in others:
        assert other == first


def test_the_known_overflows_are_refused_before_anything_is_stored(
    tills: Tills,
) -> None:
    till = tills["sqlite"]
    till.scan("NOTEBOOK-A5")
    for command, args, message in [
        ("set_quantity", (1, "99999999999999"), "the quantity is too large"),
        ("set_quantity", (1, 10**13), "the quantity is too large"),
        ("set_quantity", (1, "1e309"), "the quantity is too large"),
        ("set_list_price", (1, "1.1234567"), "the list price has more than 6 decimals"),
        ("set_list_price", (1, "1e13"), "the list price is too large"),
        ("set_list_price", (1, "NaN"), "the list price must be a number, not “NaN”"),
        ("add_non_coded", ("Quaderno\x00blu", "1", "22"), "contains a control character"),
        ("add_non_coded", ("\ud800", "1", "22"), "contains a character that is not text"),
        ("add_non_coded", ("x" * 1_000_000, "1", "22"), "is longer than 200 characters"),
        ("add_non_coded", ("Riparazione", "9999999999", "22", 999), "amount cannot exceed"),
    ]:
        with pytest.raises(CassaError, match=message):
            getattr(till, command)(*args)
        _screen_is_what_is_stored(till)
    assert [line.quantity for line in till.document().lines] == [1]


def test_text_is_kept_as_one_normal_form() -> None:
    assert inputs.text("  Cafe\u0301 ", _("the name")) == "Café"
