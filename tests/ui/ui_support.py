"""Helpers of the till app's tests (a module of its own name: conftest.py is not importable
from test modules when several test folders have one)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cassa.ui.app import Screen, TillApp

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
NOW = datetime(2026, 7, 5, 8, 30, tzinfo=UTC)  # 10:30 in Milan, a Sunday


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def login(app: TillApp, username: str = "anna", password: str = "cassiera-di-turno") -> None:
    app.login.username = username
    app.login.password = password
    assert app.login.submit(), app.login.error


def texts(control: object) -> list[str]:
    """Every text a view shows, walking down its controls."""
    import flet as ft

    found = [control.value] if isinstance(control, ft.Text) and control.value else []
    for child in (getattr(control, "content", None), *getattr(control, "controls", ())):
        if isinstance(child, ft.Control):
            found += texts(child)
    return found


def pay_in_cash(app: TillApp, *codes: str) -> str:
    """Scan `codes`, pay the receipt in cash and start the next one: the receipt's number."""
    for code in codes:
        assert app.sale.submit_entry(code), app.notice
    assert app.sale.approve(), app.notice
    assert app.payment.choose("cash"), app.notice
    assert app.payment.approve(), app.notice
    paid = app.payment.paid
    assert paid is not None
    assert paid.number is not None
    app.payment.new_sale()
    return paid.number


def open_function(app: TillApp, name: str, screen: Screen) -> None:
    """Open a back-office screen the way the cashier does: through the functions screen."""
    app.go_to("functions")
    assert name in app.functions()
    assert app.run_function(name)
    assert app.screen is screen


def manager_approves(app: TillApp) -> None:
    """marco, the store's manager, approves what the approval dialog asks."""
    assert app.approval.open
    app.approval.username, app.approval.password = "marco", "responsabile-milano"
    assert app.approval.approve(), app.approval.error
