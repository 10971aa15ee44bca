"""What the till shows fits the screen: at 1024x768, 1366x768 and 1920x1080 the payment
window's amount is whole and its Approve button in sight, without scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import BROWSER_MARKS, open_sale

from cassa.ui.browser import TillPage, TillServer, browser

pytestmark = BROWSER_MARKS

SCREENS = [(1024, 768), (1366, 768), (1920, 1080)]


@pytest.fixture(params=SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def screen(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TillPage, Any]]:
    width, height = request.param
    server = TillServer(str(tmp_path / "till.db"))
    with server, browser(width, height) as page:
        yield open_sale(TillPage(page, server.url).open()), request.param


def box(till: TillPage, identifier: str) -> dict[str, float]:
    found = till.wait_for(identifier).bounding_box()
    assert found is not None, identifier
    return dict(found)


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 1
        and inner["y"] >= outer["y"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1
    )


def test_the_payment_window_fits_with_approve_in_sight(screen: tuple[TillPage, Any]) -> None:
    till, (width, height) = screen
    for scanned, code in enumerate(["8001234000127", "8001234000059", "2*TILE-CER-01"], 1):
        till.scan(code)
        till.wait_text("lines-count", str(scanned))
    till.tap("approve")
    till.wait_for("screen-payment")
    assert till.wait_text("amount", "243,70") == "243,70"  # 149,00 + 89,90 + 4,80
    viewport = {"x": 0, "y": 0, "width": width, "height": height}
    assert inside(box(till, "approve-payment"), viewport)
    assert inside(box(till, "amount"), viewport)
    assert inside(box(till, "tender-cash"), viewport)
    assert inside(box(till, "quick-exact"), viewport)
