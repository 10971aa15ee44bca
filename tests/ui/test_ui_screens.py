"""Login, day and shift opening, cash in/out, till summary, safe, closing, approvals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from ui_support import DEMO, NOW, Clock, login, manager_approves

from cassa.engine.storage.db import Database, open_database
from cassa.ui.app import Screen, TillApp
from cassa.ui.server import ensure_store

ROOT = Path(__file__).resolve().parents[2]


# -- login -------------------------------------------------------------------------------------
def test_login_by_password_then_day_opening(app: TillApp) -> None:
    assert app.screen is Screen.LOGIN
    login(app)
    assert app.screen is Screen.OPENING
    assert app.opening.kind == "day"
    assert app.operator_name == "Sig.ra Anna Bianchi"
    assert app.role_name == "Cassiere"


def test_a_wrong_password_is_refused_in_the_operators_language(app: TillApp) -> None:
    app.login.username, app.login.password = "anna", "not her password"
    assert not app.login.submit()
    assert app.login.error == "Utente o password errati"
    assert app.screen is Screen.LOGIN
    app.set_locale("en")
    app.login.username, app.login.password = "nobody", "whatever-at-all"
    assert not app.login.submit()
    assert app.login.error == "wrong username or password"


def test_login_by_card_and_logout(app: TillApp) -> None:
    app.login.use("card")
    app.login.card, app.login.pin = "2943308543399", "1596"
    assert app.login.submit()
    assert app.till.operator == "anna"
    app.logout()
    assert app.screen is Screen.LOGIN
    assert app.employee is None


def test_with_the_day_open_login_goes_straight_to_the_sale(selling: TillApp) -> None:
    selling.logout()
    login(selling, "lucia", "seconda-responsabile")
    assert selling.screen is Screen.SALE


def test_a_deactivated_employee_cannot_log_in(app: TillApp) -> None:
    app.login.username, app.login.password = "paolo", "any password at all"
    assert not app.login.submit()


# -- opening --------------------------------------------------------------------------------------
def test_the_float_is_typed_on_the_keypad(app: TillApp) -> None:
    login(app)
    for key in ("1", "5", "0", ",", "5"):
        app.opening.press(key)
    assert app.opening.amount == "150,5"
    app.opening.press("enter")
    assert app.screen is Screen.SALE
    assert app.till.cash.expected("cash") == Decimal("150.50")


def test_the_float_counted_by_banknotes_and_coins(app: TillApp) -> None:
    login(app)
    app.opening.count_by_pieces(True)
    app.opening.add_piece(Decimal(50), 2)
    app.opening.add_piece(Decimal("0.5"), 3)
    app.opening.add_piece(Decimal("0.5"), -1)
    assert app.opening.counted == Decimal("101.0")
    assert app.opening.submit()
    assert app.till.cash.expected("cash") == Decimal("101.00")


@pytest.fixture
def shifts_app(tmp_path: Path, clock: Clock) -> TillApp:
    """The demo store working by shifts with mandatory counting."""
    from cassa.engine.people import import_store_employees

    database: Database = open_database(f"sqlite:///{tmp_path / 'shifts.db'}")
    ensure_store(database, ROOT / "examples" / "stores" / "shifts")
    app = TillApp.open(database, clock=clock)
    import_store_employees(database, DEMO, store="MI01", pack=app.till.pack, clock=clock)
    return app


def test_by_shifts_the_count_is_mandatory_and_the_shift_opens_after_the_day(
    shifts_app: TillApp,
) -> None:
    app = shifts_app
    login(app)
    assert app.opening.kind == "day"
    assert app.opening.counting
    assert app.opening.mandatory
    app.opening.count_by_pieces(False)
    assert app.opening.counting  # it cannot be switched off
    assert not app.opening.submit()
    assert app.notice is not None
    assert app.notice.text == "Il conteggio del saldo della cassa è obbligatorio"
    app.opening.add_piece(Decimal(20), 5)
    assert app.opening.submit()
    assert app.screen is Screen.OPENING
    assert app.opening.kind == "shift"
    app.opening.add_piece(Decimal(20), 5)
    assert app.opening.submit()
    assert app.screen is Screen.SALE
    assert app.closing.kind == "shift"
    app.go_to("closing")
    assert app.closing.by_pieces  # mandatory
    app.closing.add_piece(Decimal(20), 5)
    assert app.closing.counted_total == Decimal(100)
    if not app.closing.submit():  # the engine found a difference: a manager approves it
        app.approval.card, app.approval.pin = "2925212787649", "4821"
        assert app.approval.approve()
    assert app.closing.result is not None
    assert app.closing.result.kind == "shift"
    assert app.closing.result.number is not None
    assert app.closing.result.number.startswith("TU/MI01/")
    app.till.database.dispose()


# -- cash in / out -----------------------------------------------------------------------------
def test_cash_in_and_cash_out_documents(selling: TillApp, clock: Clock) -> None:
    selling.go_to("cash")
    cash = selling.cash
    assert cash.balance == "100,00"
    for key in "20":
        cash.press(key)
    cash.description = "Fondo per il resto"
    assert cash.submit()
    cash.set_kind("cash_out")
    clock.now += timedelta(minutes=5)
    for key in "15":
        cash.press(key)
    cash.press("enter")
    assert cash.balance == "105,00"
    assert [(r.cells[1], r.cells[2]) for r in cash.rows] == [
        ("Prelievo", "15,00 EUR"),
        ("Versamento", "20,00 EUR"),
    ]
    assert cash.rows[1].cells[0].startswith("VC/")
    assert not cash.submit()  # no amount
    assert selling.notice is not None
    assert "maggiore di zero" in selling.notice.text


# -- till summary ------------------------------------------------------------------------------
def test_the_till_summary_after_a_sale(selling: TillApp) -> None:
    selling.sale.submit_entry("SHOE-RUN-42")
    selling.sale.approve()
    selling.payment.choose("cash")
    assert selling.payment.approve()
    selling.go_to("summary")
    rows = dict(selling.summary.rows)
    assert rows["Vendita totale"] == "89,90"
    assert rows["Documenti emessi"] == "1"
    assert [r.cells[0] for r in selling.summary.tenders] == ["Contanti"]
    assert selling.summary.print()
    assert selling.devices is not None
    assert "RIEPILOGO DELLA POSTAZIONE" in selling.devices.paper_since(0)


def test_the_till_summary_adds_up_for_a_cashier(selling: TillApp) -> None:
    """Cash and card add up to the sales whatever cash went out by hand; items are
    counted in pieces, not lines."""
    for codes, tender in ((["3*CHOC-MILK"], "cash"), (["NOTEBOOK-A5", "2*BAG-TOTE"], "card")):
        for code in codes:
            assert selling.sale.submit_entry(code), selling.notice
        assert selling.sale.approve()
        assert selling.payment.choose(tender), selling.notice
        assert selling.payment.approve(), selling.notice
        selling.payment.new_sale()
    selling.till.cash.cash_out("20.00", description="fornitore")
    selling.go_to("summary")
    rows = dict(selling.summary.rows)
    cash = rows["Contanti EUR (pagamenti: 1)"]
    card = rows["Carta EUR (pagamenti: 1)"]
    assert (cash, card, rows["Vendita totale"]) == ("5,70", "53,30", "59,00")
    assert rows["Prelievi: manuali"] == "20,00"  # the cash out is a withdrawal, not a sale
    assert rows["Articoli venduti"] == "6"  # 3 + 1 + 2 pieces on 3 lines
    assert rows["Articoli medi per documento"] == "3,00"
    assert rows["Valore medio articoli"] == "9,83"


# -- the safe ----------------------------------------------------------------------------------
def test_safe_deposit_and_withdrawal_to_the_bank(selling: TillApp) -> None:
    selling.go_to("safe")
    safe = selling.safe
    for key in "60":
        safe.press(key)
    assert safe.move("deposit")
    assert safe.rows[0].cells[-1] == "60,00"
    assert selling.till.cash.expected("cash") == Decimal("40.00")
    for key in "25":
        safe.press(key)
    assert not safe.move("bank")  # anna may not take money out of the safe
    assert "prelievo dalla cassaforte" in selling.approval.reason
    manager_approves(selling)
    assert safe.rows[0].cells[-1] == "35,00"
    for key in "500":
        safe.press(key)
    assert not safe.move("drawer")  # each withdrawal asks the manager
    selling.approval.username, selling.approval.password = "marco", "responsabile-milano"
    assert not selling.approval.approve()  # approved, and then the safe holds less
    assert selling.notice is not None
    assert selling.notice.kind == "error"


# -- closing -----------------------------------------------------------------------------------
def test_closing_the_day_with_the_counted_cash(selling: TillApp) -> None:
    selling.go_to("closing")
    closing = selling.closing
    assert closing.kind == "day"
    assert closing.expected_cash == Decimal("100.00")
    closing.count_by_pieces(True)
    closing.add_piece(Decimal(50), 2)
    assert closing.difference == 0
    closing.focus("withdrawal")
    for key in "80":
        closing.press(key)
    assert closing.submit()
    assert closing.result is not None
    row = closing.result_rows[0].cells
    assert row[:7] == ("Contanti", "EUR", "100,00", "100,00", "0,00", "80,00", "20,00")
    assert selling.devices is not None
    slip = selling.devices.paper_since(0)  # the closing slip, printed to be signed
    assert "CHIUSURA DEL GIORNO" in slip
    assert "Contanti                     atteso 100,00" in slip
    assert "Contanti                     100,00 (0,00)" in slip  # counted (difference)
    assert "Prelievo di fine turno               80,00" in slip
    closing.finish()
    assert selling.screen is Screen.LOGIN
    assert not selling.day_open()


def test_a_difference_needs_a_managers_approval(selling: TillApp, clock: Clock) -> None:
    selling.go_to("closing")
    closing = selling.closing
    for key in "9":
        closing.press(key)
    closing.press("5")
    assert closing.difference == Decimal(-5)
    assert not closing.submit()
    approval = selling.approval
    assert approval.open
    assert approval.permissions == ("close_day_with_difference",)
    approval.username, approval.password = "marco", "responsabile-milano"
    assert approval.approve()
    assert closing.result is not None
    assert closing.result_rows[0].cells[4] == "-5,00"
    assert clock.now == NOW


def test_an_open_document_blocks_the_closing(selling: TillApp) -> None:
    selling.sale.submit_entry("SHOE-RUN-42")
    selling.go_to("closing")
    assert not selling.closing.submit()
    assert selling.notice is not None
    assert "documento aperto" in selling.notice.text  # the Italian operator's words
