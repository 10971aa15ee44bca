"""Helpers of the browser tests (a module of its own name, importable from test modules)."""

from __future__ import annotations

import importlib.util

import pytest

from cassa.ui.browser import TillPage, chromium_path

BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="Playwright for Python is not installed (pip install -e '.[dev]')",
    ),
    pytest.mark.skipif(
        chromium_path() is None,
        reason="no Chromium at /usr/bin/chromium: as root, `make test` installs it "
        "(apt-get install -y chromium)",
    ),
]


def log_in(till: TillPage, username: str = "anna", password: str = "cassiera-di-turno") -> None:
    till.fill("Utente", username)
    till.fill("Password", password, enter=True)


def open_sale(till: TillPage) -> TillPage:
    """anna logs in and opens the day with no float: the sale screen, nothing clicked on it."""
    log_in(till)
    till.wait_for("screen-opening")
    till.tap("open-button")
    till.wait_for("screen-sale")
    return till
