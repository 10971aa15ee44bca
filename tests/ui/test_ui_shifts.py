"""The shifts screen: the store's shifts across its tills with a filter, and another
cashier's open shift closed with a cash count, by a manager at another till or by a
cashier with a manager's approval; a store working by till days has no shifts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from ui_support import DEMO, ROOT, Clock, login, texts

from cassa.engine.people import import_store_employees
from cassa.engine.storage.db import Database, open_database
from cassa.ui.app import Screen, TillApp
from cassa.ui.server import ensure_store
from cassa.ui.views.shifts import shifts_screen

ANNA = ("anna", "cassiera-di-turno")
MARCO = ("marco", "responsabile-milano")
ANNAS_SHIFT = "TU/MI01/2026/000001"
MARCOS_SHIFT = "TU/MI01/2026/000002"


@pytest.fixture
def shifts_database(tmp_path: Path, clock: Clock) -> Iterator[Database]:
    """The demo store working by shifts (mandatory counting), with the demo staff."""
    database = open_database(f"sqlite:///{tmp_path / 'shifts.db'}")
    ensure_store(database, ROOT / "examples" / "stores" / "shifts")
    pack = TillApp.open(database, clock=clock).till.pack
    import_store_employees(database, DEMO, store="MI01", pack=pack, clock=clock)
    try:
        yield database
    finally:
        database.dispose()


def at_work(database: Database, clock: Clock, till: str, who: tuple[str, str]) -> TillApp:
    """`who` logged in at `till` with the day and their shift open (100.00 counted)."""
    app = TillApp.open(database, till=till, clock=clock)
    login(app, *who)
    for _ in range(2 if app.opening.kind == "day" else 1):
        app.opening.add_piece(Decimal(20), 5)
        assert app.opening.submit(), app.notice
    assert app.screen is Screen.SALE
    return app


@pytest.fixture
def anna(shifts_database: Database, clock: Clock) -> TillApp:
    """Anna's shift at till T01, with a cash in of 30.00: 30.00 expected in her drawer."""
    app = at_work(shifts_database, clock, "T01", ANNA)
    app.go_to("cash")
    for key in "30":
        app.cash.press(key)
    assert app.cash.submit()
    return app


@pytest.fixture
def marco(shifts_database: Database, clock: Clock, anna: TillApp) -> TillApp:
    """Marco, a manager, at till T02 with his own shift, on the shifts screen."""
    app = at_work(shifts_database, clock, "T02", MARCO)
    app.go_to("functions")
    assert app.run_function("shifts")
    return app


def test_the_list_shows_every_cashiers_shift_latest_first(marco: TillApp) -> None:
    assert marco.screen is Screen.SHIFTS
    assert [r.cells for r in marco.shifts.rows] == [
        (MARCOS_SHIFT, "Sig. Marco Rossi", "T02", "05/07/2026, 10:30", "", "Aperto"),
        (ANNAS_SHIFT, "Sig.ra Anna Bianchi", "T01", "05/07/2026, 10:30", "", "Aperto"),
    ]


def test_the_filter_finds_a_shift_by_number_username_or_name(marco: TillApp) -> None:
    shifts = marco.shifts
    shifts.filter("000002")
    assert [r.cells[0] for r in shifts.rows] == [MARCOS_SHIFT]
    shifts.filter("anna")
    assert [r.cells[0] for r in shifts.rows] == [ANNAS_SHIFT]
    shifts.filter("Bianchi")
    assert [r.cells[0] for r in shifts.rows] == [ANNAS_SHIFT]
    shifts.filter("nobody")
    assert shifts.rows == []


def test_a_manager_at_another_till_closes_a_cashiers_shift_with_the_cash_counted(
    marco: TillApp, anna: TillApp
) -> None:
    shifts = marco.shifts
    assert not shifts.can_close  # nothing selected
    shifts.select(ANNAS_SHIFT)
    assert shifts.can_close
    assert shifts.start_closing()
    assert shifts.closing_name == "Sig.ra Anna Bianchi"
    count = shifts.count
    assert [r.cells for r in count.expected] == [("Contanti", "EUR", "0,00", "30,00")]
    assert count.by_pieces  # counting is mandatory in this store
    count.add_piece(Decimal(20))
    count.add_piece(Decimal(10))
    assert count.difference == 0
    assert shifts.submit()
    assert not marco.approval.open
    assert [r.cells for r in count.result_rows] == [
        ("Contanti", "EUR", "30,00", "30,00", "0,00", "0,00", "30,00")
    ]
    shifts.done()
    assert shifts.closing is None
    annas = next(r.cells for r in shifts.rows if r.cells[0] == ANNAS_SHIFT)
    assert annas[4:] == ("05/07/2026, 10:30", "Chiuso")
    assert not anna.shift_open()
    shifts.show_open_only(True)
    assert [r.cells[0] for r in shifts.rows] == [MARCOS_SHIFT]


def test_a_cashier_closes_another_shift_only_with_a_managers_approval(
    marco: TillApp, anna: TillApp
) -> None:
    anna.go(Screen.SHIFTS)
    shifts = anna.shifts
    shifts.select(MARCOS_SHIFT)
    assert shifts.start_closing()
    shifts.count.add_piece(Decimal(50))  # 50.00 more than expected
    assert not shifts.submit()
    approval = anna.approval
    assert approval.open
    assert approval.permissions == ("close_other_shift", "close_day_with_difference")
    assert "chiusura dei turni di altri operatori" in approval.reason
    approval.username, approval.password = "lucia", "seconda-responsabile"
    assert approval.approve()  # one approval for both
    assert shifts.count.result is not None
    assert shifts.count.result_rows[0].cells[4] == "50,00"
    assert not marco.shift_open()


def test_the_operators_own_shift_closes_on_the_closing_screen(marco: TillApp) -> None:
    marco.shifts.select(MARCOS_SHIFT)
    assert marco.shifts.start_closing()
    assert marco.screen is Screen.CLOSING
    assert marco.closing.kind == "shift"


def test_a_closed_shift_cannot_be_closed_again(marco: TillApp) -> None:
    shifts = marco.shifts
    shifts.select(ANNAS_SHIFT)
    assert shifts.start_closing()
    shifts.count.add_piece(Decimal(20))
    shifts.count.add_piece(Decimal(10))
    assert shifts.submit()
    shifts.done()
    shifts.select(ANNAS_SHIFT)
    assert not shifts.can_close
    assert not shifts.start_closing()
    assert marco.notice is not None
    assert marco.notice.text == "Seleziona un turno aperto dall'elenco"


def test_a_store_working_by_till_days_has_no_shifts(selling: TillApp) -> None:
    assert "shifts" not in selling.functions()
    assert "reports" in selling.functions()
    selling.go(Screen.SHIFTS)
    assert not selling.shifts.available
    assert selling.shifts.rows == []
    assert selling.t("shifts_by_days") == (
        "Questo negozio lavora per giornate di cassa: non ci sono turni degli operatori."
    )


def test_the_screen_says_plainly_when_the_store_works_by_till_days(selling: TillApp) -> None:
    selling.go(Screen.SHIFTS)
    assert "Questo negozio lavora per giornate di cassa" in " ".join(texts(shifts_screen(selling)))


def test_the_screen_shows_the_shifts_and_the_count_of_the_one_being_closed(
    marco: TillApp,
) -> None:
    shown = texts(shifts_screen(marco))
    assert "Sig.ra Anna Bianchi" in shown
    assert "Aperto" in shown
    marco.shifts.select(ANNAS_SHIFT)
    assert marco.shifts.start_closing()
    shown = texts(shifts_screen(marco))
    assert "Chiudi il turno di Sig.ra Anna Bianchi" in shown
    assert "Differenza: -30,00" in shown


def test_closing_with_nothing_counted_where_counting_is_mandatory_is_refused(
    marco: TillApp, anna: TillApp
) -> None:
    marco.shifts.select(ANNAS_SHIFT)
    assert marco.shifts.start_closing()
    assert not marco.shifts.submit()
    assert marco.notice is not None
    assert marco.notice.text == "Il conteggio del saldo della cassa è obbligatorio"
    assert anna.shift_open()
